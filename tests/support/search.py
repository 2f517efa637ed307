"""Helpers shared by the query and search tests.

Papers go into an in-memory database through the real storage writes (storage.papers), so
the rows, JSON columns and FTS index are exactly what the product searches.
"""

from __future__ import annotations

import json

import sqlite_utils

from bot.model import Paper
from bot.query import compile_query, parse_query
from bot.query.match import doc_for, explain_match
from bot.query.search import search_papers
from storage.db import open_db
from storage.papers import upsert_day
from tests.support.core import FIXTURES as TESTS_FIXTURES

FIXTURES = TESTS_FIXTURES / "query"

SAMPLE_PAPERS: tuple[Paper, ...] = (
    Paper(
        id="2401.00001",
        title="Video Diffusion Models for Long Video Generation",
        abstract="We scale video diffusion to minutes of footage with a cascaded sampler.",
        authors=("Yann LeCun", "Alice Smith"),
        ai_keywords=("video diffusion", "long video generation"),
        categories=("cs.CV", "cs.LG"),
        primary_category="cs.CV",
        organization="nvidia",
        upvotes=42,
        github_repo="https://github.com/example/longvid",
        published_at="2024-01-02T00:00:00Z",
    ),
    Paper(
        id="2401.00002",
        title="State Space Models Are Efficient Sequence Learners",
        abstract="A state space model with selective scans matches transformers on language.",
        authors=("Bo Chen",),
        ai_keywords=("state space model", "Mamba"),
        categories=("cs.LG",),
        upvotes=15,
        project_page="https://example.org/ssm",
        published_at="2024-01-03T00:00:00Z",
    ),
    Paper(
        id="2401.00003",
        title="A Survey of Diffusion Models",
        abstract="This survey reviews diffusion models for images, audio and video.",
        authors=("Carla Diaz", "Dan Wu"),
        categories=("cs.CV",),
        organization="Meta",
        upvotes=30,
        published_at="2024-01-01T00:00:00Z",
    ),
    Paper(
        id="2401.00004",
        title="RLHF Without Reward Models",
        abstract="We align language models with human feedback but no learned reward.",
        authors=("Eve Adams",),
        ai_keywords=("RLHF", "alignment"),
        categories=("cs.CL", "cs.AI"),
        upvotes=20,
        published_at="2024-01-04T00:00:00Z",
    ),
    Paper(
        id="2401.00005",
        title="Direct Preference Optimization for Aligning Language Models",
        abstract="DPO replaces the reward model with a classification loss on preferences.",
        authors=("Étienne Dupont", "Frank O'Neil"),
        ai_keywords=("DPO", "preference optimization"),
        categories=("cs.CL",),
        upvotes=8,
        published_at="2024-01-05T00:00:00Z",
    ),
    Paper(
        id="2401.00006",
        title="Position Paper: Open Models Matter",
        abstract="This position paper argues that open weights help science.",
        authors=("Grace Hopper_Jr",),
        categories=("cs.CY",),
        upvotes=None,
        published_at="2024-01-06T00:00:00Z",
    ),
    Paper(
        id="2401.00007",
        title="Space Model Compression for Edge Devices",
        abstract="The state of the art in model compression leaves the search space model-free.",
        authors=("Hiro Tanaka",),
        categories=("cs.LG", "eess.SP"),
        upvotes=3,
        github_repo="",
        published_at="2024-01-07T00:00:00Z",
    ),
    Paper(
        id="2401.00008",
        title="Learning to Diffuse: Diffusions on Graphs",
        abstract="Heat diffusions spread information along edges of a graph.",
        authors=("Ivan Petrov",),
        categories=("cs.LG",),
        upvotes=12,
        published_at="2024-01-08T00:00:00Z",
    ),
    Paper(
        id="2401.00009",
        title="Audio Tokenizers at Scale",
        abstract="Discrete audio tokens for speech language models.",
        authors=("Tom Video", "Ula Diffusion"),
        categories=("cs.SD",),
        upvotes=5,
        published_at="2024-01-09T00:00:00Z",
    ),
    Paper(
        id="2401.00010",
        title="GPT-4o Evaluated on Olympiad Math",
        abstract="We test gpt-4o and other models on proof problems.",
        authors=("Vera Lang",),
        categories=("cs.CL",),
        organization="OpenAI",
        upvotes=100,
        published_at="2024-01-10T00:00:00Z",
    ),
    Paper(
        id="2401.00011",
        title="Efficient Attention for Long Contexts",
        abstract="Blocks of queries attend to a few selected keys.",
        authors=("Wei Zhang",),
        ai_keywords=("sparse attention", "long context"),
        categories=("cs.CL",),
        upvotes=25,
        published_at="2024-01-11T00:00:00Z",
    ),
)
ALL = {p.id for p in SAMPLE_PAPERS}


def ids(*numbers: int) -> set[str]:
    return {f"2401.{n:05d}" for n in numbers}


# (query, the sample papers it matches): search, the matcher and the plans agree on these.
CASES = [
    # all words, stemmed, in title/abstract/keywords; never in authors (paper 9 has
    # authors "Tom Video" and "Ula Diffusion")
    ("diffusion video", ids(1, 3)),
    ("video", ids(1, 3)),
    ("diffusion", ids(1, 3, 8)),  # porter: diffusions, diffuse -> diffus
    ("diffusions", ids(1, 3, 8)),
    ("DIFFUSION", ids(1, 3, 8)),
    ("sparse", ids(11)),  # only in the keywords
    ("gpt-4o", ids(10)),
    ('"state space model"', ids(2)),  # paper 7 has the words but not side by side
    ("state space model", ids(2, 7)),
    ('"space model"', ids(2, 7)),
    ("rlhf OR dpo", ids(4, 5)),
    ("(rlhf OR dpo) feedback", ids(4)),
    ("rlhf OR dpo classification", ids(5)),
    ("diffusion -survey", ids(1, 8)),
    ('models -"position paper"', ids(1, 2, 3, 4, 5, 7, 9, 10)),
    ("diffusion OR cat:cs.SD", ids(1, 3, 8, 9)),
    ("-(rlhf OR dpo) cat:cs.CL", ids(10, 11)),
    ("cat:cs.CL", ids(4, 5, 10, 11)),
    ("cat:CS.cl", ids(4, 5, 10, 11)),
    ("cat:cs.AI", ids(4)),
    ("cat:cs", ALL),  # an archive matches all its categories
    ("cat:eess", ids(7)),
    ("cat:eess.SP", ids(7)),
    ("cat:cs.C", set()),
    ('author:"Yann LeCun"', ids(1)),
    ("author:lecun", ids(1)),
    ("author:LECUN", ids(1)),
    ("author:étienne", ids(5)),  # SQLite's LIKE folds A-Z only; title-casing finds É
    ("author:o'neil", ids(5)),
    ("author:hopper_jr", ids(6)),
    ("author:r_j", ids(6)),  # "_" is literal, not LIKE's any-character
    ("author:r%j", set()),
    ("author:video", ids(9)),
    ("org:nvidia", ids(1)),
    ("org:NVIDIA", ids(1)),
    ("org:meta", ids(3)),
    ("org:open", set()),
    ("upvotes>=20", ids(1, 3, 4, 10, 11)),
    ("upvotes>20", ids(1, 3, 10, 11)),
    ("upvotes<5", ids(6, 7)),  # missing upvotes count as 0
    ("upvotes<=5", ids(6, 7, 9)),
    ("upvotes=8", ids(5)),
    ("has:code", ids(1)),  # an empty github_repo is no code
    ("has:project", ids(2)),
    ("cat:cs.CL upvotes>=20", ids(4, 10, 11)),
    ("-cat:cs.CL upvotes>=20", ids(1, 3)),
    ("models upvotes>=20 -has:code", ids(3, 4, 10)),
    ("nothingmatchesthis", set()),
]


# Which Daily Papers day each sample paper was listed on.
SAMPLE_DAYS = {
    "2024-01-02": ("2401.00001", "2401.00002", "2401.00003"),
    "2024-01-03": ("2401.00004", "2401.00005", "2401.00006"),
    "2024-01-04": ("2401.00007", "2401.00008", "2401.00009", "2401.00010", "2401.00011"),
}


def make_db(papers_by_day: dict[str, list[Paper]]) -> sqlite_utils.Database:
    db = open_db(None)
    for day, papers in papers_by_day.items():
        upsert_day(db, day, papers, seen_at=f"{day}T12:00:00+00:00")
    return db


def sample_db() -> sqlite_utils.Database:
    by_id = {p.id: p for p in SAMPLE_PAPERS}
    return make_db({day: [by_id[i] for i in ids] for day, ids in SAMPLE_DAYS.items()})


def hf_entry_to_paper(entry: dict) -> Paper:
    """A recorded daily_papers entry as a Paper (just the fields search looks at)."""
    p = entry["paper"]
    org = p.get("organization") or entry.get("organization") or {}
    return Paper(
        id=p["id"],
        title=p.get("title") or "",
        abstract=p.get("summary") or "",
        authors=tuple(a["name"] for a in p.get("authors", []) if a.get("name")),
        upvotes=p.get("upvotes"),
        published_at=p.get("publishedAt"),
        ai_keywords=tuple(p.get("ai_keywords") or ()),
        github_repo=p.get("githubRepo") or None,
        project_page=p.get("projectPage") or None,
        organization=org.get("name"),
    )


def fixture_papers() -> dict[str, list[Paper]]:
    """The two recorded days in tests/fixtures/query, by day."""
    out: dict[str, list[Paper]] = {}
    for item in json.loads((FIXTURES / "hf-papers-2-days.json").read_text("utf-8")):
        out.setdefault(item["day"], []).append(hf_entry_to_paper(item))
    return out


def sql_ids(db: sqlite_utils.Database, text: str, **kwargs) -> set[str]:
    q = parse_query(text, **kwargs)
    return {hit.paper_id for hit in search_papers(db, q, limit=10_000)}


def matcher_ids(papers: list[Paper] | tuple[Paper, ...], text: str, **kwargs) -> set[str]:
    q = parse_query(text, **kwargs)
    return {p.id for p in papers if explain_match(q, doc_for(p)) is not None}


def reference_ids(db: sqlite_utils.Database, text: str, **kwargs) -> set[str]:
    """The papers the search matched before it was planned for scale: the per-word SQL of
    `compile_query` over every row (still the definition of what a query means)."""
    compiled = compile_query(parse_query(text, **kwargs))
    rows = db.execute(f"SELECT papers.id FROM papers WHERE {compiled.where}", compiled.params)
    return {row[0] for row in rows.fetchall()}
