"""The query language's parser: every form of SPEC §5, and every error as the user sees it."""

from __future__ import annotations

import pytest

from bot.query import Query, QueryError, parse_query
from bot.query.ast import And, Compare, Field, Flag, Not, Or, Phrase, Term, describe


def root(text: str, **kwargs: bool):
    return parse_query(text, **kwargs).root


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diffusion", Term("diffusion")),
        ("diffusion video", And((Term("diffusion"), Term("video")))),
        ("diffusion AND video", And((Term("diffusion"), Term("video")))),
        ('"state space model"', Phrase(("state", "space", "model"))),
        ("rlhf OR dpo", Or((Term("rlhf"), Term("dpo")))),
        ("rlhf or dpo", Or((Term("rlhf"), Term("dpo")))),
        ("(rlhf OR dpo) alignment", And((Or((Term("rlhf"), Term("dpo"))), Term("alignment")))),
        # OR binds tighter than the implicit AND between terms
        ("rlhf OR dpo alignment", And((Or((Term("rlhf"), Term("dpo"))), Term("alignment")))),
        ("a b OR c d", And((Term("a"), Or((Term("b"), Term("c"))), Term("d")))),
        ("a OR (b c)", Or((Term("a"), And((Term("b"), Term("c")))))),
        ("diffusion -survey", And((Term("diffusion"), Not(Term("survey"))))),
        ('llm -"position paper"', And((Term("llm"), Not(Phrase(("position", "paper")))))),
        ("x -(rlhf OR dpo)", And((Term("x"), Not(Or((Term("rlhf"), Term("dpo"))))))),
        ("x --survey", And((Term("x"), Not(Term("survey"))))),
        ("x -(-survey)", And((Term("x"), Term("survey")))),
        ("cat:cs.CL", Field("cat", "cs.CL")),
        ("CAT:cs.CL", Field("cat", "cs.CL")),
        ("category:cs.CL", Field("cat", "cs.CL")),
        ("cat:eess", Field("cat", "eess")),
        ('author:"Yann LeCun"', Field("author", "Yann LeCun")),
        ('author:"  Yann   LeCun "', Field("author", "Yann LeCun")),
        ("author:lecun", Field("author", "lecun")),
        ("org:nvidia", Field("org", "nvidia")),
        ("organization:NVIDIA", Field("org", "NVIDIA")),
        ("upvotes>=20", Compare("upvotes", ">=", 20)),
        ("upvotes>20", Compare("upvotes", ">", 20)),
        ("upvotes<=20", Compare("upvotes", "<=", 20)),
        ("upvotes<20", Compare("upvotes", "<", 20)),
        ("upvotes=20", Compare("upvotes", "=", 20)),
        ("upvotes=>20", Compare("upvotes", ">=", 20)),
        ("upvotes >= 20", Compare("upvotes", ">=", 20)),
        ("UPVOTES>=007", Compare("upvotes", ">=", 7)),
        ("has:code", Flag("code")),
        ("has:github", Flag("code")),
        ("has:project", Flag("project")),
        ("-has:code x", And((Not(Flag("code")), Term("x")))),
        (
            "(cat:cs.CL OR cat:cs.AI) upvotes>=10 -survey",
            And(
                (
                    Or((Field("cat", "cs.CL"), Field("cat", "cs.AI"))),
                    Compare("upvotes", ">=", 10),
                    Not(Term("survey")),
                )
            ),
        ),
    ],
)
def test_each_form_parses_to_its_node(text: str, expected: object) -> None:
    assert root(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Diffusion,", Term("diffusion")),  # punctuation around a word is not searched
        ("gpt-4o", Term("gpt-4o")),  # inner punctuation stays: FTS reads it as a phrase
        ("c++", Term("c")),
        ("diffusion & video", And((Term("diffusion"), Term("video")))),  # "&" has no word
        ("diffusion diffusion", Term("diffusion")),
        ("café", Term("café")),
        ("\u201cstate space\u201d", Phrase(("state", "space"))),  # curly quotes from Slack
        ("diff\x00usion", And((Term("diff"), Term("usion")))),  # NUL separates, never reaches SQL
        ("OR!", Phrase(("or",))),  # the word, not the operator
        ("a*b^c", Term("a*b^c")),  # FTS5 syntax characters are just punctuation here
        ("NEAR(a b)", And((Term("near"), Term("a"), Term("b")))),
        ('"a" "b"', And((Phrase(("a",)), Phrase(("b",))))),
        ('"" x', Term("x")),
    ],
)
def test_words_are_normalised(text: str, expected: object) -> None:
    assert root(text) == expected


def test_query_text_is_the_source_with_whitespace_collapsed() -> None:
    q = parse_query("  rlhf   OR\tdpo \u201cstate  space\u201d ")
    assert q == Query(
        root=And((Or((Term("rlhf"), Term("dpo"))), Phrase(("state", "space")))),
        text='rlhf OR dpo "state space"',
    )
    assert parse_query(q.text) == q


def test_exclusion_only_is_refused_unless_allowed() -> None:
    with pytest.raises(QueryError, match="not only exclusions"):
        parse_query("-survey")
    with pytest.raises(QueryError, match="not only exclusions"):
        parse_query('-survey -"position paper"')
    with pytest.raises(QueryError, match="not only exclusions"):
        parse_query("x OR -y")  # matches nearly everything
    assert root("-survey", allow_exclusion_only=True) == Not(Term("survey"))
    assert root("-survey upvotes>=5") == And((Not(Term("survey")), Compare("upvotes", ">=", 5)))


def test_ten_levels_of_parentheses_are_accepted() -> None:
    assert root("(" * 10 + "x" + ")" * 10) == Term("x")


def test_a_200_character_query_is_accepted() -> None:
    text = ("ab " * 67)[:200]
    assert len(text) == 200
    assert parse_query(text).root == Term("ab")


UNBALANCED = "unbalanced parenthesis at position {} — example: (rlhf OR dpo) alignment"
EMPTY_PARENS = (
    "nothing to look for inside the parentheses at position {} — example: (rlhf OR dpo) alignment"
)
OR_ERROR = "OR needs a term on both sides — example: rlhf OR dpo"
AND_ERROR = "AND needs a term on both sides — example: diffusion AND video"
UNKNOWN_FIELD = "unknown field '{}:' — use cat:, author:, org:, upvotes>=N or has:code"
UNTERMINATED = 'unterminated quote at position {} — example: "state space model"'
NOTHING = "a query needs at least one word or filter to look for — example: diffusion -survey"
ONLY_EXCLUSIONS = (
    "a query needs at least one word or filter to look for, not only exclusions"
    " — example: diffusion -survey"
)
UPVOTES = "upvotes needs a comparison and a whole number from 0 to 999999999 — example: upvotes>=20"
NESTING = "too many parentheses inside each other (at most 10) — example: (rlhf OR dpo) alignment"
TOO_LONG = "query is too long (202 characters, at most 200) — example: diffusion video"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(rlhf OR dpo alignment", UNBALANCED.format(1)),
        ("rlhf OR dpo) alignment", UNBALANCED.format(12)),
        ("x -)", UNBALANCED.format(4)),
        ("-(", UNBALANCED.format(2)),
        ("()", EMPTY_PARENS.format(1)),
        ("x (***)", EMPTY_PARENS.format(3)),
        ("rlhf OR", OR_ERROR),
        ("OR dpo", OR_ERROR),
        ("rlhf OR OR dpo", OR_ERROR),
        ("(rlhf OR) x", OR_ERROR),
        ("x AND OR y", AND_ERROR),
        ("x -OR y", "'-' needs a word right after it to exclude — example: diffusion -survey"),
        ("AND video", AND_ERROR),
        ("video AND", AND_ERROR),
        ("foo:bar", UNKNOWN_FIELD.format("foo")),
        ("x https://github.com", UNKNOWN_FIELD.format("https")),
        ('"state space', UNTERMINATED.format(1)),
        ('author:"Yann', UNTERMINATED.format(8)),
        ("", NOTHING),
        ("   ", NOTHING),
        ("*** ?!", NOTHING),
        ("-", NOTHING),
        ("-survey", ONLY_EXCLUSIONS),
        ("upvotes>=x", UPVOTES),
        ("upvotes>=", UPVOTES),
        ("upvotes:5", UPVOTES),
        ("upvotes>=-3", UPVOTES),
        ("upvotes>=1234567890", UPVOTES),
        ("upvotes>=²", UPVOTES),
        ("has:foo", "unknown flag 'has:foo' — use has:code or has:project"),
        ("has:", "unknown flag 'has:' — use has:code or has:project"),
        ("cat:", "cat: needs a value — example: cat:cs.CL"),
        ('cat:"cs CL"', "cat: needs an arXiv category — example: cat:cs.CL"),
        ("cat:cs.CL;drop", "cat: needs an arXiv category — example: cat:cs.CL"),
        ("org:", "org: needs a value — example: org:nvidia"),
        ('author:""', 'author: needs a value — example: author:"Yann LeCun"'),
        ('author:"***"', 'author: needs a name — example: author:"Yann LeCun"'),
        ("ab " * 67 + "c", TOO_LONG),
        ("(" * 11 + "x" + ")" * 11, NESTING),
        ("(" * 200, NESTING),
    ],
)
def test_each_error_is_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert str(err.value) == message
    assert err.value.message == message
    assert isinstance(err.value, ValueError)


def test_a_lone_minus_is_punctuation_not_an_exclusion() -> None:
    assert root("diffusion - survey") == And((Term("diffusion"), Term("survey")))
    assert root("diffusion -") == Term("diffusion")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("rlhf OR dpo alignment", "(rlhf OR dpo) alignment"),
        ("a OR (b c)", "a OR (b c)"),
        ('author:"Yann LeCun" cat:cs.CL', 'author:"Yann LeCun" cat:cs.CL'),
        ("x -(a OR b) -has:code", "x -(a OR b) -has:code"),
        ("UPVOTES >= 20 category:cs.AI", "upvotes>=20 cat:cs.AI"),
        ("OR! foo", '"or" foo'),
    ],
)
def test_describe_gives_canonical_text_that_parses_back(text: str, canonical: str) -> None:
    node = root(text)
    assert describe(node) == canonical
    assert root(canonical) == node
