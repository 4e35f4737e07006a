"""Events: what happened, to whom, where, when, how many, and who says so.

``classify`` labels a snippet with an ACLED sub-event type (or none); ``counts`` reads
casualty and displacement figures with their uncertainty; ``extract`` turns a document
into events in the export schema, each field with its evidence span.
"""
