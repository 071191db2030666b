"""The reader's HTML: spans marked by offsets, every piece of article text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from dashboard.charts import type_colour
from dashboard.data import Highlight
from dashboard.highlight import legend, render


class _Reader(HTMLParser):
    """Collects the visible text and every tag and attribute of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.text.append(data)


def parse(markup: str) -> _Reader:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader


HOSTILE = 'Mallory said "<script>alert(1)</script>" and <img src=x onerror=alert(1)> & left.'


def test_script_and_img_show_as_text() -> None:
    start = HOSTILE.index("<script>")
    marks = [
        Highlight(0, 7, "mention", 'Mallory "<b>" (PERSON)', "PERSON"),
        Highlight(start, start + 25, "quote", "Quote: <img src=x onerror=alert(2)>"),
    ]
    markup = render(HOSTILE, marks)
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    reader = parse(markup)
    assert "".join(reader.text) == HOSTILE
    assert set(reader.tags) <= {"style", "div", "span"}
    assert all(not name.startswith("on") for name, _ in reader.attrs)


def test_marks_land_on_their_offsets() -> None:
    text = "Donald Trump said 1,400 prisoners were held in July 2021."
    marks = [
        Highlight(0, 12, "mention", "Donald Trump (PERSON)", "PERSON"),
        Highlight(18, 33, "figure", "Figure: prisoners"),
        Highlight(47, 56, "event", "Date: 2021-07-01"),
    ]
    markup = render(text, marks, target=(18, 33), sentence=(0, len(text)))
    assert '<span class="nl-m nl-t" style="--c: ' + type_colour("PERSON") in markup
    assert ">Donald Trump</span>" in markup
    assert ">1,400 prisoners</span>" in markup and "nl-f" in markup and "nl-x" in markup
    assert ">July 2021</span>" in markup and "nl-d" in markup
    assert markup.count('id="nl-target"') == 1
    assert "".join(parse(markup).text) == text


def test_overlapping_spans_keep_the_text_whole() -> None:
    text = "She called him “the highly respected president of Belarus,” today."
    quote = (text.index("the"), text.index(",”") + 1)
    belarus = (text.index("Belarus"), text.index("Belarus") + 7)
    marks = [
        Highlight(*quote, "quote", "Quote: Trump"),
        Highlight(*belarus, "mention", "Belarus (GPE)", "GPE"),
    ]
    markup = render(text, marks)
    assert "".join(parse(markup).text) == text
    assert 'class="nl-m nl-q"' in markup  # Belarus inside the quote has both marks


def test_snippet_offsets_and_out_of_range_marks() -> None:
    sentence = "Viasna counted 1,227 political prisoners."
    offset = 1000
    marks = [
        Highlight(offset, offset + 6, "mention", "Viasna (ORG)", "ORG"),
        Highlight(5, 9, "mention", "elsewhere", "ORG"),  # outside the snippet: ignored
        Highlight(offset + 30, offset + 999, "figure", "runs past the end"),  # clipped
    ]
    markup = render(sentence, marks, offset=offset, target=(offset + 15, offset + 40))
    assert "".join(parse(markup).text) == sentence
    assert "elsewhere" not in markup


def test_unknown_type_gets_the_neutral_colour_not_its_name() -> None:
    markup = render("abc", [Highlight(0, 3, "mention", "x", 'X" onmouseover="alert(1)')])
    assert "onmouseover" not in markup


def test_legend_escapes_types() -> None:
    markup = legend(["PERSON", "<b>ORG</b>"])
    assert "&lt;b&gt;org&lt;/b&gt;" in markup.lower() and "<b>ORG" not in markup


def test_legend_and_tooltips_name_types_in_words() -> None:
    markup = legend(["PERSON", "ORG", "GPE", "NORP"])
    for word in ("Person", "Organisation", "Place", "Nationality or group"):
        assert f"{word}</span>" in markup
    assert ">ORG<" not in markup and ">NORP<" not in markup
    tip = render("Boeing", [Highlight(0, 6, "mention", "Boeing (ORG)", "ORG")])
    assert 'title="Boeing (Organisation)"' in tip


spans = st.tuples(
    st.integers(min_value=-5, max_value=80),
    st.integers(min_value=-5, max_value=80),
    st.sampled_from(["mention", "quote", "figure", "event"]),
    st.text(max_size=10),
)


@given(text=st.text(max_size=80), raw=st.lists(spans, max_size=8), target=st.none() | spans)
def test_any_text_and_spans_render_to_exactly_the_text(
    text: str, raw: list[tuple[int, int, str, str]], target: tuple[int, int, str, str] | None
) -> None:
    marks = [Highlight(a, b, kind, label, "PERSON") for a, b, kind, label in raw]
    markup = render(text, marks, target=(target[0], target[1]) if target else None)
    reader = parse(markup)
    # html.parser folds CR and CRLF the way browsers do; compare the text it sees.
    assert "".join(reader.text) == text.replace("\r\n", "\n").replace("\r", "\n") or (
        "".join(reader.text) == text
    )
    assert set(reader.tags) <= {"style", "div", "span"}
