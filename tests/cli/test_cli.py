"""The `paperbot` command line, run as a real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import paperbot
from tests.support.core import DAYS, FIXTURES, NOWHERE, ROOT


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "papers.db")
    out = paperbot("--db", path, "import", str(DAYS))
    assert out.returncode == 0, out.stderr
    return path


def test_help_lists_commands_without_importing_platform_sdks() -> None:
    code = (
        "import sys\nfrom bot.cli.main import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\nprint(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('discord', 'slack_bolt', 'slack_sdk', 'httpx', 'pydantic', 'sqlite_utils')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    for name in ("shell", "fetch", "import", "digest", "check-config", "run"):
        assert name in out.stdout
    assert out.stdout.strip().endswith("[]")


def test_import_reports_rejected_files_and_exits_1(tmp_path: Path) -> None:
    out = paperbot("--db", str(tmp_path / "x.db"), "import", str(DAYS), str(FIXTURES / "malformed"))
    assert out.returncode == 1
    assert "imported 3 files" in out.stdout
    rejected = [line for line in out.stderr.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == 2 and "Traceback" not in out.stderr


def test_shell_reads_commands_from_stdin(db: str) -> None:
    out = paperbot(
        "--db", db, "shell", stdin='/papers show 2509.24002\n/papers search "graph" OR (\n'
    )
    assert out.returncode == 0, out.stderr
    assert "MCPMark" in out.stdout and "TL;DR:" in out.stdout
    assert "https://arxiv.org/abs/2509.24002" in out.stdout
    assert "Bad query:" in out.stdout and "Traceback" not in out.stdout + out.stderr


def test_shell_options_work_after_the_subcommand(db: str) -> None:
    out = paperbot("shell", "--db", db, stdin="/papers today 2\n")
    assert out.returncode == 0 and "Daily Papers — Thu 2 Oct 2025" in out.stdout


def test_digest_text_and_json(db: str) -> None:
    text = paperbot("--db", db, "digest", "--date", "2025-10-01")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Daily Papers — Wed 1 Oct 2025")
    data = json.loads(
        paperbot("--db", db, "digest", "--date", "2025-10-01", "--format", "json").stdout
    )
    assert data["day"] == "2025-10-01" and data["overview"]
    p = data["papers"][0]
    assert set(p) >= {
        "id",
        "title",
        "authors",
        "upvotes",
        "keywords",
        "links",
        "tldr",
        "summary_source",
    }
    ups = [x["upvotes"] for x in data["papers"]]
    assert ups == sorted(ups, reverse=True)


def test_digest_errors_are_one_line(db: str) -> None:
    out = paperbot("--db", db, "digest", "--date", "2025-13-01")
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "YYYY-MM-DD" in out.stderr
    out = paperbot("--db", db, "digest", "--date", "2025-10-04")
    assert out.returncode == 1 and "no papers stored for 2025-10-04" in out.stderr


def test_fetch_without_network_says_so_and_keeps_data(db: str, tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[sources]\nhf_base_url = "{NOWHERE}"\nmax_retries = 0\n')
    out = paperbot("--db", db, "--config", str(cfg), "fetch", "--date", "2025-10-03")
    assert out.returncode == 1 and "could not reach" in out.stderr.lower()
    assert "Traceback" not in out.stderr
    assert "MCPMark" in paperbot("--db", db, "shell", stdin="/papers show 2509.24002\n").stdout


def test_bad_config_names_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[digest]\ndefault_time = "9 o\'clock"\n')
    out = paperbot("--config", str(cfg), "check-config")
    assert out.returncode == 2 and "digest.default_time" in out.stderr
    assert out.stderr.count("\n") == 1


def test_check_config_says_what_would_start_and_hides_secrets(tmp_path: Path) -> None:
    out = paperbot("check-config", cwd=tmp_path)
    assert out.returncode == 0 and "would start: nothing" in out.stdout
    out = paperbot("check-config", env={"DISCORD_TOKEN": "very-secret-token"}, cwd=tmp_path)
    assert "would start: Discord" in out.stdout and "very-secret-token" not in out.stdout


def test_reindex_counts_every_stored_paper_and_help_imports_no_sklearn(db: str) -> None:
    out = paperbot("--db", db, "reindex")
    assert out.returncode == 0, out.stderr
    assert re.search(r"reindexed \d+ papers for recommendations", out.stdout)
    code = (
        "import sys\nfrom bot.cli.main import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\nprint('sklearn' in sys.modules, 'numpy' in sys.modules)"
    )
    help_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "reindex" in help_.stdout and help_.stdout.strip().endswith("False False")
