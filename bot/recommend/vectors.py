"""Text → term counts → tf-idf rows, the features arxiv-sanity-lite ranks with.

arxiv-sanity-lite (karpathy/arxiv-sanity-lite, compute.py) fits a `TfidfVectorizer` over the
whole corpus: English stop words, words of two or more characters starting with a letter,
unigrams and bigrams, sublinear tf, smoothed idf, l2 rows, terms in more than half the papers
dropped. Fitting a vocabulary means re-reading every paper whenever one arrives, so here the
same analyzer feeds a `HashingVectorizer` (a term's column is its hash: no vocabulary), each
paper's counts are stored once, and the idf comes from document frequencies kept up to date
as papers arrive. Adding a thousand papers touches only those thousand.

numpy, scipy and scikit-learn are imported lazily: `paperbot --help` and every command that
does not recommend never pay for them.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

N_FEATURES = 2**18  # ~260k columns: few collisions for a corpus's uni- and bigrams
MAX_DF = 0.5  # arxiv-sanity-lite's max_df: a term in over half the papers says nothing
MAX_DF_MIN_DOCS = 20  # ... once there are enough papers for "half" to mean something
TOKEN_PATTERN = r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b"


def warm_up() -> None:
    """Import numpy, scipy and scikit-learn (seconds, once per process): a command runs this in
    a worker thread first, so the event loop keeps answering (a Slack ack, a Discord defer)
    meanwhile."""
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.svm  # noqa: F401


@cache
def _hasher() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=True,
        strip_accents="unicode",
        stop_words="english",
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, 2),
        dtype=_np().float32,
    )


def _np() -> Any:
    import numpy

    return numpy


def paper_text(title: str | None, abstract: str | None) -> str:
    """What a paper is judged by: its title and abstract."""
    return f"{title or ''}. {abstract or ''}"


def count_rows(texts: list[str]) -> list[tuple[bytes, bytes]]:
    """Each text's (term columns, counts) as raw int32 / uint16 buffers, columns ascending."""
    if not texts:
        return []
    np = _np()
    counts = _hasher().transform(texts).tocsr()
    counts.sort_indices()
    out = []
    for i in range(counts.shape[0]):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        terms = counts.indices[lo:hi].astype(np.int32)
        values = np.minimum(counts.data[lo:hi], 65535).astype(np.uint16)
        out.append((terms.tobytes(), values.tobytes()))
    return out


def decode(terms: bytes, counts: bytes) -> tuple[np.ndarray, np.ndarray]:
    np = _np()
    return np.frombuffer(terms, dtype=np.int32), np.frombuffer(counts, dtype=np.uint16)


def decode_df(raw: bytes) -> np.ndarray:
    """Stored document frequencies as a writable array."""
    np = _np()
    return np.frombuffer(raw, dtype=np.int32).copy()


def empty_df() -> np.ndarray:
    return _np().zeros(N_FEATURES, dtype="int32")


def tfidf_matrix(rows: list[tuple[bytes, bytes]], df: np.ndarray, docs: int) -> sparse.csr_matrix:
    """Stored counts as l2-normalised tf-idf rows (sublinear tf, smoothed idf, max_df).

    Only the rows' own terms get columns (renumbered, in hash order): every use compares rows
    of one matrix with each other, and a narrow matrix makes the SVM's work follow the
    papers, not the 2^18 hash columns."""
    np = _np()
    from scipy import sparse

    decoded = [decode(t, c) for t, c in rows]
    lengths = np.array([len(t) for t, _ in decoded], dtype=np.int64)
    indptr = np.zeros(len(decoded) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(lengths)
    if not decoded or not indptr[-1]:
        return sparse.csr_matrix((len(decoded), 1), dtype=np.float32)
    terms = np.concatenate([t for t, _ in decoded])
    data = np.concatenate([c for _, c in decoded]).astype(np.float32)
    idf = (np.log((1.0 + docs) / (1.0 + df[terms])) + 1.0).astype(np.float32)
    if docs >= MAX_DF_MIN_DOCS:
        idf[df[terms] > MAX_DF * docs] = 0.0
    data = (1.0 + np.log(np.maximum(data, 1.0))) * idf
    squares = np.zeros(len(decoded), dtype=np.float32)
    nonempty = lengths > 0
    squares[nonempty] = np.add.reduceat(data * data, indptr[:-1][nonempty])
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, lengths)
    used = np.zeros(N_FEATURES, dtype=bool)
    used[terms] = True
    renumber = np.cumsum(used, dtype=np.int32) - 1  # a used column's rank among the used
    width = int(renumber[-1]) + 1
    m = sparse.csr_matrix((data, renumber[terms], indptr), shape=(len(decoded), width))
    m.eliminate_zeros()  # the terms max_df silenced
    return m
