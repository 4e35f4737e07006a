"""Data the project curates and ships: lexicons, the demo corpus."""

from __future__ import annotations


import hashlib
from importlib import resources as _resources


def resource_digest(*paths: str) -> str:
    """A short digest of curated files (or every file of a folder) under this package.

    Stages put it in their version, so that editing a lexicon or the actor base redoes
    the documents it affects instead of leaving results from the old data in the store.
    """
    digest = hashlib.sha256()
    root = _resources.files(__name__)
    for path in paths:
        node = root.joinpath(path)
        files = sorted((f for f in node.iterdir() if f.is_file()), key=lambda f: f.name) if node.is_dir() else [node]
        for item in files:
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()[:8]
