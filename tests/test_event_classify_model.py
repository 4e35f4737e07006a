"""The sentence-embedding event model: its shipped coefficients, its training data, the fusion
with the lexicon, and events found with no lexicon cue, in our own sentences in seven languages."""

from __future__ import annotations

import numpy as np
import pytest

from trucewatch.extract.events import model
from trucewatch.extract.events.classify import FUSION, FUSION_GRID, Fusion, classify, fuse, score_text, worth_embedding
from trucewatch.extract.events.lexicon import ACLED_CODES, lexicon
from trucewatch.extract.events.training import NONE, load_training, parse, training_rows


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from trucewatch.embed import get_encoder

    enc = get_encoder()
    if enc is None:
        pytest.skip("the sentence encoder is not installed")
    return enc


# ------------------------------------------------------------------ training data
def test_training_snippets_are_clean_and_cover_every_class_in_every_language() -> None:
    rows, problems = load_training()
    assert problems == []
    assert len(rows) >= 1400
    by_file: dict[str, set[str]] = {}
    for r in rows:
        by_file.setdefault(r.source.split(":")[0], set()).add(r.label)
    for lang in ("en", "ar", "fr", "es", "it", "ru", "tr"):
        labels = by_file[f"set5_{lang}.tsv"] | by_file[f"set6_{lang}.tsv"]
        # every ACLED type the snippets are written for, and non-events
        assert set(ACLED_CODES) - {"CHEM_WEAP", "GRENADE", "SEX_VIOL", "MOB_VIOL", "HQ_ESTABLISHED",
                                   "CHANGE_TO_GROUP_ACT", "OTHER", "SUIC_BOMB"} <= labels, lang
        assert NONE in labels
    texts = [r.text for r in rows]
    assert len(set(texts)) == len(texts), "a snippet appears twice"


def test_a_bad_training_line_is_named_and_left_out() -> None:
    content = "label\ttext\nATTACK\tGunmen killed two farmers.\nBOMBING\tA bomb went off.\nNONE\n"
    rows, problems = parse("x.tsv", content, frozenset(ACLED_CODES))
    assert [r.label for r in rows] == ["ATTACK"] and rows[0].source == "x.tsv:2"
    assert [str(p).split(":")[:2] for p in problems] == [["x.tsv", "3"], ["x.tsv", "4"]]
    assert "unknown label 'BOMBING'" in str(problems[0])
    rows, problems = parse("y.tsv", "code\tsentence\n", frozenset(ACLED_CODES))
    assert rows == [] and "y.tsv:1" in str(problems[0])


def test_held_out_sets_are_not_training_data() -> None:
    """benchmarks/data holds the held-out sets: none of their snippets may be trained on."""
    import csv
    from pathlib import Path

    trained = {r.text for r in training_rows()}
    folder = Path(__file__).parents[1] / "benchmarks" / "data"
    files = sorted([*folder.glob("heldout_snippets_*.tsv"), *folder.glob("never_tuned_*.tsv"),
                    *folder.glob("dev_snippets_*.tsv")])
    assert any(f.name.startswith("never_tuned") for f in files) and any(f.name.startswith("dev_") for f in files)
    for path in files:
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        assert rows and not trained & {r["text"] for r in rows}, path.name


# ------------------------------------------------------------------ the shipped artefact
def test_shipped_model_matches_the_training_data() -> None:
    """Edit a snippet and this fails until `python -m trucewatch.extract.events.model` is rerun."""
    shipped = model.load(model.artefact_path())
    assert shipped.stamp == model.stamp()
    assert set(shipped.classes) == set(ACLED_CODES) | {NONE}
    assert shipped.coef.shape == (len(shipped.classes), 512) and shipped.coef.dtype == np.float32
    assert model.main(["--check"]) == 0


def test_refitting_reproduces_the_shipped_model(encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    refit = model.fit(encoder)
    shipped = model.load(model.artefact_path())
    assert refit.classes == shipped.classes and refit.stamp == shipped.stamp
    assert np.allclose(refit.coef, shipped.coef, atol=1e-3) and np.allclose(refit.intercept, shipped.intercept, atol=1e-3)
    # and the file round-trips
    model.save(refit, tmp_path / "m.npz")
    again = model.load(tmp_path / "m.npz")
    assert np.array_equal(again.coef, refit.coef) and again.classes == refit.classes


def test_a_stale_artefact_is_refitted_and_said_so(encoder, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stale = model.load(model.artefact_path())
    model.save(model.SentenceModel(stale.classes, stale.coef, stale.intercept, "0" * 64), tmp_path / "old.npz")
    monkeypatch.setattr(model, "artefact_path", lambda: tmp_path / "old.npz")
    model.reset()
    try:
        assert model.sentence_model() is not None
        assert "stale" in model.model_status() and "refitted" in model.model_status()
        assert model.main(["--check", "--out", str(tmp_path / "old.npz")]) == 1
    finally:
        monkeypatch.undo()
        model.reset()


# ------------------------------------------------------------------ fusion
def _probs(**given: float) -> dict[str, float]:
    rest = (1.0 - sum(given.values())) / (26 - len(given))
    return {c: given.get(c, rest) for c in (*ACLED_CODES, NONE)}


def test_fusion_a_cue_moves_the_verdict_and_no_cue_leaves_it_to_the_model() -> None:
    lex = lexicon()
    probs = _probs(ATTACK=0.65, ARMED_CLASH=0.2)
    assert fuse(probs, {}, lex)[0] == "ATTACK"  # no cue: a confident model decides
    assert fuse(probs, {"ARMED_CLASH": 3.0}, lex)[0] == "ARMED_CLASH"  # a strong cue wins
    # a weak cue below the lexicon's threshold leans to no event
    assert fuse(_probs(ATTACK=0.3, NONE=0.25), {"ATTACK": 0.5}, lex, Fusion(1.0, 2.0, 0.0))[0] == NONE
    # a non-ACLED class (a disaster) counts for NONE
    assert fuse(_probs(ATTACK=0.4), {"NATURAL_DISASTER": 6.0}, lex)[0] == NONE
    # with no cue at all, an unsure model makes no event when a minimum is set
    assert fuse(_probs(ATTACK=0.2), {}, lex, Fusion(3.0, 1.0, 0.4))[0] == NONE
    _, blend = fuse(probs, {"ARMED_CLASH": 3.0}, lex)
    assert abs(sum(blend.values()) - 1.0) < 1e-9
    assert FUSION in FUSION_GRID


def test_worth_embedding_skips_short_lines_boilerplate_and_quiet_sentences() -> None:
    assert not worth_embedding("Share this:", lede=True)
    assert not worth_embedding("Photo: a street in the old town after the rain", lede=True)
    assert not worth_embedding("The museum reopened its west wing to visitors on Sunday.")
    assert worth_embedding("The museum reopened its west wing to visitors on Sunday.", lede=True)
    assert worth_embedding("Residents said nine villagers were killed overnight.")
    assert worth_embedding("Трое мирных жителей погибли при обстреле рынка.")
    assert worth_embedding("Delegations will meet again for talks in Geneva next month.")


# ------------------------------------------------------------------ events with no cue, in every language
# Each text: (language, expected ACLED code or None, text). Written for this test.
NO_CUE = [
    ("en", "ATTACK", "Eleven people died when the raiders reached the farming settlement before dawn."),
    ("ru", "REM_EXPLOS", "Двое сапёров погибли, когда под их машиной что-то сработало на дороге."),
]

LANGUAGES = [
    ("en", "AIR_STRIKE", "A drone strike destroyed a pickup truck carrying fighters near the oasis."),
    ("fr", "ABDUCT_DISSAP", "Des hommes armés ont enlevé un médecin et son chauffeur sur la route du nord."),
    ("fr", "AGREEMENT", "Les chefs des deux communautés ont signé un accord de paix dimanche."),
    ("ar", "AIR_STRIKE", "قتل خمسة مسلحين في غارة جوية على مخبئهم في الجبال."),
    ("ar", "ARREST", "اعتقلت قوات الأمن صحفيا في مطار العاصمة."),
    ("es", "ATTACK", "Hombres armados asesinaron a tres comerciantes en el mercado del pueblo."),
    ("es", "PEACE_PROTEST", "Cientos de estudiantes se manifestaron frente al ministerio para exigir becas."),
    ("it", "REM_EXPLOS", "Un ordigno è esploso al passaggio di una pattuglia, ferendo due agenti."),
    ("it", "ARREST", "La polizia ha arrestato tre presunti membri di una cellula jihadista."),
    ("ru", "ARMED_CLASH", "На окраине села произошли столкновения между армией и боевиками."),
    ("ru", "ABDUCT_DISSAP", "Неизвестные похитили главу местной администрации."),
    ("tr", "AIR_STRIKE", "Savaş uçaklarının düzenlediği hava saldırısında altı militan öldü."),
    ("tr", "ARREST", "Polis gösteriyi organize eden iki kişiyi gözaltına aldı."),
    ("es", None, "El equipo local ganó la final del torneo por tres goles a uno."),
    ("it", None, "La borsa ha chiuso in rialzo grazie ai titoli bancari."),
    ("ru", None, "Министр экономики рассказал о планах по снижению налогов."),
    ("tr", None, "Yeni köprü önümüzdeki ay trafiğe açılacak."),
    ("ar", None, "افتتح المعرض الدولي للكتاب أبوابه أمام الزوار."),
    ("fr", None, "Le festival de musique a attiré des milliers de visiteurs ce week-end."),
]


@pytest.mark.parametrize("lang,code,text", NO_CUE, ids=[f"{lang}-{code}" for lang, code, _ in NO_CUE])
def test_an_event_with_no_lexicon_cue(encoder, lang: str, code: str, text: str) -> None:  # type: ignore[no-untyped-def]
    scores, _ = score_text(text)
    assert not any(lexicon().classes[c].acled and v >= lexicon().threshold for c, v in scores.items()), scores
    assert classify(text, use_model=False).sub_event_type is None  # the lexicon alone makes nothing
    result = classify(text, lang=lang)
    assert result.code == code, result
    # its evidence is a real span of the text: the anchor word
    assert result.evidence and all(text[e.start:e.end] == e.text for e in result.evidence)


@pytest.mark.parametrize("lang,code,text", LANGUAGES, ids=[f"{lang}-{code}-{i}" for i, (lang, code, _) in enumerate(LANGUAGES)])
def test_the_same_model_reads_every_language(encoder, lang: str, code: str | None, text: str) -> None:  # type: ignore[no-untyped-def]
    result = classify(text, lang=lang)
    got = result.code if result.code in ACLED_CODES else None
    assert got == code, (result.code, result.scores)


def test_plain_sentences_from_the_issue_are_attacks(encoder) -> None:  # type: ignore[no-untyped-def]
    assert classify("At least 12 people were killed in an attack on a market in Sirte on Tuesday, officials said.").code == "ATTACK"
    assert classify("Twelve people were killed in the attack, officials said.").code == "ATTACK"


def test_a_verdict_the_lexicon_is_sure_of_skips_the_model(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.extract.events.classify import clear_caches, lexicon_sure, needs_model

    sure = "A suicide bomber blew himself up at a checkpoint, killing four guards."
    unsure = "Eleven people died when the raiders reached the farming settlement before dawn."
    assert lexicon_sure(score_text(sure)[0], lexicon())
    assert not lexicon_sure(score_text(unsure)[0], lexicon())
    assert not needs_model(sure, lede=True) and needs_model(unsure, lede=True)
    # the sure text is classified without asking the model at all
    clear_caches()
    monkeypatch.setattr(model, "probabilities", lambda text: pytest.fail("the model was asked"))
    assert classify(sure).code == "SUIC_BOMB"
    # a lower lexicon weight cannot guarantee the verdict: no shortcut then
    assert not lexicon_sure(score_text(sure)[0], lexicon(), Fusion(1.0, 2.0, 0.6))


def test_the_model_does_not_turn_a_shelling_of_civilians_into_an_attack(encoder) -> None:  # type: ignore[no-untyped-def]
    """Codebook: violence by shell, bomb or aircraft is coded by its method, even on civilians."""
    text = "Militiamen shelled the hamlet of Bir Saleh at dawn, killing three shepherds."
    assert classify(text).code == "ART_MISS_ATTACK"
    lex = lexicon()
    assert fuse(_probs(ATTACK=0.9), {"ART_MISS_ATTACK": 4.5, "ATTACK": 4.0}, lex)[0] == "ART_MISS_ATTACK"
    assert fuse(_probs(ATTACK=0.9), {"ART_MISS_ATTACK": 1.0, "ATTACK": 4.0}, lex)[0] == "ATTACK"
