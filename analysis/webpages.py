"""Web pages: the main text by trafilatura (boilerplate out), the date by htmldate.

The plain reader below (visible text, the `<article>` element when there is one) reads a page
only where trafilatura returns nothing, and the feeds' HTML fragments, which hold no boilerplate.
Neither library is given anything but a string or a parsed tree, so nothing is ever fetched
(htmldate fetches a string that looks like a URL: it only ever gets a tree here).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from analysis.articles import Article, ArticleError, Notice, build_article, domain_of
from analysis.dates import parse_date

TRAFILATURA = "trafilatura"
PLAIN = "the plain HTML reader"

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "tr",
    "pre",
    "figcaption",
    "dd",
    "dt",
}
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "object",
    "button",
    "select",
}
_VOID_TAGS = {
    "br",
    "img",
    "meta",
    "link",
    "input",
    "hr",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
}
_DATE_META = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "og:published_time",
    "sailthru.date",
    "parsely-pub-date",
    "dcterms.created",
)
_TITLE_META = ("og:title", "twitter:title", "title", "dc.title", "headline")
_SOURCE_META = ("og:site_name", "publisher", "dc.publisher", "application-name")
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author")


# Elements whose class or id marks them as boilerplate (a word of it, so "cookie-banner" and
# "comments" count and "shared-budget" does not); never the page's outer elements.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|comments?|related|share|sharing|social|newsletter|"
    r"promo|adverts?|ads?|sidebar|breadcrumbs?|subscribe|paywall|popup|modal)(?:$|[\s_-])",
    re.IGNORECASE,
)
_NEVER_BOILERPLATE = {"html", "body", "main", "article"}
# Fewer words than this besides the title is no main text (a heading, a byline, a menu item).
MIN_WORDS = 5


class _HTMLText(HTMLParser):
    """Collects visible text, paragraph by paragraph, and the meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.canonical = ""
        self.blocks: list[list[str]] = [[]]
        self.article_blocks: list[list[str]] | None = None
        self._skip = 0
        self._boilerplate: tuple[str, int] | None = None  # (tag, depth) of a marked element
        self._in_title = False
        self._article_depth = 0
        self._times: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop") or ""
            if key and values.get("content"):
                self.meta.setdefault(key.lower(), values["content"])
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "")
            return
        if tag == "time" and values.get("datetime"):
            self._times.append(values["datetime"])
        if tag in _VOID_TAGS:
            if tag == "br":
                self._newblock()
            return
        if self._boilerplate is not None:
            if tag == self._boilerplate[0]:
                self._boilerplate = (tag, self._boilerplate[1] + 1)
        elif tag not in _NEVER_BOILERPLATE and _BOILERPLATE.search(
            f"{values.get('class', '')} {values.get('id', '')}"
        ):
            self._boilerplate = (tag, 1)
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._article_depth += 1
            if self.article_blocks is None:
                self.article_blocks = []
        if tag in _BLOCK_TAGS:
            self._newblock()

    def handle_endtag(self, tag: str) -> None:
        if self._boilerplate is not None and tag == self._boilerplate[0]:
            depth = self._boilerplate[1] - 1
            self._boilerplate = (tag, depth) if depth else None
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "article" and self._article_depth:
            self._article_depth -= 1
        if tag in _BLOCK_TAGS:
            self._newblock()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip or self._boilerplate is not None:
            return
        self.blocks[-1].append(data)
        if self._article_depth and self.article_blocks is not None:
            if not self.article_blocks:
                self.article_blocks.append([])
            self.article_blocks[-1].append(data)

    def _newblock(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])
        if (
            self._article_depth
            and self.article_blocks is not None
            and (not self.article_blocks or self.article_blocks[-1])
        ):
            self.article_blocks.append([])

    def text(self) -> str:
        chosen = self.article_blocks if self.article_blocks else self.blocks
        paragraphs = (" ".join("".join(b).split()) for b in chosen)
        return "\n\n".join(p for p in paragraphs if p)

    def published(self) -> str | None:
        for key in _DATE_META:
            if key in self.meta:
                return self.meta[key]
        return self._times[0] if self._times else None


# -- one page -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page says: its main text, metadata, and which reader found the text."""

    text: str
    title: str
    published: date | None
    author: str
    site: str
    url: str
    reader: str

    @property
    def source(self) -> str:
        """The site's name where the page gives it, else its URL's domain."""
        return self.site or domain_of(self.url)


def extract_page(markup: str, *, url: str = "") -> Page:
    """The main text and metadata of one HTML page; `ArticleError` when it has no main text.

    `url` is where the page was fetched from (a WARC record's target URI), when known.
    """
    found = _by_trafilatura(markup, url)
    if found is not None:
        return found
    return _by_plain_reader(markup, url)


def _by_trafilatura(markup: str, url: str) -> Page | None:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url or None,
            favor_precision=True,  # menus, related links and cookie notices stay out
            include_comments=False,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
            prune_xpath=_PRUNE,
        )
    except Exception:  # a parser bug on one odd page must not lose the file
        return None
    if doc is None or isinstance(doc, dict):
        return None
    text = paragraphs(_TABLE_RULE.sub("", doc.text or ""))
    title = " ".join((doc.title or "").split())
    if not _is_main_text(text, title):
        return None
    return Page(
        text=text,
        title=title,
        published=_iso_date(doc.date),
        author=doc.author or "",
        site=doc.sitename or "",
        url=url or doc.url or "",
        reader=TRAFILATURA,
    )


# Cookie and consent notices trafilatura keeps when a page has little else.
_PRUNE = [
    '//*[contains(@class, "cookie") or contains(@id, "cookie") or contains(@class, "consent")'
    ' or contains(@id, "consent") or contains(@class, "gdpr") or contains(@id, "gdpr")]'
]

# htmldate reads the page's own date (meta tags, JSON-LD, <time>, the URL); the extensive search
# through the body text is off, since a date the article mentions is not the day it appeared.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}


def _page_date(markup: str, url: str) -> date | None:
    import htmldate
    import trafilatura

    try:
        tree = trafilatura.load_html(markup)
        if tree is None:
            return None
        return _iso_date(htmldate.find_date(tree, url=url or None, **_DATE_PARAMS))
    except Exception:  # no date is better than no article
        return None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _is_main_text(text: str, title: str) -> bool:
    """Enough words besides the title's to be an article, not a heading or a menu."""
    rest = [p for p in text.split("\n\n") if p.strip() and p.strip() != title]
    return sum(len(p.split()) for p in rest) >= MIN_WORDS


# trafilatura writes a table's rows as "| a | b |" under a "|---|---|" rule.
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE)


def paragraphs(text: str) -> str:
    """One paragraph per non-blank line, spaces collapsed, a blank line between paragraphs
    (a table row's outer bars dropped, its cells kept apart by ' | ')."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    cleaned = (ln[1:-1].strip() if len(ln) > 1 and ln[0] == ln[-1] == "|" else ln for ln in lines)
    return "\n\n".join(line for line in cleaned if line)


def _parse(markup: str) -> _HTMLText:
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as err:  # pragma: no cover - HTMLParser is lenient
        raise ArticleError(f"cannot parse HTML: {err}") from err
    return parser


def _by_plain_reader(markup: str, url: str) -> Page:
    parser = _parse(markup)
    body = parser.text()
    meta = parser.meta
    title = next((meta[k] for k in _TITLE_META if meta.get(k)), "") or parser.title
    title = " ".join(html.unescape(title).split())
    if not _is_main_text(body, title):
        raise ArticleError(
            f"HTML page has no main text (neither trafilatura nor the plain reader found "
            f"{MIN_WORDS} words besides the title)"
        )
    published = _page_date(markup, url) or _meta_date(parser.published())
    return Page(
        text=body,
        title=title,
        published=published,
        author=next((meta[k] for k in _AUTHOR_META if meta.get(k)), ""),
        site=next((meta[k] for k in _SOURCE_META if meta.get(k)), ""),
        url=url or parser.canonical or meta.get("og:url", ""),
        reader=PLAIN,
    )


def _meta_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()  # RFC 2822
    except (TypeError, ValueError, IndexError):
        return parse_date(value)


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment (a feed entry's content), paragraph by paragraph."""
    return _parse(markup).text()


def page_article(page: Page, path: str, *, published: date | None = None) -> Article:
    """The article a page makes; `published` stands in when the page gives no date."""
    return build_article(
        page.text,
        path=path,
        title=page.title,
        published=page.published or published,
        source=page.source,
        url=page.url,
        author=page.author,
    )


# -- .html / .htm files -------------------------------------------------------------------------


def read_html(
    text: str, path: str, fields: Mapping[str, str]
) -> Iterator[Article | ArticleError | Notice]:
    """One page; its notice says which reader found the text."""
    page = extract_page(text)
    yield page_article(page, path)
    if page.reader == TRAFILATURA:
        yield Notice(path, "main text read by trafilatura")
    else:
        yield Notice(path, "trafilatura found no main text; read by the plain HTML reader")
