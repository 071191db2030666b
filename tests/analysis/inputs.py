"""Inputs for the reader tests, built with the libraries that write them (or by hand, for PDF)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def news_page(
    title: str,
    paragraphs: Sequence[str],
    *,
    published: str | None = "2025-12-13T09:30:00+00:00",
    site: str | None = "Daily Planet",
    author: str | None = "Ana Lopez",
    canonical: str | None = "https://www.dailyplanet.example/news/budget",
) -> str:
    """A news page as sites serve them: the article inside menus, notices, links and comments."""
    meta = [f'<meta property="og:title" content="{title}">']
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site or "News"}</title>{"".join(meta)}
<style>p {{ color: #222 }}</style><script>window.ads = ["banner"];</script></head>
<body>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience on
our site. By continuing you accept our use of cookies.</p><button>Accept all cookies</button></div>
<main><article><h1>{title}</h1>
<div class="byline">By {author or "Staff"}</div>
<div class="article-body">{body}</div></article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/other-1">Rail strike enters its third week as talks stall</a></li>
<li><a href="/news/other-2">Ten things to do in the city this weekend</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Reader123 wrote: This is a scandal and a waste of money!</p></div>
</section></main>
<footer><p>Copyright 2025 Daily Planet Media Group. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>"""


def warc(records: Sequence[tuple[str, int, str, bytes]], *, gzip: bool = True) -> bytes:
    """A WARC archive of responses: (target URI, HTTP status, content type, body) each, every
    response preceded by its request record, the whole after a warcinfo record."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for uri, status, content_type, body in records:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(uri, "request", http_headers=request, payload=io.BytesIO())
        )
        headers = [("Content-Type", content_type)]
        if 300 <= status < 400:
            headers.append(("Location", uri + "/moved"))
        http = StatusAndHeaders(f"{status} Status", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
        )
    return out.getvalue()


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_pdf(
    lines: Sequence[str], *, info: dict[str, str] | None = None, drawing_only: bool = False
) -> bytes:
    """A one-page PDF written by hand: `lines` shown with the Tj operator (or, with
    `drawing_only`, a page of lines and no text, as a scan is to a reader)."""
    if drawing_only:
        content = "0.5 w 72 720 m 540 720 l S 72 700 m 540 700 l S"
    else:
        shown = " ".join(f"{_pdf_string(line)} Tj 0 -16 Td" for line in lines)
        content = f"BT /F1 12 Tf 72 720 Td {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if info:
        objects.append("<< " + " ".join(f"/{k} {_pdf_string(v)}" for k, v in info.items()) + " >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R" + (
        f" /Info {len(objects)} 0 R" if info else ""
    )
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted(pdf: bytes, *, user_password: str) -> bytes:
    """The PDF encrypted with RC4 (pypdf needs no crypto library for it)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
