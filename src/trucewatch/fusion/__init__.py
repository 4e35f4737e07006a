"""Fusion: from one document's events to the corpus's incidents (duplicates, stories, incidents)."""
