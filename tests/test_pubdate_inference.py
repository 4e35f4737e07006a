"""Publication-date inference from a weekday that agrees with a yearless date (our own sentences)."""

from __future__ import annotations

from trucewatch.time import infer_publication_date


def test_yearless_dateline_and_its_weekday_fix_the_year() -> None:
    # 12 March fell on a Thursday in 2020 (and not in 2019, 2021-2025)
    text = ("SIRTE, March 12 (Harbour Wire) -- Shelling resumed on Thursday south of the city, "
            "officials said. The truce was first agreed in 2019.")
    anchor = infer_publication_date(text)
    assert (anchor.value, anchor.basis) == ("2020-03-12", "inferred")
    assert anchor.confidence >= 0.7
    assert "March 12" in anchor.evidence


def test_yearless_dateline_without_any_year_claims_nothing() -> None:
    text = "SIRTE, March 12 (Harbour Wire) -- Shelling resumed on Thursday south of the city, officials said."
    assert infer_publication_date(text).value is None


def test_weekday_that_does_not_agree_gives_no_confident_day() -> None:
    # 12 March is a Thursday in 2020; a Monday 12 March comes in 2018 (below the floor) and 2029 (too far)
    text = ("SIRTE, March 12 (Harbour Wire) -- Shelling resumed on Monday south of the city, "
            "officials said. The truce was first agreed in 2019.")
    assert infer_publication_date(text).confidence < 0.7


def test_weekday_with_a_date_in_the_past_puts_the_report_just_after() -> None:
    text = ("Monitors counted forty breaches on Saturday, April 25, the mission said. "
            "The front had been quiet since January 2019.")
    anchor = infer_publication_date(text)
    assert anchor.value == "2020-04-26"  # 25 April 2020 was a Saturday
    assert (anchor.low, anchor.high) == ("2020-04-25", "2020-05-02")
    assert 0.3 <= anchor.confidence < 0.5


def test_weekday_with_a_date_in_the_future_puts_the_report_just_before() -> None:
    text = "The parties will meet on Saturday, April 25, in Geneva. The war began in 2019."
    anchor = infer_publication_date(text)
    assert anchor.value == "2020-04-24"
    assert anchor.high == "2020-04-24"


def test_latest_full_date_on_the_named_weekday_is_the_day_of_the_news() -> None:
    # 14 May 2020 was a Thursday
    text = ("Rockets hit the airport on May 14, 2020, the interior ministry said on Thursday. "
            "Talks had stalled since February 2020.")
    anchor = infer_publication_date(text)
    assert (anchor.value, anchor.low, anchor.high) == ("2020-05-14", "2020-05-14", "2020-05-15")
    assert anchor.confidence < 0.5  # one weekday in seven agrees by chance


def test_latest_full_date_alone_is_a_weak_guess() -> None:
    text = "Posted Sunday 19 April 2020. Shelling resumed south of the capital, residents said."
    anchor = infer_publication_date(text)
    assert anchor.value == "2020-04-19" and anchor.confidence < 0.3


def test_only_years_still_give_no_day() -> None:
    anchor = infer_publication_date("The war began in 2019 and the truce came in 2020.")
    assert anchor.value is None and anchor.low == "2020-01-01"
