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
    """The folder of ``trucewatch`` a module (or ``from trucewatch[.extract] import name``) is in.

    A folder is a first-level one (``store``, ``text``), or one of the extraction stages
    under ``extract/`` (``extract.places``), which are folders of their own in the flow.
    """
    parts = module.split(".") + ([name] if name else [])
    if parts[0] != "trucewatch" or len(parts) < 2:
        return None
    if parts[1] == "extract" and len(parts) > 2 and (PACKAGE / "extract" / parts[2]).is_dir():
        return f"extract.{parts[2]}"
    return parts[1]


def _own(rel: tuple[str, ...]) -> str | None:
    """The folder a source file (path relative to the package) belongs to, as :func:`_folder` names it."""
    if len(rel) < 2:
        return None
    if rel[0] == "extract" and len(rel) > 2:
        return f"extract.{rel[1]}"
    return rel[0]


def _sources(folder: str | None = None) -> list[Path]:
    root = PACKAGE.joinpath(*folder.split(".")) if folder else PACKAGE
    return sorted(root.rglob("*.py"))


def _violations(paths: list[Path], forbidden_folder: str | None = None, root: Path = PACKAGE) -> list[str]:
    """Imports of ``forbidden_folder`` (any name), or without it, of another folder's private names."""
    found = []
    for path in paths:
        rel = path.relative_to(root).parts
        own = _own(rel)
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
    assert _sources("extract.places"), "no places sources found"
    assert _violations(_sources("extract.places"), forbidden_folder="extract.actors") == []


def test_the_text_layer_sits_below_places_and_actors() -> None:
    assert _sources("text"), "no text sources found"
    for folder in ("extract.places", "extract.actors"):
        assert _violations(_sources("text"), forbidden_folder=folder) == []


def test_no_folder_imports_another_folders_private_names() -> None:
    assert _violations(_sources()) == []


@pytest.mark.parametrize(
    ("source", "folder", "expected"),
    [
        ("from trucewatch.extract.actors.kb import alias_key\n", "extract.actors", True),
        ("def f():\n    from trucewatch.extract import actors\n", "extract.actors", True),
        ("import trucewatch.extract.actors.mentions\n", "extract.actors", True),
        ("from trucewatch.text.script import name_key\n", "extract.actors", False),
        ("from trucewatch.extract.places.gazetteer import Gazetteer\n", "extract.actors", False),
        ("from trucewatch.extract.places.recognise import _ARABIC_PROCLITICS\n", None, True),
        ("from trucewatch.text.script import ARABIC_PROCLITICS\n", None, False),
        ("from trucewatch import __version__\n", None, False),
    ],
)
def test_the_checker_sees_what_it_must(tmp_path: Path, source: str, folder: str | None, expected: bool) -> None:
    (tmp_path / "other").mkdir()
    module = tmp_path / "other" / "mod.py"
    module.write_text(source, encoding="utf-8")
    assert bool(_violations([module], forbidden_folder=folder, root=tmp_path)) is expected
