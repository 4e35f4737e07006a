"""Numeric dates, offsets from a named day, and "in N days" as a date: sentences written for these tests.

The anchor is Friday 5 June 2020.
"""

from __future__ import annotations

import pytest

from trucewatch.time import tag_time
from trucewatch.time.numeric import text_order

ANCHOR = "2020-06-05"


def _got(text: str, lang: str = "en") -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in tag_time(text, published=ANCHOR, lang=lang).timexes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The truce was signed on 18-05-2020 in Geneva.", [("18-05-2020", "DATE", "2020-05-18")]),
        ("The convoy left on 05/18/2020.", [("05/18/2020", "DATE", "2020-05-18")]),
        ("Fighting flared again in 5/2020.", [("5/2020", "DATE", "2020-05")]),
        ("The report for 2020-05 lists twelve attacks.", [("2020-05", "DATE", "2020-05")]),
        ("Monitors counted 40 breaches in 05.2020.", [("05.2020", "DATE", "2020-05")]),
        ("The budget for 2019-20 was cut.", [("2019-20", "DATE", "2019")]),
        ("The 2011-12 season was cancelled.", [("2011-12", "DATE", "2011")]),
        ("Clashes on 2020/05/18 and 2020.05.19 were reported.",
         [("2020/05/18", "DATE", "2020-05-18"), ("2020.05.19", "DATE", "2020-05-19")]),
        ("Version 2020.5.1 of the app was released.", []),
    ],
)
def test_numeric_dates(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _got(text) == expected


def test_an_ambiguous_numeric_date_keeps_its_other_reading() -> None:
    t = tag_time("The meeting of 05/06/2020 was postponed.", published=ANCHOR).timexes[0]
    assert (t.value, t.alternatives) == ("2020-05-06", ["2020-06-05"])  # English default: month first
    assert t.to_dict()["alternatives"] == ["2020-06-05"]


def test_the_texts_own_dates_fix_the_order() -> None:
    # an unambiguous day-first date elsewhere in the text settles 05/06/2020 as 5 June
    t = tag_time("Clashes on 25/05/2020 led to the meeting of 05/06/2020.", published=ANCHOR).timexes
    assert [(x.value, x.alternatives) for x in t] == [("2020-05-25", None), ("2020-06-05", None)]
    # dates spelled day first make it the likelier order, but the other reading is kept
    t = tag_time("The talks of 3 June 2020 led to the meeting of 05/06/2020.", published=ANCHOR).timexes
    assert (t[-1].value, t[-1].alternatives) == ("2020-06-05", ["2020-05-06"])
    assert text_order("talks on June 3, 2020 and on 05/06/2020") == ("MDY", "words")


def test_ambiguous_numeric_dates_read_day_first_in_french() -> None:
    t = tag_time("La réunion du 05/06/2020 a été reportée.", published=ANCHOR, lang="fr").timexes[0]
    assert (t.value, t.alternatives) == ("2020-06-05", ["2020-05-06"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shelling began three days before yesterday, officials said.", ("three days before yesterday", "2020-06-01")),
        ("The talks open two days after tomorrow.", ("two days after tomorrow", "2020-06-08")),
        ("Aid arrived a week before today.", ("a week before today", "2020-05-29")),
    ],
)
def test_an_offset_from_a_named_day_is_one_date(text: str, expected: tuple[str, str]) -> None:
    got = _got(text)
    assert [(s, v) for s, _, v in got] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The truce expires in 10 days.", ("in 10 days", "DATE", "2020-06-15")),
        ("Talks will resume in two weeks.", ("in two weeks", "DATE", "2020-W25")),
        ("The deadline falls in three months.", ("in three months", "DATE", "2020-09")),
        ("The convoy crossed the desert in 10 days.", ("10 days", "DURATION", "P10D")),
        ("They rebuilt the bridge in six months.", ("six months", "DURATION", "P6M")),
    ],
)
def test_in_n_days_is_a_date_when_the_clause_looks_ahead(text: str, expected: tuple[str, str, str]) -> None:
    assert _got(text) == [expected]


def test_a_day_just_gone_is_not_pushed_a_year_ahead_by_a_future_tense() -> None:
    # written on 26 March: "from March 18" is eight days back, not a year ahead
    got = tag_time("The agreement is set to take effect from March 18 for thirty days.", published="2020-03-26").timexes
    assert [(t.text, t.value) for t in got if t.type == "DATE"] == [("March 18", "2020-03-18")]
    got = tag_time("The agreement is set to take effect from April 18.", published="2020-03-26").timexes
    assert [(t.text, t.value) for t in got if t.type == "DATE"] == [("April 18", "2020-04-18")]


def test_the_month_may_does_not_make_a_clause_look_ahead() -> None:
    got = _got("Fighting in May killed 30 people in 10 days.")
    assert ("10 days", "DURATION", "P10D") in got
    assert ("in 10 days", "DATE", "2020-06-15") in _got("The truce may end in 10 days.")
