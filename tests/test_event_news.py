"""Main or background: which events are a document's news (issue 15), on reports we wrote."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from trucewatch.events.extract import extract_events
from trucewatch.events.status import decide_news, news_sentences, on_reporting_day, trigger_status
from trucewatch.extract.sentences import split_sentences


def _events(text: str, published: str, lang: str = "en") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang).events


def _status(sentence: str, trigger: str) -> str:
    at = sentence.index(trigger)
    return trigger_status(sentence, at, at + len(trigger))


def test_page_furniture_is_not_the_headline() -> None:
    text = ("date 2021-03-02\nThe Daily Courier\nRival forces trade fire near the river crossing\n"
            "Update : 2 Mar 2021, 10:15 AM\nPhoto: Reuters\n"
            "Two armed groups exchanged fire for hours near the river crossing on Monday night, residents said.\n"
            "The crossing has been closed to traffic since last year. Talks have stalled.\n"
            "Elders met the commanders in the afternoon.")
    spans = list(split_sentences(text))
    news = news_sentences(text, spans)
    chosen = [text[s:e] for i, (s, e) in enumerate(spans) if i in news]
    assert chosen[0] == "Rival forces trade fire near the river crossing"
    assert any(c.startswith("Two armed groups exchanged fire") for c in chosen)
    assert not any(c.startswith(("date", "The Daily Courier", "Update", "Photo", "Elders")) for c in chosen)


def test_the_issue_example_is_main_and_dated_by_its_weekday() -> None:
    events = _events("At least 12 people were killed in an attack on a market in Sirte on Tuesday, officials said.",
                     "2020-06-05")
    assert events
    assert all(e["status"] == "main" and e["event_date"] == "2020-06-02" for e in events)


def test_a_happening_on_the_reporting_day_is_news_deep_in_the_article() -> None:
    text = ("Mediators arrived in the capital for a new round of talks.\n"
            "Officials from both delegations said the agenda would cover prisoners and the border.\n"
            "The two sides have been at odds over the crossings for months.\n"
            "Observers described the mood at the venue as tense but polite.\n"
            "Separately, militiamen shelled the village of Qasr al-Akhyar on Wednesday, killing two farmers.")
    events = _events(text, "2020-05-14")
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["status"] == "main" and shelling[0]["event_date"] == "2020-05-13"


def test_an_old_happening_deep_in_the_article_stays_background() -> None:
    text = ("Mediators arrived in the capital for a new round of talks.\n"
            "Officials from both delegations said the agenda would cover prisoners and the border.\n"
            "The two sides have been at odds over the crossings for months.\n"
            "Observers described the mood at the venue as tense but polite.\n"
            "Militiamen shelled the village of Qasr al-Akhyar on March 3, killing two farmers.")
    events = _events(text, "2020-05-14")
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["status"] == "background"


def test_undated_lede_news_takes_the_publication_day_at_precision_two() -> None:
    events = _events("Government forces and the rebels agreed a ceasefire in the north of the country.", "2021-09-09")
    assert events and events[0]["status"] == "main"
    assert events[0]["event_date"] == "2021-09-09" and events[0]["time_precision"] == 2


def test_context_clauses_stay_background() -> None:
    assert _status("Fighting has gone on since April 2019 around the capital.", "Fighting") == "main"
    assert _status("The town has been calm since the fighting of last spring.", "fighting") == "background"
    assert _status("A war that has killed 300 people drags on.", "killed") == "background"
    assert _status("The envoy had travelled to the east last week to win the general over to the talks.",
                   "talks") == "background"
    assert _status("The army said it had repelled an attack on the base.", "attack") == "main"
    assert _status("Each side accused the other of a violation of the ceasefire.", "violation") == "main"


def test_context_cues_in_other_languages() -> None:
    assert _status("Les combats ont repris après trois mois de trêve.", "trêve") == "background"
    assert _status("Los enfrentamientos siguieron pese a la tregua anunciada.", "tregua") == "background"
    assert _status("تجددت الاشتباكات بعد هدنة استمرت أسبوعا.", "هدنة") == "background"
    assert _status("Les deux parties doivent signer un accord la semaine prochaine.", "accord") == "planned"
    assert _status("Los mediadores trabajan con el fin de lograr una tregua.", "tregua") == "hypothetical"


def test_a_tally_is_news_only_when_dated_on_the_reporting_day() -> None:
    pub = date(2022, 4, 8)
    today = {"event_date": "2022-04-07", "date_end": None, "time_precision": 1, "role": "event"}
    assert on_reporting_day(today, pub)
    assert not on_reporting_day(dict(today, event_date="2022-03-30"), pub)
    assert not on_reporting_day(dict(today, time_precision=3), pub)

    def cand(status: str, when: dict[str, Any] | None, sentence: int, kind: str | None) -> SimpleNamespace:
        return SimpleNamespace(status=status, date=when, statement_date=None, sentences=[sentence],
                               process_type=kind, trigger=SimpleNamespace(start=sentence * 100))

    dated, undated, deep = cand("main", today, 0, "statistic"), cand("main", None, 0, "statistic"), \
        cand("main", today, 9, None)
    decide_news([dated, undated, deep], pub, frozenset({0, 1}))
    assert (dated.status, undated.status, deep.status) == ("main", "background", "main")


def test_the_present_perfect_of_a_completed_act_is_the_day_s_news() -> None:
    from trucewatch.events.status import just_happened

    text = "Officials met for hours in the border town. A truce has been agreed, a mediator said."
    at = text.index("truce")
    assert just_happened(text, at, at + 5)
    text = "The two armies have agreed a truce after the talks."
    at = text.index("truce")
    assert just_happened(text, at, at + 5)
    text = "A truce was agreed in 2019 and has held since."
    at = text.index("truce")
    assert not just_happened(text, at, at + 5)


def test_undated_news_told_after_a_dated_statement_takes_the_statement_day() -> None:
    text = ("The rebels said on Monday that the two sides had agreed to a ceasefire in the valley.\n"
            "The ceasefire covers the whole of the valley, the rebels added.")
    events = [e for e in _events(text, "2023-05-11") if e["status"] == "main"]
    assert events and events[0]["event_date"] == "2023-05-08"


def test_a_happening_dated_after_the_report_is_planned() -> None:
    pub = date(2021, 4, 30)
    later = SimpleNamespace(status="main", date={"event_date": "2021-12-01", "date_end": "2021-12-31",
                                                 "time_precision": 3, "role": "event"},
                            statement_date=None, sentences=[0], process_type="talks", trigger=SimpleNamespace(start=0))
    decide_news([later], pub, frozenset({0}))
    assert later.status == "planned"


def test_a_date_stamp_glued_to_the_lede_and_a_block_of_related_links() -> None:
    text = ("date 2023-06-02 The army said a truce with the rebels held on Thursday across the northern hills.\n"
            "Related news: Rebels seize a town in the north after heavy clashes\n"
            "Aid convoys waited at the checkpoints.")
    spans = list(split_sentences(text))
    news = news_sentences(text, spans)
    assert 0 in news and 1 not in news
    dated = {"event_date": "2023-06-01", "date_end": None, "time_precision": 1, "role": "event"}
    linked = SimpleNamespace(status="main", date=dated, statement_date=None, sentences=[1], process_type=None,
                             trigger=SimpleNamespace(start=spans[1][0]))
    decide_news([linked], date(2023, 6, 2), news, aside=frozenset({1}))
    assert linked.status == "background"


def test_a_trigger_that_spans_the_whole_sentence_does_not_take_the_date_from_a_cue() -> None:
    from trucewatch.events.extract import Candidate, Span, _fill
    from trucewatch.time.stage import tag_document

    text = "The joint commission held talks on Tuesday in the coastal town."
    tagging = tag_document(text, "2021-04-30", "given", "en")
    cue = Span(text.index("talks"), text.index("talks") + 5, "talks", "event")
    whole = Span(0, len(text), text, "event")
    talks = Candidate("process", None, "talks", None, None, cue, 0, "main", 0.6)
    other = Candidate("acled", "OTHER", None, "Strategic developments", "Other", whole, 0, "main", 0.5)
    for cand in (talks, other):
        _fill(cand, text, 0, len(text), tagging.timexes, [], "en", date(2021, 4, 30), [cue, whole], [], None)
    assert talks.date is not None and talks.date["event_date"] == "2021-04-27"


def test_undated_news_after_background_in_its_sentence_is_the_same_story() -> None:
    def cand(status: str, at: int) -> SimpleNamespace:
        return SimpleNamespace(status=status, date=None, statement_date=None, sentences=[0], process_type=None,
                               trigger=SimpleNamespace(start=at))

    truce, breach = cand("background", 10), cand("main", 40)  # "they had agreed a truce, but it was broken"
    decide_news([truce, breach], date(2022, 1, 5), frozenset({0}))
    assert breach.status == "background"
    breach, truce = cand("main", 10), cand("background", 40)  # "a breach of the truce agreed last year"
    decide_news([breach, truce], date(2022, 1, 5), frozenset({0}))
    assert breach.status == "main"
