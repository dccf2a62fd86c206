"""One citation-marker pattern for post-processing, the chat and the evaluation."""

from __future__ import annotations

from assistant.cite import markers, postprocess
from assistant.evaluation import metrics
from assistant.ingest import parse, patterns
from assistant.present import render
from assistant.types import Answer, Citation


def test_every_reader_of_markers_uses_the_cite_pattern():
    assert postprocess.MARKER is markers.MARKER
    assert metrics.strip_markers is markers.strip_markers
    assert render.MARKER is markers.MARKER


def test_strip_markers():
    assert markers.strip_markers("He said no [1], then yes [2, 3] [Source 4].") == "He said no, then yes."


def test_the_chat_links_every_number_of_a_marker():
    cite = Citation(n=2, source="a.txt", title="T", outlet=None, published=None, quote="q", start=0, end=1)
    html = render.answer_html(Answer(text="Yes [1-2].", citations=[cite]), 0)
    assert 'data-n="1"' in html and 'data-n="2"' in html


def test_ingest_reads_article_layout_with_the_shared_patterns():
    assert parse._BYLINE is patterns.BYLINE and parse._DATELINE is patterns.DATELINE
    text = "SEOUL, May 10. /TASS/.\n\nBody.\n\n  More  \n"
    assert parse.paragraphs(text, 5) == patterns.paragraph_spans(text, 5) == [(5, 22), (24, 29), (33, 37)]
    assert patterns.is_dateline("SEOUL, May 10. /TASS/.") and not patterns.is_dateline("SEOUL, May 10. He said.")
