"""The HTTP API and its server (``trucewatch serve``): the store's record, read over HTTP.

Paths live under ``/api/v1``; errors are ``application/problem+json`` (RFC 9457); lists
page by an opaque cursor; every GET answers with an ETag and honours ``If-None-Match``.
"""
