"""The corpus reader: every format, real and broken files, stable ids, offsets that hold."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.corpus import (
    Article,
    Problem,
    build_article,
    decode,
    iter_files,
    load_corpus,
    normalise_newlines,
    read_bytes,
    restore_case,
    title_from_slug,
)

SEED_SHA = "1d751d7a34cca1c790f4331f88dd91132521ab7559ad52a107f1307a2c203c80"
BODY = (
    "The city council approved the budget on Tuesday.\n\n"
    "Mayor Ana Lopez said the plan would fund 40 new teachers."
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_article(paths: list[Path]) -> Article:
    corpus = load_corpus(paths)
    assert corpus.problems == [], corpus.problems
    assert len(corpus.articles) == 1
    return corpus.articles[0]


# -- the seed ---------------------------------------------------------------------------------


def test_seed_is_byte_identical() -> None:
    import hashlib

    data = (Path(__file__).resolve().parents[2] / "seeds" / "000_4f4cfbc597373b65.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA


def test_seed_header(seed_article: Article) -> None:
    assert seed_article.published == date(2025, 12, 13)
    assert seed_article.slug == "belarus-releases-123-prisoners-including-nobel-laureate-bialiatski"
    assert (
        seed_article.title == "Belarus releases 123 prisoners including Nobel laureate Bialiatski"
    )
    assert seed_article.text.startswith("Belarusian President Alexander Lukashenko")
    assert not seed_article.text.startswith("\n")


# -- .txt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "13 December, 2025",
        "December 13, 2025",
        "2025-12-13",
        "Dec. 13, 2025",
        "Dec 13, 2025",
        "13 Dec 2025",
        "Saturday, 13 December 2025",
    ],
)
def test_txt_header_dates(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "a.txt", f"{header}\ncouncil-approves-budget\n\n{BODY}")
    article = only_article([path])
    assert article.published == date(2025, 12, 13)
    assert article.text == BODY
    assert article.title == "Council approves budget"


def test_plain_txt_takes_title_from_first_line(tmp_path: Path) -> None:
    text = "Council approves budget\n\n" + BODY
    article = only_article([write(tmp_path, "plain.txt", text)])
    assert article.published is None
    assert article.title == "Council approves budget"
    assert article.text == text


def test_unparseable_header_date_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", f"32 Decembruary, 20x5\ncouncil-approves-budget\n\n{BODY}")
    corpus = load_corpus([path])
    assert corpus.articles == []
    assert corpus.problems == [
        Problem(str(path), "unparseable date '32 Decembruary, 20x5' on line 1", 1)
    ]


def test_crlf_and_cr_line_endings_are_normalised(tmp_path: Path) -> None:
    raw = f"2025-12-13\nslug-here\n\n{BODY}"
    a = only_article([write(tmp_path, "crlf.txt", raw.replace("\n", "\r\n").encode())])
    b = only_article([write(tmp_path, "cr/cr.txt", raw.replace("\n", "\r").encode())])
    assert a.text == b.text == BODY
    assert a.doc_id == b.doc_id


# -- .md, .html -------------------------------------------------------------------------------


def test_markdown_front_matter(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "Council approves budget"\ndate: 2025-12-13\nsource: Daily Planet\n'
        "url: https://example.org/a\n---\n\n" + BODY
    )
    article = only_article([write(tmp_path, "a.md", text)])
    assert (article.title, article.published, article.source) == (
        "Council approves budget",
        date(2025, 12, 13),
        "Daily Planet",
    )
    assert article.text == BODY


def test_markdown_heading_is_title(tmp_path: Path) -> None:
    article = only_article([write(tmp_path, "a.md", "# Council approves budget\n\n" + BODY)])
    assert article.title == "Council approves budget"
    assert article.text == BODY


def test_markdown_unclosed_front_matter_is_reported(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "a.md", "---\ntitle: x\n" + BODY)])
    assert corpus.articles == [] and "front matter" in corpus.problems[0].reason


HTML = """<!doctype html><html><head><title>Site | Council approves budget</title>
<meta property="og:title" content="Council approves budget">
<meta name="pubdate" content="Sat, 13 Dec 2025 09:30:00 +0000">
<meta property="og:site_name" content="Daily Planet">
<style>p { color: red }</style><script>alert("x")</script></head>
<body><nav>Home | World</nav><article><h1>Council approves budget</h1>
<p>The city council approved the budget on Tuesday.</p>
<p>Mayor Ana Lopez said the plan would fund 40 new teachers &amp; nurses.</p>
<script>document.write("not text")</script></article><footer>(c) 2025</footer></body></html>"""


def test_html_main_text_and_meta(tmp_path: Path) -> None:
    article = only_article([write(tmp_path, "a.html", HTML)])
    assert article.title == "Council approves budget"
    assert article.published == date(2025, 12, 13)
    assert article.source == "Daily Planet"
    assert "40 new teachers & nurses." in article.text
    for junk in ("alert", "not text", "Home | World", "color: red", "(c) 2025"):
        assert junk not in article.text


# -- .json, .jsonl, .csv ----------------------------------------------------------------------


def test_json_object_and_list(tmp_path: Path) -> None:
    one = {
        "title": "Council approves budget",
        "date": "December 13, 2025",
        "text": BODY,
        "source": "Daily Planet",
        "id": "dp-1",
    }
    two = {"headline": "Other", "published": "2025-12-14", "body": "Another story here."}
    a = only_article([write(tmp_path, "one.json", json.dumps(one))])
    assert (a.doc_id, a.title, a.published, a.source) == (
        "dp-1",
        "Council approves budget",
        date(2025, 12, 13),
        "Daily Planet",
    )
    corpus = load_corpus([write(tmp_path, "many/list.json", json.dumps([one, two]))])
    assert [x.title for x in corpus.articles] == ["Council approves budget", "Other"]


def test_malformed_json_is_reported_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{"text": "a",\n "title": }')
    corpus = load_corpus([path])
    assert corpus.articles == []
    assert corpus.problems[0].line == 2 and "malformed JSON" in corpus.problems[0].reason


def test_jsonl_broken_line_skips_only_that_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First story text.", "date": "2025-12-13"}),
        "{broken",
        json.dumps({"text": "Third story text."}),
        json.dumps({"title": "no text"}),
    ]
    corpus = load_corpus([write(tmp_path, "a.jsonl", "\n".join(lines))])
    assert [a.text for a in corpus.articles] == ["First story text.", "Third story text."]
    assert [(p.line, p.reason.split(" (")[0]) for p in corpus.problems] == [
        (2, "malformed JSON line: Expecting property name enclosed in double quotes"),
        (4, "no text column"),
    ]
    assert "columns found: 'title'" in corpus.problems[1].reason


def test_csv_rows_with_embedded_newlines_and_ragged_rows(tmp_path: Path) -> None:
    content = (
        "title,date,text\n"
        'First,2025-12-13,"Line one.\nLine two."\n'
        "Ragged,2025-12-13,text,extra\n"
        "Third,13 December 2025,Plain text.\n"
    )
    corpus = load_corpus([write(tmp_path, "a.csv", content)])
    assert [a.title for a in corpus.articles] == ["First", "Third"]
    assert corpus.articles[0].text == "Line one.\nLine two."
    assert corpus.problems[0].line == 4 and "3" in corpus.problems[0].reason


def test_csv_without_text_column(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "a.csv", "title,date\nx,2025-01-01\n")])
    problem = corpus.problems[0]
    assert corpus.articles == [] and problem.line == 1
    assert problem.reason.startswith("no text column") and "'title', 'date'" in problem.reason


def test_csv_bad_date_names_the_line(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "a.csv", "title,date,text\nx,someday,Body.\n")])
    assert corpus.problems[0].line == 2 and "unparseable date" in corpus.problems[0].reason


# -- bad files and encodings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n ", "file holds only whitespace"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("nul.md", b"abc\x00def", "binary file, not text"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type .docx"),
    ],
)
def test_bad_files_are_reported_not_raised(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", BODY)
    corpus = load_corpus([bad, good])
    assert len(corpus.articles) == 1
    assert corpus.problems[0].path == str(bad)
    assert corpus.problems[0].reason.startswith(reason)


def test_windows_1252_falls_back_with_notice(tmp_path: Path) -> None:
    data = "The minister\u2019s \u201cplan\u201d costs \u20ac5m.".encode("cp1252")
    corpus = load_corpus([write(tmp_path, "w.txt", data)])
    assert corpus.articles[0].text == "The minister\u2019s \u201cplan\u201d costs \u20ac5m."
    assert "Windows-1252" in corpus.notices[0].message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    corpus = load_corpus([write(tmp_path, "b.txt", BODY.encode(encoding))])
    assert corpus.articles[0].text == BODY


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    corpus = load_corpus([tmp_path / "nope.txt"])
    assert corpus.problems[0].reason.startswith("cannot read file")


# -- folders and ids --------------------------------------------------------------------------


def test_folders_recursive_hidden_and_readme_skipped(tmp_path: Path) -> None:
    write(tmp_path, "a/one.txt", "One story.")
    write(tmp_path, "a/b/two.md", "Two story.")
    write(tmp_path, ".hidden/three.txt", "Hidden.")
    write(tmp_path, "README.md", "Not an article.")
    write(tmp_path, "a/image.png", b"\x89PNG")
    assert sorted(p.name for p in iter_files([tmp_path])) == ["one.txt", "two.md"]


def test_doc_ids_are_stable_and_a_second_file_of_one_text_is_a_copy(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", BODY)
    b = write(tmp_path, "copy/b.txt", BODY)
    first = load_corpus([tmp_path])
    second = load_corpus([tmp_path])
    assert [x.doc_id for x in first.articles] == [x.doc_id for x in second.articles]
    original, copy = first.articles
    assert original.doc_id == build_article(BODY, path="elsewhere").doc_id
    assert original.copy_of == "" and copy.copy_of == original.doc_id
    assert copy.doc_id != original.doc_id and copy.path == str(b)
    assert "kept as a copy" in first.notices[0].message
    assert {a.name, b.name} >= {Path(first.articles[0].path).name}


def test_read_bytes_for_uploads() -> None:
    events = list(read_bytes(b"2025-12-13\nsome-slug\n\nBody text.", "upload.txt", ".txt"))
    assert isinstance(events[0], Article) and events[0].published == date(2025, 12, 13)


def test_title_helpers() -> None:
    assert title_from_slug("100911-northrop-grumman-wins") == "Northrop grumman wins"
    assert restore_case("Northrop grumman wins", "Yesterday Northrop Grumman won.") == (
        "Northrop Grumman wins"
    )


def test_decode_prefers_utf8() -> None:
    assert decode("caf\u00e9".encode()) == ("caf\u00e9", None)


@given(st.text(min_size=1))
def test_any_text_is_kept_as_read_or_reported(text: str) -> None:
    events = list(read_bytes(text.encode("utf-8", "surrogatepass"), "x.txt", ".txt"))
    assert events
    for event in events:
        if isinstance(event, Article):
            assert "\r" not in event.text
            assert event.text in normalise_newlines(text)
        else:
            assert event.path == "x.txt"


def test_future_date_is_kept_with_a_notice(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "f.txt", f"2999-01-01\nfuture-story\n\n{BODY}")])
    assert corpus.articles[0].published == date(2999, 1, 1)
    assert "in the future" in corpus.notices[0].message


def test_huge_article_is_refused_with_reason_and_the_rest_read(tmp_path: Path) -> None:
    big = write(tmp_path, "big.txt", "All work and no play. " * 1_000_000)  # 22 MB
    small = write(tmp_path, "small.txt", BODY)
    corpus = load_corpus([big, small])
    assert [a.path for a in corpus.articles] == [str(small)]
    assert corpus.problems[0].path == str(big)
    assert "over the 2,000,000 limit" in corpus.problems[0].reason


def test_ten_thousand_small_files(tmp_path: Path) -> None:
    for i in range(10_000):
        write(tmp_path, f"d{i % 10}/{i:05d}.txt", f"Story number {i} happened.")
    corpus = load_corpus([tmp_path])
    assert len(corpus.articles) == 10_000 and not corpus.problems
    assert len({a.doc_id for a in corpus.articles}) == 10_000
