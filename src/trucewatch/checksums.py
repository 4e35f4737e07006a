"""File digests against a manifest: how we trust a model package before loading it.

Both third-party models we load (the NER model and the sentence encoder) ship weights,
and the encoder ships code too; each is compared, file by file, with the sha256 digests
of the release we checked, before any of it is read as a model or imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_problem(found: Mapping[str, Path], manifest: Mapping[str, str]) -> str | None:
    """Why the files ``found`` (relative POSIX path -> file) are not exactly ``manifest``
    (relative path -> sha256), or None when they are: a missing, extra or changed file."""
    missing = sorted(set(manifest) - set(found))
    if missing:
        return f"missing file(s): {', '.join(missing)}"
    extra = sorted(set(found) - set(manifest))
    if extra:
        return f"unexpected file(s): {', '.join(extra)}"
    for name, expected in manifest.items():
        digest = sha256_file(found[name])
        if digest != expected:
            return f"{name} sha256 is {digest}, expected {expected}"
    return None
