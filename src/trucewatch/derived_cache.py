"""Data derived from our shipped files, kept on disk between processes.

Reading the actor knowledge base (YAML parsing, merging, folding 80,000 aliases) costs
about 2 s of every process's start: a one-document ``extract``, each worker of a run and
each CLI call paid it again. The result depends only on files we ship (the curated data
and the code that reads it), so it is pickled once into the user's cache folder under a
digest of those files and read back in about 0.1 s. Any change to one of them changes
the digest, so a stale copy is never read; a cache that cannot be read or written only
costs the build. Only files this user owns and nobody else can write are unpickled.

The folder is ``$TRUCEWATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/trucewatch``, else
``~/.cache/trucewatch``; ``TRUCEWATCH_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Part of every digest: a new pickle protocol or Python version must not read old files.
_FORMAT = f"1/{pickle.HIGHEST_PROTOCOL}/{sys.version_info[0]}.{sys.version_info[1]}"


def cache_dir() -> Path | None:
    """Where derived data is kept, or None when the cache is turned off."""
    configured = os.environ.get("TRUCEWATCH_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in {"", "off", "0", "no"} else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trucewatch"


def _walk(item: Traversable | Path) -> Iterable[Traversable | Path]:
    if item.is_dir():
        for child in sorted(item.iterdir(), key=lambda c: c.name):
            if child.name != "__pycache__":
                yield from _walk(child)
    elif item.is_file():
        yield item


def digest(inputs: Iterable[Traversable | Path], extra: str = "") -> str:
    """SHA-256 over the names and bytes of every file in ``inputs`` (folders walked in name order)."""
    sha = hashlib.sha256(f"{_FORMAT}\0{extra}\0".encode())
    for item in inputs:
        for path in _walk(item):
            if str(path).endswith((".pyc", ".pyo")):
                continue
            sha.update(path.name.encode() + b"\0")
            sha.update(path.read_bytes())
            sha.update(b"\0")
    return sha.hexdigest()


def _trusted(path: Path) -> bool:
    """Unpickle only what this user wrote: owned by us and writable by nobody else."""
    info = path.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or the copy pickled under ``name`` and ``key`` by an earlier process.

    ``key`` must be a digest of everything ``build`` reads (see :func:`digest`). A new copy
    replaces older ones of the same ``name``, so the folder does not grow with edits.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key[:32]}.pickle"
    try:
        if _trusted(path):
            with path.open("rb") as fh:
                return pickle.load(fh)  # noqa: S301 - our own file, checked by _trusted
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged or foreign copy: build again and replace it
        pass
    value = build()
    _store(folder, path, name, value)
    return value


def _store(folder: Path, path: Path, name: str, value: object) -> None:
    """Write atomically (a reader never sees half a file); a read-only or full disk is no error."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        return
