"""The story step's term arrays: the same cosines as the dict form, and frequencies that
count only what a committed batch stored."""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import insert

from trucewatch.fusion import stories
from trucewatch.fusion.stories import Idf, Profile
from trucewatch.fusion.termspace import BatchIdf, TermSpace
from tests.fusion_fixtures import add_document
from trucewatch.store.schema import Story, StoryMember, TermFrequency

NEW = {"shelling": 3, "port": 2, "tripoli": 1, "ceasefire": 1}
MEMBERS = [{"port": 1, "tripoli": 2, "drone": 1}, {"market": 4, "sirte": 1}, {}, {"shelling": 1, "ceasefire": 5}]
STORED_DF = {"port": 7, "tripoli": 2, "ceasefire": 30, "market": 1}


def _member(session, n: int) -> None:  # type: ignore[no-untyped-def]
    """A stored story member (its terms do not matter here, only that it counts)."""
    doc = add_document(session, f"Report number {n} of a busy month.", order=n, doc_id=f"d{n}")
    if session.get(Story, "st-d0") is None:
        session.add(Story(id="st-d0", founder=doc, size=0))
        session.flush()
    session.execute(insert(StoryMember), [{"document_id": doc, "story_id": "st-d0", "seq": n + 1,
                                           "profile": {"terms": {}}, "decision": {}}])


def _seed(session, members: int = 40) -> None:  # type: ignore[no-untyped-def]
    session.execute(insert(TermFrequency), [{"term": t, "df": n} for t, n in STORED_DF.items()])
    for n in range(members):
        _member(session, n)


def test_cosines_equal_the_dict_form(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        _seed(session)
        space = TermSpace()
        batch = [space.compact(NEW), space.compact({"port": 1})]
        idf = BatchIdf(space, session, batch)
        got = idf.cosines(batch[0], [(str(k), space.compact(m)) for k, m in enumerate(MEMBERS)])
        pending = {"shelling": 1, "port": 2, "tripoli": 1, "ceasefire": 1}
        ref = Idf({t: STORED_DF.get(t, 0) + pending.get(t, 0) for t in {*NEW, *STORED_DF, "drone", "sirte"}},
                  40 + len(batch))
        new_vec = stories.weighted(NEW, ref)
        want = [stories.lexical(new_vec, stories.weighted(m, ref)) for m in MEMBERS]
        assert np.allclose(got, want, atol=1e-12)
        assert got[1] == 0.0 and got[2] == 0.0 and min(got[0], got[3]) > 0.0  # no shared word, no words
        weights = dict(zip([space.terms[i] for i in batch[0][0].tolist()], idf.weights(batch[0]).tolist()))
        assert all(math.isclose(weights[t], new_vec[t], rel_tol=1e-12) for t in NEW)


def test_frequencies_count_only_confirmed_batches(store) -> None:  # type: ignore[no-untyped-def]
    space = TermSpace()
    with store.session() as session:
        _seed(session)
    with store.session() as session:
        doc = space.compact({"port": 2, "drone": 1})
        idf = BatchIdf(space, session, [doc])
        idf(doc[0])
        assert space.stored_df(session, doc[0]).tolist() == [7, 0]
        space.stage({"d-new": (Profile("d-new", None, {}), doc)}, {})
    # the transaction rolled back (no confirm): a new stage replaces it and nothing is counted
    space.stage({}, {})
    space.confirm()
    with store.session() as session:
        assert space.stored_df(session, doc[0]).tolist() == [7, 0]
        space.stage({"d-new": (Profile("d-new", None, {}), doc)}, {})
    space.confirm()
    with store.session() as session:
        assert space.stored_df(session, doc[0]).tolist() == [8, 1]
        assert "d-new" in space.members


def test_another_writer_makes_it_read_the_frequencies_again(store) -> None:  # type: ignore[no-untyped-def]
    space = TermSpace()
    with store.session() as session:
        _seed(session)
        ids = space.compact({"port": 1})[0]
        space.stored_members(session)
        assert space.stored_df(session, ids).tolist() == [7]
    with store.session() as session:  # someone else places a document with "port"
        _member(session, 99)
        session.query(TermFrequency).filter_by(term="port").update({"df": 8})
    with store.session() as session:
        assert space.stored_members(session) == 41
        assert space.stored_df(session, ids).tolist() == [8]
