"""Every benchmark script runs end to end on a tiny generated database and prints its figure
beside its baseline (timings are not checked: a benchmark is not a timed test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.support.core import DAYS, ROOT, shared_data

BENCH = ROOT / "bench"
LATENCY = ["search", "search_author", "search_or", "topics", "subscribe", "browse"]


def _script(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # the scripts import their `harness` beside them
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory) -> Path:
    """300 papers: the fixture days topped up with generated variants, as bench/ builds 100k."""
    out = tmp_path_factory.mktemp("bench") / "papers-300.db"
    _script("generate").generate(out, 300, DAYS, quiet=True)
    return out


def test_the_generator_is_deterministic(tiny_db: Path, tmp_path: Path) -> None:
    import sqlite3

    again = _script("generate").generate(tmp_path / "again.db", 300, DAYS, quiet=True)
    rows = "SELECT id, title, abstract, authors, upvotes FROM papers ORDER BY rowid"
    first = sqlite3.connect(tiny_db).execute(rows).fetchall()
    assert len(first) == 300
    assert sqlite3.connect(again).execute(rows).fetchall() == first


@pytest.mark.parametrize("name", LATENCY)
def test_latency_benchmark_prints_ours_beside_the_baseline(name, tiny_db, capsys) -> None:
    argv = ["--db", str(tiny_db), "--data", str(DAYS), "--rounds", "1", "--queries", "3"]
    assert _script(name).main(argv) == 0
    out = capsys.readouterr().out
    assert "paperbot" in out and "ratio" in out and "target" in out


def test_topic_matching_benchmark(capsys) -> None:
    argv = [str(DAYS), "--topics", "200", "--max-seconds", "60"]
    assert _script("topic_matching").main(argv) == 0
    out = capsys.readouterr().out
    assert "match_topics warm" in out and "ratio naive / warm" in out


def test_import_benchmark(capsys) -> None:
    assert _script("import_speed").main([str(DAYS), "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "fresh" in out and "unchanged" in out and "plain sqlite3" in out


def test_offline_commands_benchmark(tiny_db, capsys) -> None:
    argv = ["--db", str(tiny_db), "--rounds", "1", "--repeat", "1"]
    assert _script("offline_commands").main(argv) == 0
    out = capsys.readouterr().out
    assert "every command offline" in out and "slowest p99" in out and "target" in out
    assert "search zqxwv unmatched words" in out  # the fallback paths are timed too


def test_recommend_eval_prints_precision_beside_the_baselines_and_its_timings(capsys) -> None:
    listing = shared_data("arxiv-labelled/listing-2023-09-21.csv")
    argv = ["--listing", str(listing), "--users-per-field", "1", "--min-field", "60"]
    assert _script("recommend_eval").main([*argv, "--timing-users", "2"]) == 0
    out = capsys.readouterr().out
    assert "recommend (svm, C=0.1)" in out and "random" in out and "most recent" in out
    assert "per 1,000 papers" in out and "1,000 candidates" in out


def test_fanout_pacing_benchmark_prints_both_platforms_beside_their_bounds(capsys) -> None:
    """The real `paperbot run` on the loopback fakes, 3 channels each (a few seconds)."""
    assert _script("fanout_pacing").main(["--smoke", "--timeout", "60"]) == 0
    out = capsys.readouterr().out
    for word in ("slack", "discord", "bound", "ratio", "429s", "dup", "lost", "read-backs"):
        assert word in out
    assert "'conversations.history': 0" in out  # a fresh fan-out reads nothing back
