"""House style in the published formats: typographic quotes and apostrophes in the DOCX and
HTML (markdown-it-py's typographer), plain ones in the Markdown, and nothing else changed."""
from __future__ import annotations

import io

import docx

from generator.pipeline import build_profile
from generator.render.typography import smart

PROFILE = """\
council:
  name: "St Mary's Parish Council"
  tier: parish
roles:
  chair: "Chairman"
"""


def _build(tmp_path, library, formats):
    path = tmp_path / "st-marys.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return build_profile(path, library, formats).files


def test_docx_has_typographic_quotes_and_apostrophes(tmp_path, library):
    files = _build(tmp_path, library, ("docx",))
    document = docx.Document(io.BytesIO(files["docx"]))
    texts = [p.text for p in document.paragraphs]
    assert "St Mary’s Parish Council" in texts               # the title page
    body = "\n".join(texts)
    assert "'" not in body and '"' not in body, [t for t in texts if "'" in t or '"' in t]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert not any("'" in c or '"' in c for c in cells)


def test_html_has_typographic_quotes(tmp_path, library):
    html = _build(tmp_path, library, ("html",))["html"].decode("utf-8")
    assert "St Mary’s Parish Council" in html
    body = html.split("<main", 1)[1]
    text_only = body.replace('="', "").replace('" ', "").replace('">', "")
    assert "&#x27;" not in body and "'" not in text_only.split("<style", 1)[0]


def test_markdown_keeps_plain_quotes(tmp_path, library):
    md = _build(tmp_path, library, ("md",))["md"].decode("utf-8")
    assert md.startswith("# St Mary's Parish Council")
    assert "’" not in md and "“" not in md


def test_only_quotes_change():
    assert smart('The "Clerk" and the Council\'s (c) item -- ...') == \
        "The “Clerk” and the Council’s (c) item -- ..."
    assert smart("no quotes at all") == "no quotes at all"
    assert smart("a *starred* name_with_underscores") == "a *starred* name_with_underscores"
