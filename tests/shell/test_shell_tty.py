"""`paperbot shell` on a real pseudo-terminal (tests/support/terminal.py): a native prompt.

Ctrl-C drops the line or stops the command and returns to the prompt, Ctrl-D or `quit` leave;
history survives a restart; Tab completes commands, actions and ids; replies are styled (bold
title linked with OSC 8, dim context line) — and plain, with no escape code, when piped.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support.cli import paperbot
from tests.support.core import DAYS
from tests.support.terminal import CTRL_C, CTRL_D, CTRL_P, PROMPT, TAB, Terminal, hyperlinks


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("shell") / "t.db")
    assert paperbot("--db", path, "import", str(DAYS)).returncode == 0
    return path


def _shell(db: str, tmp_path: Path, *extra: str) -> Terminal:
    return Terminal("--db", db, *extra, "shell", env={"XDG_STATE_HOME": str(tmp_path)})


def test_a_styled_answer_then_ctrl_c_drops_the_line_and_ctrl_d_leaves(db, tmp_path) -> None:
    with _shell(db, tmp_path) as term:
        assert b"paperbot shell" in term.expect(PROMPT)
        term.send(b"/papers today 1\n")
        out = term.expect(PROMPT)
        assert b"Daily Papers" in out and b"https://arxiv.org/abs/" in out
        assert b"\x1b[1m" in out and b"\x1b[2m\xe2\x96\xb2 " in out  # bold title, dim "▲ …"
        links = hyperlinks(out)
        assert any(u.startswith(b"https://huggingface.co/papers/") for u in links), links
        term.send(b"/papers this line is dropped" + CTRL_C)
        term.expect(PROMPT)
        assert term.proc.poll() is None  # still running, back at the prompt
        term.send(b"/papers status\n")
        assert b"Papers stored:" in term.expect(PROMPT)
        assert b"Unknown command" not in term.seen  # the dropped line never ran
        term.send(CTRL_D)
        assert term.wait() == 0
        assert b"Traceback" not in term.seen


def _hanging_server() -> socket.socket:
    """A port that accepts connections and never answers: a source that hangs."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    return srv


def test_ctrl_c_stops_a_running_command_and_returns_to_the_prompt(db, tmp_path) -> None:
    srv = _hanging_server()
    cfg = tmp_path / "c.toml"
    url = f"http://127.0.0.1:{srv.getsockname()[1]}"
    cfg.write_text(
        f'[sources]\nhf_base_url = "{url}"\narxiv_base_url = "{url}"\n'
        "max_retries = 0\ntimeout_seconds = 120\n"
    )
    try:
        with _shell(db, tmp_path, "--config", str(cfg)) as term:
            term.expect(PROMPT)
            term.send(b"/papers show 2512.99999\n")  # not stored: asks the hanging source
            srv.settimeout(60)
            conn, _ = srv.accept()  # the command is running: it is waiting on the source
            term.send(CTRL_C)
            assert b"Cancelled." in term.expect(PROMPT)
            term.send(b"/papers show 2509.24002\n")
            assert b"MCPMark" in term.expect(PROMPT)
            term.send(b"quit\n")
            assert term.wait() == 0
            assert b"Traceback" not in term.seen
            conn.close()
    finally:
        srv.close()


def test_history_survives_a_restart(db, tmp_path) -> None:
    with _shell(db, tmp_path) as term:
        term.expect(PROMPT)
        term.send(b"/papers show 2509.24002\n")
        term.expect(PROMPT)
        term.send(CTRL_D)
        assert term.wait() == 0
    assert (tmp_path / "paperbot" / "shell_history").is_file()
    with _shell(db, tmp_path) as term:
        term.expect(PROMPT)
        term.send(CTRL_P + b"\n")  # the previous line, from the last session
        assert b"MCPMark" in term.expect(PROMPT)
        term.send(CTRL_D)
        assert term.wait() == 0


def test_tab_completes_commands_actions_and_recent_ids(db, tmp_path) -> None:
    with _shell(db, tmp_path) as term:
        term.expect(PROMPT)
        term.send(b"/papers sho" + TAB + b"2510.0105" + TAB + b"\n")
        out = term.expect(PROMPT)
        assert b"2510.01051" in out and b"not stored" not in out.lower()
        assert b"Usage" not in out
        term.send(b"/papers channel sta" + TAB + b"\n")
        assert b"Usage" not in term.expect(PROMPT)
        term.send(CTRL_D)
        assert term.wait() == 0
        assert b"show 2510.01051 " in term.seen  # what Tab typed, as the terminal echoed it


def test_piped_output_has_no_escape_code_at_all(db) -> None:
    out = paperbot("--db", db, "shell", stdin="/papers today 3\n/papers show 2509.24002\n")
    assert out.returncode == 0 and "MCPMark" in out.stdout
    assert "\x1b" not in out.stdout and "\x1b" not in out.stderr
    assert "▲ " in out.stdout  # the same context line, plain
