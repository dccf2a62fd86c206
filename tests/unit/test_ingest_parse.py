"""Parsing the seed articles: header metadata, site furniture removed, front matter, HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunk import chunk_article
from assistant.ingest.parse import parse_article
from assistant.ingest.readers import decode_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
S000 = "000_b84748c9215d69a7.txt"
S001 = "001_445fc04b6ebb3d77.txt"
S002 = "002_82abdcb3608312cc.txt"
S003 = "003_ccf18b69091e7c81.txt"
S004 = "004_32c6785b4f59bc36.txt"
ALL = [S000, S001, S002, S003, S004]


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _parsed(name: str):
    return parse_article(name, _seed(name))


def _chunk_text(name: str) -> str:
    return "\n".join(c.text for c in chunk_article(_parsed(name)))


def test_000_tass_header():
    a = _parsed(S000)
    assert a.title == "Russian envoy terms arms supplies to Kiev as red line in Moscow’s relations with Seoul"
    assert a.outlet == "TASS"
    assert a.dateline == "SEOUL, May 10. /TASS/."
    assert a.published is None  # "May 10" and no year anywhere: undated rather than guessed
    from assistant.ingest.document import Document

    dated = parse_article(S000, _seed(S000), Document(S000, _seed(S000), year_hint=2024))
    assert dated.published == "2024-05-10" and dated.metadata()["published_day"] == 20240510
    assert a.byline is None


def test_001_korea_times_header_and_byline_without_email():
    a = _parsed(S001)
    assert a.outlet == "The Korea Times"
    assert a.title == "S. Korea-Russia ties hit new low following minister’s remarks"
    assert a.byline == "Lee Hyo-jin"
    assert "@" not in a.byline


@pytest.mark.parametrize("name", [S002, S003])
def test_articles_without_header_have_no_title_or_outlet(name):
    a = _parsed(name)
    assert a.title is None
    assert a.outlet is None


def test_004_title():
    a = _parsed(S004)
    assert a.title == "Russia slams S Korean suggestion to arm Kyiv as ‘anti-Russia’ move"


def test_metadata_leaves_out_missing_fields():
    meta = _parsed(S002).metadata()
    assert meta["source"] == S002
    assert "title" not in meta and "outlet" not in meta
    assert all(v is not None for v in meta.values())
    assert set(_parsed(S000).metadata()) >= {"source", "title", "outlet", "dateline", "article_hash"}


@pytest.mark.parametrize("name", ALL)
def test_site_furniture_never_reaches_a_chunk(name):
    text = _chunk_text(name)
    assert text.strip(), f"{name} produced no chunks"
    for furniture in [
        "All news", "Newspapers in English", "Newspapers from Korea, Republic", "Leave a Reply",
        "Check Also", "Iraqi PM", "Al-Hamdaniyah", "Your email address will not be published",
        "Required fields are marked",
        "North Korea conducts artillery exercise with multiple rocket launchers",
        "Russia shows willingness to improve relations with South Korea while strengthening",
    ]:
        assert furniture not in text, f"{furniture!r} leaked into the chunks of {name}"


def test_the_furniture_is_really_in_the_files():
    # Guards the test above: it would pass trivially if the seeds lost their furniture.
    assert "Check Also" in _seed(S004) and "Iraqi PM" in _seed(S004)
    assert "Newspapers in English" in _seed(S001)
    assert "North Korea conducts artillery exercise" in _seed(S003)
    assert _seed(S000).startswith("All news")


@pytest.mark.parametrize("name,phrase", [
    (S000, "bright red line"),
    (S001, "lethal weapons to Ukraine"),
    (S002, "We oppose this approach"),
    (S003, "Russophobic stance"),
    (S003, "face threats all the time"),
    (S004, "155mm"),
    (S004, "Medvedev"),
])
def test_story_text_is_kept(name, phrase):
    assert phrase in _chunk_text(name)


def test_story_after_related_headlines_is_kept():
    # 003's two related-headline lines sit mid-story; the story resumes after them.
    text = _chunk_text(S003)
    assert "The comment drew attention because Putin" in text
    assert "Putin made these statements" in text


def test_front_matter_overrides_and_adds_metadata():
    body = _seed(S000)
    front = (
        "---\n"
        "title: Envoy draws a red line\n"
        "outlet: Example Wire\n"
        "date: 2024-05-10\n"
        "url: https://example.org/envoy\n"
        "---\n"
    )
    text = front + body
    a = parse_article("fm.txt", text)
    assert a.title == "Envoy draws a red line"
    assert a.outlet == "Example Wire"
    assert a.published == "2024-05-10"
    assert a.url == "https://example.org/envoy"
    chunks = chunk_article(a)
    assert chunks
    for c in chunks:
        assert c.start >= len(front)
        assert text[c.start:c.end] == c.text  # offsets index the original file, front matter included
        assert c.metadata["title"] == "Envoy draws a red line"
        assert c.metadata["url"] == "https://example.org/envoy"
    assert "Example Wire" not in "".join(c.text for c in chunks)


def test_front_matter_adds_title_to_an_article_without_one():
    text = "---\ntitle: Kremlin rejects Yoon's choice\noutlet: Example\n---\n" + _seed(S002)
    a = parse_article("fm2.txt", text)
    assert a.title == "Kremlin rejects Yoon's choice"
    assert a.outlet == "Example"
    assert any("We oppose this approach" in c.text for c in chunk_article(a))


def test_broken_front_matter_is_ignored_not_fatal():
    text = "---\ntitle: [unclosed\n---\n" + _seed(S002)
    a = parse_article("bad.txt", text)
    assert chunk_article(a)


def test_html_article_is_stripped_to_text():
    markup = (
        "<!doctype html><html><head><title>Seoul weighs arms &amp; aid</title>"
        "<script>var tracker = 'secret-tracking-code';</script><style>p { color: red }</style></head>"
        "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<h1>Seoul weighs arms &amp; aid</h1>"
        "<p>SEOUL, May 10 (Reuters) - South Korea said on Friday it was <b>reviewing</b> its policy on "
        "weapons supplies to Ukraine. The foreign ministry gave no timeline for a decision.</p>"
        "<p>Officials in Moscow warned that any such step would damage bilateral ties for years. "
        "Analysts said the remarks were meant as a signal to Washington.</p>"
        "<!-- internal comment --><footer>Copyright Example News</footer></body></html>"
    )
    text = decode_text(markup.encode("utf-8"), Path("story.html"))
    for gone in ["<", ">", "secret-tracking-code", "color: red", "internal comment", "Copyright", "Home |"]:
        assert gone not in text
    assert "&amp;" not in text
    from assistant.ingest.html_reader import read_html

    doc = read_html(markup, "story.html")
    assert doc.text == text  # what a citation check re-reads is what the index stored
    a = parse_article("story.html", text, doc)
    assert a.title == "Seoul weighs arms & aid"
    assert a.outlet == "Reuters"
    chunks = chunk_article(a)
    joined = " ".join(c.text for c in chunks)
    assert "it was reviewing its policy" in joined
    assert "signal to Washington" in joined
    for c in chunks:
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("text, credit", [
    ("Jane Roe/Wire/Picture Agency Crowds gather at the harbour.", True),
    ("Jon Doe for The Courier/Picture Agency The ferry left at noon.", True),
    ("ANA SILVA/WIRE On Monday the council met.", True),
    ("A Harbour Courier/Civic Poll finds the mayor ahead.", False),  # a poll's name, not a credit
    ("The ferry runs 24/7 in summer.", False),
    ("He said and/or she said.", False),
])
def test_photo_credits_are_told_from_sentences(text, credit):
    from assistant.ingest.patterns import PHOTO_CREDIT

    assert bool(PHOTO_CREDIT.match(text)) is credit
