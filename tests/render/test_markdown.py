"""The Markdown renderer: CommonMark that markdown-it-py parses into the expected outline."""
import pytest
from markdown_it import MarkdownIt

from generator.assemble import assemble
from generator.profile.load import load_profile
from generator.render.markdown import render_markdown

from conftest import all_profiles

MD = MarkdownIt("commonmark")


def outline(text):
    tokens = MD.parse(text)
    heads = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            heads.append((tok.tag, tokens[i + 1].content))
    return tokens, heads


@pytest.mark.parametrize("path", all_profiles(), ids=lambda p: p.stem)
def test_each_example_renders_clean_commonmark(path, library):
    profile, _ = load_profile(path)
    doc = assemble(profile, library)
    text = render_markdown(doc)
    tokens, heads = outline(text)
    assert [h for h in heads if h[0] == "h1"] == [("h1", f"{profile.council.name}: "
                                                   f"{profile.document.title}")]
    numbered = [content for tag, content in heads if tag == "h2" and content[0].isdigit()]
    assert [int(c.split(".")[0]) for c in numbered] == list(range(1, len(doc.sections) + 1))
    assert "{{" not in text and "{%" not in text
    paragraphs = [tokens[i + 1].content for i, t in enumerate(tokens)
                  if t.type == "paragraph_open" and not t.hidden]
    for clause in doc.clauses():
        assert any(p.startswith(clause.number + " ") for p in paragraphs), clause.id
    assert text.endswith("\n") and "\n\n\n" not in text


def test_lists_stay_lists(library):
    from generator.profile.load import profile_from_text
    doc = assemble(profile_from_text(
        "council: {name: X Parish Council, tier: parish, political_groups: true}\n"
        "roles: {monitoring_officer: Monitoring Officer of Y District Council}"), library)
    tokens, _ = outline(render_markdown(doc))
    assert any(t.type in ("ordered_list_open", "bullet_list_open") for t in tokens)


def test_title_block_and_history(library):
    from generator.profile.load import profile_from_text
    doc = assemble(profile_from_text(
        "council: {name: X Town Council, tier: town}\n"
        "adoption: {version: '2.1', adopted: 2025-05-12, minute: 25/041, next_review: 2026-05,\n"
        "  history: [{version: '2.0', date: 2024-05-13, change: Annual review}]}"), library)
    text = render_markdown(doc)
    assert "Version 2.1. Adopted 12 May 2025 (minute 25/041). Next review May 2026." in text
    assert "- Version 2.0, 13 May 2024: Annual review" in text
    assert "- Version 2.1, 12 May 2025: Reviewed and adopted" in text
    assert "## Signed" in text and "- Chair: signed" in text and "- Town Clerk: signed" in text


def test_markdown_special_characters_in_values_are_literal(library):
    from generator.profile.load import profile_from_text
    doc = assemble(profile_from_text("council: {name: '*Star* & <b>Bold</b> #1', tier: town}"),
                   library)
    html = MD.render(render_markdown(doc))
    assert "<h1>*Star* &amp; &lt;b&gt;Bold&lt;/b&gt; #1: Member/Officer Protocol</h1>" in html


def test_a_draft_has_a_version_history_row(library):
    from generator.profile.load import profile_from_text
    doc = assemble(profile_from_text("council: {name: X Town Council, tier: town}\n"
                                     "adoption: {version: '0.2'}"), library)
    assert [(h.version, h.date, h.change) for h in doc.meta.history] == [
        ("0.2", None, "Draft for adoption")]
    assert "- Version 0.2, not yet adopted: Draft for adoption" in render_markdown(doc)
