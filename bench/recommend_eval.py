"""How good and how fast `/papers recommend` is, on one real day of arXiv (879 papers).

Usage: python bench/recommend_eval.py [--listing CSV] [--users-per-field U] [--min-field M]
                                      [--seed S] [--c 0.01,0.1,1] [--speed-only]

Quality. Each field is an arXiv category that is the primary category of at least M papers
(default 15) of the day. Each simulated user (U per field, default 10) saved 5–20 papers whose
primary category is that field (size and papers drawn with seed S); every other paper of the
day is a candidate. A recommendation is relevant when it lists the field (primary or
cross-list). Reported: precision@10 of `recommend` (the product's own code: SVM from 3 liked
papers, and the centroid fallback forced on the same users), beside a random pick and the
"most recent" pick (the 10 highest arXiv ids: the day has one date), averaged over users.

Speed. Time per user of `recommend` with 1,000 candidates (the day topped up with titles and
abstracts from abstracts-sample.csv under generated ids) and a 5–20 paper library, index
built; and index update time: the whole day counted from nothing, then 100 more papers added
to it (incremental), each scaled to 1,000 papers. Target ≤ 50 ms per user.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bot.model import Paper  # noqa: E402
from bot.recommend import index, rank  # noqa: E402
from storage import open_db  # noqa: E402
from storage import papers as paper_store  # noqa: E402

DATA = REPO_ROOT.parent / "shared" / "data" / "arxiv-labelled"
LISTING = DATA / "listing-2023-09-21.csv"
SAMPLE = DATA / "abstracts-sample.csv"
_CATEGORY = re.compile(r"\(([a-zA-Z\-]+(?:\.[A-Za-z\-]+)?)\)")


def _paper_id(raw: str) -> str:
    """`2309.114` (recorded as a float) is 2309.11400."""
    head, _, tail = raw.strip().partition(".")
    return f"{head}.{tail.ljust(5, '0')}"


def load_listing(path: Path) -> list[Paper]:
    """One paper per id (a cross-listed paper is listed once per category), primary first."""
    papers: dict[str, Paper] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pid = _paper_id(row["paper_id"])
            cats = tuple(_CATEGORY.findall(row["subjects"]))
            if pid in papers or not cats:
                continue
            papers[pid] = Paper(
                id=pid,
                title=" ".join(row["title"].split()),
                abstract=row["abstract"],
                published_at=row["date"],
                categories=cats,
                primary_category=cats[0],
            )
    return list(papers.values())


def load_extra(path: Path, n: int, day: str) -> list[Paper]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:n]
    return [
        Paper(id=f"9001.{i:05d}", title=r["titles"], abstract=r["summaries"], published_at=day)
        for i, r in enumerate(rows)
    ]


def _db(papers: list[Paper], tmp: Path, name: str):
    db = open_db(tmp / f"{name}.db")
    paper_store.upsert_papers(db, papers)
    return db


def _precision(picked: list[str], field: str, cats: dict[str, tuple[str, ...]]) -> float:
    return sum(field in cats[p] for p in picked) / 10


def users(papers: list[Paper], args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """(field, library) per simulated user."""
    rng = random.Random(args.seed)
    by_field: dict[str, list[str]] = {}
    for p in papers:
        by_field.setdefault(p.primary_category or "", []).append(p.id)
    out = []
    for field, ids in sorted(by_field.items()):
        if len(ids) < args.min_field:
            continue
        for _ in range(args.users_per_field):
            out.append((field, rng.sample(ids, rng.randint(5, min(20, len(ids) - 10)))))
    return out


def quality(db, papers: list[Paper], args: argparse.Namespace) -> None:
    cats = {p.id: p.categories for p in papers}
    newest = sorted(cats, reverse=True)
    rng = random.Random(args.seed + 1)
    cohort = users(papers, args)
    fields = Counter(f for f, _ in cohort)
    print(f"{len(papers)} papers, {len(fields)} fields (primary of ≥ {args.min_field} papers)")
    print(f"{len(cohort)} users, libraries of 5–20 papers of one field, precision@10:")
    scores: dict[str, list[float]] = {}
    for c in args.c:
        rank.SVM_C = c
        for method in ("svm", "centroid") if c == args.c[0] else ("svm",):
            label = f"recommend ({method}, C={c})" if method == "svm" else "recommend (centroid)"
            for field, lib in cohort:
                cand = [p for p in cats if p not in lib]
                sig = rank.Signals(tuple(lib), ())
                got = [s.paper_id for s in rank.recommend(db, sig, cand, 10, method=method)]
                scores.setdefault(label, []).append(_precision(got, field, cats))
    for field, lib in cohort:
        cand = [p for p in cats if p not in lib]
        scores.setdefault("random", []).append(_precision(rng.sample(cand, 10), field, cats))
        recent = [p for p in newest if p not in lib][:10]
        scores.setdefault("most recent", []).append(_precision(recent, field, cats))
    for label, values in scores.items():
        print(f"  {label:28s} {statistics.mean(values):.3f}")


def speed(papers: list[Paper], tmp: Path, args: argparse.Namespace) -> None:
    day = papers[0].published_at or ""
    pool = papers + load_extra(SAMPLE, 1000 - len(papers) + 20, day)
    db = _db(pool[:-100], tmp, "speed")
    t0 = time.perf_counter()
    built = index.update(db)
    full = time.perf_counter() - t0
    paper_store.upsert_papers(db, pool[-100:])
    t0 = time.perf_counter()
    added = index.update(db)
    inc = time.perf_counter() - t0
    print(
        f"index from nothing: {built} papers in {full * 1000:.0f} ms"
        f" = {full / built * 1e6:.0f} ms per 1,000 papers"
    )
    print(
        f"index update: {added} new papers in {inc * 1000:.0f} ms"
        f" = {inc / added * 1e6:.0f} ms per 1,000 papers"
    )
    rng = random.Random(args.seed + 2)
    ids = [p.id for p in pool]
    times: dict[str, list[float]] = {"svm": [], "centroid": []}
    for _ in range(args.timing_users):
        lib = rng.sample(ids, rng.randint(5, 20))
        cand = [p for p in ids if p not in lib][:1000]
        for method in times:
            t0 = time.perf_counter()
            rank.recommend(db, rank.Signals(tuple(lib), ()), cand, 10, method=method)
            times[method].append(time.perf_counter() - t0)
    for method, values in times.items():
        values.sort()
        p50 = statistics.median(values) * 1000
        p90 = values[int(len(values) * 0.9)] * 1000
        print(
            f"recommend ({method}), 1,000 candidates: p50 {p50:.1f} ms, p90 {p90:.1f} ms"
            f" per user over {len(values)} users (target ≤ 50 ms)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--listing", type=Path, default=LISTING)
    ap.add_argument("--users-per-field", type=int, default=10)
    ap.add_argument("--min-field", type=int, default=15)
    ap.add_argument("--timing-users", type=int, default=30)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--c", type=lambda s: [float(x) for x in s.split(",")], default=[0.1])
    ap.add_argument("--speed-only", action="store_true", help="skip the precision part")
    args = ap.parse_args(argv)
    papers = load_listing(args.listing)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if not args.speed_only:
            db = _db(papers, tmp, "quality")
            index.update(db)
            quality(db, papers, args)
            db.close()
        speed(papers, tmp, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
