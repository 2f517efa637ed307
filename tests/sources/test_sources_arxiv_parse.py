"""arXiv Atom parsing on recorded feeds from the 2016 and 2026 backends."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.sources.arxiv_parse import parse_atom
from bot.sources.errors import MalformedResponse

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources" / "arxiv"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_2026_layout_single_id() -> None:
    [paper] = parse_atom(read("id_1605.08386_s0_m100.xml"))
    assert paper.id == "1605.08386" and paper.version == 1
    assert paper.title == "Heat-bath random walks with Markov bases"
    assert paper.abstract.startswith("Graphs on lattice points are studied")
    assert paper.authors == ("Caprice Stanley", "Tobias Windisch")
    assert paper.categories == ("math.CO", "math.ST")
    assert paper.primary_category == "math.CO"
    assert paper.comment == "20 pages, 3 figures"
    assert paper.published_at == "2016-05-26T17:59:46Z"
    assert paper.doi is None and paper.journal_ref is None


def test_2016_layout_with_inline_namespaces_and_other_order() -> None:
    [paper] = parse_atom(read("legacy_id_list_1111.2011v2.xml"))
    assert paper.id == "1111.2011" and paper.version == 2
    assert paper.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert "\n" not in paper.abstract and paper.abstract.startswith("Theoretical description")
    assert paper.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert paper.primary_category == "cond-mat.str-el"
    assert paper.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert paper.doi == "10.1103/PhysRevB.85.115117"
    assert paper.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert paper.comment == "8 pages, 3 figures. Published version"


def test_old_style_ids_keep_their_archive() -> None:
    [paper] = parse_atom(read("id_astro-ph_0601001_s0_m100.xml"))
    assert paper.id == "astro-ph/0601001" and paper.version == 1
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    [versioned] = parse_atom(read("id_quant-ph_0201082v1_s0_m100.xml"))
    assert versioned.id == "quant-ph/0201082"
    assert versioned.categories == ("quant-ph", "cs.PL")
    legacy = parse_atom(read("legacy_search_del_maestro_quantum_criticality.xml"))
    assert [p.id for p in legacy] == ["1111.2011", "cond-mat/0607501"]


def test_primary_category_comes_first_even_when_listed_later() -> None:
    papers = parse_atom(read("q_testing_s0_m10.xml"))
    assert len(papers) == 10
    for paper in papers:
        assert paper.categories[0] == paper.primary_category
        assert len(set(paper.categories)) == len(paper.categories)


def test_a_numeric_title_is_still_a_title() -> None:
    [paper] = parse_atom(read("id_2104.12255v1_s0_m100.xml"))
    assert paper.title == "0" and paper.categories == ("cs.CR",)


def test_empty_feed_is_no_papers() -> None:
    assert parse_atom(read("id_0000.0000_s0_m100.xml")) == []


def test_unknown_id_among_known_gives_only_the_known() -> None:
    papers = parse_atom(read("id_0808.05394_1707.08567_s0_m100.xml").decode("utf-8"))
    assert [p.id for p in papers] == ["1707.08567"]


def test_error_entry_is_a_clear_malformed_response() -> None:
    with pytest.raises(MalformedResponse) as info:
        parse_atom(read("id_abc_s0_m100.xml"))
    assert str(info.value) == "arXiv rejected the query: incorrect id format for abc"


@pytest.mark.parametrize("seed", range(5))
def test_parsing_does_not_depend_on_element_order(seed: int) -> None:
    body = read("legacy_id_list_1111.2011v2.xml")
    expected = parse_atom(body)
    root = ET.fromstring(body)
    rng = random.Random(seed)
    for element in [root, *root.iter("{http://www.w3.org/2005/Atom}entry")]:
        # Shuffle the kinds of element; authors and categories keep their order among themselves.
        rank = {tag: rng.random() for tag in {child.tag for child in element}}
        element[:] = sorted(element, key=lambda child: rank[child.tag])
    assert parse_atom(ET.tostring(root)) == expected


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"<html><body>Service unavailable</body></html>", "not an Atom <feed>"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "unparsable XML"),
        (b"", "unparsable XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&a;</title></feed>',
            "document type declaration",
        ),
    ],
)
def test_malformed_bodies_are_one_clear_error(body: bytes, fragment: str) -> None:
    with pytest.raises(MalformedResponse, match=fragment):
        parse_atom(body)


def test_entry_without_id_is_skipped_and_the_rest_kept() -> None:
    body = read("id_1605.08386_s0_m100.xml").replace(
        b"<entry>", b"<entry><title>orphan</title></entry><entry>", 1
    )
    assert [p.id for p in parse_atom(body)] == ["1605.08386"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data not beside the repo")
def test_every_recorded_feed_parses() -> None:
    files = sorted((SHARED / "arxiv-api").glob("*-xml/*.xml"))
    assert len(files) == 25
    entries = 0
    for path in files:
        if path.name.startswith("id_abc"):
            with pytest.raises(MalformedResponse):
                parse_atom(path.read_bytes())
            continue
        papers = parse_atom(path.read_bytes())
        assert all(p.id and p.title and p.primary_category for p in papers), path.name
        entries += len(papers)
    assert entries == 245
