"""Calendar edges and odd inputs the tagger must survive and get right."""

from __future__ import annotations

import pytest

from tests.clitools import run
from trucewatch.extract.time import infer_publication_date, tag_time


def _values(text: str, published: str | None, lang: str = "en") -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in tag_time(text, published=published, lang=lang).timexes]


@pytest.mark.parametrize(
    ("published", "expected"),
    [("2023-06-05", "2020-02-29"), ("2019-08-01", "2016-02-29"), ("2024-03-10", "2024-02-29"), ("0001-01-01", "0004-02-29")],
)
def test_february_29_in_the_past_tense(published: str, expected: str) -> None:
    assert _values("Talks were held on February 29.", published) == [("February 29", "DATE", expected)]


def test_february_29_in_french_does_not_fail_the_text() -> None:
    got = _values("Les pourparlers ont eu lieu le 29 février, puis le 3 mars.", "2023-06-05", "fr")
    assert [v for _, _, v in got] == ["2020-02-29", "2023-03-03"]


def test_inference_with_an_impossible_day_is_still_consistent() -> None:
    anchor = infer_publication_date("Talks were held on February 29, officials said. The war began in 2019.")
    assert anchor.value == "2020-02-29"


def test_last_and_next_quarter_are_relative() -> None:
    assert _values("Profits fell last quarter.", "2020-06-05") == [("last quarter", "DATE", "2020-Q1")]
    assert _values("Profits will rise next quarter.", "2020-06-05") == [("next quarter", "DATE", "2020-Q3")]
    assert _values("in the last quarter of 2019", "2020-06-05") == [("the last quarter of 2019", "DATE", "2019-Q4")]


def test_every_weekday_is_a_set() -> None:
    assert _values("Monitors meet every Monday.", "2020-06-05") == [("every Monday", "SET", "XXXX-WXX-1")]


def test_year_end_edges() -> None:
    assert _values("Talks resumed last week.", "2021-01-01") == [("last week", "DATE", "2020-W52")]
    assert _values("Talks resumed last week.", "2021-01-04") == [("last week", "DATE", "2020-W53")]
    assert _values("Elections are due next year.", "9999-12-31") == [("next year", "DATE", None)]


@pytest.mark.parametrize("bad", ["20200605", "2020/06/05", "2020-02-30", "June 5", "2020-13"])
def test_unreadable_published_is_an_error(bad: str) -> None:
    with pytest.raises(ValueError):
        tag_time("Clashes erupted yesterday.", published=bad)


def test_datetime_published_anchors_on_its_own_day() -> None:
    got = _values("Clashes erupted yesterday.", "2020-06-05T23:30:00+02:00")
    assert got == [("yesterday", "DATE", "2020-06-04")]


def test_rights_groups_are_evidence_not_copyright() -> None:
    fr = infer_publication_date("Les combats ont repris le 3 juin 2020, a indiqué lundi la Ligue des droits de l'homme.", lang="fr")
    assert fr.value == "2020-06-08"
    footer = infer_publication_date("Copyright 2022 Desert Wire. All rights reserved.\n")
    assert footer.value is None and footer.basis == "unknown"


def test_cli_accepts_an_iso_datetime_for_published(tmp_path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text("Shelling resumed on Monday.", encoding="utf-8")
    result = run("tag", "time", str(doc), "--published", "2020-02-05T08:00:00Z")
    assert result.returncode == 0, result.stderr
    assert '"2020-02-03"' in result.stdout


# Found by the property tests (tests/test_properties.py): publication bounds at the calendar's ends.


@pytest.mark.parametrize("published", ["9999-12", "9999", "0001", "0001-01"])
@pytest.mark.parametrize("text", ["Talks resumed on Monday.", "On Monday, 3 March, the talks resumed, officials said Friday."])
def test_a_month_or_year_at_the_calendars_end_bounds_inference_without_failing(published: str, text: str) -> None:
    anchor = tag_time(text, published=published).anchor
    assert anchor.basis in ("inferred", "unknown")
    for day in (anchor.value, anchor.low, anchor.high):
        assert day is None or day.startswith(published[:4])


@pytest.mark.parametrize("bad", ["0000", "0000-05"])
def test_year_zero_published_is_the_documented_error(bad: str) -> None:
    with pytest.raises(ValueError, match="published must be"):
        tag_time("Talks resumed on Monday.", published=bad)
