"""On the recorded corpus (../shared/data): SQL search and the Python matcher agree, and
the Python tokenizer/stemmer indexes every word exactly as FTS5 does. Skipped without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.model import Paper
from bot.query.fts_text import index_terms
from tests.support.core import SHARED_DATA
from tests.support.fts import sqlite_terms
from tests.support.search import hf_entry_to_paper, make_db, matcher_ids, reference_ids, sql_ids

DAILY = SHARED_DATA / "hf-daily-papers"
pytestmark = pytest.mark.skipif(not DAILY.is_dir(), reason="recorded corpus not present")

QUERIES = [
    "diffusion",
    "video generation",
    '"large language models"',
    "reinforcement learning -survey",
    "(rlhf OR dpo OR preference) alignment",
    "agent OR agents",
    "has:code upvotes>=20",
    "author:wang",
    'author:"Xiang" benchmark',
    "benchmark -video -image",
    "multimodal reasoning",
    "org:nvidia OR org:Qwen",
    "has:project 3d",
    "mixture-of-experts",
    '"chain of thought" OR "chain-of-thought"',
]


def _day_papers(path: Path) -> list[Paper]:
    entries = json.loads(path.read_text("utf-8"))
    return [hf_entry_to_paper(e) for e in entries if e.get("paper", {}).get("id")]


def test_sql_and_matcher_agree_on_twenty_recorded_days() -> None:
    files = sorted(DAILY.glob("*.json"))[-40::2]  # 20 recent days: keywords, orgs, code links
    days = {f.stem: _day_papers(f) for f in files}
    db = make_db(days)
    papers = list({p.id: p for ps in days.values() for p in ps}.values())
    assert len(papers) > 200
    nonempty = 0
    for text in QUERIES:
        found = sql_ids(db, text)
        assert found == matcher_ids(papers, text), text
        nonempty += bool(found)
    assert nonempty >= len(QUERIES) - 2


def test_every_indexed_word_is_tokenized_and_stemmed_like_fts5() -> None:
    texts = []
    for path in sorted(DAILY.glob("*.json"))[::5]:
        for p in _day_papers(path):
            texts.append(" ".join([p.title, p.abstract, ", ".join(p.ai_keywords), *p.authors]))
    expected = sqlite_terms(texts)
    wrong = [t[:80] for t, want in zip(texts, expected, strict=True) if index_terms(t) != want]
    assert wrong == []


@pytest.fixture(scope="module")
def whole_corpus():
    """Every recorded day (5,841 papers), stored through the product's own writes."""
    return make_db({f.stem: _day_papers(f) for f in sorted(DAILY.glob("*.json"))})


def _plain(text: str) -> bool:
    """Text a user would type as words: no quotes, and no word the parser reads as AND/OR."""
    return '"' not in text and not {"and", "or"} & set(text.lower().split())


def _corpus_queries() -> list[str]:
    """Real keywords as typed, real author names, and pairs of keyword words with OR."""
    keywords: dict[str, None] = {}
    names: dict[str, None] = {}
    for path in sorted(DAILY.glob("*.json"))[::9]:
        for p in _day_papers(path)[:4]:
            keywords.update((k.lower(), None) for k in p.ai_keywords[:2] if _plain(k))
            names.update((a, None) for a in p.authors[:1] if '"' not in a)
    words = [w for k in keywords for w in k.split() if w.isalpha() and _plain(w)][::7]
    ors = [f"{a} OR {b}" for a, b in zip(words, reversed(words), strict=True)][:15]
    return [*QUERIES, *list(keywords)[:35], *(f'author:"{n}"' for n in list(names)[:15]), *ors]


def test_search_finds_the_same_papers_as_before_on_the_whole_corpus(whole_corpus) -> None:
    """The newest-first candidates, one FTS5 expression and the author index change how hits
    are found, never which: with a page as big as the archive, the set is the old one."""
    queries = _corpus_queries()
    assert len(queries) > 70
    nonempty = 0
    for text in queries:
        found = sql_ids(whole_corpus, text)
        assert found == reference_ids(whole_corpus, text), text
        nonempty += bool(found)
    assert nonempty > len(queries) * 0.8
