"""Actor mentions in text: KB names and the phrases built on them, generic actors, NER leftovers.

The sentences are invented for these tests. Most run without the NER model (``use_ner=False``)
so that they pass on any machine; the NER tests skip when the checked model is not installed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from trucewatch.extract.actors import load_actors
from trucewatch.extract.actors.mentions import ActorMention, tag_actors
from trucewatch.extract.actors.reasoning import force_of, represented_by
from trucewatch.text.ner import ner_available


def tag(text: str, **options) -> list[ActorMention]:
    options.setdefault("use_ner", False)
    return tag_actors(text, **options)


def only(text: str, **options) -> ActorMention:
    found = tag(text, **options)
    assert len(found) == 1, found
    return found[0]


def by_text(text: str, **options) -> dict[str, ActorMention]:
    return {m.text: m for m in tag(text, **options)}


def assert_well_formed(text: str, mentions: list[ActorMention]) -> None:
    """Spans match the text, are sorted and never overlap."""
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.kind in ("kb", "generic", "ner")
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start, (a, b)


# ----------------------------------------------------------------------------- Libya names


@pytest.mark.parametrize("text", [
    "Haftar's forces shelled the road to the airport overnight.",
    "Haftar’s forces shelled the road to the airport overnight.",
    "Hifter's forces shelled the road to the airport overnight.",
])
def test_possessive_forces_are_the_lna(text: str) -> None:
    m = tag(text)[0]
    assert m.start == 0 and m.text.endswith("forces")
    assert m.actor_id == "ly_lna" and m.kind == "kb"
    assert m.name == "Libyan National Army" and m.inter == 1 and m.country == "LY"


def test_forces_of_haftar() -> None:
    m = only("It was said that the forces of Haftar had mined the fields.")
    assert m.text == "forces of Haftar"
    assert m.actor_id == "ly_lna"


def test_forces_loyal_to_titled_commander() -> None:
    text = "Forces loyal to retired Major General Khalifa Haftar withdrew from two villages."
    m = tag(text)[0]
    assert m.start == 0 and m.text.endswith("Khalifa Haftar")
    assert m.actor_id == "ly_lna"


@pytest.mark.parametrize("noun", ["delegation", "representatives", "negotiators"])
def test_delegation_speaks_for_the_lna(noun: str) -> None:
    m = only(f"Haftar's {noun} arrived late to the meeting in the desert town.")
    assert m.text == f"Haftar's {noun}"
    assert m.actor_id == "ly_lna"


@pytest.mark.parametrize("name", ["Khalifa Haftar", "Haftar", "Hifter", "Field Marshal Khalifa Haftar"])
def test_the_man_alone_is_the_person(name: str) -> None:
    m = only(f"On the radio, {name} promised a quick end to the siege.")
    assert m.actor_id == "khalifa_haftar"
    assert m.text.endswith(name.split()[-1])


def test_title_before_person_is_absorbed() -> None:
    m = only("UN envoy Ghassan Salamé flew to Benghazi for a second round.")
    assert m.actor_id == "ghassan_salame"
    assert m.text == "UN envoy Ghassan Salamé"  # the "UN" of the title is not a separate actor


def test_titles_and_prepositions_around_names() -> None:
    found = by_text("Turkish President Erdogan called Gen. Haftar; security forces of the GNA and soldiers of "
                    "the Syrian Arab Army held their lines.")
    assert found["Turkish President Erdogan"].actor_id == "recep_tayyip_erdogan"
    assert found["Gen. Haftar"].actor_id == "khalifa_haftar"
    assert found["security forces of the GNA"].actor_id == "ly_gna_forces"
    assert found["soldiers of the Syrian Arab Army"].actor_id == "sy_saa"


@pytest.mark.parametrize(("text", "expected"), [
    ("Diplomats praised the Al-Wefaq government for the gesture.", "Al-Wefaq government"),
    ("Diplomats praised the Libyan National Accord government for the gesture.", "Libyan National Accord government"),
    ("Diplomats praised the UN-recognized Government of National Accord for the gesture.",
     "UN-recognized Government of National Accord"),
    ("Diplomats praised the GNA for the gesture.", "GNA"),
])
def test_gna_press_names(text: str, expected: str) -> None:
    m = only(text)
    assert m.text == expected
    assert m.actor_id == "ly_gna"


def test_un_support_mission_is_unsmil() -> None:
    m = only("A statement from the UN support mission welcomed the prisoner swap.")
    assert m.actor_id == "unsmil"
    assert m.inter is None


def test_commander_forces_through_parent_chain() -> None:
    found = by_text("Sarraj's forces and Netanyahu's troops and Hemedti's fighters were named in the report.")
    assert found["Sarraj's forces"].actor_id == "ly_gna_forces"  # Sarraj -> Presidential Council -> GNA -> its forces
    assert found["Netanyahu's troops"].actor_id == "il_idf"
    assert found["Hemedti's fighters"].actor_id == "sd_rsf"
    assert force_of("khalifa_haftar") == "ly_lna"
    assert represented_by("ghassan_salame") == "unsmil"


def test_hyphenated_and_adjacent_forms() -> None:
    found = by_text("Haftar-led forces fought GNA troops while the GNA's forces regrouped.")
    assert found["Haftar-led forces"].actor_id == "ly_lna"
    assert found["GNA troops"].actor_id == "ly_gna_forces"
    assert found["GNA's forces"].actor_id == "ly_gna_forces"


def test_french_phrases() -> None:
    found = by_text("Les forces du maréchal Haftar ont reçu la délégation du GNA.", lang="fr")
    assert found["forces du maréchal Haftar"].actor_id == "ly_lna"
    assert found["délégation du GNA"].actor_id == "ly_gna"


# ----------------------------------------------------------------------------- Arabic


def test_arabic_haftar_forces() -> None:
    m = only("قالت قوات حفتر إنها تقدمت")
    assert m.text == "قوات حفتر"
    assert m.actor_id == "ly_lna"


def test_arabic_proclitic_is_stripped() -> None:
    text = "اشتبكت وحدات الجيش مع وقوات حفتر وبالجيش الوطني الليبي"
    found = by_text(text)
    assert found["قوات حفتر"].actor_id == "ly_lna"  # the "و" is not part of the span
    assert found["الجيش الوطني الليبي"].actor_id == "ly_lna"
    assert_well_formed(text, tag(text))


def test_arabic_loyal_to_and_delegation() -> None:
    found = by_text("التقت القوات الموالية لحفتر مع وفد حفتر وممثلي حكومة الوفاق", lang="ar")
    assert found["القوات الموالية لحفتر"].actor_id == "ly_lna"
    assert found["وفد حفتر"].actor_id == "ly_lna"
    assert found["ممثلي حكومة الوفاق"].actor_id == "ly_gna"  # the GNA's representatives


def test_arabic_person_with_title_and_generic() -> None:
    assert only("صرح اللواء المتقاعد خليفة حفتر", lang="ar").actor_id == "khalifa_haftar"
    found = by_text("قتل مسلحون مجهولون ثلاثة مدنيين", lang="ar", country="LY")
    assert found["مسلحون مجهولون"].name == "Unidentified Armed Group (Libya)"
    assert found["مدنيين"].label == "civilians"


# ----------------------------------------------------------------------------- case rules


def test_abbreviations_match_only_in_capitals() -> None:
    assert only("The LNA denied the claim.").actor_id == "ly_lna"
    assert tag("the lna denied the claim.") == []
    assert only("The RSF denied the claim.").actor_id == "sd_rsf"
    assert tag("the rsf denied the claim") == []
    fr = tag("Un homme a vu un convoi de l'ONU.", lang="fr")
    assert [m.actor_id for m in fr] == ["united_nations"]  # "un" is an article, "ONU" the organisation


def test_common_words_in_lower_case_do_not_match() -> None:
    assert only("The Emirates sent a plane.").actor_id == "uae"
    assert tag("the emirates of the region sent envoys") == []
    assert tag("forces moved toward the coast") == []  # a bare "forces" names nobody
    assert tag("the hor was quiet") == []
    assert only("The HoR was quiet.").actor_id == "ly_hor"


def test_lower_case_alias_the_kb_writes_in_lower_case() -> None:
    assert only("Talks on a unity government resumed.").actor_id == "ly_gnu"
    assert only("houthi rebels fired a drone").actor_id == "ye_houthis"  # "houthi" is no common word


# ----------------------------------------------------------------------------- shared aliases


def test_shared_alias_stays_unresolved_without_context() -> None:
    m = only("The Tripoli government rejected the proposal.")
    assert m.actor_id is None
    assert set(m.candidates) == {"ly_gna", "ly_gnu"}
    assert m.kind == "kb" and m.name == "Tripoli government" and m.country == "LY"


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2020, 6, 1), "ly_gna"),
    (dt.date(2022, 6, 1), "ly_gnu"),
    (dt.date(2021, 3, 15), None),  # the handover day: both are active
])
def test_shared_alias_resolved_by_day(day: dt.date, expected: str | None) -> None:
    m = only("The Tripoli government rejected the proposal.", day=day)
    assert m.actor_id == expected
    assert set(m.candidates) == {"ly_gna", "ly_gnu"}


def test_shared_key_of_abbreviations_is_split_by_spelling() -> None:
    # "LAAF" and "LAF" fold to one key; written in capitals, each is only its own actor's
    assert only("LAAF units moved north.").actor_id == "ly_lna"
    assert only("The LAF deployed south of the river.").actor_id == "lb_laf"
    assert tag("A truce was agreed.") == []  # "A" is not "AA" (the Arakan Army)
    assert only("The AA seized a town.").actor_id == "mm_arakan_army"


def test_shared_alias_without_a_certain_choice() -> None:
    m = only("Syrian mercenaries arrived by plane.", day=dt.date(2020, 6, 1))
    assert m.actor_id is None  # recruited for both sides then: the KB cannot choose
    assert set(m.candidates) == {"ly_syrian_fighters_gna", "ly_syrian_fighters_lna"}


# ----------------------------------------------------------------------------- generic actors


@pytest.mark.parametrize(("text", "span", "name", "label", "country"), [
    ("Somali soldiers repelled the attack.", "Somali soldiers", "Military Forces of Somalia", "military", "SO"),
    ("Kenyan police sealed the road.", "Kenyan police", "Police Forces of Kenya", "police", "KE"),
    ("Afghan security forces returned fire.", "Afghan security forces", "Military Forces of Afghanistan", "military", "AF"),
    ("South Sudanese troops crossed the river.", "South Sudanese troops", "Military Forces of South Sudan", "military", "SS"),
    ("Kenya's police sealed the road.", "Kenya's police", "Police Forces of Kenya", "police", "KE"),
    ("Witnesses saw the army of Mali.", "army of Mali", "Military Forces of Mali", "military", "ML"),
])
def test_demonym_sets_generic_country(text: str, span: str, name: str, label: str, country: str) -> None:
    m = only(text)
    assert (m.text, m.name, m.label, m.country, m.kind) == (span, name, label, country, "generic")
    assert m.actor_id is None and m.candidates == ()
    assert m.inter == 1


@pytest.mark.parametrize(("text", "label", "inter", "bare", "with_country"), [
    ("Unidentified gunmen opened fire.", "armed_group", 3, "Unidentified Armed Group", "Unidentified Armed Group (Nigeria)"),
    ("Police dispersed the crowd.", "police", 1, "Police Forces", "Police Forces of Nigeria"),
    ("Demonstrators blocked the bridge.", "protesters", 6, "Protesters", "Protesters (Nigeria)"),
    ("Rioters torched a bus.", "rioters", 5, "Rioters", "Rioters (Nigeria)"),
    ("Villagers fled the fighting.", "civilians", 7, "Civilians", "Civilians (Nigeria)"),
    ("Rebels seized the depot.", "rebels", 2, "Unidentified Armed Group", "Unidentified Armed Group (Nigeria)"),
    ("Government troops entered the town.", "military", 1, "Military Forces", "Military Forces of Nigeria"),
])
def test_generic_categories(text: str, label: str, inter: int, bare: str, with_country: str) -> None:
    m = only(text)
    assert (m.label, m.inter, m.name, m.country) == (label, inter, bare, None)
    m = only(text, country="NG")
    assert (m.name, m.country) == (with_country, "NG")


def test_students_marching_are_protesters() -> None:
    found = by_text("Students marching on the ministry met children and women at the gate.")
    assert found["Students"].label == "protesters"
    assert found["children"].label == "civilians"
    assert found["women"].label == "civilians"


def test_french_generic_actors() -> None:
    text = "Des hommes armés ont tué des civils; les soldats maliens et l'armée malienne ont riposté."
    found = by_text(text, lang="fr")
    assert found["hommes armés"].label == "armed_group"
    assert found["civils"].label == "civilians"
    assert found["soldats maliens"].name == "Military Forces of Mali"
    assert found["armée malienne"].country == "ML"
    assert only("Les manifestants ont défilé.", lang="fr", country="BF").name == "Protesters (Burkina Faso)"


def test_army_and_police_as_modifiers_are_not_actors() -> None:
    assert tag("An army officer quoted military sources near the police station.") == []
    assert only("The army said the road was open.").name == "Military Forces"
    assert only("The military has closed the crossing.").label == "military"


def test_kb_actor_before_generic_noun_is_the_kb_actor() -> None:
    found = by_text("Houthi fighters, LNA fighters, RSF soldiers and Wagner fighters were all listed.")
    assert found["Houthi fighters"].actor_id == "ye_houthis"
    assert found["LNA fighters"].actor_id == "ly_lna"
    assert found["RSF soldiers"].actor_id == "sd_rsf"
    assert found["Wagner fighters"].actor_id == "wagner_group"
    assert all(m.kind == "kb" for m in found.values())


def test_demonym_soldiers_of_a_kb_state_are_its_forces() -> None:
    found = by_text("Israeli soldiers and Ethiopian troops were deployed.")
    assert found["Israeli soldiers"].actor_id == "il_idf"
    assert found["Ethiopian troops"].actor_id == "et_endf"


def test_state_before_generic_noun_lends_its_country() -> None:
    found = by_text("Egypt police detained two men.")
    assert found["Egypt"].actor_id == "egypt"
    assert found["police"].name == "Police Forces of Egypt"


def test_unknown_named_group_is_not_an_unidentified_one() -> None:
    found = by_text("Villagers said Taliban militants and al-Shabab gunmen had left.")
    for span, name in (("Taliban militants", "Taliban"), ("al-Shabab gunmen", "al-Shabab")):
        m = found[span]
        assert m.kind == "ner" and m.name == name and m.actor_id is None and m.candidates == ()


def test_surname_of_another_person_is_not_the_kb_person() -> None:
    assert [m.actor_id for m in tag("Saddam Haftar visited the port.")] == []
    # Poroshenko is in the knowledge base since the office holders joined it; "Petro" in his name is still not Gustavo Petro
    assert [m.actor_id for m in tag("Petro Poroshenko met Gustavo Petro.")] == ["petro_poroshenko", "gustavo_petro"]


# ----------------------------------------------------------------------------- overlaps, spans, speed


def test_no_overlaps_on_a_busy_paragraph() -> None:
    text = (
        "Forces loyal to Khalifa Haftar and the UN-recognized Government of National Accord traded fire "
        "as Somali soldiers, Kenyan police and unidentified gunmen clashed; the UN envoy Ghassan Salamé "
        "and the UN support mission urged Haftar's representatives, Houthi fighters and protesters to stop. "
        "Civilians fled. قوات حفتر والجيش الوطني الليبي"
    )
    mentions = tag(text, country="LY")
    assert_well_formed(text, mentions)
    assert len(mentions) >= 12
    kinds = {m.kind for m in mentions}
    assert kinds == {"kb", "generic"}


def test_every_kb_alias_is_found_as_written() -> None:
    """The scanner folds token by token; every alias must come out whole, as ``alias_key`` folds it."""
    missing = []
    for a in load_actors().values():
        for alias in a.aliases():
            if "(" in alias:  # canonical names with a disambiguator ("Presidential Council of Libya (2021)")
                continue
            found = tag(alias)
            whole = [m for m in found if m.start == 0 and m.end == len(alias)]
            if not whole or not any(a.id in m.candidates or m.actor_id in (force_of(a.id), represented_by(a.id))
                                    for m in whole):
                missing.append((a.id, alias))
    assert missing == []


def test_empty_and_blank_text() -> None:
    assert tag("") == []
    assert tag("   \n ") == []
    assert tag("Nothing here, 42.") == []


# ----------------------------------------------------------------------------- NER


needs_ner = pytest.mark.skipif(not ner_available(), reason="the checked NER model is not installed")


@needs_ner
def test_ner_unknown_person_is_kept_unresolved() -> None:
    text = "Commander Osama Juwaili met Khalifa Haftar in a village school."
    found = by_text(text, use_ner=True)
    assert found["Khalifa Haftar"].actor_id == "khalifa_haftar"
    unknown = [m for m in found.values() if m.kind == "ner"]
    assert unknown and all(m.actor_id is None and m.candidates == () for m in unknown)
    assert any("Juwaili" in m.name and m.label == "PERSON" for m in unknown)
    assert_well_formed(text, tag(text, use_ner=True))


@needs_ner
def test_ner_skips_media_and_places() -> None:
    text = "According to Reuters and Al Jazeera, the Tuareg elders in Niger met Libyans in Tripoli."
    mentions = tag(text, use_ner=True)
    names = {m.text for m in mentions}
    assert not names & {"Reuters", "Al Jazeera", "Niger", "Tripoli", "Libyans"}


@needs_ner
def test_ner_never_overrides_the_kb() -> None:
    text = "The Libyan National Army and Saddam Haftar denied the report."
    found = by_text(text, use_ner=True)
    assert found["Libyan National Army"].actor_id == "ly_lna"
    other = [m for m in found.values() if "Saddam" in m.text]
    assert other and other[0].kind == "ner" and other[0].actor_id is None


@needs_ner
def test_ner_doc_passed_in_is_used() -> None:
    from trucewatch.text.ner import load_ner

    nlp = load_ner()[0]
    text = "Taliban militants attacked a checkpoint, the governor Ahmad Wali Noori said."
    doc = nlp(text)
    mentions = tag_actors(text, use_ner=False, nlp_doc=doc)  # the Doc is enough: no model call here
    assert_well_formed(text, mentions)
    ner = [m for m in mentions if m.kind == "ner"]
    assert any(m.name == "Taliban" for m in ner)
    assert all(m.kind != "generic" or m.label != "armed_group" for m in mentions)


@pytest.mark.parametrize("text, name, actor_id", [
    ('The European Union launched a naval operation called "Irini" to watch the arms embargo.', "Irini",
     "eu_irini"),
    ("Ships of Operation Sophia picked up migrants off the coast in 2016.", "Operation Sophia", "eu_sophia"),
    ("In a televised speech al-Sisi warned that Egypt would not stand by.", "al-Sisi", "abdel_fattah_al_sisi"),
    ("Sources close to the Wefaq said bodies had been found in the hospital.", "Wefaq", "ly_gna"),
])
def test_libya_file_actors_written_as_the_press_writes_them(text: str, name: str, actor_id: str) -> None:
    found = {m.text: m.actor_id for m in tag_actors(text, lang="en")}
    assert found.get(name) == actor_id
