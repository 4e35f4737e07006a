"""The on-disk cache of derived data: read back only while its inputs are unchanged, and
never a reason to fail (damaged, foreign or unwritable copies only cost the build)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from trucewatch import derived_cache
from trucewatch.derived_cache import cached, digest


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("TRUCEWATCH_CACHE_DIR", str(where))
    return where


class Builder:
    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_second_process_reads_the_copy(folder: Path) -> None:
    build = Builder({"a": [1, 2]})
    assert cached("thing", "k1", build) == {"a": [1, 2]}
    assert cached("thing", "k1", build) == {"a": [1, 2]}
    assert build.calls == 1
    (copy,) = folder.glob("thing-*.pickle")
    assert copy.stat().st_mode & 0o777 == 0o600


def test_a_changed_input_changes_the_key_and_the_old_copy_goes(tmp_path: Path, folder: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.yaml").write_text("a: 1\n")
    first = digest([data])
    cached("thing", first, Builder(1))
    (data / "x.yaml").write_text("a: 2\n")
    second = digest([data])
    assert second != first
    assert digest([data], extra="lib=2") != second
    build = Builder(2)
    assert cached("thing", second, build) == 2 and build.calls == 1
    assert len(list(folder.glob("thing-*.pickle"))) == 1


def test_a_damaged_copy_is_rebuilt_and_replaced(folder: Path) -> None:
    cached("thing", "k1", Builder(1))
    (copy,) = folder.glob("thing-*.pickle")
    copy.write_bytes(b"\x80\x05not a pickle")
    build = Builder(1)
    assert cached("thing", "k1", build) == 1 and build.calls == 1
    assert pickle.loads(copy.read_bytes()) == 1


def test_a_copy_others_can_write_is_not_unpickled(folder: Path) -> None:
    cached("thing", "k1", Builder("ours"))
    (copy,) = folder.glob("thing-*.pickle")
    copy.write_bytes(pickle.dumps("planted"))
    os.chmod(copy, 0o666)
    assert cached("thing", "k1", Builder("ours")) == "ours"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_only_costs_the_build(folder: Path) -> None:
    folder.mkdir(mode=0o500)
    build = Builder(3)
    assert cached("thing", "k1", build) == 3 and cached("thing", "k1", build) == 3
    assert build.calls == 2


def test_a_folder_that_is_a_file_only_costs_the_build(folder: Path) -> None:
    folder.write_text("in the way")
    build = Builder(3)
    assert cached("thing", "k1", build) == 3 and cached("thing", "k1", build) == 3
    assert build.calls == 2


def test_off_turns_it_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCEWATCH_CACHE_DIR", "off")
    assert derived_cache.cache_dir() is None
    build = Builder(4)
    cached("thing", "k1", build)
    cached("thing", "k1", build)
    assert build.calls == 2 and not folder.exists()


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRUCEWATCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert derived_cache.cache_dir() == tmp_path / "trucewatch"


def test_the_cached_knowledge_base_is_the_one_built_from_the_files() -> None:
    """What every process reads back equals what the curated files give today."""
    from trucewatch.extract.actors import alias_index, kb

    assert kb.load_data() == kb._assemble_data()
    assert kb.by_alias() == kb._alias_index(kb._assemble_data().get("actors") or ())
    assert alias_index.alias_index() == alias_index._build_alias_index()


def test_the_knowledge_base_key_covers_its_code_and_data() -> None:
    """Editing a curated file or the code that reads it must change the key (else a stale
    knowledge base would be read back): each of them is among the files the key digests."""
    from importlib.resources import files

    from trucewatch.extract.actors import alias_index, assemble, kb, world
    from trucewatch.extract.time import lexicon
    from trucewatch.text import script

    walked = {Path(str(p)).resolve() for root in kb.derived_inputs() for p in derived_cache._walk(root)}
    needed = [files("trucewatch.resources").joinpath("actors", name) for name in kb.KB_FILES]
    needed += [files("trucewatch.resources").joinpath("places", "demonyms.tsv"),
               files("trucewatch.resources").joinpath("actors", "not_actors.txt")]
    needed += [Path(m.__file__) for m in (kb, assemble, world, alias_index, script, lexicon)]
    assert {Path(str(p)).resolve() for p in needed} <= walked
