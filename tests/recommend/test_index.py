"""The index counts each paper once, re-counts only what changed, and stays equal to a rebuild."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bot.recommend import index
from bot.recommend import vectors as vec
from storage import papers as paper_store
from storage import recommend as rec_store


def _state(db) -> tuple[list[int], int, dict[str, bytes]]:
    df, docs = index.corpus_df(db)
    ids = [r[0] for r in db.execute("SELECT id FROM papers").fetchall()]
    return df.tolist(), docs, {k: v.terms for k, v in rec_store.vectors(db, ids).items()}


def test_only_new_papers_are_counted(db, papers) -> None:
    assert index.update(db) == len(papers)
    assert index.update(db) == 0  # nothing new: nothing counted
    new = replace(papers[0], id="2309.99999", title="A brand new paper on speech")
    paper_store.upsert_papers(db, [new])
    assert index.update(db) == 1
    _, docs = index.corpus_df(db)
    assert docs == len(papers) + 1 == rec_store.indexed_count(db)


def test_a_changed_paper_is_recounted_and_its_old_terms_leave_the_frequencies(db, papers) -> None:
    index.update(db)
    changed = replace(papers[3], abstract="Quantum gravity holography strings, rewritten.")
    paper_store.upsert_papers(db, [changed])
    assert rec_store.stale_ids(db) == [changed.id]
    assert index.update(db) == 1
    incremental = _state(db)
    assert index.rebuild(db) == len(papers)
    assert _state(db) == incremental


def test_updating_some_ids_counts_only_those(db, papers) -> None:
    some = [p.id for p in papers[:5]]
    assert index.update(db, some) == 5
    assert index.update(db, some) == 0
    assert rec_store.indexed_count(db) == 5


def test_rows_are_unit_length_and_a_term_in_most_papers_weighs_nothing(db, papers) -> None:
    index.update(db)
    df, docs = index.corpus_df(db)
    stored = rec_store.vectors(db, [p.id for p in papers])
    x = vec.tfidf_matrix([(v.terms, v.counts) for v in stored.values()], df, docs)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)
    one = vec.tfidf_matrix([vec.count_rows(["x"])[0]], df, docs)  # no usable term at all
    assert one.nnz == 0


def test_a_term_in_over_half_the_papers_weighs_nothing() -> None:
    [(terms, counts)] = vec.count_rows(["gravity holography"])  # two words and their bigram
    df = vec.empty_df()
    columns, _ = vec.decode(terms, counts)
    assert len(columns) == 3
    df[columns] = 10
    assert vec.tfidf_matrix([(terms, counts)], df, 100).nnz == 3
    [(common, _)] = vec.count_rows(["gravity"])
    df[vec.decode(common, _)[0]] = 60  # "gravity" is in 60 of 100 papers
    assert vec.tfidf_matrix([(terms, counts)], df, 100).nnz == 2


def test_counts_are_stored_as_raw_arrays_not_pickles(db, papers) -> None:
    index.update(db, [papers[0].id])
    v = rec_store.vectors(db, [papers[0].id])[papers[0].id]
    terms, counts = vec.decode(v.terms, v.counts)
    assert len(terms) == len(counts) > 10 and list(terms) == sorted(terms)
    assert not v.terms.startswith(b"\x80")  # a pickle's first byte
