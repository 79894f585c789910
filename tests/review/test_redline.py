"""protocol-gen diff: redlines whose differences are real Word tracked changes."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import PROFILES

from generator.review.readback import load_protocol, read_docx, read_markdown

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


# ---- helpers: Word's "Accept all" and "Reject all", done in code ---------------------------

def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def resolve(xml: bytes, accept: bool) -> list[str]:
    """The body's paragraphs after accepting (or rejecting) every tracked change: the
    rejected kind of mark is dropped with its text, the kept kind unwrapped; a paragraph
    whose own mark is dropped disappears (it must have no text left)."""
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    body = etree.fromstring(xml).find(f"{W}body")
    out = []
    for p in body.iter(f"{W}p"):
        mark_dropped = p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None
        for el in list(p.iter(f"{W}{drop}")):
            el.getparent().remove(el)
        for el in list(p.iter(f"{W}{keep}")):
            parent = el.getparent()
            for child in list(el):
                el.addprevious(child)
            parent.remove(el)
        assert p.find(f".//{W}ins") is None and p.find(f".//{W}del") is None
        text = "".join(" " if el.tag == f"{W}tab" else (el.text or "")
                       for el in p.iter(f"{W}t", f"{W}delText", f"{W}tab"))
        text = re.sub(r"\s+", " ", text).strip()
        if mark_dropped:
            assert text == "", f"a removed paragraph kept text: {text!r}"
            continue
        out.append(text)
    return out


def normal(paragraphs: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", p).strip() for p in paragraphs]


def build_md(invoke, profile: Path, out: Path) -> Path:
    result = invoke("build", profile, "--out", out, "--format", "md")
    assert result.exit_code == 0, result.output
    return out / profile.stem / f"{profile.stem}-member-officer-protocol.md"


def profile_copy(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = MILCOMBE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def groups_pair(invoke, tmp_path):
    """Milcombe's Markdown with and without political groups."""
    with_groups = profile_copy(tmp_path, "with-groups.yaml")
    assert "political_groups: true" in with_groups.read_text()
    without = profile_copy(tmp_path, "without-groups.yaml",
                           ("political_groups: true", "political_groups: false"))
    return build_md(invoke, with_groups, tmp_path / "out"), \
        build_md(invoke, without, tmp_path / "out")


# ---- the tests -------------------------------------------------------------------------------

def test_political_groups_switch_gives_tracked_changes_and_summary(invoke, tmp_path,
                                                                   groups_pair):
    old, new = groups_pair
    redline, summary = tmp_path / "redline.docx", tmp_path / "changes.md"
    result = invoke("diff", old, new, "-o", redline, "--summary", summary)
    assert result.exit_code == 0, result.output

    xml = document_xml(redline)
    assert b"<w:ins " in xml and b"<w:del " in xml and b"<w:delText" in xml
    root = etree.fromstring(xml)
    assert all(d.find(f".//{W}t") is None for d in root.iter(f"{W}del")), \
        "deleted text must be in w:delText"

    # Accept all gives NEW's text, reject all gives OLD's
    new_text = read_markdown(new.read_text(encoding="utf-8")).paragraphs()
    old_text = read_markdown(old.read_text(encoding="utf-8")).paragraphs()
    assert resolve(xml, accept=True) == normal(new_text)
    assert resolve(xml, accept=False) == normal(old_text)
    assert any(p.endswith("Political groups") for p in resolve(xml, accept=False))
    assert not any(p.endswith("Political groups") for p in resolve(xml, accept=True))

    # the plain summary, and the same as Markdown
    assert "Sections removed (1):" in result.output
    assert re.search(r"^  \d+\. Political groups \(\d+ clauses\)$", result.output, re.M)
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("# Changes from ") and "## Sections removed" in md
    assert "Political groups" in md


def test_renumbering_is_not_reported_as_a_wording_change(invoke, tmp_path, groups_pair):
    old, new = groups_pair
    from generator.review.redline import compare
    comparison = compare(load_protocol(old), load_protocol(new))
    summary = comparison.summary()
    # the section after political groups moved up one place with the same words
    moved = [c for c in comparison.changes if c.status == "renumbered"
             and c.unit.kind == "clause"]
    assert moved, "some clauses are renumbered when a section is left out"
    for change in moved:
        assert change.old.number != change.new.number
        assert [p.text for p in change.old.paras] == [p.text for p in change.new.paras]
    changed = " ".join(summary.clauses_changed)
    for change in moved:
        assert f"{change.old.number} (now {change.new.number})" not in changed
    assert any("(now " in line for line in summary.renumbered)
    # in the DOCX a renumbered clause differs only in its number
    redline = tmp_path / "r.docx"
    assert invoke("diff", old, new, "-o", redline).exit_code == 0
    body = etree.fromstring(document_xml(redline)).find(f"{W}body")
    change = moved[-1]
    for p in body.iter(f"{W}p"):
        deleted = "".join(t.text for t in p.iter(f"{W}delText"))
        inserted = "".join(t.text for t in p.findall(f"{W}ins//{W}t"))
        if deleted == change.old.number and inserted == change.new.number:
            break
    else:
        pytest.fail(f"no paragraph with only its number changed {change.old.number} -> "
                    f"{change.new.number}")


def test_word_level_changes_inside_a_paragraph(invoke, tmp_path):
    old = build_md(invoke, profile_copy(tmp_path, "a.yaml"), tmp_path / "out")
    new = build_md(invoke, profile_copy(tmp_path, "b.yaml",
                                        ("head_officer: Parish Clerk",
                                         "head_officer: Clerk to the Council")),
                   tmp_path / "out")
    redline = tmp_path / "r.docx"
    result = invoke("diff", old, new, "-o", redline)
    assert result.exit_code == 0, result.output
    root = etree.fromstring(document_xml(redline))
    deleted = {t.text.strip() for t in root.iter(f"{W}delText")} - {""}
    inserted = {t.text.strip() for ins in root.iter(f"{W}ins") for t in ins.iter(f"{W}t")}
    assert deleted <= {"Parish", "Parish Clerk", "Parish Clerk\u2019s"}, deleted   # and its possessive
    assert "Clerk to the Council" in inserted or "to the Council" in " ".join(inserted)
    # unchanged words stay plain text, not deleted and re-inserted
    assert not any("Councillors" in t for t in deleted)
    assert "Clauses with changed wording" in result.output
    assert "Sections removed" not in result.output


def test_author_and_date_come_from_the_newer_document(invoke, tmp_path, groups_pair):
    old, new = groups_pair
    redline = tmp_path / "r.docx"
    assert invoke("diff", old, new, "-o", redline).exit_code == 0
    newer = read_markdown(new.read_text(encoding="utf-8"))
    assert newer.date is not None
    root = etree.fromstring(document_xml(redline))
    marks = list(root.iter(f"{W}ins")) + list(root.iter(f"{W}del"))
    assert marks
    assert {m.get(f"{W}author") for m in marks} == {newer.council}
    assert {m.get(f"{W}date") for m in marks} == {f"{newer.date.isoformat()}T00:00:00Z"}
    ids = [m.get(f"{W}id") for m in marks]
    assert len(ids) == len(set(ids))
    # same inputs, same bytes (nothing taken from the clock)
    again = tmp_path / "again.docx"
    assert invoke("diff", old, new, "-o", again).exit_code == 0
    assert again.read_bytes() == redline.read_bytes()


def test_libreoffice_opens_the_redline(invoke, tmp_path, groups_pair):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test"
    old, new = groups_pair
    redline = tmp_path / "redline.docx"
    assert invoke("diff", old, new, "-o", redline).exit_code == 0
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(redline)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "redline.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    assert "Political groups" in text      # shown struck through, not lost


def test_two_profiles_align_by_clause_id(invoke, tmp_path):
    old = profile_copy(tmp_path, "old.yaml")
    new = profile_copy(tmp_path, "new.yaml",
                       ("political_groups: true", "political_groups: false"))
    redline = tmp_path / "r.docx"
    result = invoke("diff", old, new, "-o", redline)
    assert result.exit_code == 0, result.output
    assert "Political groups" in result.output and "Sections removed (1)" in result.output
    from generator.library.clauses import load_library
    from generator.review.redline import redline_paths
    made = redline_paths(old, new, library=load_library)
    assert made.comparison.old.has_ids and made.comparison.new.has_ids
    removed = [c.old.id for c in made.comparison.changes if c.status == "removed"]
    assert "groups" in removed and any(r.startswith("groups.") for r in removed)
    xml = document_xml(redline)
    assert resolve(xml, accept=True) == normal(made.comparison.new.paragraphs())


def test_docx_inputs_are_read_back_paragraph_by_paragraph(invoke, tmp_path):
    old = profile_copy(tmp_path, "old.yaml")
    new = profile_copy(tmp_path, "new.yaml",
                       ("political_groups: true", "political_groups: false"))
    for profile in (old, new):
        assert invoke("build", profile, "--out", tmp_path / "out",
                      "--format", "docx").exit_code == 0
    old_docx = tmp_path / "out" / "old" / "old-member-officer-protocol.docx"
    new_docx = tmp_path / "out" / "new" / "new-member-officer-protocol.docx"
    back = read_docx(new_docx.read_bytes(), str(new_docx))
    md = read_markdown(build_md(invoke, new, tmp_path / "md").read_text(encoding="utf-8"))
    # Word numbering is not text: the reader works the numbers (7, 7.2, (a)) out again,
    # and the body reads exactly as the Markdown does
    def body(protocol):
        return [(p.style, p.label, p.text) for u in protocol.units
                if u.kind in ("section", "clause") for p in u.paras]
    assert body(back) == body(md)
    assert any(label == "(a)" for _, label, _ in body(back))
    assert (back.council, back.version, back.date) == (md.council, md.version, md.date)

    redline = tmp_path / "r.docx"
    result = invoke("diff", old_docx, new_docx, "-o", redline)
    assert result.exit_code == 0, result.output
    assert "Political groups" in result.output
    xml = document_xml(redline)
    assert resolve(xml, accept=True) == normal(back.paragraphs())
    assert resolve(xml, accept=False) == normal(
        read_docx(old_docx.read_bytes()).paragraphs())


def test_identical_inputs_have_no_changes(invoke, tmp_path, groups_pair):
    old, _ = groups_pair
    redline = tmp_path / "same.docx"
    result = invoke("diff", old, old, "-o", redline)
    assert result.exit_code == 0
    assert ": none" in result.output
    xml = document_xml(redline)
    assert b"<w:ins " not in xml and b"<w:del " not in xml


@pytest.mark.parametrize("name, content, words", [
    ("notes.txt", b"hello", "cannot compare a '.txt' file"),
    ("missing.md", None, "no such file"),
    ("plain.md", b"Just a paragraph, no title.\n", "does not look like a protocol"),
    ("broken.docx", b"not a zip", "cannot read the DOCX file"),
])
def test_bad_inputs_are_clear_errors(tmp_path, capsys, groups_pair, name, content, words):
    from generator.cli import main
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    old, _ = groups_pair
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", str(old), str(bad), "-o", str(tmp_path / "r.docx")])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert words in err and name in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.parametrize("mode", ["accept", "reject"])
def test_pandoc_accepts_and_rejects_the_changes(invoke, tmp_path, groups_pair, mode):
    """pandoc, an independent reader, applies the tracked changes the same way."""
    assert shutil.which("pandoc"), "pandoc is needed for this test"
    old, new = groups_pair
    redline = tmp_path / "r.docx"
    assert invoke("diff", old, new, "-o", redline).exit_code == 0
    text = subprocess.run(["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "plain",
                           "--wrap=none", str(redline)], capture_output=True, text=True,
                          timeout=120, check=True).stdout
    # pandoc leaves a removed paragraph behind as an empty one (an empty bullet or
    # heading); Word merges it away. Empty paragraphs carry no text either way.
    got = [re.sub(r"\s+", " ", re.sub(r"^-\s+", "", block)).strip()
           for block in text.split("\n\n") if block.strip(" -\n")]
    wanted, other = (new, old) if mode == "accept" else (old, new)
    def body(path):       # pandoc keeps the Title and Subtitle as metadata
        return normal([p.display for u in read_markdown(path.read_text(encoding="utf-8")).units
                       for p in u.paras if p.style not in ("title", "meta")])
    expected = body(wanted)
    assert got == expected
    only_other = set(body(other)) - set(expected)
    assert only_other and not only_other & set(got)
