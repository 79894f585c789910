"""The standalone HTML page: parsed with html.parser and checked for language, one h1,
headings in order, a contents list whose links all resolve, numbered clauses, a version
history table with column headers, and no script or external file."""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from generator.render.typography import smart
from docx_checks import PROFILE_IDS, build_all, document_for


class Page(HTMLParser):
    """Everything the checks need from one page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.numbers: list[str] = []
        self._heading: int | None = None
        self._number = False
        self._text: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = int(tag[1])
            self._text = []
        if tag == "span" and a.get("class") == "num":
            self._number = True

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self._text.append(data)
        if self._number:
            self.numbers.append(data)
            self._number = False


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    built = build_all(tmp_path_factory.mktemp("html"), "html")
    return {stem: Page(files["html"].read_text(encoding="utf-8"))
            for stem, files in built.items()}


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_language_title_and_one_h1(stem, pages, library):
    page, doc = pages[stem], document_for(stem, library)
    html = next(a for t, a in page.tags if t == "html")
    assert html["lang"] == doc.meta.language
    assert [h for h in page.headings if h[0] == 1] == [(1, doc.meta.title)]
    title_at = [i for i, (t, _) in enumerate(page.tags) if t == "title"]
    assert len(title_at) == 1


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_headings_in_order_and_sections_numbered(stem, pages, library):
    page, doc = pages[stem], document_for(stem, library)
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    h2 = [text for level, text in page.headings if level == 2]
    assert h2[0] == "Contents"
    assert h2[1:1 + len(doc.sections)] == [f"{s.number} {s.title}" for s in doc.sections]
    h3 = [text for level, text in page.headings if level == 3]
    assert h3 == [smart(c.heading) for c in doc.clauses() if c.heading]   # typographic quotes
    assert page.numbers == [c.number for c in doc.clauses()]


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_contents_links_resolve_and_nothing_external(stem, pages, library):
    page, doc = pages[stem], document_for(stem, library)
    nav = [t for t, _ in page.tags].index("nav")
    contents = [a["href"] for t, a in page.tags[nav:] if t == "a"][:len(doc.sections)]
    assert len(contents) == len(doc.sections)
    for href in page.links:
        if href.startswith("#"):
            assert href[1:] in page.ids, href
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "img", "object", "embed"}
    assert not any(k.startswith("on") or k == "src" for _, a in page.tags for k in a)
    assert "style" in tags


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_version_history_table_has_column_headers(stem, pages, library):
    page, doc = pages[stem], document_for(stem, library)
    headers = [a for t, a in page.tags if t == "th"]
    if not doc.meta.history:
        assert headers == []
        return
    assert len(headers) == 3 and all(a.get("scope") == "col" for a in headers)
    assert ("caption", {}) in page.tags
    rows = [t for t, _ in page.tags if t == "tr"]
    assert len(rows) == 1 + len(doc.meta.history)


def test_profile_text_cannot_inject_markup():
    from generator.document import Clause, Document, Metadata, Section
    from generator.render.html import render_html
    meta = Metadata("<script>alert(1)</script> Council", "Protocol", "1.0", None, None, None,
                    ("Chair",), ())
    body = "Text <script>alert(2)</script> and <b onclick=x>bold</b>.\n\n1. item"
    doc = Document(meta, (Section("s", 1, "A <i>title</i>", (Clause("s.a", "1.1", body,
                                                                       "drafted"),)),))
    html = render_html(doc)
    page = Page(html)
    assert not {t for t, _ in page.tags} & {"script", "b", "i"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council" in html
    assert "Text &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert ("ol", {"type": "a"}) in page.tags
    assert meta.status == "Draft for adoption" and "Draft for adoption" in html
    assert dt.date(2000, 1, 1) == doc.meta.date
