"""Near-duplicate documents: MinHash signatures, the persisted LSH index, duplicate_of links."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.fusion_fixtures import (PORT_ANALYSIS_EN, PORT_EN, PORT_LATER_EN, PORT_REPOST, UNRELATED_EN,
                                   add_document)
from trucewatch.fusion import duplicates
from trucewatch.fusion.documents import duplicate_links, fuse_documents
from trucewatch.fusion.text import words
from trucewatch.store.schema import Document, DocumentMinHash, LshBand


def test_words_fold_case_marks_and_punctuation_in_any_script() -> None:
    assert words("Élysée: «L'accord» tient.") == ["elysee", "l", "accord", "tient"]
    # Arabic short vowels, tatweel and the hamza on alef go; the letters stay
    assert words("أعلنَ الجيـــش") == words("اعلن الجيش")
    assert words("Обстрел, ПОРТА!") == ["обстрел", "порта"]


def test_signature_estimates_separate_reposts_from_other_reports() -> None:
    original = duplicates.sign(PORT_EN)
    assert duplicates.is_duplicate(original, duplicates.sign(PORT_REPOST))[0]
    assert not duplicates.is_duplicate(original, duplicates.sign(PORT_ANALYSIS_EN))[0]
    assert not duplicates.is_duplicate(original, duplicates.sign(PORT_LATER_EN))[0]


def test_first_half_is_contained_though_its_jaccard_is_low() -> None:
    half = " ".join(PORT_EN.split()[: len(PORT_EN.split()) // 2])
    same, jac, cont = duplicates.is_duplicate(duplicates.sign(PORT_EN), duplicates.sign(half))
    assert same and jac < 0.7 and cont > 0.85


def test_band_hashes_are_stable_and_fit_a_bigint() -> None:
    a, b = duplicates.band_hashes(duplicates.sign(PORT_EN)), duplicates.band_hashes(duplicates.sign(PORT_EN))
    assert a == b and len(a) == len(duplicates.BANDS)
    assert all(-(2 ** 63) <= h < 2 ** 63 for h in a)


def test_reposts_point_to_the_earliest_original(store) -> None:  # type: ignore[no-untyped-def]
    half = " ".join(PORT_EN.split()[: len(PORT_EN.split()) // 2])
    with store.session() as s:
        ids = [add_document(s, PORT_EN, order=0), add_document(s, PORT_REPOST, order=1),
               add_document(s, half, order=2), add_document(s, PORT_ANALYSIS_EN, order=3),
               add_document(s, UNRELATED_EN, order=4)]
    fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        links = duplicate_links(s, ids)
    assert set(links) == {ids[1], ids[2]}
    assert links[ids[1]][0] == ids[0] and links[ids[2]][0] == ids[0]
    assert links[ids[1]][1] > 0.6


def test_a_repost_of_a_repost_points_to_the_original(store) -> None:  # type: ignore[no-untyped-def]
    edited = PORT_REPOST.replace("Firefighters", "Fire crews").replace("Local traders", "Merchants")
    with store.session() as s:
        ids = [add_document(s, PORT_EN, order=0), add_document(s, PORT_REPOST, order=1),
               add_document(s, edited, order=2)]
    fuse_documents(store, ids[:2], encoder=None)
    fuse_documents(store, ids[2:], encoder=None)
    with store.session() as s:
        assert {k: v[0] for k, v in duplicate_links(s, ids).items()} == {ids[1]: ids[0], ids[2]: ids[0]}


def test_an_older_document_fused_late_becomes_the_original(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as s:
        newer = add_document(s, PORT_REPOST, order=5)
        older = add_document(s, PORT_EN, order=1)
    fuse_documents(store, [newer], encoder=None)
    fuse_documents(store, [older], encoder=None)
    with store.session() as s:
        assert duplicate_links(s, [newer, older]) == {newer: (older, duplicate_links(s, [newer])[newer][1])}
        assert s.get(Document, older).duplicate_of is None


def test_rerunning_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as s:
        ids = [add_document(s, t, order=i) for i, t in enumerate([PORT_EN, PORT_REPOST, PORT_LATER_EN])]
    first = fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        before = (duplicate_links(s, ids), s.scalar(select(func.count()).select_from(LshBand)))
    again = fuse_documents(store, ids, encoder=None)
    with store.session() as s:
        after = (duplicate_links(s, ids), s.scalar(select(func.count()).select_from(LshBand)))
    assert first.signed == 3 and again.signed == 0 and again.placed == 0
    assert before == after and after[1] == 3 * len(duplicates.BANDS)


def test_a_new_document_is_compared_with_its_lsh_candidates_only(store) -> None:  # type: ignore[no-untyped-def]
    """Many stored documents, one new repost: one index lookup, and only the original compared."""
    with store.session() as s:
        filler = [add_document(s, f"Report number {i}: " + " ".join(
            f"w{(i * 7919 + j * 104729) % 100000}" for j in range(120)), order=i) for i in range(300)]
        original = add_document(s, PORT_EN, order=400)
    fuse_documents(store, [*filler, original], encoder=None)
    with store.session() as s:
        repost = add_document(s, PORT_REPOST, order=500)
    summary = fuse_documents(store, [repost], encoder=None)
    assert summary.lsh_lookups == 1
    assert summary.lsh_candidates == 1
    with store.session() as s:
        assert duplicate_links(s, [repost])[repost][0] == original
        assert s.get(DocumentMinHash, repost).matched == original
