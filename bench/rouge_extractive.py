"""Offline summary quality: ROUGE-L F1 of the extractive TL;DR against Hugging Face's ai_summary.

Usage: python bench/rouge_extractive.py [DATA_DIR] [--min F1]

DATA_DIR defaults to ../shared/data/hf-daily-papers beside the repository. Only entries that
carry an ai_summary are scored; the TL;DR is computed from the title and abstract alone, the
ai_summary is used only as the reference. Prints a table and exits 1 when the extractive
mean is below the bar (0.34 by default).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from rouge_score import rouge_scorer  # noqa: E402

from bot.summaries.extractive import extractive_tldr  # noqa: E402
from bot.summaries.sentences import split_sentences  # noqa: E402
from bot.text import collapse_whitespace  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "hf-daily-papers"
DEFAULT_MIN_F1 = 0.34
ORACLE = "best sentence (oracle)"
# What a reader trips over, counted over every recorded paper (not only those with ai_summary).
MACRO = re.compile(r"\\[A-Za-z]+|\\[{}]")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
LEANING = re.compile(
    r"^(?:however|these|this|those|such|it|its|they|their|our|moreover|furthermore|"
    r"additionally|also|thus|therefore|hence|in this|in addition|here|then|besides|instead|"
    r"nevertheless|nonetheless|consequently|to this end|building on|as a result|in contrast)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Example:
    paper_id: str
    title: str
    abstract: str
    reference: str
    day: int = 0  # day of the month of the first file listing it (0: not a dated file name)


def recorded_papers(data_dir: Path) -> tuple[list[dict], int]:
    """Every recorded paper object (entries' `paper`), and the number of files read."""
    papers, n_files = recorded_days(data_dir)
    return [paper for _, paper in papers], n_files


def recorded_days(data_dir: Path) -> tuple[list[tuple[int, dict]], int]:
    """Every recorded paper object with its file's day of the month, and the files read."""
    files = sorted(data_dir.glob("*.json"))
    papers: list[tuple[int, dict]] = []
    for path in files:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        day = int(path.stem[-2:]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", path.stem) else 0
        for entry in entries if isinstance(entries, list) else []:
            paper = entry.get("paper") if isinstance(entry, dict) else None
            if isinstance(paper, dict):
                papers.append((day, paper))
    return papers, len(files)


def load_examples(data_dir: Path) -> tuple[list[Example], int]:
    """Every entry with an ai_summary (deduplicated by paper id), and the number of files read."""
    examples: dict[str, Example] = {}
    papers, n_files = recorded_days(data_dir)
    for day, paper in papers:
        if not paper.get("ai_summary"):
            continue
        pid = str(paper.get("id", ""))
        examples.setdefault(
            pid or f"#{len(examples)}",
            Example(
                pid,
                collapse_whitespace(str(paper.get("title", ""))),
                str(paper.get("summary", "")),
                collapse_whitespace(str(paper["ai_summary"])),
                day,
            ),
        )
    return list(examples.values()), n_files


def cleanliness(data_dir: Path) -> tuple[int, int, int, int]:
    """(papers, TL;DRs with a LaTeX macro, with a URL, opening with a leaning word)."""
    by_id = {str(p["id"]): p for p in recorded_papers(data_dir)[0] if p.get("id")}
    tldrs = [
        extractive_tldr(str(p.get("summary", "")), str(p.get("title", ""))) for p in by_id.values()
    ]
    return (
        len(tldrs),
        sum(bool(MACRO.search(t)) for t in tldrs),
        sum(bool(URL.search(t)) for t in tldrs),
        sum(bool(LEANING.match(t)) for t in tldrs),
    )


def score_all(examples: list[Example]) -> tuple[dict[str, list[float]], list[str]]:
    """Per-paper F1 of each candidate, and the extractive TL;DRs themselves."""
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)

    def f1(reference: str, candidate: str) -> float:
        return scorer.score(reference, candidate)["rougeL"].fmeasure

    results: dict[str, list[float]] = {"first sentence": [], "extractive_tldr": [], ORACLE: []}
    tldrs: list[str] = []
    for ex in examples:
        sentences = split_sentences(ex.abstract) or [ex.title]
        per_sentence = [f1(ex.reference, s) for s in sentences]
        results["first sentence"].append(per_sentence[0])
        results[ORACLE].append(max(per_sentence))
        tldr = extractive_tldr(ex.abstract, ex.title)
        tldrs.append(tldr)
        results["extractive_tldr"].append(f1(ex.reference, tldr))
    return results, tldrs


def print_split(examples: list[Example], scores: list[float]) -> None:
    """The extractive mean on odd and on even days of the month: the heuristics were tuned on
    the whole corpus, so a gain that holds on both halves is not one half's accident."""
    for name, parity in (("odd", 1), ("even", 0)):
        half = [
            s for s, ex in zip(scores, examples, strict=True) if ex.day and ex.day % 2 == parity
        ]
        if half:
            print(
                f"extractive_tldr on {name} days: {len(half)} papers, "
                f"mean {statistics.mean(half):.4f}, median {statistics.median(half):.4f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min", type=float, default=DEFAULT_MIN_F1, dest="min_f1")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"data directory not found: {args.data_dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    examples, n_files = load_examples(args.data_dir)
    if not examples:
        print(f"no entries with ai_summary in {args.data_dir}", file=sys.stderr)
        return 2
    results, tldrs = score_all(examples)
    lengths = [len(t) for t in tldrs]
    shortened = sum(t.endswith("…") for t in tldrs)
    print(f"files: {n_files}  papers with ai_summary: {len(examples)}")
    print(f"{'candidate':<24} {'mean ROUGE-L F1':>16} {'median':>8}")
    for name, values in results.items():
        print(f"{name:<24} {statistics.mean(values):>16.4f} {statistics.median(values):>8.4f}")
    print(
        f"extractive_tldr length: mean {statistics.mean(lengths):.0f} chars, max {max(lengths)}, "
        f"shortened with '…': {shortened}  ({time.perf_counter() - started:.1f} s)"
    )
    print_split(examples, results["extractive_tldr"])
    n, macros, urls, leaning = cleanliness(args.data_dir)
    print(
        f"all {n} papers: TL;DRs with a LaTeX macro {macros}, with a URL {urls}, "
        f"opening with a leaning word {leaning} ({100 * leaning / n:.2f}%)"
    )
    mean = statistics.mean(results["extractive_tldr"])
    if mean < args.min_f1:
        print(f"FAIL: extractive mean {mean:.4f} < {args.min_f1}", file=sys.stderr)
        return 1
    print(f"OK: extractive mean {mean:.4f} >= {args.min_f1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
