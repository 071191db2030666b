"""RSS and Atom feeds: an article per entry, full content over the summary, dates and links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analysis.corpus import load_corpus
from tests.analysis.inputs import write

pytestmark = pytest.mark.usefixtures("no_network")

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Daily Planet: City</title>
  <link>https://www.dailyplanet.example/city</link>
  <description>City news</description>
  <item>
    <title>Council approves budget</title>
    <link>https://www.dailyplanet.example/city/budget</link>
    <pubDate>Sat, 13 Dec 2025 09:30:00 +0000</pubDate>
    <dc:creator>Ana Lopez</dc:creator>
    <description>The council approved the budget.</description>
    <content:encoded><![CDATA[<p>The city council approved the budget on Tuesday.</p>
      <p>Mayor Ana Lopez said the plan would fund 40 new teachers &amp; nurses.</p>
      <script>alert("x")</script>]]></content:encoded>
  </item>
  <item>
    <title>Rail strike enters third week</title>
    <link>https://www.dailyplanet.example/city/strike</link>
    <pubDate>Mon, 15 Dec 2025 07:00:00 +0000</pubDate>
    <description>&lt;p&gt;Talks between the union and &lt;b&gt;the operator&lt;/b&gt; stalled
      again on Monday.&lt;/p&gt;</description>
  </item>
  <item><title>Empty</title><link>https://www.dailyplanet.example/city/empty</link></item>
</channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="https://news.example.org/"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2025-12-14T18:30:02Z</updated>
  <entry>
    <title>Port reopens after storm</title>
    <link href="https://news.example.org/port"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2025-12-14T08:00:00Z</published>
    <updated>2025-12-14T18:30:02Z</updated>
    <summary>The port reopened.</summary>
    <content type="html">&lt;p&gt;The port reopened on Sunday after the storm.&lt;/p&gt;</content>
  </entry>
</feed>"""


def test_rss_entries_full_content_else_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "city.rss", RSS)
    corpus = load_corpus([path])
    first, second = corpus.articles
    assert first.text == (
        "The city council approved the budget on Tuesday.\n\n"
        "Mayor Ana Lopez said the plan would fund 40 new teachers & nurses."
    )
    assert (first.title, first.published, first.source, first.url, first.author) == (
        "Council approves budget",
        date(2025, 12, 13),
        "Daily Planet: City",
        "https://www.dailyplanet.example/city/budget",
        "Ana Lopez",
    )
    assert second.text == "Talks between the union and the operator stalled again on Monday."
    assert second.published == date(2025, 12, 15)
    assert [(p.path, p.record, p.reason) for p in corpus.problems] == [
        (str(path), 3, "entry has neither content nor a summary")
    ]
    assert [n.message for n in corpus.notices] == [
        "2 feed entries read: 1 with full content, 1 from the summary only"
    ]


def test_atom_content_date_link_and_the_domain_as_source(tmp_path: Path) -> None:
    [article] = load_corpus([write(tmp_path, "port.atom", ATOM)]).articles
    assert article.text == "The port reopened on Sunday after the storm."
    assert (article.published, article.url, article.source) == (
        date(2025, 12, 14),
        "https://news.example.org/port",
        "news.example.org",  # the feed has no title: its link's domain
    )


def test_feed_encoding_comes_from_the_xml_declaration(tmp_path: Path) -> None:
    feed = RSS.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        "Council approves budget", "Caf\u00e9 council approves budget"
    )
    path = write(tmp_path, "latin.xml", feed.encode("iso-8859-1"))
    assert load_corpus([path]).articles[0].title == "Caf\u00e9 council approves budget"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("words.rss", "this is not XML at all, just words", "not an RSS or Atom feed"),
        ("page.xml", "<html><body><p>A web page</p></body></html>", "not an RSS or Atom feed"),
        ("config.xml", "<?xml version='1.0'?><config><a>1</a></config>", "not an RSS or Atom feed"),
        ("none.rss", "<rss version='2.0'><channel><title>T</title></channel></rss>", "feed has no"),
        ("empty.atom", "", "empty file"),
    ],
)
def test_bad_feeds_are_problems_and_the_rest_is_read(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.rss", RSS)
    corpus = load_corpus([bad, good])
    assert len(corpus.articles) == 2
    assert corpus.problems[0].path == str(bad)
    assert corpus.problems[0].reason.startswith(reason)
