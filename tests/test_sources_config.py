"""sources.yaml is read strictly: every mistake named with its file and line, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.sources.config import SourcesError, load_sources, parse_duration, parse_size, parse_sources

ROOT = Path(__file__).resolve().parents[1]


def test_the_documented_example_loads() -> None:
    config = load_sources(ROOT / "docs" / "sources.example.yaml")
    kinds = {s.kind for s in config.sources}
    assert kinds == {"feed", "sitemap", "json", "folder"}
    api = config.by_name("partner-api")
    assert api is not None and api.items == "data.reports" and api.fields["text"] == "body.text"
    assert api.interval == 600 and api.language == "fr"
    assert config.by_name("unsmil-press").full_article is False  # type: ignore[union-attr]
    assert config.fetch.max_size == 10 * 1024 * 1024 and config.fetch.host_delay == 1.0


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = """fetch:
  timeout: soon
  colour: blue
sources:
  - name: wire
    kind: feed
    url: ftp://example.org/feed
  - name: wire
    kind: feed
    url: https://example.org/feed
  - name: api
    kind: json
    url: https://example.org/api
    fields: {body: text}
    interval: 0s
  - name: inbox
    kind: folder
    url: https://example.org/
    language: English
  - kind: podcast
    url: https://example.org/
"""
    with pytest.raises(SourcesError) as caught:
        parse_sources(text, tmp_path / "sources.yaml")
    lines = str(caught.value).splitlines()
    where = str(tmp_path / "sources.yaml")
    expected = [
        (2, "fetch: timeout: expected a duration"),
        (3, "fetch: unknown setting 'colour'"),
        (7, "source 'wire': url: expected an http:// or https:// address, got 'ftp://example.org/feed'"),
        (8, "source 'wire': the name is already used on line 5"),
        (14, "source 'api': fields: unknown field 'body'"),
        (15, "source 'api': interval: expected a duration of at least 1s"),
        (18, "source 'inbox': a folder source takes path, not url"),
        (19, "source 'inbox': language: expected an ISO 639 code"),
        (20, "sources[4]: name: expected letters"),
        (20, "sources[4]: kind: expected one of feed, sitemap, json, folder, got 'podcast'"),
    ]
    for line, message in expected:
        assert any(got.startswith(f"{where}:{line}: {message}") for got in lines), (line, message, lines)
    assert len(lines) == len(expected) + 1  # the folder source without a path is also named


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match=r"sources.yaml:3: not valid YAML"):
        parse_sources("sources:\n  - name: a\n  kind: [feed\n", tmp_path / "sources.yaml")


def test_missing_file_and_wrong_top_level(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="no sources file at"):
        load_sources(tmp_path / "nope.yaml")
    with pytest.raises(SourcesError, match=r"sources.yaml:1: expected a mapping"):
        parse_sources("- a\n- b\n", tmp_path / "sources.yaml")
    with pytest.raises(SourcesError, match="sources: expected a list with at least one source"):
        parse_sources("sources: []\n", tmp_path / "sources.yaml")


def test_folder_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = parse_sources("sources:\n  - {name: inbox, kind: folder, path: inbox}\n", tmp_path / "s.yaml")
    assert config.sources[0].path == tmp_path / "inbox"


@pytest.mark.parametrize(("value", "seconds"), [(90, 90.0), ("30s", 30.0), ("15m", 900.0), ("2h", 7200.0),
                                                ("1d", 86400.0), ("250ms", 0.25), (1.5, 1.5)])
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "5 minutes", True, "-3s"])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


def test_sizes() -> None:
    assert parse_size("512KB") == 512 * 1024 and parse_size("10MB") == 10 * 1024 ** 2 and parse_size(100) == 100
    with pytest.raises(ValueError):
        parse_size("big")
