"""Benchmark 7: reading a 5,000-page web archive against reading the same pages as HTML files.

The pages are the Wikinews articles (../shared/corpus/wikinews, else the seeds) wrapped in HTML
as news sites serve them: menus, a cookie notice, related links, comments and a footer around
the article, each page made unique by its own closing sentence. They are written once as a
gzipped WARC (a request and a response record per page, as crawlers write them) and once as
5,000 .html files, 1,000 to a folder. Each is then read with `iter_corpus` in its own fresh
subprocess (articles counted, not kept), so each peak resident memory is that reader's alone.

The two are measured in turn, `--rounds` times each (files, archive, files, archive, ...), and
the best round of each counts: other programs on the machine only ever add time. Ratios: pages
per CPU second from the archive / from the files (CPU time, since wall time on a shared machine
moves with its load; both are shown; target: >= 0.9, the archive costs no more than the files),
and peak memory reading the archive / reading the files (target: <= 1.2: the archive streams,
it is never held).

    .venv/bin/python bench/bench_formats.py [--pages 5000] [--rounds 2] [--quick]
"""

from __future__ import annotations

import html
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import ROOT, load, parser, report, scratch, sources

MB = 1024  # ru_maxrss is in kilobytes on Linux

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Wikinews Daily</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Wikinews Daily">
<meta property="article:published_time" content="{published}T09:00:00+00:00">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css"><script src="/static/ads.js"></script>
<script>window.dataLayer = [{{"page": "{slug}"}}];</script></head>
<body>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/science">Science</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience and
to show you relevant advertising. By continuing to browse you agree to our use of cookies.</p>
<button>Accept all cookies</button><button>Manage settings</button></div>
<main><article><h1>{title}</h1><p class="byline">By Staff reporter, {published}</p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/1">Markets close higher as investors weigh rate outlook</a></li>
<li><a href="/news/2">Ten things to know before the weekend</a></li>
<li><a href="/news/3">Opinion: why the budget matters more than you think</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments (3)</h2>
<div class="comment"><p>reader_42: Great reporting, thank you.</p></div>
<div class="comment"><p>anon: I do not believe a word of this.</p></div></section></main>
<footer><p>Copyright 2025 Wikinews Daily. All rights reserved.</p><p><a href="/privacy">Privacy
</a> | <a href="/terms">Terms</a> | <a href="/contact">Contact us</a></p></footer>
</body></html>
"""


def pages(n: int) -> list[tuple[str, bytes]]:
    """`n` unique news pages (URL, HTML bytes) built from the real articles."""
    real = sources()
    out = []
    for i in range(n):
        source = real[i % len(real)]
        paragraphs = [p for p in source.body.split("\n\n") if p.strip()]
        paragraphs.append(f"This is archive copy number {i}.")
        body = "\n".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
        title = html.escape(source.slug.replace("_", " ").replace("-", " "))
        url = f"https://www.wikinews-daily.example/{source.published[:4]}/{i:06d}/{source.slug}"
        page = PAGE.format(
            title=title, published=source.published, url=url, slug=source.slug, body=body
        )
        out.append((url, page.encode("utf-8")))
    return out


def write_warc(path: Path, items: list[tuple[str, bytes]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench"}))
        for url, body in items:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url, "request", http_headers=request, payload=io.BytesIO()
                )
            )
            headers = [("Content-Type", "text/html; charset=utf-8")]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )


def write_files(folder: Path, items: list[tuple[str, bytes]]) -> None:
    for i, (_, body) in enumerate(items):
        sub = folder / f"{i // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.html").write_bytes(body)


def child(path: Path) -> None:
    """Inside the measured subprocess: read `path`, then the figures as JSON on stdout."""
    from analysis.corpus import Article, Problem, iter_corpus
    from analysis.webpages import extract_page

    body = "<p>The council approved the budget on Tuesday after a long debate.</p>"
    extract_page(PAGE.format(title="warm", published="2025-01-01", url="", slug="", body=body))
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB  # libraries loaded
    articles = problems = chars = 0
    started, cpu = time.perf_counter(), time.process_time()
    for event in iter_corpus([path]):
        if isinstance(event, Article):
            articles += 1
            chars += len(event.text)
        elif isinstance(event, Problem):
            problems += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB
    print(
        json.dumps(
            {
                "articles": articles,
                "problems": problems,
                "chars": chars,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "pages_per_second": articles / seconds if seconds else 0.0,
                "pages_per_cpu_second": articles / cpu if cpu else 0.0,
                "ready_mb": ready,
                "peak_mb": peak,
            }
        )
    )


def measure(path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measured read failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]))
        return
    p = parser(__doc__ or "")
    p.add_argument("--pages", type=int, help="pages (default 5000; quick 500)")
    p.add_argument("--rounds", type=int, help="measurements of each (default 2; quick 1)")
    args = p.parse_args()
    n = args.pages or int(os.environ.get("NEWSLENS_BENCH_PAGES", 500 if args.quick else 5000))
    load_before = load()
    with scratch("formats") as tmp:
        items = pages(n)
        archive = tmp / "crawl.warc.gz"
        write_warc(archive, items)
        write_files(tmp / "pages", items)
        html_bytes = sum(len(b) for _, b in items)
        del items
        rounds = args.rounds or (1 if args.quick else 2)
        runs: dict[str, list[dict[str, Any]]] = {"files": [], "warc": []}
        for _ in range(rounds):
            runs["files"].append(measure(tmp / "pages"))
            runs["warc"].append(measure(archive))
        archive_mb = archive.stat().st_size / 2**20
    files = min(runs["files"], key=lambda r: r["cpu_seconds"])
    warc = min(runs["warc"], key=lambda r: r["cpu_seconds"])
    speed = warc["pages_per_cpu_second"] / files["pages_per_cpu_second"]
    memory = warc["peak_mb"] / files["peak_mb"]
    ok = speed >= 0.9 and memory <= 1.2 and warc["articles"] == files["articles"] == n

    def line(r: dict[str, Any]) -> str:
        return (
            f"{r['articles']:,} pages: {r['pages_per_cpu_second']:.0f} pages per CPU s "
            f"({r['pages_per_second']:.0f} per wall s); peak {r['peak_mb']:.0f} MB "
            f"({r['ready_mb']:.0f} MB with the libraries loaded, before reading)"
        )

    report(
        args.out,
        "formats",
        title=f"7. Reading {n:,} pages: one WARC archive vs {n:,} HTML files",
        ratio=speed,
        target=">= 0.9 (and memory ratio <= 1.2)",
        ok=ok,
        rows=[
            ("HTML files", line(files)),
            ("WARC archive", line(warc) + f"; archive {archive_mb:.0f} MB gzipped"),
            ("pages", f"{html_bytes / 2**20:.0f} MB of HTML, {warc['chars'] / 2**20:.1f} M chars"),
            ("memory ratio", f"{memory:.3f} (archive / files)"),
        ],
        details={
            "pages": n,
            "rounds": rounds,
            "files": files,
            "warc": warc,
            "runs": runs,
            "memory_ratio": memory,
            "archive_mb": archive_mb,
            "html_mb": html_bytes / 2**20,
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
