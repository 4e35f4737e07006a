"""News from outside conflict that uses its words makes no event, on sentences we wrote.

Found by running the extractor over the real reports of the fusion dev sets (US gun
violence, and ECB+'s mix of sport, business and celebrity news): "suicide" alone was read
as a suicide bombing (a murder-suicide, a "kamikaze drone"), a title bout as a clash and
a merger as an agreement. Each test pins the rule and, beside it, the conflict report that
must still come out.
"""

from __future__ import annotations

import pytest

from trucewatch.extract.events.classify import classify
from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.events.status import outlet_spans


@pytest.mark.parametrize("text", [
    "Deputies said the man shot his neighbour and then killed himself in an apparent murder-suicide on Friday.",
    "A detained commander committed suicide in his cell at the Kelbar prison, the prison service said.",
    "Officials would not say whether the death of the former minister was a suicide.",
])
def test_a_suicide_alone_is_no_suicide_bombing(text: str) -> None:
    assert classify(text).code != "SUIC_BOMB"


def test_a_kamikaze_drone_is_a_drone_strike_not_a_suicide_bombing() -> None:
    result = classify("Kamikaze drones struck an energy facility near Darnen overnight, the regional governor said.")
    assert result.code == "AIR_STRIKE"
    assert classify("Des drones kamikazes ont frappé un dépôt de carburant près de Darnen dans la nuit.").code \
        != "SUIC_BOMB"


@pytest.mark.parametrize("text", [
    "A suicide bomber blew himself up at the gate of the Kelbar police academy on Monday, killing nine recruits.",
    "Un kamikaze s'est fait exploser devant une caserne de Darnen lundi, tuant six soldats.",
    "Un terrorista suicida detonó un coche cargado de explosivos junto a un cuartel de Darnen.",
    "A suicide car bomb exploded at a checkpoint outside Kelbar, killing four soldiers, the army said.",
])
def test_a_suicide_bombing_is_still_one(text: str) -> None:
    assert classify(text).code == "SUIC_BOMB"


@pytest.mark.parametrize("text", [
    # a title bout or a match
    "The champion retained his heavyweight titles with a seventh-round stoppage of the challenger in Darnen.",
    "Le boxeur a conservé son titre mondial samedi à Darnen face à un adversaire dominé.",
    "The striker scored two goals as the visitors won the world cup qualifier in Kelbar 3-1.",
    # a merger
    "The software maker signed a definitive agreement to acquire a data-centre firm for $2 billion, it said on Tuesday.",
    "The two banks agreed to merge, creating the country's largest lender, their shareholders were told.",
    "Le groupe a annoncé le rachat de son concurrent, approuvé par les actionnaires lundi.",
])
def test_a_title_bout_or_a_merger_is_no_event(text: str) -> None:
    result = classify(text)
    assert not result.is_acled, result


def test_conflict_news_that_names_a_match_or_a_share_keeps_its_event() -> None:
    # a match is where many a riot starts: a supporting word, not a verdict
    assert classify("Students burnt down seven dormitories after their teachers refused to let them watch a "
                    "football match.").is_acled
    # "a share" of revenue is a truce's business, not a stock market's
    assert classify("Under the deal, each region will receive a share of the oil revenue, the two governments "
                    "agreed.").code == "AGREEMENT"


def test_a_truce_deal_and_a_bombing_at_a_stadium_are_still_events() -> None:
    assert classify("The army and the rebels signed a ceasefire agreement in Kelbar on Monday.").code == "AGREEMENT"
    assert classify("A suicide bomber blew himself up outside a football stadium in Darnen, killing 12 fans.").code \
        == "SUIC_BOMB"


def test_a_sports_report_gives_no_event_and_a_truce_report_does() -> None:
    sport = ("Champion keeps his belt in Darnen\n\nThe champion retained his heavyweight titles on Saturday with a "
             "seventh-round stoppage of the challenger, who barely landed a punch in the fight.")
    assert [e for e in extract_events(sport, published="2024-05-12").events if e["status"] == "main"] == []
    truce = ("Truce signed in Kelbar\n\nThe army and the Kelbar rebels signed a ceasefire agreement on Saturday, "
             "the mediators said.")
    kinds = {e["process_type"] or e["sub_event_type"] for e in extract_events(truce, published="2024-05-12").events}
    assert kinds & {"agreement", "ceasefire", "Agreement"}


def test_a_violation_with_no_truce_in_the_story_is_no_breach() -> None:
    text = ("Actress checks into rehab\n\nThe actress checked out of the clinic after a few minutes on Thursday, "
            "risking jail for a probation violation, police said.")
    assert extract_events(text, published="2024-03-05").events == []
    truce = ("Both sides traded accusations of violations on Monday as shelling hit the outskirts of Kelbar, a week "
             "after the truce took effect.")
    kinds = {e["process_type"] for e in extract_events(truce, published="2024-03-05").events}
    assert "violation_alleged" in kinds


@pytest.mark.parametrize("text", [
    "The International Criminal Court on Thursday issued an arrest warrant for the militia commander over killings.",
    "The commander, who faces arrest if he travels abroad, denied the charges on Thursday.",
    "La CPI a émis jeudi un mandat d'arrêt contre le commandant de la milice.",
])
def test_a_warrant_or_the_threat_of_arrest_is_no_arrest(text: str) -> None:
    assert [e for e in extract_events(text, published="2024-03-08").events
            if e["sub_event_type"] == "Arrests"] == []


@pytest.mark.parametrize("text", [
    "Police arrested five men in Tarhuna on Thursday over the killings.",
    "Police arrested the suspect on Thursday on a warrant issued last week.",
    "A wave of arrests swept Benghazi on Thursday as security forces detained dozens of activists.",
])
def test_an_arrest_is_still_one(text: str) -> None:
    assert [e["sub_event_type"] for e in extract_events(text, published="2024-03-08").events] == ["Arrests"]


@pytest.mark.parametrize(("title", "site"), [
    ("Two soldiers killed in Nasir attack | Radio Kelbar", " | Radio Kelbar"),
    ("Clashes erupt in Darnen despite truce - Darnen Observer | News, Politics, Sports",
     " - Darnen Observer | News, Politics, Sports"),
    ("Four shot at a party in Kelbar - Kelbar News Now, News, Weather, Sports", " - Kelbar News Now, News, Weather, Sports"),
])
def test_a_headlines_site_name_is_found(title: str, site: str) -> None:
    assert [title[s:e] for s, e in outlet_spans(title, [(0, len(title))])] == [site]


@pytest.mark.parametrize("title", [
    "Sudan - RSF attack kills 12 in El Fasher",  # the news after the dash
    "Ceasefire holds in Gaza - UN",  # an attribution, not a site
    "Shelling | Radio Kelbar",  # too little news would be left
])
def test_a_headline_without_a_site_name_keeps_every_word(title: str) -> None:
    assert outlet_spans(title, [(0, len(title))]) == []


def test_the_site_in_a_headline_is_no_party() -> None:
    text = ("Two soldiers killed in attack near Kelbar | Radio Darnen\n\nTwo soldiers were killed in an attack near "
            "Kelbar on Monday, the army said.")
    for event in extract_events(text, published="2024-03-05").events:
        assert "Radio Darnen" not in (str(event.get("actor1")), str(event.get("actor2")))
