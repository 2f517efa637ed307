"""The untrusted-text helpers' fast paths give exactly what their general rules give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text import _UNPRINTABLE, clean_line, collapse_whitespace, printable

# Every kind of character the rules care about, mixed with ordinary text.
_TRICKY = st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202e\u2066\u3000\x00\x7f\x9b")
    + ["\ud800", "\udfff", "\u200d", "é", "a", "Z", "·", "😀"]
)
_TEXT = st.lists(st.one_of(_TRICKY, st.characters()), max_size=40).map("".join)


@given(_TEXT)
def test_collapse_whitespace_is_split_and_join(text: str) -> None:
    assert collapse_whitespace(text) == " ".join(text.split())


@given(_TEXT)
def test_printable_removes_exactly_the_unprintable_class(text: str) -> None:
    assert printable(text) == _UNPRINTABLE.sub("", text.replace("\t", " "))


@given(_TEXT)
def test_clean_line_is_printable_then_collapsed(text: str) -> None:
    assert clean_line(text) == collapse_whitespace(printable(text))


def test_the_fast_paths_return_ordinary_text_unchanged() -> None:
    title = "Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified Self-Play"
    assert collapse_whitespace(title) is title
    assert printable(title) is title
    assert clean_line(title) is title
