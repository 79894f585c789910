"""Nothing lost, provably: each source protocol, in each shape clerks bring
(tests/corpus_shapes.py), imported and built with its redline, and its council's profile
built against it; every step checks that no sentence is lost (generator/review/lossless.py,
generator/importer/accounted.py) and fails naming the sentence if one ever is. The
comments speak a committee's language, dated with the build's date."""
from __future__ import annotations

from pathlib import Path
import re
import zipfile

from click.testing import CliRunner
from lxml import etree
import pytest

from conftest import PROFILES, ROOT
import corpus_shapes as shapes
from generator.cli import cli
from generator.library.coverage import SOURCE_PROFILES
from generator.library.sentences import Unit, sentences
from generator.review.lossless import rejected_text, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SHAPES = ("typed.docx", "numbered.docx", "exported.pdf", "saved.html")
# the library's own vocabulary, which a committee never needs
INTERNAL = re.compile(r"In this protocol because|Wording:|\bdrafted\b|\bhouse\b|\bvariant|"
                      r"\bprofile\b|\blibrary\b|prefer_sources|\bsource\b|\bseed", re.I)


def run(*args, code: int = 0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output + str(result.exception)
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shapes")
    return {key: shapes.write_shapes(
        shapes.from_source((ROOT / "clause_library" / "sources" / f"{key}.txt")
                           .read_text(encoding="utf-8")), folder, key, SHAPES)
        for key in SOURCE_PROFILES}


def comments(docx: Path) -> list[etree._Element]:
    with zipfile.ZipFile(docx) as z:
        if "word/comments.xml" not in z.namelist():
            return []
        return list(etree.fromstring(z.read("word/comments.xml")).iter(f"{W}comment"))


def choose(profile: Path, key: str) -> None:
    """Write the source council's facts where the import says "not found: choose", as
    the clerk would."""
    import yaml
    truth = yaml.safe_load((PROFILES / SOURCE_PROFILES[key]).read_text())["council"]
    text = profile.read_text(encoding="utf-8")
    for fact, value in truth.items():
        value = str(value).lower() if isinstance(value, bool) else value
        text = text.replace(f'  {fact}: "not found: choose"', f"  {fact}: {value}")
    profile.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("key", sorted(SOURCE_PROFILES))
def test_import_and_redline_lose_nothing_in_any_shape(corpus, tmp_path, key, shape):
    path = corpus[key][shape]
    run("import", path, "--out", tmp_path / "in")
    [profile] = (tmp_path / "in").glob("*.yaml")
    choose(profile, key)
    built = run("build", profile, "--out", tmp_path / "out", "--redline")
    assert "redline against original.md" in built.output
    against = run("build", PROFILES / SOURCE_PROFILES[key], "--against", path, "--out",
                  tmp_path / "against")
    assert f"redline against {path.name}" in against.output
    stem = Path(SOURCE_PROFILES[key]).stem
    redline = tmp_path / "against" / stem / f"{stem}-redline.docx"
    back = squash(rejected_text(redline.read_bytes()))
    blocks = shapes.truth(shape, shapes.from_source(
        (ROOT / "clause_library" / "sources" / f"{key}.txt").read_text("utf-8")))
    for s in sentences(Unit(b.text, k) for k, b in enumerate(blocks)
                       if b.kind in ("para", "item")):
        if len(s.words) > 5:
            assert squash(s.text) in back, s.text      # rejecting every change keeps it
    said = comments(redline)
    assert said
    for c in said:
        text = "".join(c.itertext())
        assert not INTERNAL.search(text), text
        assert re.match(r"(Added|Reworded|Left out)\b", text), text
        assert not c.get(f"{W}date", "").startswith("2000-01-01"), c.get(f"{W}date")


TYPOGRAPHY = re.compile("[\\s'\"\u2018\u2019\u201c\u201d\\-\u2010\u2011\u2013\u2014\u00ad]+")


def test_a_pdf_redline_marks_no_typography(corpus, tmp_path):
    """The PDF of a source against its own council's build marks no change that is only
    quote marks, dashes or hyphenation."""
    for key in ("blaenavon", "west-suffolk"):
        stem = Path(SOURCE_PROFILES[key]).stem
        run("build", PROFILES / SOURCE_PROFILES[key], "--against", corpus[key]["exported.pdf"],
            "--out", tmp_path / key)
        with zipfile.ZipFile(tmp_path / key / stem / f"{stem}-redline.docx") as z:
            body = etree.fromstring(z.read("word/document.xml"))
        for p in body.iter(f"{W}p"):
            runs = list(p)
            for a, b in zip(runs, runs[1:]):
                if a.tag == f"{W}del" and b.tag == f"{W}ins":
                    old = "".join(t.text or "" for t in a.iter(f"{W}delText"))
                    new = "".join(t.text or "" for t in b.iter(f"{W}t"))
                    # a change of full stop to semicolon is the Protocol's own; one of
                    # quote marks, dashes, hyphens or spacing alone is the PDF's
                    assert TYPOGRAPHY.sub("", old.lower()) != \
                        TYPOGRAPHY.sub("", new.lower()), (old, new)


def test_a_lost_sentence_stops_the_build_and_names_it(monkeypatch, tmp_path):
    """If matching ever dropped a sentence, the build fails naming it and writes
    nothing (the check itself is what is tested: a sentence is dropped on purpose)."""
    from generator.review import against
    real = against.match

    def dropping(old, *args, **kwargs):
        rows = real(old, *args, **kwargs)
        for row in rows:
            row.old = [s for s in row.old if "bullying" not in s.text]
        return rows
    monkeypatch.setattr(against, "match", dropping)
    out = tmp_path / "out"
    result = run("build", PROFILES / SOURCE_PROFILES["anytown"], "--against",
                 ROOT / "clause_library" / "sources" / "anytown.txt", "--out", out, code=1)
    assert "In accordance with Council policy, harassment or bullying" in result.output
    assert "neither in the new protocol nor struck through" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob("*-redline.docx"))


def test_reading_that_lost_words_is_refused():
    from generator.errors import ProtocolGenError
    from generator.importer.accounted import check_reading
    from generator.importer.read import Line
    from generator.importer.structure import parse
    lines = [Line("1.1 Councillors have two roles:"), Line(""),
             Line("To represent the council externally; and"), Line(""),
             Line("To act as advocates for their constituents.")]
    structure = parse(lines)
    check_reading(lines, structure, "ok.docx")            # all of it read
    assert [t for _, t in structure.paragraphs[0].items] == [
        "To represent the council externally; and",
        "To act as advocates for their constituents."]    # with their lead-in
    structure.paragraphs[0].items.clear()                 # a list item dropped
    with pytest.raises(ProtocolGenError) as lost:
        check_reading(lines, structure, "lost.docx")
    assert "To represent the council externally; and" in str(lost.value)


def test_the_summary_can_be_counted(tmp_path):
    """The summary's counts are the numbers of its lines under each heading, and each
    line names one paragraph of the new protocol (generator/review/comments.py)."""
    for key in ("anytown", "milcombe"):
        stem = Path(SOURCE_PROFILES[key]).stem
        run("build", PROFILES / SOURCE_PROFILES[key], "--against",
            ROOT / "clause_library" / "sources" / f"{key}.txt", "--out", tmp_path)
        text = (tmp_path / stem / f"{stem}-redline-summary.md").read_text(encoding="utf-8")
        counts = dict((k, int(v)) for k, v in re.findall(
            r"(kept word for word|reworded|added|left out): (\d+)", text.split("\n\n")[1]))
        sections = dict(re.findall(r"^## (.+)\n\n((?:- .*\n?)+)", text, re.M))
        assert set(sections) <= {"Reworded", "Added", "Left out"} and sections
        for heading, lines in sections.items():
            items = lines.strip().split("\n")
            assert counts[heading.lower()] == len(items), heading
            numbers = [re.match(r"- (\d+(?:\.\d+)*): (Added|Reworded|Left out)", i)
                       for i in items]
            assert all(numbers), items
            assert len({m.group(1) for m in numbers}) == len(items)   # one line a paragraph
