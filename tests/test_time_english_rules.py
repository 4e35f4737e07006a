"""English rules tuned against TimeML practice: tense around undated names, references, titles."""

from __future__ import annotations

import pytest

from trucewatch.extract.time import tag_time


def _values(text: str, published: str | None = "2020-03-04") -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in tag_time(text, published=published, lang="en").timexes]


# ---------------------------------------------------------------- tense


def test_a_participle_after_will_be_points_ahead() -> None:
    # "named" ends in -ed, but "will be named" is a future
    assert _values("The envoy will be named head of a mission in December.") == [("December", "DATE", "2020-12")]
    # an irregular participle too: "paid" is a past marker, "will be paid" is not
    assert _values("The compensation will be paid in February.", "2019-10-30") == [("February", "DATE", "2020-02")]
    assert _values("The compensation was paid in February.", "2019-10-30") == [("February", "DATE", "2019-02")]


def test_a_reporting_verb_after_a_quote_does_not_date_the_quoted_event() -> None:
    got = _values("''We will hand the prisoners over to the Red Cross at 6 a.m. Friday,'' the governor said.", "2020-03-04")
    assert got == [("6 a.m. Friday", "TIME", "2020-03-06T06:00")]


def test_an_irregular_past_verb_is_a_past_marker() -> None:
    # "brought" is past; without it January said in late October would be the coming one
    assert _values("In January, the ministry brought in a new negotiator.", "2019-10-27") == [
        ("January", "DATE", "2019-01")
    ]


def test_a_plan_in_the_pluperfect_is_overtaken() -> None:
    got = _values("The deadline was extended to Nov. 16. It had been due to expire Friday evening.", "2019-10-28")
    assert ("Friday evening", "DATE", "2019-10-25TEV") in got


# ---------------------------------------------------------------- months, weekdays and days


def test_last_month_name_for_the_month_just_gone_is_a_year_back() -> None:
    assert _values("The ceasefire collapsed last February.", "2020-03-01") == [("last February", "DATE", "2019-02")]
    assert _values("The ceasefire collapsed last April.", "2020-10-01") == [("last April", "DATE", "2020-04")]


def test_the_previous_weekday_counts_from_the_story_day() -> None:
    got = _values("Shelling resumed on Friday, breaking the truce of the previous Friday.", "2020-03-09")
    assert got == [("Friday", "DATE", "2020-03-06"), ("the previous Friday", "DATE", "2020-02-28")]


def test_the_second_day_of_a_pair_is_a_date() -> None:
    got = _values("The summit will meet on April 24 and 25.", "2020-02-10")
    assert got == [("April 24", "DATE", "2020-04-24"), ("25", "DATE", "2020-04-25")]
    assert _values("On April 24 and 25 people were wounded.", "2020-02-10") == [("April 24", "DATE", "2020-04-24")]


def test_the_day_before_a_named_day_is_one_expression() -> None:
    got = _values("The day before last Tuesday's hearing, the envoy left.", "2020-02-27")
    assert got == [("The day before last Tuesday", "DATE", "2020-02-24")]


def test_the_day_before_an_event_is_not_a_date() -> None:
    got = _values("He was last seen Nov. 3, the day before police issued a warrant.", "2020-11-20")
    assert got == [("Nov. 3", "DATE", "2020-11-03")]
    got = _values("Monitors arrived on Monday. Shelling had stopped the day before.", "2020-03-04")
    assert got[-1] == ("the day before", "DATE", "2020-03-01")


def test_later_in_the_day_is_the_day_last_named() -> None:
    assert _values("The president arrived in Goma on Monday and spoke later in the day.", "2020-03-04") == [
        ("Monday", "DATE", "2020-03-02"),
        ("the day", "DATE", "2020-03-02"),
    ]


def test_weekday_nights_in_the_plural_are_a_set() -> None:
    got = _values("Flights leave on Monday and Tuesday nights.", "2020-03-04")
    assert got == [("Monday", "SET", "XXXX-WXX-1TNI"), ("Tuesday nights", "SET", "XXXX-WXX-2TNI")]


def test_spelled_years_after_a_month_or_season() -> None:
    assert _values("January nineteen ninety-seven. A bomb went off.") == [
        ("January nineteen ninety-seven", "DATE", "1997-01")
    ]
    assert _values("Prices fell to the level of the winter of nineteen ninety-four.") == [
        ("the winter of nineteen ninety-four", "DATE", "1994-WI")
    ]
    assert _values("In March twenty people were hurt.") == [("March", "DATE", "2020-03")]


def test_the_past_decade_is_a_duration() -> None:
    assert _values("Attacks had become routine over the past decade.") == [("the past decade", "DURATION", "P10Y")]
    assert _values("Prices rose in the last decade.", "1998-02-06") == [("the last decade", "DATE", "198")]


# ---------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The current truce is fragile.", [("current", "DATE", "PRESENT_REF")]),
        ("Its current position is weak.", [("current", "DATE", "PRESENT_REF")]),
        ("The boat drifted with the current.", []),
        ("The current of the river rose.", []),
        ("Shares at the then current price.", [("then current", "DATE", "PAST_REF")]),
    ],
)
def test_current_as_an_adjective_is_the_present(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _values(text) == expected


def test_in_the_past_before_a_clause() -> None:
    assert _values("Officials have said in the past that they could deploy more troops.") == [
        ("the past", "DATE", "PAST_REF")
    ]
    assert _values("The verb is in the past tense.") == []


def test_most_recently_leaves_the_date_that_follows() -> None:
    got = _values("Three envoys were expelled, most recently last October.", "2020-03-04")
    assert got == [("last October", "DATE", "2019-10")]


# ---------------------------------------------------------------- names that look like times


@pytest.mark.parametrize(
    "text",
    [
        'The minister said on ABC\'s "This Week" that talks had stalled.',
        "The general told USA Today that the plan failed.",
        "She said on CBS's ''60 Minutes'' that the offer stood.",
        "He showed the film ``High Noon.''",
    ],
)
def test_titles_are_not_times(text: str) -> None:
    assert _values(text) == []


def test_a_quoted_sentence_may_start_with_a_time() -> None:
    assert _values('He said: "Today we sign."') == [("Today", "DATE", "2020-03-04")]
    assert _values("``Next week, we sign,'' he said.") == [("Next week", "DATE", "2020-W11")]


def test_midnight_between_two_days_and_clock_times_with_a_day_first_date() -> None:
    """"with effect from midnight of February 24/25" is 00:00 on the 25th, a bare "midnight" told
    in the past is the one that began the report's day, and a day written first or with its
    year stays in the clock time's span."""
    cases = [
        ("The truce took effect from midnight of February 24/25.", "midnight of February 24/25", "2021-02-25T00:00"),
        ("The truce took effect from midnight of 24/25 February.", "midnight of 24/25 February", "2021-02-25T00:00"),
        ("The truce came into force at midnight, officials said.", "midnight", "2021-02-25T00:00"),
        ("The truce will come into force at midnight.", "midnight", "2021-02-25T24"),
        ("Guns fell silent at midnight on 12 January.", "midnight on 12 January", "2021-01-12T24"),
        ("The pause began at 6 p.m. on 19 April 2020.", "6 p.m. on 19 April 2020", "2020-04-19T18:00"),
    ]
    for text, span, value in cases:
        found = [(t.text, t.value) for t in tag_time(text, published="2021-02-25", lang="en").timexes]
        assert (span, value) in found, (text, found)
