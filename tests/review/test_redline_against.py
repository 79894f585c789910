"""`build --redline --against`: a source council's protocol against a Markdown copy of its
source shows the corrections as tracked changes, each with its reason, and nothing else."""
from __future__ import annotations

from pathlib import Path
import re
import shutil
import subprocess
import zipfile

from click.testing import CliRunner
from lxml import etree
import pytest

from conftest import PROFILES, ROOT
from generator.cli import cli
from generator.library.coverage import SOURCE_PROFILES, measure
from generator.library.sentences import (_contained, markdown_sentences, normalise,
                                         source_sentences)
from generator.review.against import NO_REASON
from generator.review.comments import plain
from generator.review.readback import read_markdown
from test_redline import W, document_xml, normal, resolve

SOURCES = ROOT / "clause_library" / "sources"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + str(result.exception)
    return result


@pytest.fixture(scope="module")
def redlines(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """For each source: its Markdown copy (what `import` keeps as original.md), and the
    source council's profile built against it."""
    out = {}
    for key, profile in SOURCE_PROFILES.items():
        work = tmp_path_factory.mktemp(key)
        run("import", SOURCES / f"{key}.txt", "--out", work / "import")
        copy = next((work / "import").glob("*-clauses/original.md"))
        result = run("build", PROFILES / profile, "--against", copy, "--out", work / "out")
        stem = Path(profile).stem
        folder = work / "out" / stem
        out[key] = {"copy": copy, "md": folder / f"{stem}-member-officer-protocol.md",
                    "redline": folder / f"{stem}-redline.docx",
                    "summary": folder / f"{stem}-redline-summary.md",
                    "output": result.output}
    return out


def comments_by_id(path: Path) -> dict[str, str]:
    """Each Word comment's text, by its id."""
    with zipfile.ZipFile(path) as z:
        if "word/comments.xml" not in z.namelist():
            return {}
        root = etree.fromstring(z.read("word/comments.xml"))
    return {c.get(f"{W}id"): "".join(c.itertext()) for c in root.iter(f"{W}comment")}


def comments(path: Path) -> list[str]:
    return list(comments_by_id(path).values())


def deletions(path: Path) -> list[tuple[str, ...]]:
    """The words of each tracked deletion."""
    body = etree.fromstring(document_xml(path))
    return [normalise("".join(t.text or "" for t in d.iter(f"{W}delText")))
            for d in body.iter(f"{W}del")]


def contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    return _contained(small, big)


@pytest.mark.parametrize("key", list(SOURCE_PROFILES))
def test_accepting_every_change_gives_the_new_protocol(redlines, key):
    r = redlines[key]
    protocol = read_markdown(r["md"].read_text(encoding="utf-8"))
    assert resolve(document_xml(r["redline"]), accept=True) == \
        normal([p.display for u in protocol.units for p in u.paras])


@pytest.mark.parametrize("key", list(SOURCE_PROFILES))
def test_rejecting_every_change_gives_back_every_provision_of_the_source(redlines, key):
    """Every sentence of the source's provisions is in the redline, kept or struck
    through (its title page, headings, dates and signatures are not provisions)."""
    r = redlines[key]
    rejected = normalise(" ".join(resolve(document_xml(r["redline"]), accept=False)))
    copy = r["copy"].read_text(encoding="utf-8")
    provisions = [s for s in markdown_sentences(copy) if s.text != "Version original."]
    missing = [s.text for s in provisions if len(s.words) > 5 and
               not contains(rejected, s.words)]
    assert provisions and not missing


def marked_paragraphs(path: Path) -> list[tuple[tuple[str, ...], bool, list[str]]]:
    """Each paragraph as (its words once every change is rejected, whether it has a
    tracked deletion, the comments anchored in it)."""
    notes = comments_by_id(path)
    out = []
    for p in etree.fromstring(document_xml(path)).iter(f"{W}p"):
        old = "".join(" " if t.tag == f"{W}tab" else t.text or ""
                      for t in p.iter(f"{W}t", f"{W}delText", f"{W}tab")
                      if not any(a.tag == f"{W}ins" for a in t.iterancestors()))
        said = [notes[r.get(f"{W}id")] for r in p.iter(f"{W}commentReference")]
        out.append((normalise(old), p.find(f".//{W}del") is not None, said))
    return out


@pytest.mark.parametrize("key", list(SOURCE_PROFILES))
def test_each_correction_is_struck_through_with_its_reason(redlines, key):
    """Each sentence `library coverage` lists as left out or changed on purpose, and
    that the new protocol does not keep as it was, is struck through (in whole or in
    part) in a paragraph whose comment gives the reason."""
    from generator.library.clauses import load_library
    r = redlines[key]
    report = measure(load_library(), [key]).sources[0]
    built = normalise(r["md"].read_text(encoding="utf-8"))
    paragraphs = marked_paragraphs(r["redline"])
    checked = 0
    for result in report.results:
        s = result.sentence
        if result.status not in ("excluded", "corrected") or len(s.words) <= 5 or \
                contains(built, s.words):
            continue
        holding = [p for p in paragraphs if contains(p[0], s.words)]
        assert holding, s.text
        assert all(has_del and said and NO_REASON not in " ".join(said)
                   for _, has_del, said in holding), s.text
        reasons = " ".join(" ".join(said) for *_, said in holding)
        assert "Left out: " in reasons or "Reworded" in reasons, s.text
        if result.status == "excluded":
            # the library's reason, said for a committee (or the law the sentence cites),
            # or the paragraph that rewords it
            assert any(r in reasons for r in (plain(result.excluded), "no longer in force",
                                              "the old review date", "the old document's",
                                              "in corrected words", "Reworded")), \
                (s.text, reasons)
        checked += 1
    assert checked
    assert NO_REASON not in " ".join(comments(r["redline"]))


@pytest.mark.parametrize("key", list(SOURCE_PROFILES))
def test_nothing_the_new_protocol_keeps_is_marked(redlines, key):
    """A source sentence the new protocol keeps word for word is never struck through
    (unless the source said it more often than the new protocol does, or said it again
    inside a longer sentence: a repeat removed)."""
    from collections import Counter
    r = redlines[key]
    kept = Counter(s.words for s in markdown_sentences(r["md"].read_text(encoding="utf-8")))
    source = source_sentences((SOURCES / f"{key}.txt").read_text(encoding="utf-8"))
    said = Counter(s.words for s in source)
    same = [s for s in source if len(s.words) > 3 and 0 < said[s.words] <= kept[s.words]
            and not any(o.words != s.words and contains(o.words, s.words) for o in source)]
    struck = deletions(r["redline"])
    assert same
    assert not [s.text for s in same if any(contains(d, s.words) for d in struck)]


def test_every_change_has_a_comment_saying_why():
    """Each clause with a tracked change carries a comment: its wording's note, why it
    was added, or why a sentence was left out."""
    from generator.library.clauses import load_library
    from generator.pipeline import build_profile
    from generator.review.against import redline_files
    library = load_library()
    for key, name in SOURCE_PROFILES.items():
        built = build_profile(PROFILES / name, library, ("md",))
        red = redline_files((SOURCES / f"{key}.txt").read_bytes(), f"{key}.txt",
                            built.profile, built.library or library, built.document,
                            str(PROFILES / name), "new.md")
        units = {}
        for row in red.rows:
            units.setdefault(id(row.unit), []).append(row)
        for rows in units.values():
            changed = [r for r in rows if r.status in ("changed", "added", "removed")]
            if changed:
                assert any(r.comment for r in rows), [r.new or r.old_text for r in changed]
        assert all(r.comment for r in red.rows if r.status == "removed")
        assert red.summary.counts().startswith("kept word for word")


def test_the_summary_lists_each_change_and_why(redlines):
    r = redlines["anytown"]
    summary = r["summary"].read_text(encoding="utf-8")
    assert summary.startswith("# Changes from original.md to ")
    assert "## Reworded" in summary and "## Added" in summary
    assert "revoked in England in 2012" in summary      # the revoked code, and why
    assert "Wording:" not in summary and "In this protocol because" not in summary
    assert "redline against original.md: kept word for word" in r["output"]


def test_libreoffice_opens_it_and_shows_what_was_struck(redlines, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test"
    redline = redlines["milcombe"]["redline"]
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(redline)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (redline.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, timeout=60).stdout.split())
    assert "important in the context of scrutiny and overview" in text   # struck, not lost
    assert "Chairs and vice-chairs" in text


def test_the_source_text_and_a_word_copy_work_too(tmp_path):
    """The council's current protocol may be plain text or Word, not only Markdown."""
    import docx
    text = (SOURCES / "blaenavon.txt").read_text(encoding="utf-8")
    word = docx.Document()
    for line in text.splitlines():
        if line.strip():
            word.add_paragraph(line.strip())
    word.save(tmp_path / "current.docx")
    profile = PROFILES / SOURCE_PROFILES["blaenavon"]
    for current in (SOURCES / "blaenavon.txt", tmp_path / "current.docx"):
        out = tmp_path / current.suffix[1:]
        result = run("build", profile, "--against", current, "--out", out)
        assert f"redline against {current.name}: kept word for word" in result.output
        red = next(out.glob("*/*-redline.docx"))
        assert any("Localism Act" in c or "Ombudsman" in c or "Wording:" in c
                   for c in comments(red))


@pytest.mark.parametrize("args, words", [
    (["--against", "missing.md"], "cannot read the file"),
    (["--against", "empty.md"], "no text could be read"),
    (["--against", "title.md"], "no numbered paragraphs or sentences"),
    (["--against", "empty.md", PROFILES / "halstead-town-council.yaml"], "give one profile"),
])
def test_bad_against_files_are_clear_errors(tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.md").write_text("\n", encoding="utf-8")
    (tmp_path / "title.md").write_text("# Member/Officer Protocol\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(PROFILES / "milcombe-parish-council.yaml"),
                                      "--out", "out", *map(str, args)])
    assert result.exit_code != 0
    assert words in result.output and "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("*/*.docx")) if (tmp_path / "out").exists() \
        else True
    assert not re.search(r"\bFile \"", result.output)


@pytest.mark.parametrize("mode", ["accept", "reject"])
def test_pandoc_applies_the_changes_the_same_way(redlines, mode):
    """pandoc, an independent reader, gets the new protocol by accepting every change and
    the old words by rejecting them."""
    assert shutil.which("pandoc"), "pandoc is needed for this test"
    r = redlines["halstead"]
    text = subprocess.run(["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "plain",
                           "--wrap=none", str(r["redline"])], capture_output=True, text=True,
                          timeout=120, check=True).stdout
    got = normalise(text)
    ours = normalise(" ".join(resolve(document_xml(r["redline"]), accept=mode == "accept")))
    title = normalise(" ".join(resolve(document_xml(r["redline"]), accept=True)[:2]))
    assert got == ours[len(title):] or got == ours     # pandoc keeps the title as metadata
    struck = "Members should avoid overfamiliarity with officers in the working environment"
    assert contains(got, normalise(struck)) == (mode == "reject")
