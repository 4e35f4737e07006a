"""The date window of a batch: the streamed, chunked shortlist by embedding picks exactly the
members that comparing the document with every member of its window would pick."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import select

from tests.fusion_fixtures import add_document
from trucewatch.fusion import stories, window
from trucewatch.fusion.documents import fuse_documents
from trucewatch.fusion.stories import Profile
from trucewatch.fusion.window import Window
from trucewatch.store.schema import StoryMember

START = date(2026, 1, 1)


class _CoarseEncoder:
    """Stands in for the sentence encoder with vectors of halves and ones, so that every dot
    product is exact whatever the order of its sums, and reports of one topic tie exactly
    (ties must go to the earlier member)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([_vector(int(t.split("topic ")[1].split()[0])) for t in texts])


def _vector(topic: int) -> np.ndarray:
    rng = np.random.default_rng(topic)
    return (rng.integers(0, 3, size=8) / 2).astype(np.float32)


def _text(k: int, topic: int) -> str:
    return f"Report {k} on topic {topic} from district {k % 7}, with words of its own: item {k}."


def _expected(session, profile: Profile) -> list[tuple[str, str, int, str | None]]:  # type: ignore[no-untyped-def]
    """Every member of the window compared, as :func:`stories.shortlist` ranks them."""
    rows = session.execute(select(StoryMember.document_id, StoryMember.story_id, StoryMember.seq, StoryMember.day,
                                  StoryMember.embedding).order_by(StoryMember.seq)).all()
    assert profile.day is not None and profile.embedding is not None
    inside = [r for r in rows if r[3] is None
              or abs((date.fromisoformat(r[3]) - profile.day).days) <= stories.WINDOW_DAYS]
    members = [(r[0], r[1], r[2], r[3]) for r in inside]
    if len(members) <= stories.MAX_MEMBERS:
        return members
    closeness = np.array([np.inf if r[4] is None else
                          float(np.frombuffer(r[4], dtype="<f2").astype(np.float32) @ profile.embedding)
                          for r in inside])
    return [members[i] for i in stories.closest(closeness)]


def test_the_streamed_shortlist_is_the_full_comparisons(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(stories, "MAX_MEMBERS", 10)
    monkeypatch.setattr(window, "CHUNK", 7)  # the span is read in many chunks
    specs = [(_text(k, k % 3), (START + timedelta(days=(k * 11) % 120)).isoformat() if k % 9 else None)
             for k in range(150)]
    with store.session() as s:
        ids = [add_document(s, text, published=day, order=k) for k, (text, day) in enumerate(specs)]
    fuse_documents(store, ids[:10], encoder=None)  # members without an embedding: always kept
    fuse_documents(store, ids[10:], encoder=_CoarseEncoder())
    days = [START + timedelta(days=d) for d in (0, 15, 45, 60, 119, 150)]
    profiles = [Profile(f"new-{k}", day, {}, frozenset(), _vector(k % 3), "en") for k, day in enumerate(days)]
    with store.session() as s:
        found = Window(s, profiles, embeddings=True)
        for profile in profiles:
            expected = _expected(s, profile)
            assert found.nearest(profile) == expected
            assert len(expected) == stories.MAX_MEMBERS or profile.day == days[-1]


def test_members_placed_in_the_batch_join_the_windows_of_later_documents(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(stories, "MAX_MEMBERS", 3)
    with store.session() as s:
        ids = [add_document(s, _text(k, 1), published=START.isoformat(), order=k) for k in range(5)]
    fuse_documents(store, ids, encoder=_CoarseEncoder())
    new = Profile("new", START, {}, frozenset(), _vector(2), "en")
    with store.session() as s:
        found = Window(s, [new], embeddings=True)
        before = found.nearest(new)
        found.add(("placed", "st-placed", 99, START.isoformat()), _vector(2).astype("<f2"))
        after = found.nearest(new)
    assert len(before) == len(after) == 3 and ("placed", "st-placed", 99, START.isoformat()) in after
