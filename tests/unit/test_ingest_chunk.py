"""Chunking: exact slices, sentence boundaries, overlap, stable ids; the sentence splitter."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunk import article_sentences, chunk_article, chunk_id
from assistant.ingest.parse import parse_article
from assistant.ingest.sentences import merge_quoted, split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _article(name: str, text: str | None = None):
    return parse_article(name, text if text is not None else (SEEDS / name).read_text(encoding="utf-8"))


def test_there_are_five_seeds():
    assert len(NAMES) == 5


@pytest.mark.parametrize("name", NAMES)
def test_every_chunk_is_an_exact_slice_of_the_file(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    chunks = chunk_article(_article(name, text))
    assert chunks
    for i, c in enumerate(chunks):
        assert c.text == text[c.start:c.end]
        assert c.text == c.text.strip()
        assert c.index == i
        assert c.source == name
        assert c.metadata["start"] == c.start and c.metadata["end"] == c.end
        assert c.metadata["chunk_index"] == i
        assert c.metadata["source"] == name


@pytest.mark.parametrize("name", NAMES)
def test_chunks_start_and_end_on_sentence_boundaries(name):
    article = _article(name)
    runs = article_sentences(article)
    starts = {a for run in runs for a, _ in run}
    ends = {b for run in runs for _, b in run}
    for c in chunk_article(article):
        assert c.start in starts, f"chunk {c.index} of {name} starts mid-sentence: {c.text[:40]!r}"
        assert c.end in ends, f"chunk {c.index} of {name} ends mid-sentence: {c.text[-40:]!r}"
        if not _is_header_chunk(article, c):
            assert c.text[-1] in ".!?”\"’»)]…", c.text[-40:]


def _is_header_chunk(article, chunk) -> bool:
    """The headline run (title, byline) has no closing punctuation."""
    lines = [ln.strip() for ln in chunk.text.split("\n") if ln.strip()]
    return all(ln == article.title or (article.byline and article.byline in ln) for ln in lines)


def _sentence_ids(run, chunk):
    return [k for k, (a, b) in enumerate(run) if a >= chunk.start and b <= chunk.end]


@pytest.mark.parametrize("overlap", [0, 1, 2])
@pytest.mark.parametrize("target", [300, 700])
@pytest.mark.parametrize("name", NAMES)
def test_consecutive_chunks_overlap_by_the_configured_sentences(name, overlap, target):
    article = _article(name)
    chunks = chunk_article(article, target_chars=target, overlap_sentences=overlap)
    runs = article_sentences(article)
    checked_overlaps = 0
    for run in runs:
        in_run = [c for c in chunks if run[0][0] <= c.start and c.end <= run[-1][1]]
        assert in_run
        # Every sentence of the run is in some chunk; chunks come in reading order.
        ids = [_sentence_ids(run, c) for c in in_run]
        assert sorted({k for s in ids for k in s}) == list(range(len(run)))
        for prev, nxt, (prev_c, nxt_c) in zip(ids, ids[1:], zip(in_run, in_run[1:])):
            assert prev and nxt
            assert nxt_c.start > prev_c.start and nxt_c.end > prev_c.end  # never a repeat of a part
            shared = [k for k in nxt if k in prev]
            assert shared == prev[len(prev) - len(shared):], "the overlap is the tail of the previous chunk"
            assert len(shared) <= overlap
            wanted = min(overlap, len(prev) - 1)
            if len(shared) < wanted:
                # Less overlap only when one more repeated sentence would push the chunk over the target.
                first_new = prev[-1] + 1
                extra = prev[len(prev) - len(shared) - 1]
                assert run[first_new][1] - run[extra][0] > target
            else:
                checked_overlaps += 1
    if overlap and target == 700:
        assert checked_overlaps >= 1


def test_default_settings_overlap_one_sentence_on_the_seeds():
    for name in NAMES:
        article = _article(name)
        chunks = chunk_article(article, 700, 1)
        for prev, nxt in zip(chunks, chunks[1:]):
            assert nxt.start > prev.start and nxt.end > prev.end
    # 002 is one run: each next chunk begins with the previous chunk's last sentence.
    article = _article("002_82abdcb3608312cc.txt")
    (run,) = article_sentences(article)
    chunks = chunk_article(article, 700, 1)
    assert len(chunks) >= 3
    for prev, nxt in zip(chunks, chunks[1:]):
        last = [a for a, b in run if a >= prev.start and b <= prev.end][-1]
        assert nxt.start == last


def test_no_chunk_is_contained_in_another():
    for name in NAMES:
        chunks = chunk_article(_article(name))
        for a in chunks:
            for b in chunks:
                if a is not b:
                    assert not (b.start <= a.start and a.end <= b.end), (name, a.index, b.index)


def test_chunks_respect_the_target_size_where_sentences_allow():
    for name in NAMES:
        article = _article(name)
        longest = max(b - a for run in article_sentences(article) for a, b in run)
        for c in chunk_article(article, 700, 1):
            assert len(c.text) <= max(700, longest), (name, c.index, len(c.text))


def test_ids_are_stable_across_runs():
    for name in NAMES:
        first = [c.chunk_id for c in chunk_article(_article(name))]
        second = [c.chunk_id for c in chunk_article(_article(name))]
        assert first == second
        assert len(set(first)) == len(first)


def test_ids_change_when_content_changes_and_differ_between_sources():
    name = "002_82abdcb3608312cc.txt"
    text = (SEEDS / name).read_text(encoding="utf-8")
    before = {c.chunk_id for c in chunk_article(_article(name, text))}
    after = {c.chunk_id for c in chunk_article(_article(name, text + "\nThe Kremlin declined to comment further.\n"))}
    assert before.isdisjoint(after)
    renamed = {c.chunk_id for c in chunk_article(_article("other.txt", text))}
    assert before.isdisjoint(renamed)
    all_ids = [c.chunk_id for n in NAMES for c in chunk_article(_article(n))]
    assert len(all_ids) == len(set(all_ids))


def test_chunk_id_shape():
    assert chunk_id("a.txt", "h", 3) == chunk_id("a.txt", "h", 3)
    assert chunk_id("a.txt", "h", 3).endswith("-00003")
    assert chunk_id("a.txt", "h", 3) != chunk_id("a.txt", "h2", 3)


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_splitter_keeps_abbreviations_together():
    text = ("Relations between S. Korea and Russia soured. The U.N. Security Council met on it. "
            "Yoon flew to Washington D.C. for the summit. Mr. Kim declined to comment.")
    assert _sentences(text) == [
        "Relations between S. Korea and Russia soured.",
        "The U.N. Security Council met on it.",
        "Yoon flew to Washington D.C. for the summit.",
        "Mr. Kim declined to comment.",
    ]


def test_splitter_offsets_are_exact_and_respect_a_window():
    text = "  Intro.  First one here. Second one!  Third?  "
    spans = split_sentences(text, 9, len(text))
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second one!", "Third?"]


def test_splitter_keeps_question_with_its_attribution():
    text = "“Why would Seoul do this?” Medvedev wrote on social media. The ministry was silent."
    assert _sentences(text) == ["“Why would Seoul do this?” Medvedev wrote on social media.", "The ministry was silent."]


def test_seed_abbreviations_are_not_split():
    for name, phrase in [("001_445fc04b6ebb3d77.txt", "U.N. Security Council"),
                         ("002_82abdcb3608312cc.txt", "Washington D.C.")]:
        text = (SEEDS / name).read_text(encoding="utf-8")
        pieces = [text[a:b] for run in article_sentences(_article(name, text)) for a, b in run]
        assert any(phrase in p for p in pieces), phrase
        assert not any(p.endswith(phrase.split()[-1].rstrip(".") + ".") and phrase not in p for p in pieces)


def test_merge_quoted_keeps_a_multi_sentence_quote_whole():
    name = "002_82abdcb3608312cc.txt"
    text = (SEEDS / name).read_text(encoding="utf-8")
    quote = "“We oppose this approach. We do not agree with this approach at all.”"
    raw = [text[a:b] for a, b in split_sentences(text)]
    assert not any(quote in s for s in raw), "the plain splitter cuts the quote (else this test proves nothing)"
    merged = [text[a:b] for a, b in merge_quoted(text, split_sentences(text))]
    assert any(quote in s for s in merged)
    # The chunker uses the merged units, so the quote is never cut between chunks either.
    pieces = [text[a:b] for run in article_sentences(_article(name, text)) for a, b in run]
    holder = [p for p in pieces if quote in p]
    assert len(holder) == 1 and "Peskov said" in holder[0]


def test_merge_quoted_leaves_unclosed_quotes_apart():
    text = "He said “this never closes. Next sentence here. Another one. And more. Last one."
    spans = split_sentences(text)
    assert merge_quoted(text, spans) == spans


def test_merge_quoted_with_straight_quotes():
    text = 'Kulik said "We do not want this. It is a red line." The talks ended.'
    merged = [text[a:b] for a, b in merge_quoted(text, split_sentences(text))]
    assert merged == ['Kulik said "We do not want this. It is a red line."', "The talks ended."]
