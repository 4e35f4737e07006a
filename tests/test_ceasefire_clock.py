"""Effective times and durations of agreements, from the time stage's TIMEX3 values."""

from __future__ import annotations

import pytest

from trucewatch.ceasefire.clock import add_duration, country_zone, effective_time, is_duration


def test_a_gmt_hour_wins_and_is_written_in_the_country_s_offset() -> None:
    times = [("midnight local time", "2020-01-12T24"), ("2200 GMT on Saturday", "2020-01-11T22:00")]
    assert effective_time(times, "LY") == ("2020-01-12T00:00+02:00", 1, True)


def test_a_local_hour_is_taken_in_the_country_s_zone_and_t24_ends_the_day() -> None:
    assert effective_time([("from midnight on Sunday", "2020-01-12T24")], "LY") == ("2020-01-13T00:00+02:00", 0, False)
    assert effective_time([("at 18:00", "2021-05-20T18:00")], "IL") == ("2021-05-20T18:00+03:00", 0, False)


def test_no_clock_time_no_moment() -> None:
    assert effective_time([("on Sunday", "2020-01-12"), ("hours", "PTXH")], "LY") is None
    # a local hour in a country of several zones is not placed; a UTC one still is
    assert country_zone("RU") is None
    assert effective_time([("at midnight", "2020-01-12T24")], "RU") is None
    assert effective_time([("0000 GMT", "2020-01-12T00:00")], "RU") == ("2020-01-12T00:00+00:00", 0, True)


@pytest.mark.parametrize(("start", "duration", "end"), [
    ("2020-10-23", "P3M", "2021-01-23"),
    ("2020-01-31", "P1M", "2020-02-29"),
    ("2020-01-12T00:00+02:00", "PT72H", "2020-01-15T00:00+02:00"),
    ("2022-04-02", "P2M", "2022-06-02"),
    ("2020-05-20", "P7D", "2020-05-27"),
    ("2020-05-20", "P1W", "2020-05-27"),
])
def test_add_duration(start: str, duration: str, end: str) -> None:
    assert add_duration(start, duration) == end


def test_only_definite_durations_count() -> None:
    assert is_duration("P7D") and is_duration("PT72H") and is_duration("P3M")
    assert not is_duration("PTXH") and not is_duration("P") and not is_duration("")
