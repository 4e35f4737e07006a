"""How a story's sentences date and merge its happenings: the first clash since a truce, a
clash named in a relative clause, a day given a few sentences back, holidays, vowelled
Arabic figures, a country's adjective in Arabic (issue 15).

Texts are ours, written after the kinds of report in the ceasefire-articles dev set.
"""

from __future__ import annotations

from typing import Any

from trucewatch.extract.events.counts import find_counts
from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.events.status import first_since_truce, since_truce
from trucewatch.extract.places.gazetteer import open_gazetteer
from trucewatch.extract.places.recognise import recognise
from trucewatch.extract.time import tag_time


def _events(text: str, published: str | None, lang: str = "en") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang).events


def _kind(e: dict[str, Any]) -> str:
    return e.get("process_type") or e.get("sub_event_type") or ""


# ------------------------------------------------------------ the first clash since the truce


def test_since_the_truce_is_read_before_its_word_and_in_turkish_after_it() -> None:
    text = "the first clash since the ceasefire"
    start = text.index("ceasefire")
    assert since_truce(text, start, start + len("ceasefire"))
    assert first_since_truce(text, 0, start, start + len("ceasefire"))
    other = "the clash after talks on the ceasefire"
    start = other.index("ceasefire")
    assert not since_truce(other, start, start + len("ceasefire"))
    turkish = "ateşkesten bu yana ilk çatışma"
    assert since_truce(turkish, 0, len("ateşkesten"))
    arabic = "أول اشتباك منذ وقف النار"
    start = arabic.index("وقف النار")
    assert first_since_truce(arabic, 0, start, start + len("وقف النار"))


def test_the_first_clash_since_the_truce_is_the_news_and_not_the_truce_day() -> None:
    text = ("Three soldiers killed as violence returns to the province\n\n"
            "The death toll rose to four on Sunday, the monitor said. The ceasefire, which took effect on "
            "20 July, ended a week of battles that left hundreds dead. In the first deadly violence since the "
            "ceasefire, three soldiers were killed in clashes with local gunmen near the western villages, "
            "the monitor said.")
    clashes = [e for e in _events(text, "2025-08-03") if _kind(e) == "Armed clash" and e["status"] == "main"]
    assert clashes, "the first clash since the truce is the report's news"
    assert all(e["event_date"] != "2025-07-20" for e in clashes)
    assert any(e["event_date"] == "2025-08-03" for e in clashes)


def test_a_clash_before_the_truce_is_still_background() -> None:
    text = ("Talks resume in the capital\n\n"
            "Negotiators met again in the capital on Sunday. The ceasefire, which took effect on 20 July, "
            "ended a week of battles that left hundreds dead.")
    events = _events(text, "2025-08-03")
    assert any(_kind(e) == "talks" and e["status"] == "main" for e in events)
    assert not any(e.get("event_type") == "Battles" and e["status"] == "main" for e in events)


# ------------------------------------------------------------ a clash told in a relative clause


def test_a_clash_named_in_a_relative_clause_is_the_one_the_story_dates() -> None:
    text = ("Commander back with his unit after deadly fighting\n\n"
            "The commander, whose detention sparked the fiercest clashes in the capital in years, was returned "
            "to his unit on Wednesday, two officials said. Fighting broke out across the capital late on Monday "
            "after the commander was detained at the airport. Airlines said the airport, which saw some of the "
            "heaviest clashes, reopened on Wednesday.")
    clashes = [e for e in _events(text, "2023-08-17") if e.get("event_type") == "Battles" and e["status"] == "main"]
    assert [e["event_date"] for e in clashes] == ["2023-08-14"]


def test_a_date_inside_the_relative_clause_still_dates_its_happening() -> None:
    text = "The town, where militias clashed on Monday, was calm on Wednesday, residents said."
    clashes = [e for e in _events(text, "2023-08-17") if _kind(e) == "Armed clash"]
    assert clashes and clashes[0]["event_date"] == "2023-08-14"


# ------------------------------------------------------------ a day told a few sentences back


def test_a_happening_takes_the_day_named_two_sentences_back_in_its_paragraph() -> None:
    text = ("Army says troops came under fire near the river\n\n"
            "\u201cOn Valentine\u2019s Day, at 3 PM, three soldiers left their trenches to fetch water. About 600 "
            "metres away they were fired at and chased. The attack resulted in the killing of an officer,\u201d the "
            "spokesman said.")
    clashes = [e for e in _events(text, "2025-02-17") if e.get("event_type") == "Battles"]
    assert any(e["event_date"] == "2025-02-14" for e in clashes)


def test_no_day_is_taken_across_a_paragraph_break() -> None:
    text = ("On Monday, the army and the rebels met for talks in the capital.\n\n"
            "A patrol was ambushed near the border. The attack resulted in the killing of an officer.")
    clashes = [e for e in _events(text, "2025-02-19") if e.get("event_type") == "Battles"]
    assert clashes and all(e["event_date"] != "2025-02-17" for e in clashes)


def test_holidays_with_either_apostrophe_are_dates() -> None:
    found = [(t.text, t.value) for t in tag_time(
        "On Valentine\u2019s Day the shelling stopped; by New Year's Eve it had resumed, and on Halloween too.",
        published="2025-02-17", lang="en").timexes]
    assert ("Valentine\u2019s Day", "2025-02-14") in found
    assert ("New Year's Eve", "2024-12-31") in found
    assert ("Halloween", "2024-10-31") in found


# ------------------------------------------------------------ cues


def test_troops_attacked_and_an_officer_killed_are_battles() -> None:
    for text in ("Government troops were attacked while gathering firewood outside the base on Friday.",
                 "The ambush ended with the killing of two soldiers on Friday, the army said."):
        assert [_kind(e) for e in _events(text, "2025-02-15")] == ["Armed clash"], text


def test_an_order_to_stop_all_hostilities_is_a_truce_but_a_promise_is_not() -> None:
    for text, lang in (("The president ordered the army to stop all hostilities from 18:00 on Saturday.", "en"),
                       ("Президент приказал армии остановить все боевые действия с 18:00 субботы.", "ru"),
                       ("أعلن الجيش وقف جميع العمليات العسكرية مساء السبت.", "ar"),
                       ("Le gouvernement a suspendu toutes les opérations militaires samedi.", "fr")):
        assert any(_kind(e) == "ceasefire" for e in _events(text, "2025-04-19", lang)), text
    assert not any(_kind(e) == "ceasefire" for e in _events("He said the army would stop all fighting.", "2025-04-19"))


def test_vowelled_arabic_figures_are_counted_with_the_marks_in_their_span() -> None:
    text = "وقالت المصادر: قُتِلَ 3 جنود في الهجوم."
    counts = find_counts(text)
    assert [(c.kind, c.best) for c in counts] == [("killed", 3)]
    assert counts[0].text == text[counts[0].start:counts[0].end] and counts[0].text.startswith("قُتِلَ")


def test_the_arabic_adjective_of_a_country_is_no_place_of_its_own() -> None:
    gazetteer = open_gazetteer()
    kinds = {m.text: m.kind for m in recognise("قُتل ثلاثة من عناصر قوات الأمن السورية في اشتباكات", gazetteer)}
    assert kinds.get("السورية") == "demonym"
    kinds = {m.text: m.kind for m in recognise("عاد اللاجئون إلى سورية أمس", gazetteer)}
    assert kinds.get("سورية") == "name"


# ------------------------------------------------------------ allegations, withdrawals, kept truces


def test_blaming_a_party_for_the_strike_is_an_allegation_dated_by_the_strike() -> None:
    text = ("Drone strike on market kills 14, days after truce pledge\n\n"
            "At least 14 people were killed when drones struck a livestock market in El Obeid on Monday morning, "
            "medics said. The army spokesman blamed the RSF for the strike.")
    allegations = [e for e in _events(text, "2025-11-18") if _kind(e) == "violation_alleged"]
    assert [e["event_date"] for e in allegations] == ["2025-11-17"]


def test_attributing_an_attack_is_an_allegation_in_our_languages() -> None:
    # (in a report on a truce, where a party's blame is an allegation of a breach)
    for text, lang in (("Malgré la trêve, le gouvernement a imputé le massacre aux rebelles mardi.", "fr"),
                       ("Nonostante la tregua, l'esercito ha attribuito il raid alle milizie martedì.", "it"),
                       ("Apesar da trégua, o exército acusou o M23, apoiado pelo Ruanda, de ter atacado posições.",
                        "pt"),
                       ("Nonostante la tregua, le milizie accusano a loro volta l'aviazione militare di aver "
                        "bombardato i quartieri.", "it")):
        assert any(_kind(e) == "violation_alleged" for e in _events(text, "2025-11-18", lang)), text
    assert not any(_kind(e) == "violation_alleged" for e in _events(
        "Malgré la trêve, le ministre a imputé la hausse des prix à la guerre.", "2025-11-18", "fr"))


def test_forces_leaving_a_town_is_a_withdrawal() -> None:
    # (in a report on a truce, where a withdrawal is a step of it)
    for text, lang in (("Under the truce, the rebels said their troops had left the town on Tuesday.", "en"),
                       ("После перемирия вооружённые отряды покинули город во вторник.", "ru"),
                       ("Dopo la tregua, i soldati si erano ritirati verso sud durante la notte.", "it"),
                       ("Ateşkesin ardından SDG güçleri bölgeden çekildi.", "tr")):
        assert any(_kind(e) == "withdrawal" for e in _events(text, "2025-11-12", lang)), text


def test_a_truce_a_party_does_not_honour_is_no_news_of_its_own() -> None:
    text = ("Army says the paramilitary never meant to honour its ceasefire\n\n"
            "Drones struck a market in the city on Monday, killing 14 people, medics said.")
    truces = [e for e in _events(text, "2025-11-18") if _kind(e) in ("ceasefire", "Agreement")]
    assert truces and all(e["status"] != "main" for e in truces)


# ------------------------------------------------------------ places in the text's language


def test_a_lesser_town_after_a_locative_word_of_the_texts_language_is_a_place() -> None:
    gazetteer = open_gazetteer()
    french = "Des combats ont eu lieu près de Deir Hafer, à l'est d'Alep."
    assert "Deir Hafer" in [m.text for m in recognise(french, gazetteer, None, "fr")]
    turkish = "Ordu ile SDG, Deir Hafir cephesinde çatıştı. Anlaşma Mart'ta imzalanmıştı."
    found = [m.text for m in recognise(turkish, gazetteer, None, "tr")]
    assert "Deir Hafir" in found and "Mart" not in found


def test_a_capital_that_denies_is_a_party_not_a_place() -> None:
    gazetteer = open_gazetteer()
    roles = {m.text: m.role for m in recognise("Une position a été visée près du barrage, ce que Damas dément.",
                                                gazetteer, None, "fr")}
    assert roles.get("Damas") == "actor"


def test_the_paragraph_after_the_lede_tells_the_ledes_news_and_day() -> None:
    text = ("Clashes near Masisi two days into the truce\n\n"
            "GOMA, Aug 6 - Fighting between the army and the rebels broke out on Monday on the outskirts of the "
            "town of Masisi, less than 48 hours after the ceasefire took effect, local sources said. The truce "
            "had been agreed in Luanda on July 30 between the foreign ministers of both countries.\n\n"
            "According to a civil society leader, at least six civilians died when shells fell on a market, and "
            "about 3,000 people fled towards the lake.\n\n"
            "In June the rebels shelled the town of Kanyabayonga, killing two.")
    events = _events(text, "2024-08-06")
    shelling = [e for e in events if e.get("sub_event_type") == "Shelling/artillery/missile attack"]
    assert [(e["status"], e["event_date"]) for e in shelling if "market" in e["evidence"][1]["text"]] == \
        [("main", "2024-08-05")]
    assert all(e["status"] == "background" for e in shelling if "June" in e["evidence"][1]["text"])


def test_an_encounter_is_a_clash_only_with_armed_men() -> None:
    assert not _events("When officers entered the home on Monday they encountered a strong smell of gas.",
                       "2016-04-27")
    assert [_kind(e) for e in _events("Security forces encountered militants near the border on Monday.",
                                      "2016-04-27")] == ["Armed clash"]


def test_civilians_killed_is_an_attack_in_our_languages() -> None:
    from trucewatch.extract.events.classify import classify

    for text, lang in (("Au moins 22 civils, dont six enfants, ont été tués lundi soir près du village.", "fr"),
                       ("Doce civiles murieron en el ataque contra la aldea.", "es"),
                       ("Sette civili sono stati uccisi nel villaggio.", "it"),
                       ("Saldırıda 2 sivil hayatını kaybetti.", "tr")):
        assert classify(text, lang).code == "ATTACK", text


def test_an_allegation_after_the_days_fighting_is_dated_by_it() -> None:
    text = ("Clashes two days into the truce\n\n"
            "Fighting between the army and the rebels broke out on Monday near the town, local sources said.\n\n"
            "The army spokesman accused the rebels of attacking its positions in flagrant violation of the truce.")
    allegations = [e for e in _events(text, "2024-08-06") if _kind(e) == "violation_alleged"]
    assert [(e["status"], e["event_date"]) for e in allegations] == [("main", "2024-08-05")]


def test_a_truce_extended_until_a_day_is_not_dated_by_its_end() -> None:
    text = "The junta announced last night that it extends the ceasefire until April 30."
    truces = [e for e in _events(text, "2025-04-23") if _kind(e) in ("ceasefire", "Agreement")]
    assert truces and all(e["event_date"] != "2025-04-30" for e in truces)


def test_a_town_named_with_its_region_is_where_not_the_region() -> None:
    text = ("Raid di droni su un mercato\n\n"
            "KHARTOUM, 25 novembre - Un raid di droni ha colpito lunedì il mercato di Dilling, nel Sud Kordofan, "
            "uccidendo sette persone, secondo fonti mediche.")
    strikes = [e for e in _events(text, "2025-11-25", "it") if e.get("event_type") == "Explosions/Remote violence"]
    assert strikes and strikes[0]["location"] == "Dilling"
