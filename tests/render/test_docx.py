"""The DOCX, opened with python-docx: styles, Word numbering, contents field, tables,
properties, language, header and footer, signature block, no empty paragraphs, a
council's own template, and byte-identical rebuilds. Every example profile is checked."""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from conftest import PROFILES
from docx_checks import PROFILE_IDS, build_all, document_for, word_labels
from generator.render.typography import smart

W_LANG = qn("w:lang")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("docx"), "md", "docx")


@pytest.fixture(scope="module")
def opened(built):
    return {stem: docx.Document(str(files["docx"])) for stem, files in built.items()}


def headings(d, style: str) -> list[str]:
    return [p.text for p in d.paragraphs if p.style.name == style]


# ---- every example profile --------------------------------------------------------

@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_title_and_heading_styles(stem, opened, library):
    d, doc = opened[stem], document_for(stem, library)
    assert headings(d, "Title") == [doc.meta.title]
    assert d.styles["Title"].style_id == "Title"
    assert headings(d, "Heading 1") == [s.title for s in doc.sections] + \
        (["Version history"] if doc.meta.history else []) + \
        (["Signed"] if doc.meta.signatories else [])
    # headings get typographic quotes and apostrophes, as all published text does
    assert headings(d, "Heading 2") == [smart(c.heading) for c in doc.clauses() if c.heading]
    # outline levels never skip: nothing deeper than level 2, and a level 2 heading only
    # ever follows a level 1 heading or another level 2 heading
    levels = [1 if p.style.name == "Heading 1" else 2 for p in d.paragraphs
              if p.style.name in ("Heading 1", "Heading 2")]
    assert levels[0] == 1
    assert not any(p.style.name.startswith("Heading ") and p.style.name[-1] not in "12"
                   for p in d.paragraphs)
    # section titles carry no typed number: the number comes from Word's numbering
    assert not any(t[:1].isdigit() for t in headings(d, "Heading 1"))


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_numbering_definition_is_one_multilevel_list_on_the_styles(stem, opened):
    d = opened[stem]
    numbering = d.part.numbering_part.element
    heading = d.styles["Heading 1"].element.pPr.numPr
    clause = d.styles["Clause"].element.pPr.numPr
    assert heading is not None and clause is not None
    assert heading.numId.val == clause.numId.val
    assert (heading.ilvl.val, clause.ilvl.val) == (0, 1)
    assert d.styles["Heading 2"].element.pPr.numPr is None
    num = next(n for n in numbering.findall(qn("w:num")) if n.numId == heading.numId.val)
    abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val))
    levels = {int(lvl.get(qn("w:ilvl"))): lvl for lvl in abstract.findall(qn("w:lvl"))}

    def val(level, tag):
        return levels[level].find(qn(tag)).get(qn("w:val"))
    assert [(val(i, "w:numFmt"), val(i, "w:lvlText")) for i in range(3)] == [
        ("decimal", "%1"), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")]
    assert val(0, "w:pStyle") == d.styles["Heading 1"].style_id
    assert val(1, "w:pStyle") == d.styles["Clause"].style_id
    bullets = {n.find(qn("w:numFmt")).get(qn("w:val"))
               for a in numbering.findall(qn("w:abstractNum")) for n in a.findall(qn("w:lvl"))
               if a.find(qn("w:name")) is not None
               and a.find(qn("w:name")).get(qn("w:val")) == "Protocol bullets"}
    assert bullets == {"bullet"}


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_numbers_word_shows_equal_the_documents(stem, opened, library):
    d, doc = opened[stem], document_for(stem, library)
    labels = word_labels(d)
    shown = [(label, text) for label, style, text in labels
             if style in ("Heading 1", "Clause")]
    expected = []
    for section in doc.sections:
        expected.append((str(section.number), section.title))
        expected += [(c.number, None) for c in section.clauses]
    assert [label for label, _ in shown] == [number for number, _ in expected]
    assert [t for (_, t), (_, want) in zip(shown, expected) if want] == \
        [s.title for s in doc.sections]
    # clause text never repeats its number (Word adds it)
    assert not any(text.startswith(label + " ") for label, _, text in labels)
    # a lettered list straight after a clause's lead-in starts again at (a)
    for (before, _, _), (label, _, _) in zip(labels, labels[1:]):
        if "." in before and label.startswith("("):
            assert label == "(a)", (before, label)


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_contents_field_and_update_on_open(stem, opened):
    d = opened[stem]
    body = d.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip() == 'TOC \\o "1-2" \\h \\z \\u' for i in instructions)
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds[:2] == ["begin", "separate"] and "end" in kinds
    update = d.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    assert headings(d, "TOC Heading") == ["Contents"]
    toc_entries = [p.text for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc_entries[0].split("\t") == ["1", headings(d, "Heading 1")[0]]


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_version_history_table_with_header_row(stem, opened, library):
    d, doc = opened[stem], document_for(stem, library)
    assert doc.meta.history and len(d.tables) == 1   # drafts too: the current draft's row
    table = d.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == ["Version", "Date", "Change"]
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [h.version, f"{h.date.day} {h.date.strftime('%B %Y')}" if h.date else
         "Not yet adopted", h.change] for h in doc.meta.history]
    assert table._tbl.tblPr.find(qn("w:tblDescription")) is not None


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_core_properties_language_and_font(stem, opened, library):
    d, doc = opened[stem], document_for(stem, library)
    m = doc.meta
    props = d.core_properties
    midnight = dt.datetime.combine(m.date, dt.time(0, 0))
    assert props.title == m.full_title
    assert props.author == props.last_modified_by == m.council_name
    assert m.council_name in props.keywords and props.subject
    assert props.language == m.language == "en-GB"
    assert props.created.replace(tzinfo=None) == midnight
    assert props.modified.replace(tzinfo=None) == midnight
    assert props.revision == 1
    defaults = d.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W_LANG}").get(qn("w:val")) == "en-GB"
    normal = d.styles["Normal"].font
    assert normal.name == "Arial" and Pt(11) <= normal.size <= Pt(12)
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:asciiTheme")) is None
    section = d.sections[0]
    assert (round(section.page_width.cm), round(section.page_height.cm)) == (21, 30)


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_title_page_header_footer_and_signatures(stem, opened, library):
    d, doc = opened[stem], document_for(stem, library)
    m = doc.meta
    texts = [p.text for p in d.paragraphs]
    assert texts[:2] == [m.council_name, m.title]
    assert f"Version {m.version}" in texts[:6] and m.status in texts[:6]
    section = d.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    assert section.header.paragraphs[0].text == m.full_title
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith(f"Version {m.version}\tPage ")
    signatories = [p.text for p in d.paragraphs if p.style.name == "Signatory"]
    assert signatories == list(m.signatories)
    lines = [p.text for p in d.paragraphs if p.style.name == "Signature Line"]
    assert lines == ["Signed\t\tDate\t"] * len(m.signatories)


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_no_empty_paragraphs_for_spacing(stem, opened):
    d = opened[stem]
    empty = [p for p in d.paragraphs
             if not p.text.strip() and not p._p.findall(".//" + qn("w:drawing"))]
    assert len(empty) == 0
    breaks = [p for p in d.paragraphs if p.paragraph_format.page_break_before]
    assert [p.style.name for p in breaks] == ["TOC Heading", "Heading 1"]


def test_building_twice_gives_identical_bytes(built, tmp_path):
    again = build_all(tmp_path, "md", "docx")
    for stem, files in built.items():
        for fmt in ("md", "docx"):
            assert files[fmt].read_bytes() == again[stem][fmt].read_bytes(), (stem, fmt)


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_zip_entries_dated_from_the_profile_in_fixed_order(stem, built, library):
    doc = document_for(stem, library)
    with zipfile.ZipFile(built[stem]["docx"]) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert infos[1].filename == "_rels/.rels"
    assert {i.date_time for i in infos} == {doc.meta.date.timetuple()[:3] + (0, 0, 0)}
    assert not any("thumbnail" in i.filename or "customXml" in i.filename for i in infos)


# ---- clause bodies: the Markdown rules ----------------------------------------------

def _one_clause_document(body: str, language: str = "en-GB"):
    from generator.document import Clause, Document, HistoryRow, Metadata, Section
    meta = Metadata("Testham Parish Council", "Member/Officer Protocol", "1.0",
                    dt.date(2025, 5, 12), "25/1", "2026-05", ("Chair",),
                    (HistoryRow("1.0", dt.date(2025, 5, 12), "Adopted"),), language)
    clauses = (Clause("s.one", "1.1", body, "drafted"), Clause("s.two", "1.2", "Second.",
                                                               "drafted", heading="Next"))
    return Document(meta, (Section("s", 1, "Scope", clauses),))


def _render(body: str, **kw):
    from generator.render.docx import render_docx
    return docx.Document(io.BytesIO(render_docx(_one_clause_document(body, **kw))))


def test_markdown_inline_formatting_links_and_softbreaks():
    d = _render("We **must** act *fairly*, see [the code](https://example.org/code)\n"
                "and `rule 4`.")
    clause = next(p for p in d.paragraphs if p.style.name == "Clause")
    assert clause.text == "We must act fairly, see the code and rule 4."
    runs = clause._p.findall(".//" + qn("w:r"))
    bold = [r for r in runs if r.find(".//" + qn("w:b")) is not None]
    italic = [r for r in runs if r.find(".//" + qn("w:i")) is not None]
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in bold] == ["must"]
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in italic] == ["fairly"]
    link = clause._p.find(qn("w:hyperlink"))
    rel = d.part.rels[link.get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/code"
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "the code"
    assert link.find(".//" + qn("w:rStyle")).get(qn("w:val")) == \
        d.styles["Hyperlink"].style_id


def test_markdown_lists_nest_and_restart_within_a_clause():
    d = _render("Lead in:\n\n1. first\n2. second\n   1. inner\n   - dot\n\n"
                "Between.\n\n1. again\n\n- bullet\n\n> quoted")
    labels = [(label, text) for label, style, text in word_labels(d) if style != "Heading 1"]
    assert labels == [("1.1", "Lead in:"), ("(a)", "first"), ("(b)", "second"),
                      ("(i)", "inner"), ("\u2013", "dot"), ("(a)", "again"),
                      ("\u2022", "bullet"), ("1.2", "Second.")]
    texts = {p.text: p for p in d.paragraphs}
    assert texts["Between."].style.name == "Clause Text"
    assert texts["quoted"].style.name == "Quote"
    assert texts["Lead in:"].paragraph_format.keep_with_next


def test_welsh_language_profile_sets_cy_gb():
    d = _render("Text.", language="cy-GB")
    assert d.core_properties.language == "cy-GB"
    lang = d.styles.element.find("w:docDefaults", d.styles.element.nsmap).find(".//" + W_LANG)
    assert lang.get(qn("w:val")) == "cy-GB"


# ---- a council's own Word template --------------------------------------------------

def _png(width: int = 40, height: int = 20) -> bytes:
    """A small solid PNG, made without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x1f\x38\x64" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                              2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _reference(path: Path) -> Path:
    """A council template: Verdana 12pt, 2 cm margins, a logo in the header, some body
    text (which must not be carried over)."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Verdana"
    d.styles["Normal"].font.size = Pt(12)
    section = d.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.header.paragraphs[0].add_run().add_picture(io.BytesIO(_png()), width=Cm(4))
    d.add_paragraph("Template body text that must not appear")
    d.save(str(path))
    return path


def _check_reference_output(path: Path, council: str) -> None:
    d = docx.Document(str(path))
    assert d.styles["Normal"].font.name == "Verdana"
    assert d.styles["Normal"].font.size == Pt(12)
    assert round(d.sections[0].left_margin.cm, 1) == 2.0
    assert "Template body text that must not appear" not in [p.text for p in d.paragraphs]
    logo = d.element.body.find(".//" + qn("wp:docPr"))
    assert logo is not None and logo.get("descr") == f"{council} logo"
    assert d.styles["Heading 1"].element.pPr.numPr is not None
    assert [label for label, style, _ in word_labels(d) if style == "Heading 1"][:2] == \
        ["1", "2"]
    # "Page N of M" at the right margin, whatever tab stops the template's Footer has
    section = d.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = section.footer.paragraphs[0].paragraph_format.tab_stops
    assert [(s.alignment, s.position) for s in stops if s.alignment != WD_TAB_ALIGNMENT.CLEAR] \
        == [(WD_TAB_ALIGNMENT.RIGHT, width)]


def test_reference_docx_option_takes_styles_margins_and_logo(invoke, tmp_path):
    ref = _reference(tmp_path / "council.docx")
    profile = PROFILES / "milcombe-parish-council.yaml"
    result = invoke("build", profile, "--out", tmp_path / "out", "--format", "docx",
                    "--reference-docx", ref)
    assert result.exit_code == 0, result.output
    _check_reference_output(tmp_path / "out" / profile.stem /
                            f"{profile.stem}-member-officer-protocol.docx",
                            "Milcombe Parish Council")


def test_reference_docx_from_profile_is_relative_to_the_profile(invoke, tmp_path):
    _reference(tmp_path / "templates-council.docx")
    text = (PROFILES / "milcombe-parish-council.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "milcombe.yaml"
    profile.write_text(text + "document:\n  reference_docx: templates-council.docx\n",
                       encoding="utf-8")
    result = invoke("build", profile, "--out", tmp_path / "out", "--format", "docx")
    assert result.exit_code == 0, result.output
    _check_reference_output(tmp_path / "out" / "milcombe" /
                            "milcombe-member-officer-protocol.docx", "Milcombe Parish Council")


def test_dotx_template_is_accepted(tmp_path):
    from generator.render.docx import render_docx
    ref = _reference(tmp_path / "council.docx")
    dotx = tmp_path / "council.dotx"
    with zipfile.ZipFile(ref) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(info, data)
    out = render_docx(_one_clause_document("Text."), reference_docx=dotx)
    assert docx.Document(io.BytesIO(out)).styles["Normal"].font.name == "Verdana"


def test_missing_reference_in_profile_is_a_located_error(invoke, tmp_path):
    text = (PROFILES / "milcombe-parish-council.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "milcombe.yaml"
    profile.write_text(text + "document:\n  reference_docx: nowhere/council.docx\n",
                       encoding="utf-8")
    result = invoke("build", profile, "--out", tmp_path / "out")
    assert result.exit_code == 1
    line = len(text.splitlines()) + 2
    assert f"milcombe.yaml:{line}" in result.output
    assert "document.reference_docx" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "milcombe").exists()


def _main(*args) -> int:
    """Run the CLI's entry point as a user would; returns its exit code and output."""
    from generator.cli import main
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    return exit_info.value.code


def test_bad_reference_option_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "council.docx"
    bad.write_text("not a word file", encoding="utf-8")
    profile = PROFILES / "milcombe-parish-council.yaml"
    code = _main("build", profile, "--out", tmp_path / "out", "--reference-docx", bad)
    err = capsys.readouterr().err
    assert code == 1
    assert str(bad) in err and "not a Word .docx file" in err
    assert "Save As" in err and "Traceback" not in err
    code = _main("build", profile, "--out", tmp_path / "out",
                 "--reference-docx", tmp_path / "none.docx")
    assert code == 1 and "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_profile_cannot_name_a_reference_file_outside_its_folder(invoke, tmp_path):
    text = next(PROFILES.glob("*.yaml")).read_text(encoding="utf-8")
    for bad in ("/etc/council.docx", "../council.docx", "~/council.docx"):
        profile = tmp_path / "outside.yaml"
        profile.write_text(text + f"document:\n  reference_docx: '{bad}'\n", encoding="utf-8")
        result = invoke("build", profile, "--out", tmp_path / "out")
        assert result.exit_code == 1
        assert "outside the profile's folder" in result.output
        assert "Traceback" not in result.output


def test_pandocs_own_reference_docx_works_as_a_council_template(invoke, tmp_path):
    import subprocess
    reference = tmp_path / "pandoc-reference.docx"
    subprocess.run(["pandoc", "-o", str(reference), "--print-default-data-file",
                    "reference.docx"], check=True, timeout=60)
    profile = next(PROFILES.glob("*.yaml"))
    result = invoke("build", profile, "--out", tmp_path / "out", "--format", "docx",
                    "--reference-docx", reference)
    assert result.exit_code == 0, result.output
    written = docx.Document(tmp_path / "out" / profile.stem /
                            f"{profile.stem}-member-officer-protocol.docx")
    section = written.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert written.paragraphs[0].text and any(
        p.style.name == "Heading 1" for p in written.paragraphs)
