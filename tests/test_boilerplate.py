"""boilerplate family (BOI001-BOI006): unit tests on invented text, plus seed and
false-positive checks on ../shared (skipped when absent)."""

from __future__ import annotations

import pytest
from shared_data import bbc_texts, seed_text

from detector.families import boilerplate
from detector.text import Document

HEAD = "Port strike ends after pay deal"
B1 = "Dock workers at the country's three largest ports returned to work on Monday after unions accepted a new pay offer."
B2 = "The strike had halted container traffic for nine days and left hundreds of lorries queuing outside the gates."
B3 = "Employers said the deal would raise wages by 6% this year and a further 4% next year, the union said."
B4 = "Shipping companies warned it could take two weeks to clear the backlog of cargo waiting at sea."


def article(*middle: str, tail: tuple[str, ...] = ()) -> str:
    return "\n\n".join([HEAD, B1, *middle, B2, B3, B4, *tail])


def codes(text: str) -> list[tuple[str, str]]:
    return [(f.code, text[f.start : f.end]) for f in boilerplate.detect(text)]


@pytest.mark.parametrize(
    "line",
    [
        "See also: Ferry operator cancels winter sailings",
        "See also\u00a0 Ferry operator cancels winter sailings",
        "READ MORE: Ferry operator cancels winter sailings",
        "Read also - Ferry operator cancels winter sailings",
        "Related: Ferry operator cancels winter sailings",
        "» Related stories: ferry operator cancels winter sailings",
        "You may also like: Ferry operator cancels winter sailings",
    ],
)
def test_see_also_lines(line):
    text = article(line)
    assert codes(text) == [("BOI001", line)]
    (f,) = boilerplate.detect(text)
    assert f.family == "boilerplate" and f.severity == "warning" and f.suggestion == "delete the line"


@pytest.mark.parametrize(
    "line",
    [
        "Share this post",
        "Share this article on Facebook",
        "Comment this post",
        "Leave a Reply",
        "Post a comment",
        "14 Comments",
        "Follow us on Telegram",
        "Sign up for our daily newsletter",
        "Your email address will not be published. Required fields are marked *",
        "You must be logged in to post a comment.",
    ],
)
def test_share_comment_prompts(line):
    text = article(tail=(line,))
    assert codes(text) == [("BOI002", line)]


@pytest.mark.parametrize(
    "line",
    [
        "(Except for the headline, this story has not been edited by Daily Star staff and is published from a syndicated feed.)",
        "This article was originally published on The Harbour Times.",
        "This article is republished from Coastal Review under a Creative Commons license.",
        "(With inputs from agencies)",
        "© 2024 Example Media. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
    ],
)
def test_syndication_notes(line):
    text = article(tail=(line,))
    assert codes(text) == [("BOI003", line)]
    assert boilerplate.detect(text)[0].severity == "warning"


def test_reporting_credit_is_info():
    line = "Reporting by Ana Silva; Editing by Tom Hale"
    (f,) = boilerplate.detect(article(tail=(line,)))
    assert (f.code, f.severity) == ("BOI003", "info")


@pytest.mark.parametrize(
    "heading", ["Unions Claim Victory", "‘Long Queues’", "- Backlog at sea -", "WHAT HAPPENS NEXT"]
)
def test_stray_heading_between_body_paragraphs(heading):
    text = "\n\n".join([HEAD, B1, B2, heading, B3, B4])
    (f,) = boilerplate.detect(text)
    assert (f.code, f.severity, text[f.start : f.end]) == ("BOI004", "info", heading)


def test_heading_glued_to_paragraph_end():
    para = B2 + " Talks and the Pay Settlement."
    text = "\n\n".join([HEAD, B1, para, B3])
    assert codes(text) == [("BOI004", "Talks and the Pay Settlement.")]


@pytest.mark.parametrize(
    "text",
    [
        # headline is the first line; sentence-case subheadings, captions and lists are left alone
        "\n\n".join([HEAD, B1, B2, B3]),
        "\n\n".join([HEAD, B1, "What the deal means", B2, B3]),
        "\n\n".join([HEAD, B1, "Lorries wait outside the gates of the northern port on Sunday", B2]),
        "\n\n".join([HEAD, B1, "Hull, Leeds, York and Selby", B2]),
        "\n\n".join([HEAD, B1, "SUPER RACER (GAME STUDIO)", B2]),
        # prose that merely mentions the words
        "\n\n".join([HEAD, B1, "He said workers would share the post of chairman between them.", B2]),
        "\n\n".join([HEAD, B1, "Related talks are due next week, the ministry said on Tuesday evening.", B2]),
        "\n\n".join(
            [HEAD, B1, "The union first appeared in court on Tuesday to defend the strike action.", B2]
        ),
        "\n\n".join(
            [HEAD, B1, "More from the union's statement was read out at the meeting on Tuesday.", B2]
        ),
        "\n\n".join([HEAD, B1, B2 + " She backed the Get Me Out Of Here.", B3]),
        "\n\n".join([HEAD, B1, "Updated figures were published on 3 May by the port authority.", B2]),
    ],
)
def test_normal_text_not_flagged(text):
    assert codes(text) == []


def test_teaser_block_is_one_finding():
    block = [
        "More from Business",
        "• Airline orders 40 new jets",
        "The carrier said demand had returned to pre-pandemic levels in most markets this summer.",
        "• Shares slide after weak forecast",
        "REUTERS/Some Photographer",
        "Chipmakers led losses on the stock exchange after a major supplier cut its sales outlook.",
    ]
    text = "\n\n".join([HEAD, B1, B2, B3, *block, "Share this post"])
    found = codes(text)
    assert found == [("BOI005", "\n\n".join(block)), ("BOI002", "Share this post")]
    (f,) = [f for f in boilerplate.detect(text) if f.code == "BOI005"]
    assert "More from Business" in f.message and f.suggestion == "delete the block"


def test_teaser_block_ends_where_the_article_resumes():
    block = ["Most read", "Airline orders 40 new jets", "Shares slide after weak forecast"]
    text = "\n\n".join([HEAD, B1, *block, B2, B3, B4])
    assert codes(text) == [("BOI005", "\n\n".join(block))]


@pytest.mark.parametrize(
    "line,severity",
    [
        ("Skip to main content", "warning"),
        ("Skip to content", "warning"),
        ("Thumbnail", "warning"),
        ("Advertisement", "warning"),
        ("Latest news", "warning"),
        ("Toggle navigation", "warning"),
        ("AFP / Jane Doe", "info"),
        ("Photo by John Roe/Getty Images", "info"),
        ("EPA/Mark Stone", "info"),
        ("Jane Doe/Sipa USA, via Reuters", "info"),
        ("Photo: Harbour Authority", "info"),
        ("— Northern Port (Country) (AFP)", "info"),
        ("Published 3 hours ago", "info"),
        ("Updated: 12 May 2024, 10:30 GMT", "info"),
        ("Last updated on 4 June", "info"),
    ],
)
def test_navigation_and_credit_furniture(line, severity):
    text = "\n\n".join([line, HEAD, B1, B2])
    (f,) = boilerplate.detect(text)
    assert (f.code, f.severity, text[f.start : f.end]) == ("BOI006", severity, line)


def test_offsets_with_crlf_and_unicode():
    text = (
        "Grève au port de Brest\r\n\r\nSkip to main content\r\n\r\n"
        + B1
        + "\r\n\r\nPartager: Share this post\r\n\r\nShare this post\r\n"
    )
    got = codes(text)
    assert got == [("BOI006", "Skip to main content"), ("BOI002", "Share this post")]


def test_accepts_document():
    text = article("See also: Ferry operator cancels winter sailings")
    assert boilerplate.detect(Document(text)) == boilerplate.detect(text)


@pytest.mark.parametrize(
    "line",
    [
        "Scroll to continue",
        "Scroll down to continue reading",
        "Story continues below advertisement",
        "Media playback is unsupported on your device",
        "This video is unavailable",
        "We use cookies to give you the best experience on our website.",
        "By continuing to use this site you agree to our use of cookies.",
        "Manage cookies",
    ],
)
def test_more_navigation_and_consent_furniture(line):
    text = article(line)
    assert [c for c, _ in codes(text)] == ["BOI006"]
    assert codes(text)[0][1] == line


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our morning briefing",
        "Subscribe to our weekly digest",
        "Share on X (Twitter)",
        "Follow The Harbour Times on Instagram",
        "Download our free news app",
    ],
)
def test_more_prompts(line):
    text = article(tail=(line,))
    assert codes(text) == [("BOI002", line)]


@pytest.mark.parametrize(
    "line",
    [
        "This report was automatically generated from an agency feed and has not been reviewed.",
        "This story has been auto-published from a syndicated feed.",
        "(Published via a wire feed; headline edited by our desk.)",
    ],
)
def test_more_syndication_notes(line):
    text = article(tail=(line,))
    assert codes(text) == [("BOI003", line)]


@pytest.mark.parametrize(
    "header", ["Trending on Harbour News", "Latest from Harbour News", "Popular in Business"]
)
def test_more_teaser_headers(header):
    block = [header, "Airline orders 40 new jets", "Shares slide after weak forecast"]
    text = "\n\n".join([HEAD, B1, B2, B3, *block])
    assert codes(text) == [("BOI005", "\n\n".join(block))]


@pytest.mark.parametrize("heading", ["Background", "Analysis", "Timeline"])
def test_single_word_heading_between_body_paragraphs(heading):
    text = "\n\n".join([HEAD, B1, B2, heading, B3, B4])
    (f,) = boilerplate.detect(text)
    assert (f.code, f.severity, text[f.start : f.end]) == ("BOI004", "info", heading)


@pytest.mark.parametrize(
    "text",
    [
        # single words that are not headings: not capitalised, too short, or not between paragraphs
        "\n\n".join([HEAD, B1, "background", B2, B3]),
        "\n\n".join([HEAD, B1, "Yes", B2, B3]),
        "\n\n".join([HEAD, B1, B2, "Background"]),
        # prose that merely mentions cookies, feeds, trends
        "\n\n".join([HEAD, B1, "The regulator said websites that use cookies must ask visitors first.", B2]),
        "\n\n".join(
            [HEAD, B1, "The platform changed its news feed in March, the company said on Monday.", B2]
        ),
        "\n\n".join([HEAD, B1, "Trending topics on the site included the strike and the pay deal.", B2]),
        # an agency dateline is copy, not furniture
        "\n\n".join([HEAD, "LONDON (Reuters) - " + B1, B2]),
    ],
)
def test_more_normal_text_not_flagged(text):
    assert codes(text) == []


# --- shared data ----------------------------------------------------------------------------




def test_seed_003_furniture():
    text = seed_text("003")
    found = {(f.code, text[f.start : f.end].split()[0]) for f in boilerplate.detect(text)}
    assert {c for c, _ in found} >= {"BOI001", "BOI002", "BOI003", "BOI004"}


@pytest.mark.parametrize("seed", ["002", "004"])
def test_seed_teaser_blocks_run_to_the_end(seed):
    text = seed_text(seed)
    blocks = [f for f in boilerplate.detect(text) if f.code == "BOI005"]
    assert len(blocks) == 1
    assert text[blocks[0].start :].startswith("More from")
    assert blocks[0].end == len(text.rstrip())


def test_seed_000_navigation_and_prompts():
    text = seed_text("000")
    found = {(f.code, text[f.start : f.end]) for f in boilerplate.detect(text)}
    assert ("BOI006", "Skip to main content") in found
    assert ("BOI002", "Share this post") in found


def test_false_positive_rate_on_bbc_test_split():
    words = hits = 0
    for text in bbc_texts("test"):
        doc = Document(text)
        words += doc.word_count
        hits += len(boilerplate.detect(doc))
    assert hits * 1000 / words <= 0.2, (hits, words)
