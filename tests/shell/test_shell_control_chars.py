"""Terminal injection (issue #9, item 6): a paper's text never reaches the terminal raw.

ESC starts sequences that retitle or clear the terminal, or (on some emulators) make it type
into stdin; BEL, C1 controls (CSI is U+009B) and bidi overrides are as bad. The text renderer
strips them from everything it prints — reply text, card fields, link labels and URLs —
and keeps line breaks. Papers stored before the parser cleaned its input still hold them,
so `paperbot shell` is tested on a database written directly (`paperbot digest` in tests/cli).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from adapters.shell.render import render_reply
from adapters.shell.styled import link_target
from bot.model import Link, PaperCard, Reply
from tests.support.cli import paperbot
from tests.support.hostile import CONTROL, EVIL, PAPER_ID, db_with_control_characters
from tests.support.terminal import CTRL_D, PROMPT, Terminal, foreign_escapes, hyperlinks


def _evil(n: int = 0) -> str:
    return "Title " + EVIL[n % len(EVIL)] + " end"


def _card(n: int = 0) -> PaperCard:
    return PaperCard(
        paper_id="2510.00001",
        title=_evil(n),
        url="https://huggingface.co/papers/2510.00001",
        tldr=_evil(n + 1),
        authors=(_evil(n + 2), "B"),
        upvotes=3,
        keywords=(_evil(n + 3),),
        links=(Link(_evil(n + 4), "https://x.org/\x1b[2J"),),
        matched=(_evil(n + 5),),
    )


def test_every_field_loses_its_control_characters_and_keeps_its_text() -> None:
    for n in range(len(EVIL)):
        out = render_reply(Reply(text=f"intro {EVIL[n]}\nline two", cards=(_card(n),)))
        assert not CONTROL.search(out), repr(out)
        assert "intro" in out and "line two" in out and out.count("Title") == 6  # all six fields


def test_preformatted_text_is_cleaned_too() -> None:
    out = render_reply(Reply(text="@misc{x,\n  title = {\x1b]0;t\x07T}\n}", preformatted=True))
    assert out == "@misc{x,\n  title = {]0;tT}\n}"  # ESC gone: the rest is inert text


@given(st.lists(st.one_of(st.sampled_from(EVIL), st.text(max_size=20)), max_size=12))
def test_no_text_can_put_a_control_character_on_the_terminal(parts: list[str]) -> None:
    text = "".join(parts)
    card = PaperCard("2510.00001", text or "t", "https://x.org", text, authors=(text,))
    out = render_reply(Reply(text=text, cards=(card,)))
    assert not CONTROL.search(out)
    out.encode("utf-8")  # no lone surrogate either: print() would raise


def test_the_shell_prints_no_control_characters(tmp_path: Path) -> None:
    db = str(db_with_control_characters(tmp_path / "old.db"))
    out = paperbot("--db", db, "shell", stdin=f"/papers show {PAPER_ID}\n/papers today\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Clean") == 2
    assert not CONTROL.search(out.stdout), repr(out.stdout)


# --- the styled (TTY) renderer: rich, with OSC 8 links --------------------------------------
def _styled(reply: Reply) -> bytes:
    import io

    from adapters.shell.styled import console, reply_renderable

    buf = io.StringIO()
    console(buf, 88).print(reply_renderable(reply))
    return buf.getvalue().encode("utf-8", "surrogateescape")


HOSTILE_URLS = [
    "https://x.org/\x1b]8;;https://evil.example\x1b\\",
    "https://x.org/a\x07b",
    "javascript:alert(1)",
    "https://x.org/\x9d8;;evil\x9c",
    "https://x.org/has space",
    "https://éxample.org/",
]


def test_only_sanitized_urls_become_terminal_hyperlinks() -> None:
    links = tuple(Link(f"L{n}", u) for n, u in enumerate(HOSTILE_URLS))
    card = PaperCard(PAPER_ID, _evil(0), HOSTILE_URLS[0], _evil(1), links=links)
    good = Link("PDF", "https://arxiv.org/pdf/2510.00001")
    out = _styled(Reply(text=_evil(2), title=_evil(3), cards=(card,), links=(good,)))
    assert hyperlinks(out) == [good.url.encode()]  # the one safe URL, nothing else
    assert not re.search(rb"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]", foreign_escapes(out))
    assert b"\x1b" not in foreign_escapes(out), out


@given(st.lists(st.one_of(st.sampled_from(EVIL + HOSTILE_URLS), st.text(max_size=20)), max_size=8))
def test_no_text_can_put_an_escape_sequence_of_its_own_on_a_tty(parts: list[str]) -> None:
    text = "".join(parts)
    card = PaperCard(
        PAPER_ID, text or "t", "https://x.org/" + text, text, authors=(text,),
        links=(Link(text or "x", text),), organization=text, keywords=(text,),
    )  # fmt: skip
    out = _styled(Reply(text=text, title=text or None, cards=(card,)))
    rest = foreign_escapes(out).decode("utf-8", "surrogateescape")
    assert not CONTROL.search(rest), repr(rest)
    for url in hyperlinks(out):
        assert link_target(url.decode()) == url.decode()


def test_the_shell_on_a_tty_writes_only_its_own_escape_sequences(tmp_path: Path) -> None:
    db = str(db_with_control_characters(tmp_path / "old.db"))
    with Terminal("--db", db, "shell", env={"XDG_STATE_HOME": str(tmp_path)}) as term:
        term.expect(PROMPT)
        term.send(f"/papers show {PAPER_ID}\n".encode())
        assert b"Clean" in term.expect(PROMPT)
        term.send(b"/papers today\n")
        term.expect(PROMPT)
        term.send(CTRL_D)
        assert term.wait() == 0
    rest = foreign_escapes(term.seen).decode("utf-8", "replace")
    assert not CONTROL.search(rest), repr(rest)
    assert b"\x1b[1m" in term.seen  # styled: this is the TTY path, not the plain one


def test_bibtex_on_a_tty_keeps_its_lines_whole() -> None:
    import io

    from adapters.shell.styled import console, print_reply

    line = "  title = {" + "a long title " * 8 + "}"
    buf = io.StringIO()
    print_reply(console(buf, 40), Reply(text=f"@misc{{x,\n{line}\n}}", preformatted=True))
    assert line in buf.getvalue()
