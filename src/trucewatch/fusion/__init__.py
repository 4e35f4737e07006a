"""Corpus-level fusion: near-duplicate documents, stories, and incidents across documents."""
