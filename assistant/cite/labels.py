"""How an article is named wherever it is shown: "title · outlet · date".

One helper for the chat's sources panel, the CLI and the generators' answer headings,
so an article reads the same everywhere. An article with no headline is "untitled"
(never its first sentence cut short); its file name is for tooltips, not the label.
"""

from __future__ import annotations

from datetime import date

UNTITLED = "untitled"
SEPARATOR = " · "


def display_date(published: str | None) -> str | None:
    """"2024-06-08" -> "8 June 2024"; anything that is not an ISO day is shown as written."""
    if not published:
        return None
    try:
        day = date.fromisoformat(str(published)[:10])
    except ValueError:
        return str(published)
    return f"{day.day} {day:%B %Y}"


def article_heading(title: str | None, outlet: str | None = None, published: str | None = None) -> str:
    """"Port reopens its berth · Danube Courier · 2 April 2024"; "untitled · …" without a headline."""
    parts = [(title or "").strip() or UNTITLED, (outlet or "").strip(), display_date(published) or ""]
    return SEPARATOR.join(p for p in parts if p)


def heading_of(item) -> str:
    """The heading of a Citation or RetrievedChunk (anything with title, outlet, published)."""
    return article_heading(getattr(item, "title", None), getattr(item, "outlet", None),
                           getattr(item, "published", None))


def as_of(published: str | None, outlet: str | None) -> str:
    """"as of 8 June 2024, per The Daily" (the parts known), or "" when neither is."""
    when, who = display_date(published), (outlet or "").strip()
    text = (f"as of {when}" if when else "") + (", " if when and who else "") + (f"per {who}" if who else "")
    return text


def locator(item) -> str:
    """Where in the source a quote sits, for a reader: "p. 3" for a PDF page, else ""."""
    page = getattr(item, "page", None)
    return f"p. {page}" if page else ""
