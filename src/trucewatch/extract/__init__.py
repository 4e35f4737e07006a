"""Extraction stages: each finds one kind of thing in a document, with its spans."""
