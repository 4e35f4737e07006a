"""Folders read as the data flow: places never imports actors, and no folder imports another
folder's private (underscore) names. Checked on the source with ``ast``, so imports inside
functions count too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "trucewatch"


def _imports(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """``(line, module, name)`` for every import in ``path``; ``name`` None for ``import x.y``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, node.module, alias.name
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}:{node.lineno}: relative import; the checks below need absolute ones")


def _folder(module: str, name: str | None = None) -> str | None:
    """The first-level folder of ``trucewatch`` a module (or ``from trucewatch import name``) is in."""
    parts = module.split(".")
    if parts[0] != "trucewatch":
        return None
    if len(parts) == 1:
        return name
    return parts[1]


def _sources(folder: str | None = None) -> list[Path]:
    root = PACKAGE / folder if folder else PACKAGE
    return sorted(root.rglob("*.py"))


def _violations(paths: list[Path], forbidden_folder: str | None = None, root: Path = PACKAGE) -> list[str]:
    """Imports of ``forbidden_folder`` (any name), or without it, of another folder's private names."""
    found = []
    for path in paths:
        rel = path.relative_to(root).parts
        own = rel[0] if len(rel) > 1 else None
        for line, module, name in _imports(path):
            target = _folder(module, name)
            if target is None or target == own:
                continue
            where = f"{path.relative_to(root)}:{line}: {module}" + (f".{name}" if name else "")
            if forbidden_folder is not None and target == forbidden_folder:
                found.append(where)
            private = [p for p in module.split(".")[2:] + ([name] if name else [])
                       if p.startswith("_") and not p.endswith("__")]  # dunders (__version__) are public
            if forbidden_folder is None and private:
                found.append(where)
    return found


def test_places_does_not_import_actors() -> None:
    assert _sources("places"), "no places sources found"
    assert _violations(_sources("places"), forbidden_folder="actors") == []


def test_the_text_layer_sits_below_places_and_actors() -> None:
    assert _sources("text"), "no text sources found"
    for folder in ("places", "actors"):
        assert _violations(_sources("text"), forbidden_folder=folder) == []


def test_no_folder_imports_another_folders_private_names() -> None:
    assert _violations(_sources()) == []


@pytest.mark.parametrize(
    ("source", "folder", "expected"),
    [
        ("from trucewatch.actors.kb import alias_key\n", "actors", True),
        ("def f():\n    from trucewatch import actors\n", "actors", True),
        ("import trucewatch.actors.mentions\n", "actors", True),
        ("from trucewatch.text.script import name_key\n", "actors", False),
        ("from trucewatch.places.recognise import _ARABIC_PROCLITICS\n", None, True),
        ("from trucewatch.text.script import ARABIC_PROCLITICS\n", None, False),
        ("from trucewatch import __version__\n", None, False),
    ],
)
def test_the_checker_sees_what_it_must(tmp_path: Path, source: str, folder: str | None, expected: bool) -> None:
    (tmp_path / "other").mkdir()
    module = tmp_path / "other" / "mod.py"
    module.write_text(source, encoding="utf-8")
    assert bool(_violations([module], forbidden_folder=folder, root=tmp_path)) is expected
