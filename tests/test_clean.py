"""Cleaning: unicode normalisation and the junk-line rules, one behaviour per test.

Cleaning decides what every later span points into, so these tests pin both sides:
furniture goes, and content that merely looks like furniture stays.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from trucewatch.documents.clean import clean_text, junk_rule, normalise, publisher_from_footer

# --- normalise ---------------------------------------------------------------------


def test_normalise_turns_odd_spaces_into_plain_spaces() -> None:
    assert normalise("cease\u00a0fire\u2009talks\u202fresumed\u3000today") == "cease fire talks resumed today"
    assert normalise("two   spaces\tand a tab") == "two spaces and a tab"


def test_normalise_removes_invisible_characters() -> None:
    text = "\ufeffTrip\u200boli\u2060 talks re\u00adsumed\x07."
    assert normalise(text) == "Tripoli talks resumed."


def test_normalise_unifies_line_endings_and_trims_lines() -> None:
    assert normalise("first line  \r\nsecond line\rthird line\n") == "first line\nsecond line\nthird line"


def test_normalise_collapses_blank_runs_but_keeps_paragraphs() -> None:
    assert normalise("one\n\n\n\n\ntwo\n \n \nthree") == "one\n\ntwo\n\nthree"


def test_normalise_folds_arabic_presentation_forms() -> None:
    # "ليبيا" and "لا" written with presentation-form glyphs, as old PDFs and OCR emit them
    assert normalise("\ufedf\ufef4\ufe92\ufef4\ufe8e") == "ليبيا"
    assert normalise("\ufefb") == "لا"
    assert normalise("وقف إطلاق النار") == "وقف إطلاق النار"  # ordinary Arabic is untouched


def test_normalise_composes_to_nfc() -> None:
    assert normalise("Gene\u0300ve") == "Genève"
    assert normalise("Gene\u0300ve") == normalise("Genève")


# --- junk_rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, rule",
    [
        ("video", "furniture"),
        ("Share this article:", "furniture"),
        ("ADVERTISEMENT", "furniture"),
        ("Lire aussi", "furniture"),
        ("شارك", "furniture"),
        ("6126630991001", "media-ids"),
        ("6126630991001 bf9801bd-5cd0-414d-80b4-03d65c28c170", "media-ids"),
        ("Read more: Talks in Geneva stall again", "read-more"),
        ("Related - Monitors report new shelling", "read-more"),
        ("See also » Who controls the oil ports", "read-more"),
        ("Lire aussi : les pourparlers reprennent", "read-more"),
        ("اقرأ أيضا: استئناف المحادثات في جنيف", "read-more"),
        ("Copyright 2021 Harbour Post. All rights reserved.", "copyright"),
        ("© 2020 Sahel Courier", "copyright"),
        ("© 2020 Harbour Post. Reproduced for our readers with the permission of the editors.", "copyright"),
        ("Copyright 2020 Harbour Post, reproduced for our readers with the permission of the editors.", "copyright"),
        ("Copyright: Harbour Post news service, reproduced with permission of the editors.", "copyright"),
        ("Copyright Harbour Post", "copyright"),
        ("(c) 2019 Desert Wire", "copyright"),
    ],
)
def test_junk_rule_names_page_furniture(line: str, rule: str) -> None:
    assert junk_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Related talks were held in Cairo on Thursday.",
        "Related-party negotiations in Cairo ended without a deal.",
        "Resolution 2510 (2020) was adopted by the Security Council.",
        "Read the statement in full below.",
        "Videos shared online showed smoke over the port.",
        "Copyright infringement claims were filed against the broadcaster last year.",
        "The 5+5 commission met 3 times in 2020.",
        "",
        "2020",
    ],
)
def test_junk_rule_keeps_content(line: str) -> None:
    assert junk_rule(line) is None


# --- publisher_from_footer ---------------------------------------------------------


@pytest.mark.parametrize(
    "footer, publisher",
    [
        ("Copyright 2022 Harbour Post. All rights reserved.", "Harbour Post"),
        ("© 2020 Sahel Courier. All rights reserved.", "Sahel Courier"),
        ("(c) 2019-2020 by Desert Wire | All rights reserved", "Desert Wire"),
        ("Copyright © 2021 Oasis Ledger", "Oasis Ledger"),
        ("Copyright. All rights reserved.", None),
        ("© Tous droits réservés", None),
    ],
)
def test_publisher_from_footer(footer: str, publisher: str | None) -> None:
    assert publisher_from_footer([(footer, "copyright")]) == publisher


def test_publisher_from_footer_only_reads_copyright_lines() -> None:
    assert publisher_from_footer([("Copyright 2022 Harbour Post.", "furniture")]) is None
    assert publisher_from_footer([]) is None


# --- clean_text --------------------------------------------------------------------


def test_clean_text_drops_furniture_and_keeps_the_article() -> None:
    raw = (
        "Truce talks resume in Geneva\r\n"
        "\r\n"
        "Delegations\u00a0from both sides met on Monday, a spokesman said.\r\n"
        "\u200b\r\n"
        "8812345678901 0f3c2a1b-1111-4222-8333-944445555666\r\n"
        "Watch\r\n"
        "Read more: Earlier rounds collapsed in March\r\n"
        "Related talks were held in Cairo last month.\r\n"
        "Resolution 2510 (2020) was adopted in February.\r\n"
        "Copyright 2021 Harbour Post. All rights reserved.\r\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.text == (
        "Truce talks resume in Geneva\n\n"
        "Delegations from both sides met on Monday, a spokesman said.\n\n"
        "Related talks were held in Cairo last month.\n"
        "Resolution 2510 (2020) was adopted in February."
    )
    rules = dict(cleaned.dropped)
    assert rules == {
        "8812345678901 0f3c2a1b-1111-4222-8333-944445555666": "media-ids",
        "Watch": "furniture",
        "Read more: Earlier rounds collapsed in March": "read-more",
        "Copyright 2021 Harbour Post. All rights reserved.": "copyright",
    }
    assert publisher_from_footer(cleaned.dropped) == "Harbour Post"


def test_clean_text_drops_a_trailing_rights_notice() -> None:
    cleaned = clean_text("The ceasefire held overnight.\n\nHarbour Post, all rights reserved.\n\n")
    assert cleaned.text == "The ceasefire held overnight."
    assert cleaned.dropped == [("Harbour Post, all rights reserved.", "copyright")]


def test_clean_text_keeps_a_rights_sentence_in_the_middle() -> None:
    text = "All rights reserved, the lawyer said, would be defended.\nThe talks went on."
    assert clean_text(text).text == text


def test_clean_text_is_deterministic_and_idempotent() -> None:
    raw = "Headline\n\nBody line one.\nShare\nBody line two.\n"
    once = clean_text(raw).text
    assert clean_text(raw).text == once
    assert clean_text(once).text == once


def test_clean_text_of_only_furniture_is_empty() -> None:
    cleaned = clean_text("Share\nvideo\n12345678901\n")
    assert cleaned.text == ""
    assert [rule for _, rule in cleaned.dropped] == ["furniture", "furniture", "media-ids"]


# --- the junk lexicon resource -----------------------------------------------------


def _lexicon() -> dict:
    text = resources.files("trucewatch.resources").joinpath("junk_lines.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_junk_lexicon_has_exact_entries_per_language_and_labels() -> None:
    data = _lexicon()
    assert set(data) == {"exact", "labels"}
    assert isinstance(data["exact"], dict) and {"en", "fr", "ar"} <= set(data["exact"])
    for language, entries in data["exact"].items():
        assert isinstance(entries, list) and entries, language
    assert isinstance(data["labels"], list) and data["labels"]


def test_junk_lexicon_entries_are_lower_case_stripped_and_unique() -> None:
    data = _lexicon()
    groups = {f"exact.{lang}": entries for lang, entries in data["exact"].items()} | {"labels": data["labels"]}
    for name, entries in groups.items():
        for entry in entries:
            assert isinstance(entry, str) and entry, (name, entry)
            assert entry == entry.strip(), (name, entry)
            assert entry == entry.casefold(), (name, entry)
        duplicates = sorted({e for e in entries if entries.count(e) > 1})
        assert not duplicates, (name, duplicates)
    everything = [e for entries in data["exact"].values() for e in entries]
    assert len(everything) == len(set(everything)), "an exact entry is listed under two languages"


def test_every_junk_entry_is_dropped_by_the_rule() -> None:
    data = _lexicon()
    for entries in data["exact"].values():
        for entry in entries:
            assert junk_rule(entry) == "furniture", entry
            assert junk_rule(entry.upper() + ":") == "furniture", entry
    for label in data["labels"]:
        assert junk_rule(f"{label}: something else") == "read-more", label


def test_bidi_controls_are_removed() -> None:
    from trucewatch.documents.clean import normalise

    assert normalise("\u200fقال\u200e المتحدث \u202bطرابلس\u202c \u2067x\u2069") == "قال المتحدث طرابلس x"
