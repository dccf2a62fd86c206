"""Small newsroom files made by the tests: PDFs written by hand, HTML pages, JSONL archives.

Every article is invented (no corpus is copied); the PDFs are minimal but valid, with one
text line per `Tj`, so pypdf's text extraction returns the lines the test wrote.
"""

from __future__ import annotations

import json
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, author: str | None = None) -> Path:
    """A PDF with one Helvetica text line per string; a page of no lines has no text layer."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode())
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 740 Td"]
        for line in lines:
            ops += [f"({_escape(line)}) Tj", "T*"]
        ops.append("ET")
        stream = ("\n".join(ops) if lines else "").encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    info = []
    if title:
        info.append(f"/Title ({_escape(title)})")
    if author:
        info.append(f"/Author ({_escape(author)})")
    info.append("/CreationDate (D:20240608120000Z)")
    objects.append(f"<< {' '.join(info)} >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def encrypt_pdf(source: Path, target: Path, password: str = "s3cret") -> Path:
    """A copy of a PDF that needs a password to open (pypdf's own encryption)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with target.open("wb") as fh:
        writer.write(fh)
    return target


PDF_PAGES = [
    ["Harbour authority report",
     "The harbour authority said on Monday that the eastern quay will close for repairs.",
     "Engineers found cracks in the quay wall during an inspection in May."],
    ["The repairs will cost about twelve million dollars, the authority said.",
     "Ferries will use the western quay until the work is finished in October."],
]


def article_page(title: str, site: str, author: str, published: str, url: str, paragraphs: list[str]) -> str:
    """A saved news page with menus, a footer and the story inside <article>."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head>"
        f"<title>{title} | {site}</title>"
        f'<meta property="og:site_name" content="{site}"><meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="{published}T08:00:00Z">'
        f'<link rel="canonical" href="{url}"></head><body>'
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
        '<li><a href="/sport">Sport</a></li></ul></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<aside><h3>Most read</h3><a href='/x'>Another story</a></aside>"
        "<footer>Copyright. All rights reserved. Subscribe to our newsletter.</footer></body></html>"
    )


NAV_ONLY_PAGE = (
    "<!doctype html><html><head><title>Sections</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("World", "Business", "Sport", "Culture", "Opinion"))
    + "</ul></nav><footer>About us · Contact · Careers</footer></body></html>"
)


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """One record per line; a str is written as is (to make a line that is not JSON)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ARCHIVE_RECORDS = [
    {"title": "Library opens a second floor", "content": "The city library opened its second floor on Tuesday, "
     "the head librarian said. The new floor holds twenty thousand books and a reading room.",
     "url": "https://news.example/library", "date": "2023-03-07", "source": "Riverside Herald",
     "byline": "Ana Field"},
    {"headline": "Bridge toll to rise", "body": "The bridge toll will rise to three dollars in April, the transport "
     "board said on Friday. Commuters will pay the new toll from April 1.",
     "published": "March 10, 2024", "site": "Valley Post", "author": ["Ben Stone", "Cy Reed"]},
]
