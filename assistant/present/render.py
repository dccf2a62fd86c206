"""HTML for the chat: answers with clickable [n] markers, the sources panel, the status line.

Every piece of text that comes from an article, a question or a generator is passed
through `_esc` before any markup is added, so an article holding `<script>` or
`<img onerror=...>` shows as text and never runs. `_esc` also neutralises `{`, `}`
and `$`, because gr.HTML treats its value as a template. The only markup in the
output is what this module writes.
"""

from __future__ import annotations

import html
import re

from ..cite.markers import MARKER, marker_numbers
from ..cite.labels import UNTITLED, heading_of, locator
from ..types import Answer, Citation, RetrievedChunk

NOT_IN_ARTICLES = "Not in the articles"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-*•]\s+")


def _esc(text: object) -> str:
    escaped = html.escape(str(text or ""), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cite_id(turn: int, n: int) -> str:
    """The id of a source entry; markers of that turn link to it."""
    return f"src-{turn}-{n}"


def _marker(n: int, turn: int, citations: dict[int, Citation]) -> str:
    c = citations.get(n)
    tip = f' title="{_esc(_shorten(c.quote, 240))} ({_esc(heading_of(c))})"' if c else ""
    return f'<a class="cite" href="#{cite_id(turn, n)}" data-n="{n}"{tip}>[{n}]</a>'


def _inline(text: str, turn: int, citations: dict[int, Citation]) -> str:
    """Escape one line, then add bold and citation links."""
    out = _esc(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)

    def link(match: re.Match) -> str:
        return "".join(_marker(n, turn, citations) for n in marker_numbers(match.group(1)))

    return MARKER.sub(link, out)


def _blocks(text: str, turn: int, citations: dict[int, Citation]) -> str:
    """Paragraphs, bold group headings and "- " bullet lists, as HTML without blank lines."""
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
        elif _BULLET.match(line):
            items.append(_inline(_BULLET.sub("", line, count=1), turn, citations))
        else:
            flush()
            parts.append(f"<p>{_inline(line.strip(), turn, citations)}</p>")
    flush()
    return "".join(parts)


def source_title(item: Citation | RetrievedChunk) -> str:
    """The article's headline, else "untitled" (its file name is only a tooltip)."""
    return (item.title or "").strip() or UNTITLED


def source_heading(item: Citation | RetrievedChunk) -> str:
    """"title · outlet · date", the way the chat names an article."""
    return heading_of(item)


def _tooltip(item: Citation | RetrievedChunk) -> str:
    """The file (or archive record) an article came from, for the title attribute."""
    return f' title="{_esc(item.source)}"'


def question_html(question: str) -> str:
    return f'<div class="q">{_esc(question)}</div>'


def pending_html() -> str:
    return '<div class="answer pending"><span class="dots">Searching the articles</span></div>'


def partial_html(text: str, turn: int) -> str:
    """The answer while it streams in: markers link already, tooltips come with the final answer."""
    return f'<div class="answer streaming">{_blocks(text, turn, {})}</div>'


def error_html(message: str) -> str:
    return f'<div class="answer error"><span class="badge">Could not answer</span><p>{_esc(message)}</p></div>'


def looked_at(answer: Answer) -> list[RetrievedChunk]:
    """One retrieved chunk per distinct article, best first."""
    seen: dict[str, RetrievedChunk] = {}
    for chunk in answer.retrieved:
        seen.setdefault(chunk.source, chunk)
    return list(seen.values())


def answer_html(answer: Answer, turn: int) -> str:
    """The final answer as shown in the chat."""
    cites = {c.n: c for c in answer.citations}
    body = _blocks(answer.text, turn, cites)
    notes = "".join(f'<div class="note">{_esc(n)}</div>' for n in answer.notes)
    if not answer.abstained:
        return f'<div class="answer">{body}{notes}</div>'
    articles = looked_at(answer)
    checked = ""
    if articles and not any(source_title(a)[:30] in answer.text for a in articles):
        names = "; ".join(f"<span{_tooltip(a)}>{_esc(source_heading(a))}</span>" for a in articles)
        checked = f'<div class="checked">Articles searched: {names}</div>'
    return (f'<div class="answer abstained"><span class="badge">{NOT_IN_ARTICLES}</span>'
            f"{body}{checked}{notes}</div>")


# -- sources panel -----------------------------------------------------------

def _chunk_for(c: Citation, retrieved: list[RetrievedChunk]) -> RetrievedChunk | None:
    """The retrieved chunk holding the quote: the one it names, else any chunk spanning it."""
    spanning = [r for r in retrieved if r.source == c.source and r.text and r.start <= c.start and c.end <= r.end]
    named = [r for r in spanning if r.chunk_id == c.chunk_id]
    return (named or spanning or [None])[0]


def quote_in_context(c: Citation, retrieved: list[RetrievedChunk]) -> str:
    """The quote marked inside its surrounding paragraph(s), or the quote alone."""
    chunk = _chunk_for(c, retrieved)
    if chunk is not None:
        a, b = c.start - chunk.start, c.end - chunk.start
        before, quote, after = chunk.text[:a], chunk.text[a:b], chunk.text[b:]
    else:
        found = next((r for r in retrieved if r.source == c.source and c.quote and c.quote in r.text), None)
        if found is None:
            return f"<mark>{_esc(c.quote)}</mark>"
        before, _, after = found.text.partition(c.quote)
        quote = c.quote
    para = lambda s: _esc(s).replace("\n\n", "</p><p>").replace("\n", " ")  # noqa: E731
    return f"{para(before)}<mark>{_esc(quote)}</mark>{para(after)}"


def _meta(item: Citation | RetrievedChunk) -> str:
    """Byline and link under the heading (what is known of them)."""
    bits = [_esc(f"by {item.author}") if getattr(item, "author", None) else ""]
    url = getattr(item, "url", None) or ""
    if url.startswith(("http://", "https://")):
        bits.append(f'<a class="src-url" href="{_esc(url)}" target="_blank" rel="noopener noreferrer">'
                    f"{_esc(_shorten(url, 60))}</a>")
    return " · ".join(b for b in bits if b)


def sources_html(answer: Answer, turn: int, question: str = "") -> str:
    """The cited articles in order of first citation, each quote marked in its paragraph."""
    asked = f'<div class="src-question">{_esc(_shorten(question, 160))}</div>' if question else ""
    if answer.abstained or not answer.citations:
        items = "".join(
            f'<li><span class="src-title"{_tooltip(a)}>{_esc(source_heading(a))}</span>'
            f'<span class="src-meta">{_meta(a)}</span></li>' for a in looked_at(answer)
        )
        searched = f'<div class="src-label">Articles searched</div><ul class="searched">{items}</ul>' if items else ""
        return (f'<div class="sources-turn none">{asked}<span class="badge">{NOT_IN_ARTICLES}</span>'
                f"<p>No article answers this question, so nothing is cited.</p>{searched}</div>")
    groups: dict[str, list[Citation]] = {}
    for c in sorted(answer.citations, key=lambda c: c.n):
        groups.setdefault(c.source, []).append(c)
    cards = []
    for cites in groups.values():
        head = cites[0]
        meta = _meta(head)
        quotes = "".join(
            f'<div class="src-quote" id="{cite_id(turn, c.n)}"><span class="src-n">[{c.n}]</span>'
            + (f'<span class="src-page">{_esc(locator(c))}</span>' if locator(c) else "")
            + f'<p>{quote_in_context(c, answer.retrieved)}</p></div>' for c in cites
        )
        cards.append(
            f'<article class="src-card"><div class="src-title"{_tooltip(head)}>{_esc(source_heading(head))}</div>'
            + (f'<div class="src-meta">{meta}</div>' if meta else "") + f"{quotes}</article>"
        )
    return f'<div class="sources-turn">{asked}{"".join(cards)}</div>'


def sources_panel(turns: list[dict]) -> str:
    """The newest answer's sources open, earlier answers' sources folded below."""
    rendered = [t["sources_html"] for t in turns if t.get("sources_html")]
    if not rendered:
        return ('<div class="sources-empty">Sources appear here: every quote an answer cites, '
                "highlighted in its article.</div>")
    latest, earlier = rendered[-1], rendered[-2::-1]
    folded = "".join(f'<details class="earlier"><summary>Earlier answer</summary>{h}</details>' for h in earlier)
    return f"{latest}{folded}"


def status_html(status: dict) -> str:
    parts = [
        f"{status.get('articles', 0)} articles",
        f"{status.get('chunks', 0)} chunks",
        f"embeddings: {status.get('embedding_model', '?')}",
    ]
    return f'<div class="status-line">Index: {" · ".join(_esc(p) for p in parts)}</div>'


def upload_result_html(lines: list[tuple[str, str]]) -> str:
    """One line per uploaded file ("ok" or "bad"), then the index summary."""
    if not lines:
        return ""
    items = "".join(f'<li class="{kind}">{_esc(text)}</li>' for kind, text in lines)
    return f'<ul class="upload-lines">{items}</ul>'
