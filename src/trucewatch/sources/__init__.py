"""Sources a monitor follows (feeds, sitemaps, JSON APIs, watched folders), polled politely.

``config`` reads ``sources.yaml``; ``fetch`` is the HTTP client (conditional GET,
robots.txt, a delay per host, retries, caps); ``parse`` turns a fetched feed, sitemap or
API answer into items; ``log`` records each resource and item in the store (the fetch
log), so a restart neither loses nor refetches anything; ``poll`` ties them together and
stores what it fetched through the same path as ``trucewatch ingest``; ``watch`` is the
long-running loop.
"""
