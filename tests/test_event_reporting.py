"""Classes of error found on real reporting (issue 15, fourth round), each on sentences we wrote."""

from __future__ import annotations

from typing import Any

from trucewatch.extract.events.extract import _in_name, extract_events
from trucewatch.extract.events.status import trigger_status
from trucewatch.extract.sentences import split_sentences


def _events(text: str, published: str | None, lang: str = "en") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang).events


def _status(sentence: str, trigger: str) -> str:
    at = sentence.index(trigger)
    return trigger_status(sentence, at, at + len(trigger))


# ------------------------------------------------------------------ sentences glued by scraping
def test_a_full_stop_glued_to_the_next_sentence_still_ends_it() -> None:
    arabic = "قال المرصد إن الهدوء عاد إلى المدينة.وفي وقت لاحق اندلعت اشتباكات قرب المطار."
    assert [arabic[s:e] for s, e in split_sentences(arabic)] == [
        "قال المرصد إن الهدوء عاد إلى المدينة.", "وفي وقت لاحق اندلعت اشتباكات قرب المطار."]
    latin = "The truce held overnight.Shelling resumed at dawn, residents said."
    assert [latin[s:e] for s, e in split_sentences(latin)] == [
        "The truce held overnight.", "Shelling resumed at dawn, residents said."]


def test_abbreviations_addresses_and_decimals_are_not_sentence_ends() -> None:
    for text in ("A U.S.Navy ship docked in the port.", "He wrote on example.com that 2.5 km were mined."):
        assert len(list(split_sentences(text))) == 1


# ------------------------------------------------------------------ accusations
def test_each_sides_accusation_is_an_allegation_of_its_own() -> None:
    text = ("The army accused the Eastern Front on Sunday of violating the truce near Kassala. "
            "The Eastern Front also accused the army of breaking the ceasefire.")
    alleged = [e for e in _events(text, "2024-05-13") if e["process_type"] == "violation_alleged"]
    assert len(alleged) == 2
    assert all(e["status"] == "main" for e in alleged)


def test_mutual_accusations_in_spanish_stay_two() -> None:
    text = ("Israel acusó a Hamás este domingo de violar la tregua en Gaza. "
            "Por su parte, Hamás también acusó a Israel de violar el acuerdo.")
    alleged = [e for e in _events(text, "2025-11-02", "es") if e["process_type"] == "violation_alleged"]
    assert len(alleged) == 2


def test_one_sides_accusation_told_twice_is_one_allegation() -> None:
    text = ("Israel accused Hamas on Sunday of violating the truce in Gaza. "
            "Israel said the violation took place near the crossing.")
    alleged = [e for e in _events(text, "2025-11-02") if e["process_type"] == "violation_alleged"]
    assert len(alleged) == 1


def test_breaking_the_ceasefire_is_a_breach_not_a_truce() -> None:
    events = _events("The rebels accused government troops of breaking the ceasefire on Monday.", "2024-05-14")
    kinds = {(e["process_type"], e["status"]) for e in events}
    assert ("violation_alleged", "main") in kinds
    assert ("ceasefire", "main") not in kinds


def test_a_call_to_investigate_violations_alleges_them() -> None:
    sentence = "The army calls upon the monitors to investigate the rebels' latest violations of the agreement."
    assert _status(sentence, "violations") == "main"
    assert _status("The envoy urged both sides to reach a truce by Friday.", "truce") == "hypothetical"


# ------------------------------------------------------------------ status of reference points
def test_what_follows_before_is_a_point_of_reference() -> None:
    assert _status("Before the truce, clashes killed dozens in the hills.", "truce") == "background"
    assert _status("قبل وقف إطلاق النار قتل العشرات في المعارك.", "وقف إطلاق النار") == "background"


# ------------------------------------------------------------------ names that hold a cue
def test_a_cue_at_the_end_of_an_office_name_is_no_event() -> None:
    sentence = "The Directors General of Military Operations of both armies spoke on the hotline."
    at = sentence.index("Military Operations")
    assert _in_name(sentence, at, at + len("Military Operations"))
    plain = "The army said military operations in the valley would go on."
    at = plain.index("military operations")
    assert not _in_name(plain, at, at + len("military operations"))
    events = _events(sentence, "2021-03-05")
    assert not any(e["event_type"] == "Battles" for e in events)


def test_french_fighting_verbs_make_a_clash() -> None:
    events = _events("Les deux milices se sont affrontées lundi soir dans le sud de Tripoli.", "2023-08-16", "fr")
    clash = [e for e in events if e["sub_event_type"] == "Armed clash"]
    assert clash and clash[0]["event_date"] == "2023-08-14" and clash[0]["status"] == "main"


# ------------------------------------------------------------------ truces and the agreements that make them
def test_a_truce_taking_effect_later_is_dated_when_it_takes_effect() -> None:
    text = "The two governments agreed on Monday to a ceasefire that will take effect at midnight on Wednesday."
    events = _events(text, "2025-03-11")
    agreement = [e for e in events if e["process_type"] == "agreement"]
    truce = [e for e in events if e["process_type"] == "ceasefire"]
    assert agreement and agreement[0]["event_date"] == "2025-03-10" and agreement[0]["status"] == "main"
    assert truce and truce[0]["event_date"] == "2025-03-12" and truce[0]["status"] == "planned"


def test_a_truce_in_force_from_a_time_takes_that_day_in_french() -> None:
    text = "Les deux pays ont convenu lundi d'un cessez-le-feu qui est entré en vigueur mardi à midi."
    truce = [e for e in _events(text, "2025-03-12", "fr") if e["process_type"] == "ceasefire"]
    assert truce and truce[0]["event_date"] == "2025-03-11"


def test_agreeing_to_observe_a_truce_is_an_agreement() -> None:
    text = ("The two armies said on Thursday they have agreed to strict observance of the ceasefire along "
            "the Line of Control from midnight. Shelling had killed dozens there last year.")
    events = _events(text, "2021-02-25")
    assert any(e["process_type"] == "agreement" and e["status"] == "main" for e in events)


def test_an_agreement_after_a_dated_round_takes_the_rounds_day() -> None:
    text = ("Border clashes killed dozens of soldiers last month.\n"
            "The army said it had moved more troops to the frontier.\n"
            "Thailand and Cambodia agreed to an immediate ceasefire after talks in Kuala Lumpur on Friday.")
    events = _events(text, "2025-06-15")
    agreement = [e for e in events if e["process_type"] == "agreement"]
    assert agreement and agreement[0]["event_date"] == "2025-06-13" and agreement[0]["status"] == "main"


def test_a_council_that_also_announced_a_truce_ends_the_fighting() -> None:
    from trucewatch.extract.events.status import _ANNOUNCED

    assert _ANNOUNCED.search("Le conseil des sages a également annoncé un ")
    assert _ANNOUNCED.search("Il consiglio ha poi annunciato una ")


# ------------------------------------------------------------------ places
def test_a_model_span_running_into_a_bracketed_acronym_is_cut_before_it() -> None:
    from trucewatch.extract.places.recognise import _before_bracket

    text = "firing along the Line of Control (LoC) stopped"
    start = text.index("Line")
    assert _before_bracket(text, start, text.index("LoC") + 3, "LOC") == (start, text.index(" (LoC"), "LOC")
    assert _before_bracket(text, start, start + 4, "LOC") == (start, start + 4, "LOC")


def test_a_capital_that_is_told_is_not_where_and_a_group_is_not_a_town() -> None:
    text = ("Israel reanudó este domingo los bombardeos sobre la Franja de Gaza tras acusar a Hamás de violar la tregua.\n"
            "Fuentes de seguridad de Estados Unidos declararon que el Ejército israelí informó con anticipación "
            "a Washington la reanudación de los bombardeos.")
    events = _events(text, "2025-10-19", "es")
    strikes = [e for e in events if e["event_type"] == "Explosions/Remote violence"]
    assert strikes and strikes[0]["location"] == "Gaza Strip"
    assert not any(e["location"] in ("Washington", "Hamm", "United States") for e in events)


def test_the_addressed_rule_keeps_reporters_in_a_city() -> None:
    events = _events("The army told reporters in Tripoli that the shelling of the port had stopped on Sunday.",
                     "2025-10-19")
    assert any(e["location"] == "Tripoli" for e in events)


# ------------------------------------------------------------------ a wire story of our own
_WIRE = ("Sudan's army and RSF agree to 72-hour truce after talks in Saudi Arabia\n"
         "JEDDAH, May 20 (Wire) - Sudan's army and the paramilitary Rapid Support Forces agreed on Saturday to a "
         "72-hour ceasefire starting on Monday, Saudi Arabia and the United States said in a joint statement.\n"
         "The truce, the fifth announced since fighting erupted on April 15, follows two weeks of talks in Jeddah.\n"
         "At least 20 civilians were killed when a shell hit a market in Omdurman on Friday, a local medics' group said.\n"
         "The army accused the RSF of looting homes and occupying hospitals.\n"
         "More than 1,000 people have been killed since the war began, according to the United Nations.")


def test_a_truce_starting_on_a_weekday_after_the_deal_is_the_coming_one() -> None:
    truces = [e for e in _events(_WIRE, "2023-05-20") if e["process_type"] == "ceasefire"]
    assert any(e["event_date"] == "2023-05-22" and e["status"] == "planned" for e in truces)


def test_a_truce_that_took_effect_on_a_weekday_keeps_the_past_one() -> None:
    text = "The ceasefire agreed in Doha took effect on Monday, and the front was quiet, residents said."
    truces = [e for e in _events(text, "2023-05-20") if e["process_type"] == "ceasefire"]
    assert truces and truces[0]["event_date"] == "2023-05-15"


def test_a_shell_that_hit_a_market_is_shelling_with_its_own_toll() -> None:
    events = _events(_WIRE, "2023-05-20")
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["event_date"] == "2023-05-19" and shelling[0]["status"] == "main"
    assert shelling[0]["fatalities"] == 20 and shelling[0]["location"] == "Omdurman"


def test_a_war_toll_since_it_began_is_background_and_apart() -> None:
    events = _events(_WIRE, "2023-05-20")
    totals = [e for e in events if e["fatalities"] == 1000]
    assert totals and all(e["status"] == "background" for e in totals)
    assert not any(e["fatalities"] == 20 and e["fatalities"] == 1000 for e in events)
    assert _status("More than 1,000 people have been killed since the war began.", "killed") == "background"
    assert _status("Plus de 300 personnes ont été tuées depuis le début des combats.", "tuées") == "background"


def test_an_accusation_told_in_the_simple_past_is_the_days_news() -> None:
    alleged = [e for e in _events(_WIRE, "2023-05-20") if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["status"] == "main" and alleged[0]["event_date"] == "2023-05-20"


def test_an_old_or_habitual_accusation_is_not_the_days_news() -> None:
    from trucewatch.extract.events.status import accuses_now

    for sentence, now in (("The army accused the RSF of looting homes.", True),
                          ("The army has long accused the RSF of looting homes.", False),
                          ("The army had accused the RSF of looting homes.", False),
                          ("L'armée accuse les FSR d'avoir pillé des maisons.", True)):
        at = sentence.index("looting") if "looting" in sentence else sentence.index("pillé")
        assert accuses_now(sentence, at, at + 5) is now, sentence


def test_another_strike_told_after_the_news_is_news_too() -> None:
    text = ("Deux personnes ont été tuées mardi dans des frappes israéliennes sur le sud du Liban, selon le ministère.\n"
            "Une rencontre des médiateurs est prévue la semaine prochaine à Beyrouth pour discuter du désarmement.\n"
            "Le ministère a précisé qu'une frappe de drone a visé une pelleteuse à Yater. "
            "Il a ajouté qu'une autre frappe aérienne à Deir Ames a tué une personne.")
    strikes = [e for e in _events(text, "2025-10-07", "fr") if e["location"] == "Deir Ames"]
    assert strikes and strikes[0]["status"] == "main" and strikes[0]["event_date"] == "2025-10-07"


# ------------------------------------------------------------------ tolls in other languages
def test_tolls_with_digits_are_read_in_the_other_languages() -> None:
    from trucewatch.extract.events.counts import find_counts

    cases = {
        "El bombardeo dejó 31 muertos y 12 heridos en el barrio.": {"killed": 31, "injured": 12},
        "Al menos 9 civiles murieron en el ataque.": {"killed": 9},
        "Negli scontri ci sono stati 17 morti e 80 feriti.": {"killed": 17, "injured": 80},
        "Os confrontos deixaram 6 mortos.": {"killed": 6},
        "В результате обстрела погибли 7 человек, ещё 15 ранены.": {"killed": 7, "injured": 15},
        "قتل 5 عناصر من الشرطة في الهجوم.": {"killed": 5},
        "Saldırıda 3 asker şehit oldu.": {"killed": 3},
    }
    for sentence, want in cases.items():
        got = {c.kind: c.best for c in find_counts(sentence)}
        assert got == want, (sentence, got)


def test_a_suspect_accused_of_a_crime_is_no_allegation_of_a_breach() -> None:
    events = _events("Two men accused of kidnappings were shot dead by a militia in the south of the city on Monday.",
                     "2016-06-28")
    assert not any(e["process_type"] == "violation_alleged" for e in events)


# ------------------------------------------------------------------ Portuguese and Arabic reports
def test_a_portuguese_attack_on_a_village_is_an_attack_with_its_toll() -> None:
    text = ("Insurgentes atacam aldeia no norte\n"
            "Pelo menos 8 civis foram mortos na madrugada de domingo num ataque de insurgentes a uma aldeia "
            "perto de Macomia, segundo fontes locais.\n"
            "As forças do governo retomaram o controlo da aldeia na segunda-feira.")
    events = _events(text, "2025-08-05", "pt")
    attack = [e for e in events if e["sub_event_type"] == "Attack"]
    assert attack and attack[0]["status"] == "main" and attack[0]["event_date"] == "2025-08-03"
    assert attack[0]["fatalities"] == 8
    assert any(e["sub_event_type"] == "Government regains territory" and e["event_date"] == "2025-08-04"
               for e in events)


def test_an_arabic_truce_in_the_indefinite_and_an_accusation_with_its_conjunction() -> None:
    text = ("اشتباكات في مصراتة رغم الهدنة\n"
            "اندلعت اشتباكات عنيفة مساء الأحد بين كتيبتين في مصراتة، ما أسفر عن مقتل 4 أشخاص.\n"
            "وأعلنت وزارة الدفاع وقفا لإطلاق النار صباح الاثنين.\n"
            "واتهم المجلس الرئاسي الطرفين بخرق الهدنة التي أبرمت في مايو الماضي.")
    events = _events(text, "2025-09-15", "ar")
    assert any(e["process_type"] == "ceasefire" and e["status"] == "main" and e["event_date"] == "2025-09-15"
               for e in events)
    alleged = [e for e in events if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["status"] == "main"


def test_a_fronted_lapse_after_the_news_keeps_the_news_day() -> None:
    text = ("Russia and Ukraine agreed on Tuesday to stop attacking each other's power plants, mediators said "
            "after talks in Riyadh.\n"
            "Hours after the announcement, Ukraine said Russian drones had hit a power substation near Dnipro, "
            "wounding two workers.\n"
            "Kyiv accused Moscow of undermining the deal.")
    events = _events(text, "2025-03-26")
    drones = [e for e in events if e["sub_event_type"] == "Air/drone strike"]
    assert drones and drones[0]["status"] == "main" and drones[0]["event_date"] == "2025-03-25"
    assert any(e["process_type"] == "violation_alleged" and e["status"] == "main" for e in events)


def test_a_truce_that_has_been_reached_is_an_agreement_too() -> None:
    text = ("Armenia said a ceasefire with Azerbaijan was holding after two days of fighting. "
            "“With the help of mediators, a cease-fire has been reached,” a senior official said in Yerevan.")
    events = _events(text, "2022-09-19")
    assert any(e["process_type"] == "agreement" and e["status"] == "main" for e in events)
    assert any(e["process_type"] == "ceasefire" and e["status"] == "main" for e in events)


def test_a_call_for_monitors_to_investigate_violations_is_the_days_allegation() -> None:
    text = ("The army said rebels attacked its post near Malakal on Friday, killing two soldiers.\n"
            "The army calls upon the ceasefire monitors to investigate the rebels' latest violations of the agreement.")
    alleged = [e for e in _events(text, "2025-02-17") if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["status"] == "main"


def test_a_datelines_month_is_no_place_and_an_english_article_is_no_locative() -> None:
    from types import SimpleNamespace

    from trucewatch.extract.events.where import _cued

    text = ("Truce takes hold on the border\n"
            "BEIRUT, Nov 27 (Wire) - A ceasefire between Israel and Hezbollah took effect at 4 a.m. on Wednesday, "
            "ending more than a year of cross-border hostilities.")
    events = _events(text, "2024-11-28")
    truce = [e for e in events if e["process_type"] == "ceasefire"]
    assert truce and truce[0]["location"] == "Beirut"
    at = text.index("Israel")
    assert not _cued(text, SimpleNamespace(start=at, end=at + 6))
    spanish = "El enviado llegó a Beirut el lunes."
    at = spanish.index("Beirut")
    assert _cued(spanish, SimpleNamespace(start=at, end=at + 6))


def test_a_capitalised_wire_dateline_is_a_place_whatever_the_model_says() -> None:
    from trucewatch.extract.places.recognise import _DATELINE_TAIL

    for tail in (", Nov 27 (Wire) - ", " (AFP) - ", " — "):
        assert _DATELINE_TAIL.match(tail), tail
    assert not _DATELINE_TAIL.match(" is the capital")


def test_two_neighbours_named_as_a_truces_parties_are_at_their_border() -> None:
    text = ("Armenia said on Monday that a ceasefire with Azerbaijan was holding after two days of fighting.\n"
            "The defence ministry said the situation on the border had been calm since then.")
    truce = [e for e in _events(text, "2022-09-19") if e["process_type"] == "ceasefire"]
    assert truce and truce[0]["location"] == "Armenia–Azerbaijan border"


def test_the_date_of_a_pact_named_in_an_accusation_is_the_pacts() -> None:
    text = ("Rebels attacked an army post near Kadugli on Monday.\n"
            "The army accused the rebels of breaking the truce signed on January 5.")
    alleged = [e for e in _events(text, "2025-02-03") if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["event_date"] == "2025-02-03" and alleged[0]["status"] == "main"
    spanish = "La guerrilla acusó al Gobierno de incumplir el alto el fuego firmado en 2023."
    alleged = [e for e in _events(spanish, "2025-02-03", "es") if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["event_date"] == "2025-02-03"


# ------------------------------------------------------------------ Turkish reports
def test_a_turkish_truce_breach_is_a_breach_and_a_name_before_its_case_ending_is_a_place() -> None:
    text = ("Suriye'de ateşkes ihlali: 3 asker hayatını kaybetti\n"
            "Halep'in kuzeyinde dün gece iki grup arasında çıkan çatışmada 3 asker hayatını kaybetti.\n"
            "Savunma Bakanlığı, grubu ateşkesi ihlal etmekle suçladı.")
    events = _events(text, "2025-03-10", "tr")
    assert not any(e["process_type"] == "ceasefire" and e["status"] == "main" for e in events)
    assert any(e["process_type"] == "violation_alleged" and e["status"] == "main" for e in events)
    clash = [e for e in events if e["sub_event_type"] == "Armed clash"]
    assert clash and clash[0]["location"] == "Aleppo" and clash[0]["event_date"] == "2025-03-09"


# ------------------------------------------------------------------ people leaving the fighting
def test_families_are_not_counted_as_people() -> None:
    from trucewatch.extract.events.counts import find_counts

    assert find_counts("Some 300 families were evacuated from the district.") == []
    assert find_counts("The clashes displaced 120 households.") == []
    assert [c.best for c in find_counts("Some 300 civilians were evacuated from the district.")] == [300]


def test_an_evacuation_from_the_fighting_is_news_on_the_fightings_day() -> None:
    for text, lang in (
            ("Heavy clashes broke out in Zawiya on Saturday between two rival brigades.\n"
             "Forty families were evacuated from areas near the fighting, the Red Crescent said.", "en"),
            ("Violenti scontri sono scoppiati sabato a Zawiya tra due brigate rivali.\n"
             "Quaranta famiglie, inoltre, sono state evacuate da zone vicine ai combattimenti.", "it"),
            ("De violents affrontements ont éclaté samedi à Zaouïa entre deux brigades rivales.\n"
             "Selon le Croissant-Rouge, 40 familles ont dû être évacuées des quartiers touchés par les combats.", "fr")):
        figures = [e for e in _events(text, "2024-06-09", lang) if e["process_type"] == "statistic"]
        assert figures and figures[0]["status"] == "main" and figures[0]["event_date"] == "2024-06-08", (lang, figures)
        assert figures[0]["displaced"] is None  # families, not people


def test_a_stored_copys_date_stamp_dates_no_event() -> None:
    text = ("date 2023-08\nSelon un centre médical, 40 familles ont dû être évacuées des quartiers touchés par "
            "les combats. Les deux brigades se sont affrontées lundi dans le sud de Tripoli.")
    for e in _events(text, "2023-08-16", "fr"):
        assert not (e["event_date"] == "2023-08-01" and e["time_precision"] == 3), e


# ------------------------------------------------------------------ allegations of acts
def test_a_party_alleging_an_attack_during_a_truce_is_an_allegation() -> None:
    text = ("Rebels violated the truce near Malakal on Friday, the army said.\n"
            "In a statement, the county commissioner alleged that the army premeditated an attack against civilians.")
    alleged = [e for e in _events(text, "2025-02-17") if e["process_type"] == "violation_alleged"]
    assert len(alleged) == 2 and all(e["status"] == "main" for e in alleged)


def test_a_spanish_denunciation_is_the_days_allegation() -> None:
    from trucewatch.extract.events.status import accuses_now

    sentence = "Por otra parte, el Ejército denunció que la guerrilla está violando la tregua."
    at = sentence.index("violando")
    assert accuses_now(sentence, at, at + 8)


def test_a_truce_restored_hours_later_stays_news_whatever_the_precision_of_the_day_before() -> None:
    text = ("Israel acusó a Hamás de romper el alto el fuego en Rafah.\n"
            "Hamás negó cualquier enfrentamiento en la zona.\n"
            "Tras poco más de una hora, Israel anunció que se había reanudado el cese al fuego.")
    truce = [e for e in _events(text, "2025-10-19", "es") if e["process_type"] == "ceasefire" and e["status"] == "main"]
    assert truce and truce[0]["event_date"] == "2025-10-19"


def test_a_town_read_in_a_country_the_report_never_names_is_not_its_focus() -> None:
    from types import SimpleNamespace

    from trucewatch.extract.events.where import Placer

    text = "Fighting in Nasir went on. The army in Nasir said more. South Sudan's army and South Sudan's rebels met."

    def at(word: str, nth: int, name: str, country: str, lat: float, lon: float, code: str, conf: float) -> Any:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return SimpleNamespace(start=start, end=start + len(word), text=word, name=name, lat=lat, lon=lon,
                               country=country, feature_code=code, role="location", kind="name",
                               confidence=conf, geo_precision=1 if code == "PPL" else 3)

    places = [at("Nasir", 0, "Demirci", "TR", 37.4, 39.8, "PPL", 0.5), at("Nasir", 1, "Demirci", "TR", 37.4, 39.8, "PPL", 0.5),
              at("South Sudan", 0, "South Sudan", "SS", 7.0, 30.0, "PCLI", 0.95),
              at("South Sudan", 1, "South Sudan", "SS", 7.0, 30.0, "PCLI", 0.95)]
    assert Placer(text, places).focus.name == "South Sudan"


# ------------------------------------------------------------------ dates told apart from the happening
_CAMP = ("Paramilitaries kill dozens in attack on camp, aid groups say\n"
         "(Wire) - Paramilitary fighters killed more than 100 people in an assault on a displacement camp "
         "near El Fasher, the United Nations said on Sunday.\n"
         "The attack began on Friday and continued through Saturday, residents said.\n"
         "The army, which has been fighting the paramilitaries since April 2023, said its aircraft struck their "
         "positions near Kutum on Sunday.")


def test_a_sentence_naming_the_attack_again_gives_it_its_day() -> None:
    attack = [e for e in _events(_CAMP, "2025-04-14") if e["sub_event_type"] == "Attack"]
    assert attack and attack[0]["event_date"] == "2025-04-11" and attack[0]["status"] == "main"


def test_the_start_of_an_ongoing_war_does_not_date_the_days_strike() -> None:
    strikes = [e for e in _events(_CAMP, "2025-04-14") if e["sub_event_type"] == "Air/drone strike"]
    assert strikes and strikes[0]["event_date"] == "2025-04-13" and strikes[0]["status"] == "main"


def test_a_deal_reached_abroad_is_at_its_venue_and_the_truce_at_the_border_it_ends_fighting_on() -> None:
    text = ("La Thaïlande et le Cambodge s'accordent sur un cessez-le-feu immédiat à partir de minuit le 28 juillet "
            "2025, mettant fin à cinq jours de combats meurtriers à leur frontière.\n"
            "Le Premier ministre malaisien a accueilli les pourparlers à Putrajaya.")
    events = _events(text, "2025-07-28", "fr")
    deal = [e for e in events if e["process_type"] == "agreement"]
    assert deal and deal[0]["location"] == "Putrajaya" and deal[0]["status"] == "main"
    truce = [e for e in events if e["process_type"] == "ceasefire"]
    assert truce and truce[0]["location"] != "Putrajaya"
    # the fighting the truce ends is over: no main clash dated by the truce's day
    assert not any(e["event_type"] == "Battles" and e["status"] == "main" for e in events)
    assert _status("They agreed a truce, ending five days of fighting at the border.", "fighting") == "background"


def test_what_follows_right_after_an_event_is_news_not_its_background() -> None:
    assert _status("Right after the speech Russian drones hit Kyiv.", "drones") == "main"
    assert _status("Сразу после выступления президента российские беспилотники атаковали Одессу.",
                   "беспилотники") == "main"
    assert _status("Immediately after the attack, talks resumed.", "attack") == "background"


def test_an_accusation_hours_after_a_dated_announcement_is_of_that_day() -> None:
    text = ("India and Pakistan accused each other of violating a ceasefire hours after it was announced on Saturday, "
            "but the guns fell silent overnight.\n"
            "Pakistan's army said Indian troops fired across the border in three sectors, killing one civilian.")
    events = _events(text, "2025-05-11")
    alleged = [e for e in events if e["process_type"] == "violation_alleged"]
    assert alleged and alleged[0]["event_date"] == "2025-05-10" and alleged[0]["status"] == "main"
    assert any(e["sub_event_type"] == "Armed clash" and e["fatalities"] == 1 for e in events)


def test_arabic_mutual_accusations_verb_first_stay_two() -> None:
    text = ("الحوثيون يتهمون القوات الحكومية بخرق الهدنة في الحديدة\n"
            "اتهمت جماعة الحوثي، الاثنين، القوات الحكومية بخرق الهدنة في محافظة الحديدة.\n"
            "من جهتها، نفت القوات الحكومية الاتهامات، واتهمت الحوثيين بشن هجوم بطائرات مسيرة على مواقعها.")
    alleged = [e for e in _events(text, "2024-02-12", "ar") if e["process_type"] == "violation_alleged"]
    assert len(alleged) == 2 and all(e["status"] == "main" for e in alleged)
