"""`paperbot <sub> --help` and `check-config`, as a new user meets them (issue #12, item 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import SUBCOMMANDS, build_parser
from tests.support.cli import paperbot


def _subparsers() -> dict:
    parser = build_parser()
    [action] = [a for a in parser._actions if a.dest == "command"]
    return action.choices


def test_every_subcommand_is_described_with_an_example() -> None:
    subs = _subparsers()
    assert set(subs) == set(SUBCOMMANDS)
    for name, sub in subs.items():
        text = sub.format_help()
        description, examples = text.split("options:")[0], text.split("examples:")[-1]
        assert len(description.split("\n\n", 1)[-1].split()) >= 8, name  # a real sentence
        assert f"paperbot {name}" in examples or f"| paperbot {name}" in examples, name


@pytest.mark.parametrize("name", ["shell", "check-config"])
def test_help_as_a_user_types_it(name: str) -> None:
    out = paperbot(name, "--help")
    assert out.returncode == 0 and "examples:" in out.stdout and f"paperbot {name}" in out.stdout


def test_check_config_says_when_there_is_no_file(tmp_path: Path) -> None:
    out = paperbot("check-config", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.splitlines()[0] == "no config file, using defaults"
    (tmp_path / "config.toml").write_text("[digest]\ndefault_max = 5\n")
    out = paperbot("check-config", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.splitlines()[0] == "config OK (config.toml)"


def test_check_config_exits_1_when_a_configured_platform_cannot_start(tmp_path: Path) -> None:
    out = paperbot("check-config", env={"SLACK_BOT_TOKEN": "xoxb-1"}, cwd=tmp_path)
    assert out.returncode == 1, out.stdout
    assert "Slack: NOT startable — socket mode needs $SLACK_APP_TOKEN" in out.stdout
    both = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "DISCORD_TOKEN": "d"}
    out = paperbot("check-config", env=both, cwd=tmp_path)
    assert out.returncode == 0 and "would start: Slack (socket mode)" in out.stdout


def test_help_imports_neither_rich_nor_the_shell() -> None:
    import subprocess
    import sys

    from tests.support.core import ROOT

    code = (
        "import sys\nfrom bot.cli.main import main\ntry:\n    main(['shell', '--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('rich', 'readline', 'adapters')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().endswith("[]"), out.stdout


def test_log_lines_cannot_drive_the_terminal() -> None:
    import logging

    from bot.cli.commands import PrintableFormatter

    record = logging.LogRecord(
        "bot", logging.WARNING, "x", 1, "title %s", ("\x1b]0;pwn\x07T",), None
    )
    assert PrintableFormatter("%(message)s").format(record) == "title ]0;pwnT"
