"""Corpus-level fusion: near-duplicate documents and stories (document level)."""
