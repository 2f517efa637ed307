"""The recommender's index: each paper's term counts, made once, and the corpus's document
frequencies, kept in step — so new papers cost only themselves.

A paper is (re)counted when it has no vector or its title or abstract changed since (a new
arXiv version rewrites its abstract; a trigger in storage marks the vector stale); its old
counts leave the document frequencies as its new ones enter, in the same transaction, so two
processes updating at once never count a paper twice. `paperbot reindex` throws the index
away and counts every paper again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlite_utils

from bot.recommend import vectors as vec
from storage import recommend as rec_store
from storage.tx import transaction

if TYPE_CHECKING:
    import numpy as np

BATCH = 2000  # papers per transaction when indexing everything


def update(db: sqlite_utils.Database, ids: Sequence[str] | None = None) -> int:
    """Index the papers (of `ids`, else all) that are new or changed; return how many."""
    stored = rec_store.corpus(db)
    if stored is not None and stored.n_features != vec.N_FEATURES:
        rec_store.clear_index(db)  # counted with another hashing width: start again
    stale = rec_store.stale_ids(db, ids)
    for i in range(0, len(stale), BATCH):
        _index_batch(db, stale[i : i + BATCH])
    return len(stale)


def rebuild(db: sqlite_utils.Database) -> int:
    """Forget the index and count every stored paper again; return how many."""
    rec_store.clear_index(db)
    return update(db)


def _index_batch(db: sqlite_utils.Database, ids: Sequence[str]) -> None:
    rows = rec_store.paper_texts(db, ids)
    counted = vec.count_rows([vec.paper_text(r["title"], r["abstract"]) for r in rows])
    with transaction(db):
        df, docs = corpus_df(db)
        for old in rec_store.vectors(db, [r["id"] for r in rows]).values():
            terms, _ = vec.decode(old.terms, old.counts)
            df[terms] -= 1
            docs -= 1
        out = []
        for r, (terms_raw, counts_raw) in zip(rows, counted, strict=True):
            terms, _ = vec.decode(terms_raw, counts_raw)
            df[terms] += 1
            docs += 1
            out.append(rec_store.StoredVector(r["id"], terms_raw, counts_raw))
        rec_store.store_vectors(db, out, rec_store.Corpus(vec.N_FEATURES, docs, df.tobytes()))


def corpus_df(db: sqlite_utils.Database) -> tuple[np.ndarray, int]:
    """The document frequencies and the number of papers counted (empty when none)."""
    stored = rec_store.corpus(db)
    if stored is None or stored.n_features != vec.N_FEATURES:
        return vec.empty_df(), 0
    return vec.decode_df(stored.df), stored.docs
