"""bot/recommend on 60 papers of one real arXiv day (four fields, 15 papers each)."""

from __future__ import annotations

import csv

import pytest
import sqlite_utils

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from tests.support.core import FIXTURES

SAMPLE = FIXTURES / "recommend" / "listing-2023-09-21-sample.csv"


def sample_papers() -> list[Paper]:
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        Paper(
            id=r["paper_id"],
            title=r["title"],
            abstract=r["abstract"],
            published_at="2023-09-21T00:00:00",
            categories=tuple(r["categories"].split(";")),
            primary_category=r["categories"].split(";")[0],
        )
        for r in rows
    ]


@pytest.fixture
def papers() -> list[Paper]:
    return sample_papers()


@pytest.fixture
def db(papers: list[Paper]) -> sqlite_utils.Database:
    d = open_db(":memory:")
    paper_store.upsert_papers(d, papers)
    return d
