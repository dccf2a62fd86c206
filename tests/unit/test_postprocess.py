"""Checking an LLM's [n] markers, locating its quotes in the files, renumbering."""

from __future__ import annotations

import pytest

from assistant.cite.locate import best_sentence, locate_quote
from assistant.types import RetrievedChunk
from assistant.cite.postprocess import (
    UNGROUNDED_NOTE,
    MarkerStreamer,
    group_sources,
    is_cannot_answer,
    marker_numbers,
    postprocess_answer,
    rewrite_markers,
)
from assistant.types import CANNOT_ANSWER

KREMLIN = (
    "The Russian government has disagreed with the request of South Korean President Yoon Suk Yeol.\n"
    "Kremlin spokesperson Dmitry Peskov said, “We oppose this approach. We do not agree with this "
    "approach at all.”\n"
    "Peskov further emphasized, “We support building good relations with all countries in the region, "
    "both North and South Korea.”\n"
    "He added, “We have partners in Pyongyang and a country that has joined anti-Russian sanctions in Seoul.”\n"
)
SUMMIT = (
    "NATO leaders met in Washington for a three-day summit.\n"
    "The alliance pledged 40 billion euros in military aid to Ukraine for the coming year.\n"
    "Officials said the package would include air defence systems.\n"
)
FILLER = (
    "Weather in Seoul was mild on Tuesday.\n"
    "Markets closed slightly higher after a quiet session.\n"
)


def chunk(source: str, text: str, start: int, end: int, cid: str, **meta) -> RetrievedChunk:
    return RetrievedChunk(source=source, chunk_id=cid, score=1.0, text=text[start:end], start=start, end=end, **meta)


@pytest.fixture
def chunks() -> list[RetrievedChunk]:
    half = KREMLIN.index("Peskov further")
    return [
        chunk("kremlin.txt", KREMLIN, 0, half, "k0", title="Russia rebuffs Yoon", outlet="Korea Herald"),
        chunk("summit.txt", SUMMIT, 0, len(SUMMIT), "s0", title="NATO summit"),
        chunk("kremlin.txt", KREMLIN, half, len(KREMLIN), "k1", title="Russia rebuffs Yoon", outlet="Korea Herald"),
        chunk("filler.txt", FILLER, 0, len(FILLER), "f0"),
    ]


def file_text(source: str) -> str:
    return {"kremlin.txt": KREMLIN, "summit.txt": SUMMIT, "filler.txt": FILLER}[source]


def assert_exact(citations) -> None:
    for c in citations:
        assert file_text(c.source)[c.start:c.end] == c.quote, c


# --- source numbering and marker parsing -------------------------------------

def test_group_sources_numbers_articles_in_retrieval_order(chunks):
    groups = group_sources(chunks)
    assert [g[0].source for g in groups] == ["kremlin.txt", "summit.txt", "filler.txt"]
    assert [c.chunk_id for c in groups[0]] == ["k0", "k1"]


@pytest.mark.parametrize("body, expected", [
    ("1", [1]), ("1, 2", [1, 2]), ("1;3", [1, 3]), ("1-3", [1, 2, 3]), ("2 , 2", [2, 2]),
])
def test_marker_numbers(body, expected):
    assert marker_numbers(body) == expected


def test_rewrite_drops_fake_markers_and_renumbers_by_first_use():
    text, order = rewrite_markers("A [3]. B [7]. C [1, 3]. D [1][2]. E [Source 2].", n_sources=3)
    assert order == [3, 1, 2]
    assert text == "A [1]. B. C [2][1]. D [2][3]. E [3]."


# --- postprocess_answer -------------------------------------------------------

def test_fake_marker_dropped_and_noted(chunks):
    answer = postprocess_answer("Peskov said “We oppose this approach.” [1] Aid was pledged [7].", chunks)
    assert answer.text == "Peskov said “We oppose this approach.” [1] Aid was pledged."
    assert [c.source for c in answer.citations] == ["kremlin.txt"]
    assert any("Dropped 1" in note for note in answer.notes)
    assert answer.grounded


def test_renumbered_by_first_use_and_only_cited_sources_listed(chunks):
    text = (
        "The alliance pledged 40 billion euros in military aid to Ukraine [2]. "
        "Peskov said “We oppose this approach.” [1]"
    )
    answer = postprocess_answer(text, chunks, question="q", generator="fake")
    assert answer.text == (
        "The alliance pledged 40 billion euros in military aid to Ukraine [1]. "
        "Peskov said “We oppose this approach.” [2]"
    )
    assert [(c.n, c.source) for c in answer.citations] == [(1, "summit.txt"), (2, "kremlin.txt")]
    assert answer.citations[0].quote == "The alliance pledged 40 billion euros in military aid to Ukraine"
    assert answer.citations[1].quote == "We oppose this approach."
    assert answer.citations[1].title == "Russia rebuffs Yoon" and answer.citations[1].outlet == "Korea Herald"
    assert answer.question == "q" and answer.generator == "fake" and answer.retrieved == chunks
    assert_exact(answer.citations)


@pytest.mark.parametrize("markers, shown", [
    ("[1, 2]", "[1][2]"), ("[1][2]", "[1][2]"), ("[1] [2]", "[1] [2]"), ("[1,2]", "[1][2]"), ("[1-2]", "[1][2]"),
])
def test_multi_source_marker_forms(chunks, markers, shown):
    answer = postprocess_answer(f"Russia disagreed with Yoon and NATO pledged aid {markers}.", chunks)
    assert answer.text == f"Russia disagreed with Yoon and NATO pledged aid {shown}."
    assert [c.source for c in answer.citations] == ["kremlin.txt", "summit.txt"]
    assert_exact(answer.citations)


def test_repeated_source_keeps_one_citation(chunks):
    answer = postprocess_answer("Peskov objected [1]. He said “We support building good relations with all "
                                "countries in the region” [1].", chunks)
    assert answer.text.count("[1]") == 2 and len(answer.citations) == 1
    assert "We support building good relations" in answer.citations[0].quote
    assert_exact(answer.citations)


def test_quote_spanning_two_chunks_is_found_with_file_offsets(chunks):
    quote = "We do not agree with this approach at all.” Peskov further emphasized"
    answer = postprocess_answer(f'He said "{quote}" [1]', chunks)
    c = answer.citations[0]
    assert KREMLIN[c.start:c.end] == c.quote
    assert c.start == KREMLIN.index("We do not agree")


def test_no_valid_citation_is_ungrounded(chunks):
    answer = postprocess_answer("Peskov said something [9].", chunks)
    assert answer.text == "Peskov said something."
    assert not answer.grounded and not answer.citations and not answer.abstained
    assert UNGROUNDED_NOTE in answer.notes

    bare = postprocess_answer("Peskov said something.", chunks)
    assert not bare.grounded and UNGROUNDED_NOTE in bare.notes


@pytest.mark.parametrize("text", [
    CANNOT_ANSWER,
    "The articles don’t say.",
    "the articles don't say",
    f"{CANNOT_ANSWER} They only mention the summit [2].",
])
def test_cannot_answer_abstains_without_citations(chunks, text):
    answer = postprocess_answer(text, chunks)
    assert answer.abstained and answer.text == CANNOT_ANSWER and answer.citations == []
    assert is_cannot_answer(text)


def test_paraphrase_falls_back_to_best_sentence(chunks):
    answer = postprocess_answer("Air defence was said to be part of the package [2].", chunks)
    c = answer.citations[0]
    assert c.quote == "Officials said the package would include air defence systems."
    assert_exact([c])


# --- locate_quote -------------------------------------------------------------

def test_locate_exact_returns_file_offsets(chunks):
    kremlin = [c for c in chunks if c.source == "kremlin.txt"]
    hit = locate_quote("both North and South Korea", kremlin)
    assert hit is not None
    assert hit.start == KREMLIN.index("both North and South Korea")
    assert KREMLIN[hit.start:hit.end] == hit.text == "both North and South Korea"


def test_locate_normalised_quotes_case_and_whitespace(chunks):
    kremlin = [c for c in chunks if c.source == "kremlin.txt"]
    hit = locate_quote('"we OPPOSE this   approach.\nWe do not agree"', kremlin)
    assert hit is not None
    assert hit.text == "We oppose this approach. We do not agree"
    assert KREMLIN[hit.start:hit.end] == hit.text


def test_locate_fuzzy_tolerates_a_typo(chunks):
    kremlin = [c for c in chunks if c.source == "kremlin.txt"]
    hit = locate_quote("We have partners in Pyongyang and a contry that joined anti-Russian sanctions", kremlin)
    assert hit is not None
    assert KREMLIN[hit.start:hit.end] == hit.text
    assert hit.text.startswith("We have partners in Pyongyang")
    assert "anti-Russian sanctions" in hit.text


def test_locate_elided_quote(chunks):
    kremlin = [c for c in chunks if c.source == "kremlin.txt"]
    hit = locate_quote("We support building good relations ... both North and South Korea", kremlin)
    assert hit is not None and hit.text.startswith("We support") and hit.text.endswith("South Korea")
    assert KREMLIN[hit.start:hit.end] == hit.text


def test_locate_unrelated_quote_is_none(chunks):
    kremlin = [c for c in chunks if c.source == "kremlin.txt"]
    assert locate_quote("The central bank raised interest rates by half a point", kremlin) is None
    assert locate_quote("", kremlin) is None


def test_best_sentence_picks_matching_sentence(chunks):
    summit = [c for c in chunks if c.source == "summit.txt"]
    hit = best_sentence("how much military aid did the alliance pledge", summit)
    assert hit.text.startswith("The alliance pledged")
    assert SUMMIT[hit.start:hit.end] == hit.text


# --- MarkerStreamer -------------------------------------------------------------

def test_streamer_holds_partial_markers_and_renumbers():
    streamer = MarkerStreamer(n_sources=3)
    shown = [streamer.feed(d) for d in ["Aid was pledged [", "3", "]. Peskov [", "7] objected [1", ", 3", "] ok [Sour", "ce 2]."]]
    assert shown == [
        "Aid was pledged ",
        "Aid was pledged ",
        "Aid was pledged [1]. Peskov ",
        "Aid was pledged [1]. Peskov objected ",
        "Aid was pledged [1]. Peskov objected ",
        "Aid was pledged [1]. Peskov objected [2][1] ok ",
        "Aid was pledged [1]. Peskov objected [2][1] ok [3].",
    ]
    final = postprocess_answer(streamer.raw, [
        RetrievedChunk(source=f"s{i}.txt", chunk_id=f"c{i}", score=1.0, text="Some text here.", end=15)
        for i in (1, 2, 3)
    ])
    assert final.text == streamer.finish() == shown[-1]


def test_streamer_releases_brackets_that_are_not_markers():
    streamer = MarkerStreamer(n_sources=2)
    assert streamer.feed("a [note") == "a [note"
    assert streamer.feed("] b [") == "a [note] b "
    assert streamer.finish() == "a [note] b ["


def test_reasoning_block_is_hidden_and_removed(chunks):
    streamer = MarkerStreamer(n_sources=3)
    shown = [streamer.feed(d) for d in ["<thi", "nk>Source 2 has it [2]", "</think>\n\nAid [", "2]", " <", "b>"]]
    assert shown == ["", "", "Aid ", "Aid [1]", "Aid [1] ", "Aid [1] <b>"]
    answer = postprocess_answer("<think>maybe [1]</think>\nThe alliance pledged 40 billion euros [2].", chunks)
    assert answer.text == "The alliance pledged 40 billion euros [1]."
    assert [c.source for c in answer.citations] == ["summit.txt"]
