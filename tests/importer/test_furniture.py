"""A council's document furniture (its cover page, contents list, version history,
adoption line and footnotes) is read as such in every shape: never a provision of the new
draft, its dates and versions still read, and struck through in the redline with its
reason, so that rejecting every change gives it back. Real provisions that look a little
like furniture (a paragraph that mentions adoption, a table of contacts) stay provisions."""
from __future__ import annotations

import copy
import io
from pathlib import Path
import re
import subprocess
import tempfile
import zipfile

from click.testing import CliRunner
import docx
from docx.shared import Pt
import pytest
import yaml

from conftest import PROFILES, ROOT
import corpus_shapes as shapes
from generator.cli import cli
from generator.importer import furniture
from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse
from generator.review.lossless import rejected_text, squash

COVER = [("Document", "Policy GV/04"), ("Adopted: 14/03/2022", "Review: 03/2025"),
         ("Owner", "Head of Legal Services")]
ADDRESS = "Anytown Borough Council, Civic Centre, Market Street, Anytown"
CONTENTS = ["Introduction", "Working together", "Information for councillors"]
VERSIONS = [("Version", "Date", "Change", "Approved by"),
            ("1.0", "May 2012", "First protocol", "Council"),
            ("2.1", "9 March 2016", "Job titles corrected", "Standards Committee")]
ADOPTION = ("This Protocol was adopted by the Council on 9th March 2016 and will be "
            "reviewed every three years.")
NOTES = ["Local Government Act 2000, section 37.", "Localism Act 2011, section 28(7)."]
# real provisions that look a little like furniture
MENTION = ("This Protocol was adopted by the Council on 1 May 2019 and applies to every "
           "Member and co-opted member.")
MARKED = [("Members and officers follow the Council's Constitution", " and its codes."),
          ("Officers in politically restricted posts", " may not stand for election.")]
CONTACTS = [("Role", "Telephone"), ("Monitoring Officer", "01632 960 001"),
            ("Head of Paid Service", "01632 960 002")]


def _blocks():
    return shapes.from_source((ROOT / "clause_library" / "sources" / "anytown.txt")
                              .read_text(encoding="utf-8"))


def _table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            t.cell(r, c).text = cell
    return t._tbl


def _furnished_docx() -> bytes:
    """The Anytown protocol typed by hand, with a cover page, contents, a version table,
    an adoption line, footnotes typed at the end (their markers in superscript), and in
    its body a contacts table and a paragraph that mentions adoption."""
    d = docx.Document(io.BytesIO(shapes.typed_docx(_blocks())))
    body = d.element.body
    first = body[0]
    front = []
    front.append(_table(d, COVER))
    front.append(d.add_paragraph(ADDRESS)._p)
    front.append(d.add_paragraph("Contents")._p)
    for n, entry in enumerate(CONTENTS, 1):
        front.append(d.add_paragraph(f"{n}. {entry}\t{n + 1}")._p)
    front.append(_table(d, VERSIONS))
    front.append(d.add_paragraph(ADOPTION)._p)
    for el in front:
        first.addprevious(el)
    mention = d.add_paragraph(f"17\t{MENTION}")._p
    lead = d.add_paragraph("18\tThe officers to contact are:")._p
    contacts = _table(d, CONTACTS)
    last = [p for p in d.paragraphs if p.text.startswith("16\t")][0]._p
    marked = []
    for n, (before, after) in enumerate(MARKED, 1):
        p = d.add_paragraph(f"{18 + n}\t{before}")
        p.add_run(str(n)).font.superscript = True
        p.add_run(after)
        marked.append(p._p)
    for el in reversed([mention, lead, contacts] + marked):
        last.addnext(el)
    for n, note in enumerate(NOTES, 1):
        d.add_paragraph().add_run(f"{n} {note}").font.size = Pt(8)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("furniture")
    word = folder / "anytown.docx"
    word.write_bytes(_furnished_docx())
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(word)],
                   check=True, capture_output=True, timeout=600)
    return {"docx": word, "pdf": folder / "anytown.pdf"}


def _read(path: Path):
    source = read_source(path.read_bytes(), path.name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, path.name)
    return structure


def _reasons(structure) -> dict[str, str]:
    return {p.text: p.reason for p in structure.paragraphs if p.kind == "furniture"}


def _has(found: dict[str, str], words: str, reason: str) -> bool:
    return any(squash(words) in squash(text) and why.startswith(reason.rstrip("."))
               for text, why in found.items())


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_furniture_of_a_word_file_and_its_pdf_is_set_apart(files, fmt):
    structure = _read(files[fmt])
    found = _reasons(structure)
    assert _has(found, "Policy GV/04", furniture.COVER)
    assert _has(found, "Head of Legal Services", furniture.COVER)
    assert _has(found, "Civic Centre, Market Street", furniture.COVER)
    for entry in CONTENTS:
        assert _has(found, entry, furniture.CONTENTS), entry
    assert _has(found, "Version Date Change Approved by", furniture.HISTORY)
    assert _has(found, "2.1 9 March 2016 Job titles", furniture.HISTORY)   # PDF: cells torn
    assert _has(found, ADOPTION, furniture.ADOPTION)
    for note, (before, _) in zip(NOTES, MARKED):     # each names the paragraph it marks
        assert _has(found, note, furniture.FOOTNOTE), note
        assert any(note in text and squash(before[:30]) in squash(why)
                   for text, why in found.items()), (note, found)
    provisions = " ".join(p.full_text for p in structure.provisions)
    for text in ("Policy GV/04", "Job titles", "Localism Act 2011, section 28(7)",
                 "reviewed every three years", "Information for councillors 4"):
        assert text not in provisions
    assert MENTION in provisions                    # a provision that mentions adoption
    assert not any("01632" in text for text in found)    # a table of contacts is not
    if fmt == "docx":                                     # furniture (a PDF's rows are
        assert "Monitoring Officer 01632 960 001" in provisions   # read apart)
    for before, after in MARKED:                   # the marker taken out of the text
        assert before + after in provisions
    # the contents entries are not read as headings either
    assert not any("Working together 3" in h.text for h in structure.headings)


def test_a_saved_web_page_with_footnotes_and_a_version_table():
    page = ("<html><body><main><h1>Fernleigh District Council</h1>"
            "<table><tr><th>Version</th><th>Date</th><th>Change</th></tr>"
            "<tr><td>3.0</td><td>June 2021</td><td>Remote meetings</td></tr></table>"
            "<h2>1. Introduction</h2><p>1.1 This Protocol is part of the Council's "
            "Constitution<sup><a href='#fn1'>1</a></sup> and applies to every Member.</p>"
            "<p>1.2 Officers serve the whole Council and must be politically "
            "impartial in all they do.</p>"
            "<div class='footnotes'><p id='fn1'><small>1 Part 5 of the Constitution."
            "</small></p></div></main></body></html>").encode()
    source = read_source(page, "fernleigh.html")
    structure = parse(source.lines)
    check_reading(source.lines, structure, "fernleigh.html")
    found = _reasons(structure)
    assert _has(found, "Part 5 of the Constitution.", furniture.FOOTNOTE)
    assert _has(found, "3.0 June 2021 Remote meetings", furniture.HISTORY)
    text = structure.provisions[0].text
    assert "Constitution and applies" in text and "Constitution1" not in text
    assert [v.version for v in furniture.history(
        [p.text for p in structure.paragraphs if p.reason == furniture.HISTORY])] == ["3.0"]


def test_text_adoption_lines_and_provisions_that_only_mention_adoption():
    text = ("Fernleigh Parish Council\n\nAdopted by the Council at its meeting held on "
            "12.03.2018 (Minute 18/041). Review date: March 2020.\n\n1. Roles\n\n"
            f"1.1 {MENTION}\n\n1.2 The Clerk advises the Council on the law.\n\n"
            "2. Review\n\n2.1 The Council will review this Protocol every two years.\n\n"
            "2.2 The Protocol was approved by the Council on 3 May 2022.\n")
    source = read_source(text.encode(), "fernleigh.txt")
    structure = parse(source.lines)
    found = _reasons(structure)
    assert _has(found, "12.03.2018 (Minute 18/041)", furniture.ADOPTION)
    assert _has(found, "approved by the Council on 3 May 2022", furniture.ADOPTION)
    provisions = [p.text for p in structure.provisions]
    assert MENTION in provisions
    assert "The Council will review this Protocol every two years." in provisions


def test_a_body_ending_in_numbered_paragraphs_is_not_taken_for_footnotes():
    text = ("1. Review\n\n1 The Council will review this Protocol within 2 years.\n\n"
            "2 Officers may ask the Monitoring Officer about paragraph 1 of it.\n")
    structure = parse(read_source(text.encode(), "x.txt").lines)
    assert not _reasons(structure)


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + str(result.exception)
    return result


def test_imported_the_furniture_is_used_never_printed_and_struck_with_its_reason(
        files, tmp_path):
    source = files["docx"]
    run("import", source, "--out", tmp_path / "imp")
    profile = next((tmp_path / "imp").glob("*.yaml"))
    text = profile.read_text(encoding="utf-8")
    truth = yaml.safe_load((PROFILES / "anytown-borough-council.yaml").read_text())["council"]
    for fact, value in truth.items():
        value = str(value).lower() if isinstance(value, bool) else value
        text = text.replace(f'  {fact}: "not found: choose"', f"  {fact}: {value}")
    profile.write_text(text, encoding="utf-8")
    adoption = yaml.safe_load(text)["adoption"]
    assert adoption["version"] == "3.0"                       # after version 2.1
    assert [(h["version"], str(h["date"])) for h in adoption["history"]] == \
        [("2.1", "2016-03-09")]
    assert "\"1.0\", date: 2012-05-DD" in text                  # May 2012: the clerk dates it
    run("build", profile, "--against", source, "--redline", "--out", tmp_path / "out")
    built = next((tmp_path / "out").glob("*/*-protocol.md")).read_text(encoding="utf-8")
    assert "Version 2.1, 9 March 2016: Job titles corrected" in built   # its history
    assert built.count("Job titles corrected") == 1
    for gone in ("Policy GV/04", "Civic Centre", "every three years",
                 "Localism Act 2011, section 28(7)", "Information for councillors"):
        assert gone not in built, gone
    assert "applies to every Member and co-opted member" in built
    redline = next((tmp_path / "out").glob("*/*-redline.docx")).read_bytes()
    back = squash(rejected_text(redline))
    for kept in ("Document Policy GV/04", ADDRESS, "Contents", "2.1 9 March 2016 Job titles "
                 "corrected Standards Committee", ADOPTION, "1 " + NOTES[0], "2 " + NOTES[1]):
        assert squash(kept) in back, kept
    with zipfile.ZipFile(io.BytesIO(redline)) as z:
        said = z.read("word/comments.xml").decode("utf-8")
    for reason in (furniture.COVER, furniture.CONTENTS, furniture.HISTORY, furniture.ADOPTION,
                   furniture.FOOTNOTE):
        assert reason.rstrip(".").replace("'", "&apos;") in said.replace("\u2019", "'") or \
            reason.rstrip(".") in said.replace("\u2019", "'"), reason


def test_word_footnotes_of_its_own_are_read_and_set_apart(tmp_path):
    """A Word file with real footnotes (footnotes.xml, here written by pandoc): each
    note's text is read, not lost and not a provision; the reference leaves no mark."""
    (tmp_path / "notes.md").write_text(
        "# Roles\n\n1.1 The Protocol is part of the Constitution[^1] and applies to every "
        "Member.\n\n1.2 Officers serve the whole Council.[^2]\n\n"
        "[^1]: Part 5 of the Constitution.\n\n[^2]: Local Government Act 1972, section "
        "112.\n", encoding="utf-8")
    subprocess.run(["pandoc", str(tmp_path / "notes.md"), "-o", str(tmp_path / "notes.docx")],
                   check=True, capture_output=True, timeout=120)
    structure = _read(tmp_path / "notes.docx")
    found = _reasons(structure)
    assert found == {"1 Part 5 of the Constitution.": furniture.FOOTNOTE,
                     "2 Local Government Act 1972, section 112.": furniture.FOOTNOTE}
    assert [p.text for p in structure.provisions] == [
        "The Protocol is part of the Constitution and applies to every Member.",
        "Officers serve the whole Council."]
