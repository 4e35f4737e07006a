"""Stories: incremental, explainable, across languages, stable across re-runs."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.fusion_fixtures import (PORT_AR, PORT_EN, PORT_FR, PORT_LATER_EN, PORT_REPOST, UNRELATED_EN,
                                   add_document)
from trucewatch.fusion import documents, stories, termspace
from trucewatch.fusion.documents import fuse_documents, index_members, story_id_for, story_of
from trucewatch.store.schema import StageRun, Story, StoryMember, StoryTerm, TermFrequency

# a second report of the Misrata port strike, other words, same facts (an English lexical join)
PORT_SECOND_EN = (
    "Six rockets hit Misrata port on Tuesday evening, igniting two fuel tanks near the grain silo. "
    "Harbour master Salem Bukhari said three dock workers were wounded and that firefighters fought "
    "the blaze for four hours. Loading at the port was suspended and a flour ship turned back. The "
    "joint committee will send monitors to inspect the craters, two days after the truce on the "
    "coastal road was extended in Geneva."
)


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from trucewatch.embed import get_encoder

    found = get_encoder()
    if found is None:
        from trucewatch.embed import embedding_status

        pytest.skip(f"embedding model unavailable: {embedding_status().reason}")
    return found


def _store_docs(store, specs):  # type: ignore[no-untyped-def]
    with store.session() as s:
        return [add_document(s, text, title=title, published=day, language=lang, order=k)
                for k, (text, title, day, lang) in enumerate(specs)]


def test_term_counts_drop_function_words_in_several_languages() -> None:
    counts = stories.term_counts("Le port", "The port of the city and le port de la ville, في الميناء")
    assert counts["port"] == 3
    assert not {"the", "of", "and", "le", "de", "la", "في"} & set(counts)


def test_pair_score_explains_itself() -> None:
    a = stories.Profile("a", stories.parse_day("2026-03-10"), {"misrata": 2, "rockets": 1})
    b = stories.Profile("b", stories.parse_day("2026-03-13"), {"misrata": 1, "port": 1})
    idf = stories.Idf({"misrata": 1, "rockets": 1, "port": 1}, 3)
    sig = stories.signals(a, stories.weighted(a.terms, idf), b, stories.weighted(b.terms, idf))
    assert sig["gap_days"] == 3 and sig["embedding"] is None and 0 < float(sig["lexical"]) < 1
    w = stories.LEXICAL_ONLY
    assert stories.score(sig, w) == pytest.approx(
        float(sig["lexical"]) - w.gap * 3 / stories.WINDOW_DAYS)


def test_across_languages_the_embedding_needs_the_entities_and_a_near_date() -> None:
    w = stories.WITH_EMBEDDING
    pair = {"lexical": 0.0, "embedding": 0.6, "entities": 0.5, "gap_days": 1, "cross_language": 1.0}
    assert stories.score(pair, w) >= w.threshold  # the same places and actors carry a middling cosine
    assert stories.score({**pair, "entities": None}, w) < w.threshold  # a middling cosine alone does not
    assert stories.score({**pair, "entities": None, "embedding": 0.72}, w) >= w.threshold  # a high one does
    assert stories.score({**pair, "gap_days": 10}, w) == 0.0  # a week and more apart: another happening
    assert stories.score({**pair, "gap_days": None}, w) >= w.threshold  # an undated report may still join
    assert stories.score({**pair, "cross_language": None}, w) < w.threshold  # one language: words decide


def test_reports_of_one_happening_share_a_story_and_others_do_not(store) -> None:  # type: ignore[no-untyped-def]
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                              (PORT_SECOND_EN, "Misrata port shelled", "2026-03-11", "en"),
                              (UNRELATED_EN, "Friendly win in Tunis", "2026-03-11", "en")])
    summary = fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        found = story_of(s, ids)
        second = s.get(StoryMember, ids[1]).decision
    assert found[ids[0]] == found[ids[1]] == story_id_for(ids[0])
    assert found[ids[2]] == story_id_for(ids[2])
    assert summary.new_stories == 2 and summary.joined == 1 and "off" in summary.embeddings
    assert second["joined"] and second["via"] == ids[0] and second["weights"] == "lexical-only"
    assert second["signals"]["lexical"] >= stories.LEXICAL_ONLY.threshold


def test_a_repost_joins_its_originals_story(store) -> None:  # type: ignore[no-untyped-def]
    ids = _store_docs(store, [(PORT_EN, None, "2026-03-10", "en"), (PORT_REPOST, "Other title", "2026-03-12", "en")])
    fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        assert story_of(s, ids)[ids[1]] == story_id_for(ids[0])
        assert s.get(StoryMember, ids[1]).decision["weights"] == "duplicate"


def test_a_look_alike_incident_a_week_later_stays_apart(store, encoder) -> None:  # type: ignore[no-untyped-def]
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                              (PORT_LATER_EN, "Drone strike on Misrata harbour", "2026-03-18", "en")])
    fuse_documents(store, ids, encoder=encoder)
    with store.session() as s:
        found = story_of(s, ids)
        later = s.get(StoryMember, ids[1]).decision
    assert found[ids[0]] != found[ids[1]]
    assert later["joined"] is False and later["compared"] == 1 and later["signals"]["gap_days"] == 8


def test_a_story_joins_across_languages(store, encoder) -> None:  # type: ignore[no-untyped-def]
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                              (PORT_AR, "صواريخ على ميناء مصراتة", "2026-03-10", "ar"),
                              (PORT_FR, "Des roquettes frappent le port de Misrata", "2026-03-11", "fr"),
                              (UNRELATED_EN, "Friendly win in Tunis", "2026-03-11", "en")])
    summary = fuse_documents(store, ids, encoder=encoder)
    with store.session() as s:
        found = story_of(s, ids)
        arabic = s.get(StoryMember, ids[1]).decision
    assert found[ids[1]] == found[ids[2]] == found[ids[0]] != found[ids[3]]
    assert arabic["signals"]["cross_language"] == 1.0 and arabic["signals"]["embedding"] >= 0.6
    assert summary.embeddings.startswith("on")


def test_documents_outside_the_window_are_not_compared(store) -> None:  # type: ignore[no-untyped-def]
    old = _store_docs(store, [(UNRELATED_EN.replace("Saturday", f"day {k}"), None, f"2025-0{1 + k % 6}-10", "en")
                              for k in range(12)])
    fuse_documents(store, old, encoder=None)
    with store.session() as s:
        new = add_document(s, PORT_EN, published="2026-03-10", order=100)
    summary = fuse_documents(store, [new], encoder=None)
    assert summary.story_lookups == 1 and summary.members_compared == 0 and summary.new_stories == 1


def test_rerunning_changes_nothing_and_ids_are_stable(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    specs = [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
             (PORT_SECOND_EN, "Misrata port shelled", "2026-03-11", "en"),
             (PORT_LATER_EN, "Drone strike on Misrata harbour", "2026-03-18", "en"),
             (UNRELATED_EN, "Friendly win in Tunis", "2026-03-11", "en")]
    ids = _store_docs(store, specs)
    fuse_documents(store, ids, encoder=None, batch=2)

    def snapshot():  # type: ignore[no-untyped-def]
        with store.session() as s:
            members = sorted((m.document_id, m.story_id, m.seq, m.score) for m in s.scalars(select(StoryMember)))
            tf = sorted((t.term, t.df) for t in s.scalars(select(TermFrequency)))
            return members, tf, s.scalar(select(func.count()).select_from(Story))
    before = snapshot()
    again = fuse_documents(store, ids, encoder=None)
    assert again.placed == 0 and snapshot() == before

    # the same input in a fresh store gives the same story ids
    from trucewatch.store import open_store

    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        ids2 = _store_docs(other, specs)
        fuse_documents(other, ids2, encoder=None)
        with other.session() as s, store.session() as t:
            assert story_of(s, ids2) == story_of(t, ids)
    finally:
        other.close()


def test_an_interrupted_fuse_leaves_whole_batches_and_a_rerun_finishes_the_same(store, tmp_path,
                                                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A failure in the middle of a batch (as a kill would) rolls that batch back entirely;
    running again gives what one uninterrupted run gives."""
    from trucewatch.fusion import documents
    from trucewatch.store import open_store
    from trucewatch.store.schema import DocumentMinHash

    specs = [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
             (PORT_REPOST, "Port attack", "2026-03-10", "en"),
             (PORT_SECOND_EN, "Misrata port shelled", "2026-03-11", "en"),
             (PORT_LATER_EN, "Drone strike on Misrata harbour", "2026-03-18", "en"),
             (UNRELATED_EN, "Friendly win in Tunis", "2026-03-11", "en")]
    ids = _store_docs(store, specs)
    real, calls = stories.decide, []

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(documents.stories, "decide", failing)
    with pytest.raises(KeyboardInterrupt):
        fuse_documents(store, ids, encoder=None, batch=2)
    with store.session() as s:
        signed = set(s.scalars(select(DocumentMinHash.document_id)))
        placed = set(s.scalars(select(StoryMember.document_id)))
    assert signed == placed and len(placed) == 2  # the first batch whole, nothing of the second
    monkeypatch.setattr(documents.stories, "decide", real)
    fuse_documents(store, ids, encoder=None, batch=2)

    def state(st, doc_ids):  # type: ignore[no-untyped-def]
        """Document ids are hashes of their text, so both stores name everything alike."""
        with st.session() as s:
            return (sorted((m.document_id, m.story_id, m.score) for m in s.scalars(select(StoryMember))),
                    sorted((t.term, t.df) for t in s.scalars(select(TermFrequency))),
                    documents.duplicate_links(s, doc_ids))

    other = open_store(f"sqlite:///{tmp_path / 'uninterrupted.db'}")
    try:
        assert _store_docs(other, specs) == ids
        fuse_documents(other, ids, encoder=None, batch=2)
        assert state(store, ids) == state(other, ids)
    finally:
        other.close()


def test_a_dense_window_is_shortlisted_without_losing_the_match() -> None:
    """More members than MAX_MEMBERS: the cheap ranking keeps the report that shares the words."""
    idf = stories.Idf({}, 1)
    new = stories.Profile("new", None, stories.term_counts("Misrata port shelled", PORT_SECOND_EN))
    filler = [stories.Candidate(stories.Profile(f"f{k}", None, {f"word{k}": 3, f"other{k}": 1, "port": 1}), f"s{k}")
              for k in range(stories.MAX_MEMBERS + 50)]
    match = stories.Candidate(stories.Profile("m", None, stories.term_counts(None, PORT_EN)), "s-match")
    members = filler[:200] + [match] + filler[200:]
    kept = stories.shortlist(new, stories.weighted(new.terms, idf), members)
    assert len(kept) == stories.MAX_MEMBERS and match in kept
    assert [m.profile.doc_id for m in kept] == [m.profile.doc_id for m in members if m in kept]  # order kept


def _filler(k: int) -> str:
    """A short report of its own, sharing only common words with the port reports."""
    return (f"Officials in district {k} opened school number {k} on Monday; pupils from village {k} "
            f"walked with teacher {k} and the port city council thanked donor {k}.")


def test_a_dense_window_in_the_store_is_narrowed_by_the_term_index(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """More window members than MAX_MEMBERS: the indexed heaviest terms find the report that
    shares the words (placed last, so a shortlist by arrival order would drop it)."""
    monkeypatch.setattr(stories, "MAX_MEMBERS", 4)
    ids = _store_docs(store, [(_filler(k), f"School {k} opens", "2026-03-10", "en") for k in range(12)]
                      + [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en")])
    fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        new = add_document(s, PORT_SECOND_EN, title="Misrata port shelled", published="2026-03-11", order=50)
        rows = s.scalars(select(StoryTerm).where(StoryTerm.document_id == ids[-1])).all()
    assert 0 < len(rows) <= stories.INDEX_TERMS and {r.day for r in rows} == {"2026-03-10"}
    assert "misrata" in {r.term for r in rows}
    summary = fuse_documents(store, [new], encoder=None)
    assert summary.members_compared == 4
    with store.session() as s:
        assert story_of(s, [new])[new] == story_id_for(ids[-1])


class _TopicEncoder:
    """Stands in for the sentence encoder: reports naming Misrata share one direction, each
    other report points its own way (so the cosine shortlist has one right answer)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for k, text in enumerate(texts):
            out[k, 0 if "Misrata" in text else 1 + sum(map(ord, text)) % 15] = 1.0
        return out


def test_a_dense_window_is_narrowed_by_the_embeddings_read_once(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(stories, "MAX_MEMBERS", 4)
    ids = _store_docs(store, [(_filler(k), f"School {k} opens", "2026-03-10", "en") for k in range(12)]
                      + [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en")])
    fuse_documents(store, ids, encoder=_TopicEncoder())
    with store.session() as s:
        new = add_document(s, PORT_SECOND_EN, title="Misrata port shelled", published="2026-03-11", order=50)
    summary = fuse_documents(store, [new], encoder=_TopicEncoder())
    with store.session() as s:
        decision = s.get(StoryMember, new).decision
    assert summary.members_compared == 4 and decision["via"] == ids[-1] and decision["signals"]["embedding"] == 1.0


def test_members_stored_before_the_index_are_indexed_as_the_fuse_indexes_them(store) -> None:  # type: ignore[no-untyped-def]
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                              (UNRELATED_EN, None, None, "en")])
    fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        placed = {(r.document_id, r.term, r.day) for r in s.scalars(select(StoryTerm))}
        s.execute(StoryTerm.__table__.delete())
    with store.session() as s:
        assert index_members(s) == 2
        assert index_members(s) == 0  # nothing left to index
    with store.session() as s:
        backfilled = {(r.document_id, r.term, r.day) for r in s.scalars(select(StoryTerm))}
    assert {d for d, _t, _day in backfilled} == set(ids)
    assert {day for d, _t, day in backfilled if d == ids[1]} == {None}  # undated, as its member
    # the same document frequencies now, so the same heaviest terms (the fuse weighed the first
    # document before the second was counted; the overlap is what the shortlist needs)
    assert len(backfilled & placed) >= 0.8 * len(placed)


_SLOW_FUSE = """
import sys, time
from trucewatch.fusion import documents, stories
from trucewatch.store import open_store
real = stories.decide
def slow(*args, **kwargs):
    time.sleep(0.05)
    return real(*args, **kwargs)
documents.stories.decide = slow
store = open_store(sys.argv[1])
documents.fuse_documents(store, sys.argv[2].split(","), encoder=None, batch=3)
"""


@pytest.mark.slow
def test_sigkill_mid_fuse_then_rerun_gives_the_uninterrupted_result(db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from trucewatch.fusion import documents
    from trucewatch.store import open_store
    from trucewatch.store.schema import DocumentMinHash

    base = [PORT_EN, PORT_SECOND_EN, PORT_LATER_EN, UNRELATED_EN, PORT_REPOST]
    specs = [(f"{base[k % 5]}\nDispatch {k}.", None, f"2026-03-{10 + k % 9:02d}", "en") for k in range(30)]
    store = open_store(db_url)
    ids = _store_docs(store, specs)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_FUSE, db_url, ",".join(ids)], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with store.session() as s:
                if s.scalar(select(func.count()).select_from(StoryMember)) >= 6:
                    break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the fuse finished before the kill"
    with store.session() as s:
        signed = set(s.scalars(select(DocumentMinHash.document_id)))
        placed = set(s.scalars(select(StoryMember.document_id)))
    assert signed == placed and len(placed) % 3 == 0 and 0 < len(placed) < len(ids)  # whole batches only
    documents.fuse_documents(store, ids, encoder=None, batch=3)

    def state(st):  # type: ignore[no-untyped-def]
        with st.session() as s:
            return (sorted((m.document_id, m.story_id, m.score) for m in s.scalars(select(StoryMember))),
                    sorted((t.term, t.df) for t in s.scalars(select(TermFrequency))),
                    documents.duplicate_links(s, ids))

    other = open_store(f"sqlite:///{tmp_path / 'uninterrupted.db'}")
    try:
        assert _store_docs(other, specs) == ids
        documents.fuse_documents(other, ids, encoder=None, batch=3)
        assert state(store) == state(other)
    finally:
        other.close()
        store.close()


def test_term_df_counts_each_placed_document_once_per_term(store) -> None:  # type: ignore[no-untyped-def]
    """The batch's counts are written at its end: one per document that has the term,
    whatever the term's count within the document."""
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                              (PORT_SECOND_EN, "Misrata port shelled", "2026-03-11", "en"),
                              (UNRELATED_EN, None, "2026-03-11", "en")])
    fuse_documents(store, ids, encoder=None, batch=2)
    with store.session() as s:
        stored = {t.term: t.df for t in s.scalars(select(TermFrequency))}
        profiles = [stories.unpack_terms(m.profile) for m in s.scalars(select(StoryMember))]
    expected: dict[str, int] = {}
    for terms in profiles:
        for term in terms:
            expected[term] = expected.get(term, 0) + 1
    assert stored == expected and stored["port"] == 2 and max(profiles[0].values()) > 1


def test_profiles_stored_before_packing_are_still_read(store) -> None:  # type: ignore[no-untyped-def]
    """A member whose profile holds its terms as a JSON object (stores fused before the
    packed form) meets a new report with the same score as a packed one."""
    ids = _store_docs(store, [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en")])
    fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        new = add_document(s, PORT_SECOND_EN, title="Misrata port shelled", published="2026-03-11", order=5)
    scores = []
    for form in ("packed", "object"):
        with store.session() as s:
            member = s.get(StoryMember, ids[0])
            packed = dict(member.profile)
            assert "terms" not in packed and stories.unpack_terms(packed)["port"] >= 2
            if form == "object":
                member.profile = {"terms": stories.unpack_terms(packed), "entities": packed["entities"],
                                  "language": packed["language"]}
                s.flush()
            summary = fuse_documents(s, [new], encoder=None)
            joined = s.get(StoryMember, new)
            assert summary.joined == 1 and joined.story_id == story_id_for(ids[0])
            scores.append(joined.score)
            s.rollback()
    assert scores[0] == scores[1] and scores[0] > stories.LEXICAL_ONLY.threshold


def test_caches_kept_between_batches_change_no_decision(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The term arrays, frequencies and indexed terms that ``fuse`` keeps from batch to batch
    give the decisions of a run that re-reads everything (caches of one entry)."""
    from trucewatch.fusion.run import FuseSummary, documents_step
    from trucewatch.store import open_store

    monkeypatch.setattr(stories, "MAX_MEMBERS", 4)  # a dense window: the term index shortlists
    specs = ([(_filler(k), f"School {k} opens", f"2026-03-{10 + k % 3}", "en") for k in range(9)]
             + [(PORT_EN, "Rockets hit Misrata port", "2026-03-10", "en"),
                (PORT_SECOND_EN, "Misrata port shelled", "2026-03-11", "en"),
                (UNRELATED_EN, None, "2026-03-11", "en"), (PORT_LATER_EN, "Port reopens", "2026-03-12", "en")])
    class Forgetful(termspace.TermSpace):
        """Forgets everything once a batch is stored: every batch reads the store afresh."""

        def confirm(self) -> None:
            super().confirm()
            self.__init__()  # type: ignore[misc]

    runs = []
    for name, size in (("kept", None), ("reread", 1), ("fresh", None)):
        if size is not None:
            monkeypatch.setattr(termspace, "CACHED_MEMBERS", size)
            monkeypatch.setattr(termspace, "CACHED_INDEXED", size)
        if name == "fresh":
            monkeypatch.setattr("trucewatch.fusion.run.TermSpace", Forgetful)
        monkeypatch.setattr("trucewatch.fusion.run.BATCH", 3)
        monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
        store = open_store(f"sqlite:///{tmp_path / name}.db")
        ids = _store_docs(store, specs)
        with store.session() as s:  # the events stage's run, which makes a document due for fusion
            s.add_all(StageRun(document_id=d, stage="events", version="t", status="ok",
                               ran_at=datetime.now(timezone.utc)) for d in ids)
        documents_step(store, None, FuseSummary())
        with store.session() as s:
            runs.append([(m.document_id, m.story_id, m.score, m.decision)
                         for m in s.scalars(select(StoryMember).order_by(StoryMember.seq))])
        store.close()
    assert len(runs[0]) == len(specs) and runs[0] == runs[1] == runs[2]
    story = {doc: st for doc, st, _score, _decision in runs[0]}
    assert story[ids[10]] == story[ids[9]] != story[ids[11]]  # the two port reports make one story
