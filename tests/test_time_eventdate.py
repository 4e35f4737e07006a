"""The event-dating helper picks the date of the happening, not of the report."""

from __future__ import annotations

from trucewatch.extract.time import tag_time
from trucewatch.extract.time.eventdate import date_event


def _date(text: str, trigger: str, published: str = "2020-06-05", sentence: tuple[int, int] | None = None):
    tagging = tag_time(text, published=published)
    i = text.index(trigger)
    return date_event(text, (i, i + len(trigger)), tagging.timexes, sentence)


def test_statement_date_is_not_the_event_date() -> None:
    text = "The mission said Friday that the talks began on June 3 in a virtual format."
    got = _date(text, "began")
    assert got is not None
    assert got.timex.text == "June 3" and got.timex.value == "2020-06-03"
    assert got.role == "event"


def test_statement_date_used_only_as_a_stand_in() -> None:
    text = "Militia commanders told reporters on Tuesday that shelling had hit the port."
    got = _date(text, "shelling")
    assert got is not None
    assert got.role == "statement"
    assert got.timex.value == "2020-06-02"
    assert got.confidence < 0.5


def test_since_marks_a_start() -> None:
    text = "Forces loyal to the general have besieged the town since early April 2019, officials said."
    got = _date(text, "besieged")
    assert got is not None
    assert got.role == "start" and got.timex.value == "2019-04"


def test_nearest_of_two_event_dates_wins() -> None:
    text = "A truce took effect on January 12, and fighting resumed on January 20 near the airport."
    first = _date(text, "took effect", published="2020-02-03")
    second = _date(text, "resumed", published="2020-02-03")
    assert first is not None and first.timex.value == "2020-01-12"
    assert second is not None and second.timex.value == "2020-01-20"


def test_durations_and_vague_references_never_date_an_event() -> None:
    text = "Clashes recently displaced families after 10 months of siege."
    assert _date(text, "displaced") is None


def test_sentence_bounds_are_respected() -> None:
    text = "Talks ended on Monday. Shelling hit the port, residents said."
    second = (text.index("Shelling"), len(text))
    assert _date(text, "Shelling", sentence=second) is None


def test_a_date_past_a_comma_loses_to_one_in_the_events_own_clause() -> None:
    # "Tuesday" is the day of the returning; the clashes have their own date in their clause
    text = "Families began returning to Kelbar on Tuesday, weeks after clashes between two militias on 2 February."
    got = _date(text, "clashes", published="2024-03-05")
    assert got is not None and got.timex.value == "2024-02-02"


def test_a_fronted_date_with_its_comma_still_dates_the_event() -> None:
    text = "On Tuesday, militias clashed near the port of Kelbar."
    got = _date(text, "clashed", published="2024-03-05")
    assert got is not None and got.timex.value == "2024-03-05"
