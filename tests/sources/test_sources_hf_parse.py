"""Hugging Face daily_papers parsing on recorded responses from every schema era."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sources.errors import MalformedResponse
from bot.sources.hf_parse import first_github_url, parse_daily_papers, parse_paper

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources" / "hf"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def load_day(day: str) -> Any:
    gz = FIXTURES / f"{day}.json.gz"
    if gz.exists():
        with gzip.open(gz, "rt", encoding="utf-8") as f:
            return json.load(f)
    return json.loads((FIXTURES / f"{day}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("2024-05-27", 13),
        ("2024-08-05", 8),
        ("2025-03-13", 10),
        ("2025-06-27", 9),
        ("2025-10-01", 37),
        ("2025-12-26", 6),
    ],
)
def test_every_era_parses_completely_in_list_order(day: str, count: int) -> None:
    raw = load_day(day)
    parsed = parse_daily_papers(raw)
    assert parsed.warnings == ()
    assert len(parsed.papers) == count
    assert [p.id for p in parsed.papers] == [e["paper"]["id"] for e in raw]
    for paper in parsed.papers:
        assert paper.title and "\n" not in paper.title and "  " not in paper.title
        assert paper.abstract and "\n" not in paper.abstract
        assert paper.authors and all(isinstance(a, str) and a for a in paper.authors)
        assert isinstance(paper.upvotes, int)
        assert isinstance(paper.num_comments, int)
        assert paper.published_at and paper.published_at.startswith(("2024", "2025"))


def test_oldest_era_has_no_ai_fields() -> None:
    first = parse_daily_papers(load_day("2024-05-27")).papers[0]
    assert first.id == "2405.15738"
    assert first.title == (
        "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models"
    )
    assert first.abstract.startswith("High-resolution Large Multimodal Models (LMMs) encounter the")
    assert first.authors[:2] == ("Chunjiang Ge", "Sijie Cheng")
    assert first.ai_summary is None and first.ai_keywords == () and first.github_stars is None


def test_newest_era_fills_every_hf_field() -> None:
    raw = load_day("2025-12-26")
    papers = parse_daily_papers(raw).papers
    for entry, paper in zip(raw, papers, strict=True):
        source = entry["paper"]
        assert paper.upvotes == source["upvotes"]
        assert paper.num_comments == entry["numComments"]
        assert paper.ai_keywords == tuple(source.get("ai_keywords", []))
        if "githubRepo" in source:
            assert paper.github_repo == source["githubRepo"]
        assert paper.github_stars == source.get("githubStars")
        assert paper.project_page == source.get("projectPage")
        assert len(paper.authors) == len(source["authors"])
    with_org = [p for p, e in zip(papers, raw, strict=True) if "organization" in e["paper"]]
    assert with_org and all(p.organization for p in with_org)
    assert any(p.ai_summary for p in papers)


def test_title_and_abstract_line_breaks_collapse() -> None:
    entry = {
        "paper": {
            "id": "2401.00001v3",
            "title": "A Title\n  Broken Across Lines",
            "summary": "First line\nsecond  line.\n\n  Code at https://github.com/org/repo.",
            "authors": [{"name": "Ada", "hidden": True}, {"name": " Bob "}, {"_id": "x"}],
        },
        "numComments": 2,
    }
    paper = parse_daily_papers([entry]).papers[0]
    assert paper.id == "2401.00001"
    assert paper.title == "A Title Broken Across Lines"
    assert paper.abstract == "First line second line. Code at https://github.com/org/repo."
    assert paper.authors == ("Ada", "Bob")
    assert paper.github_repo == "https://github.com/org/repo"  # trailing "." dropped
    assert paper.upvotes is None and paper.num_comments == 2


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see (https://github.com/a/b).", "https://github.com/a/b"),
        ("at https://github.com/a/b/tree/main; data elsewhere", "https://github.com/a/b/tree/main"),
        (
            "profile https://github.com/someone, code https://github.com/a/b/",
            "https://github.com/a/b",
        ),
        ("no code here", None),
    ],
)
def test_first_github_url_skips_profiles_and_trailing_punctuation(
    text: str, url: str | None
) -> None:
    assert first_github_url(text) == url


def test_bad_entries_are_skipped_with_warnings_and_the_rest_kept() -> None:
    good = load_day("2025-03-13")[:3]
    data = [
        good[0],
        "not an entry",
        {"paper": {"title": "no id"}},
        {"paper": {"id": "2401.00002", "title": "   "}},
        {"paper": {"id": "../etc/passwd", "title": "x"}},
        {"paper": ["wrong"]},
        good[1],
        good[2],
    ]
    parsed = parse_daily_papers(data)
    assert [p.id for p in parsed.papers] == [g["paper"]["id"] for g in good]
    assert parsed.warnings == (
        "entry 1: expected an object, got a string",
        "entry 2: no paper id",
        "entry 3: paper 2401.00002 has no title",
        "entry 4: paper id '../etc/passwd' is not an arXiv id",
        "entry 5: 'paper' is an array, not an object",
    )


def test_wrong_types_in_optional_fields_are_ignored() -> None:
    entry = {
        "paper": {
            "id": "2401.00003",
            "title": "T",
            "upvotes": "12",
            "ai_keywords": "not a list",
            "githubStars": True,
            "organization": "nvidia",
            "authors": None,
            "brandNewField": {"x": 1},
        },
        "numComments": None,
    }
    paper = parse_daily_papers([entry]).papers[0]
    assert paper.upvotes is None and paper.ai_keywords == () and paper.github_stars is None
    assert paper.organization is None and paper.authors == () and paper.num_comments is None


def test_empty_day_is_fine() -> None:
    parsed = parse_daily_papers([])
    assert parsed.papers == () and parsed.warnings == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"status": "success", "date": "2025-01-10", "count": 9, "data": []},
            "expected a JSON array of papers, got an object with keys status, date, count, data",
        ),
        (None, "expected a JSON array of papers, got null"),
        ("[]", "expected a JSON array of papers, got a string"),
        (["{'paper': {}}", 3], "no valid entries: entry 0: expected an object, got a string"),
    ],
)
def test_malformed_responses_are_one_clear_error(data: object, message: str) -> None:
    with pytest.raises(MalformedResponse) as info:
        parse_daily_papers(data)
    assert str(info.value) == message


@pytest.mark.parametrize("name", ["malformed-2025-01-02.json", "malformed-2025-01-10-wrapped.json"])
def test_recorded_malformed_files_are_rejected(name: str) -> None:
    with pytest.raises(MalformedResponse):
        parse_daily_papers(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def test_parse_paper_accepts_bare_and_wrapped_shapes() -> None:
    entry = load_day("2025-06-27")[0]
    wrapped = parse_paper(entry)
    bare = parse_paper(entry["paper"])
    assert wrapped.id == bare.id == entry["paper"]["id"]
    assert wrapped.title == bare.title
    assert wrapped.num_comments == entry["numComments"] and bare.num_comments is None
    with pytest.raises(MalformedResponse, match="no paper id"):
        parse_paper({"title": "x"})


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data not beside the repo")


@needs_shared
def test_whole_recorded_corpus_parses_without_a_warning() -> None:
    files = sorted((SHARED / "hf-daily-papers").glob("*.json"))
    assert len(files) == 393
    total = 0
    for path in files:
        parsed = parse_daily_papers(json.loads(path.read_text(encoding="utf-8")))
        assert parsed.warnings == (), path.name
        total += len(parsed.papers)
    assert total == 5841


@needs_shared
def test_every_recorded_malformed_file_is_rejected_with_a_reason() -> None:
    files = sorted((SHARED / "hf-daily-papers-malformed").glob("*.json"))
    assert len(files) == 22
    for path in files:
        with pytest.raises(MalformedResponse) as info:
            parse_daily_papers(json.loads(path.read_text(encoding="utf-8")))
        assert str(info.value).startswith(("no valid entries: ", "expected a JSON array")), path


_KEYS = ["paper", "id", "title", "summary", "authors", "name", "upvotes", "organization"]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_any_json_is_parsed_or_rejected_cleanly(data: object) -> None:
    try:
        parsed = parse_daily_papers(data)
    except MalformedResponse as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(data, list)
    assert len(parsed.papers) + len(parsed.warnings) == len(data)


# --- what a person picks by (#11): thumbnail, submitter, organisation name --------------------
def test_newest_era_keeps_thumbnail_submitter_and_organisation_display_name() -> None:
    raw = load_day("2025-12-26")
    papers = parse_daily_papers(raw).papers
    for entry, paper in zip(raw, papers, strict=True):
        assert paper.thumbnail == entry["thumbnail"]  # every entry of the era has one
        assert paper.submitted_by == entry["submittedBy"]["fullname"]
        org = entry["paper"].get("organization")
        assert paper.organization == (org["name"] if org else None)
        assert paper.organization_name == (org["fullname"] if org else None)
    assert any(p.organization_name and p.organization_name != p.organization for p in papers)


def test_oldest_era_has_no_thumbnail_or_submitter() -> None:
    first = parse_daily_papers(load_day("2024-05-27")).papers[0]
    assert first.thumbnail is None and first.submitted_by is None
    assert first.organization is None and first.organization_name is None


def _entry(**fields: object) -> dict:
    paper = {"id": "2401.00001", "title": "T", **fields.pop("paper", {})}  # type: ignore[dict-item]
    return {"paper": paper, **fields}


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2401.00001.png", True),
        ("http://cdn-thumbnails.huggingface.co/x.png", False),
        ("javascript:alert(1)", False),
        ("//evil.example/x.png", False),
        ("https://a.example/x y.png", False),
        ("https://a.example/" + "x" * 3000, False),
        (42, False),
    ],
)
def test_only_https_thumbnails_are_kept(url: object, kept: bool) -> None:
    paper = parse_daily_papers([_entry(thumbnail=url)]).papers[0]
    assert paper.thumbnail == (url if kept else None)


def test_submitter_falls_back_to_the_paper_level_record_and_the_handle() -> None:
    both = _entry(
        submittedBy={"fullname": "Ada Lovelace", "name": "ada"},
        paper={"submittedOnDailyBy": {"fullname": "Someone Else", "user": "else"}},
    )
    paper_only = _entry(paper={"submittedOnDailyBy": {"user": "akhaliq"}})
    handle_only = _entry(submittedBy={"name": "akhaliq", "fullname": "  "})
    bad = _entry(submittedBy="Ada", paper={"submittedOnDailyBy": ["x"]})
    parsed = parse_daily_papers([both, paper_only, handle_only, bad]).papers
    assert [p.submitted_by for p in parsed] == ["Ada Lovelace", "akhaliq", "akhaliq", None]


def test_organisation_slug_and_display_name_from_the_paper_or_the_entry() -> None:
    on_paper = _entry(paper={"organization": {"name": "nvidia", "fullname": "NVIDIA"}})
    on_entry = _entry(organization={"name": "ByteDance-Seed", "fullname": "ByteDance Seed"})
    slug_only = _entry(organization={"name": "mit"})
    huge = _entry(organization={"name": "x" * 200, "fullname": "y" * 200})
    parsed = parse_daily_papers([on_paper, on_entry, slug_only, huge]).papers
    assert [(p.organization, p.organization_name) for p in parsed] == [
        ("nvidia", "NVIDIA"),
        ("ByteDance-Seed", "ByteDance Seed"),
        ("mit", None),
        (None, None),
    ]
