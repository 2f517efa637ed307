"""arXiv's announcement feed as documented (https://info.arxiv.org/help/rss_specifications.html),
on a feed built from one real day's listing (tests/fixtures/sources/arxiv-rss)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sources.arxiv_rss_parse import parse_announcements
from bot.sources.errors import MalformedResponse

FEEDS = Path(__file__).parents[1] / "fixtures" / "sources" / "arxiv-rss"
DAY_FEED = FEEDS / "cs.LG+cs.CL-2023-09-21.xml"


def by_id() -> dict:
    return {a.paper.id: a for a in parse_announcements(DAY_FEED.read_bytes()).items}


def test_the_day_is_the_channels_announcement_date() -> None:
    feed = parse_announcements(DAY_FEED.read_bytes())
    assert feed.day == "2023-09-21"
    assert len(feed.items) == 6


def test_all_four_announce_types_are_read() -> None:
    kinds = {i: a.announce_type for i, a in by_id().items()}
    assert kinds == {
        "2309.10831": "new",
        "2309.10954": "new",
        "2309.10918": "cross",
        "2309.10917": "cross",
        "2309.10916": "replace",
        "2203.01250": "replace-cross",
    }
    assert [i for i, a in by_id().items() if a.is_replacement] == ["2309.10916", "2203.01250"]


def test_a_new_item_becomes_a_whole_paper() -> None:
    p = by_id()["2309.10831"].paper
    assert (
        p.title == "Actively Learning Reinforcement Learning: A Stochastic Optimal Control Approach"
    )
    assert p.abstract.startswith("In this paper we provide framework")  # the prefix is gone
    assert "Announce Type" not in p.abstract
    assert p.authors == (
        "Mohammad S. Ramadan",
        "Mahmoud A. Hayajnh",
        "Michael T. Tolley",
        "Kyriakos G. Vamvoudakis",
    )
    assert p.categories == ("cs.LG", "eess.SY")
    assert p.primary_category == "cs.LG"
    assert p.version == 1
    assert p.published_at == "2023-09-21T00:00:00-04:00"


def test_a_cross_list_keeps_its_own_primary_and_every_category() -> None:
    p = by_id()["2309.10917"].paper
    assert p.primary_category == "eess.AS"
    assert p.categories == ("eess.AS", "cs.AI", "cs.CL", "cs.LG", "cs.SD")


def test_a_replacement_carries_its_version_and_no_first_announcement_date() -> None:
    a = by_id()["2203.01250"]
    assert a.paper.version == 3
    assert a.paper.published_at is None
    assert a.paper.doi == "10.5802/jep.257"
    assert a.paper.journal_ref.startswith("Journal de l'Ecole polytechnique")
    assert a.paper.authors == ("Antonin Monteil", "Paul Pegon")


def test_a_malformed_item_is_skipped_with_a_warning() -> None:
    feed = parse_announcements(DAY_FEED.read_bytes())
    assert "not-an-id" not in {a.paper.id for a in feed.items}
    assert len(feed.warnings) == 1 and "no usable arXiv id" in feed.warnings[0]


def test_an_unknown_announce_type_is_skipped_not_guessed() -> None:
    body = DAY_FEED.read_text().replace(
        "<arxiv:announce_type>cross</arxiv:announce_type>",
        "<arxiv:announce_type>withdrawn</arxiv:announce_type>",
        1,
    )
    feed = parse_announcements(body)
    assert "2309.10918" not in {a.paper.id for a in feed.items}
    assert "withdrawn" in feed.warnings[0]


def test_a_weekend_feed_is_empty_and_normal() -> None:
    feed = parse_announcements((FEEDS / "cs.LG-2023-09-23-saturday.xml").read_bytes())
    assert feed.day == "2023-09-23"
    assert feed.items == () and feed.warnings == ()


def test_a_paper_listed_twice_is_one_announcement_and_new_wins() -> None:
    text = DAY_FEED.read_text()
    start = text.index("<item>")
    first = text[start : text.index("</item>", start) + len("</item>")]
    twice = (
        first.replace("Announce Type: new", "Announce Type: replace")
        .replace(">new<", ">replace<")
        .replace("<category>eess.SY</category>", "<category>math.OC</category>")
    )
    feed = parse_announcements(text.replace(first, twice + "\n" + first))
    [a] = [a for a in feed.items if a.paper.id == "2309.10831"]
    assert a.announce_type == "new"
    assert set(a.paper.categories) == {"cs.LG", "eess.SY", "math.OC"}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<html><body>Service unavailable</body></html>", "not an RSS"),
        (b"<rss version='2.0'><channel><item>", "unparsable XML"),
        (b'<!DOCTYPE rss [<!ENTITY x "y">]><rss><channel/></rss>', "document type"),
    ],
)
def test_a_body_that_is_not_a_feed_is_one_clear_error(body: bytes, said: str) -> None:
    with pytest.raises(MalformedResponse, match=said):
        parse_announcements(body)
