"""The five source protocols, as text and as DOCX and PDF made from them by LibreOffice:
audited with the right council, and imported so that a build reproduces them."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import pytest
import yaml

from conftest import PROFILES
from generator.library.coverage import SOURCE_PROFILES, carried_by_text
from generator.profile.constants import PRINCIPAL_TIERS

KEYS = sorted(SOURCE_PROFILES)
# what a source does not tell: Anytown's names no council, so nothing tells its tier or
# nation and the import asks the clerk (the others' names, in the ONS list of places, tell
# Blaenavon's and Halstead's nation and that West Suffolk is a district)
NOT_STATED = {"anytown": ["tier", "nation"]}
FORMATS = ("txt", "docx", "pdf")


def truth(key: str) -> dict:
    return yaml.safe_load((PROFILES / SOURCE_PROFILES[key]).read_text())["council"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", KEYS)
def test_audit_recognises_the_council(invoke, source_documents, key, fmt):
    result = invoke("audit", source_documents[key][fmt], "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    council, want = report["council"], truth(key)
    # each fact is right, or "not found" with what to choose: never a wrong guess
    for fact in ("tier", "nation", "governance", "political_groups"):
        got = council[fact]
        assert got["value"] in (want[fact], None), (fact, got)
        if got["value"] is None:
            assert got["note"] and "choose" in got["note"], (fact, got)
            assert f"council.{fact}" in report["doubts"], fact
    assert [f for f in ("tier", "nation", "governance") if council[f]["value"] is None] == \
        NOT_STATED.get(key, [])
    if key == "anytown":
        # the source names no council: its name is left for the clerk
        assert council["name"]["value"] is None
        assert "council.name" in report["doubts"]
    else:
        assert council["name"]["value"] == want["name"]
    for fact in ("name", "tier", "nation", "governance", "political_groups"):
        assert council[fact]["confidence"] in ("high", "medium", "low")
        assert council[fact]["evidence"] or council[fact]["note"], fact
    # every paragraph is listed, with its number as shown and its clause or null
    assert report["paragraphs"]
    for p in report["paragraphs"]:
        assert set(p) >= {"number", "text", "clause", "score"}
        assert (p["clause"] is None) or p["score"] >= 0.5
    provisions = [p for p in report["paragraphs"] if p["kind"] == "provision"]
    placed = [p for p in provisions if p["status"] in ("matched", "related")]
    assert len(placed) >= 0.8 * len(provisions)
    assert len([p for p in provisions if p["clause"]]) >= 0.6 * len(provisions)
    own = {p["ref"] for p in provisions if p["status"] == "own"}
    assert own == set(report["own_paragraphs"])     # listed, never lost
    statuses = {t["status"] for t in report["topics"]}
    assert statuses <= {"present", "partial", "missing", "not_applicable"}


def test_numbers_are_kept_as_the_document_shows_them(invoke, source_documents):
    for fmt in FORMATS:
        report = json.loads(invoke("audit", source_documents["milcombe"][fmt], "--format",
                                   "json").output)
        numbers = [p["number"] for p in report["paragraphs"]]
        assert numbers[:5] == ["1.1", "1.2", "1.3", "2.1", "2.2"], fmt
        assert "5.2" in numbers


def test_audit_finds_outdated_law_and_a_review_long_past(invoke, source_documents, library):
    report = json.loads(invoke("audit", source_documents["anytown"]["txt"], "--format",
                               "json").output)
    kinds = {(f["kind"], f["paragraph"]) for f in report["findings"]}
    assert ("review-overdue", "16") in kinds           # "next review due 2016"
    assert ("outdated-law", "1") in kinds              # the revoked model code quoted
    assert ("outdated-law", "10") in kinds             # exempt information without s.100F
    for f in report["findings"]:
        assert f["message"] and f["fix"]
    missing = [t["id"] for t in report["topics"] if t["status"] == "missing"]
    assert missing and all(any(f["kind"] == "missing-topic" and
                               library.section(t).title in f["message"] or "'" in f["message"]
                               for f in report["findings"]) for t in missing)


def test_markdown_and_html_reports_for_people(invoke, source_documents, tmp_path):
    md = invoke("audit", source_documents["halstead"]["docx"]).output
    assert "| topic | status | paragraphs |" in md
    assert "Halstead Town Council" in md and "## Findings" in md
    out = tmp_path / "report.html"
    result = invoke("audit", source_documents["halstead"]["pdf"], "--format", "html", "-o", out)
    assert result.exit_code == 0
    from lxml import html
    page = html.fromstring(out.read_bytes())
    assert page.find(".//table") is not None
    assert "Review overdue" in page.text_content()   # "For review June 2022"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", KEYS)
def test_import_then_build_reproduces_the_protocol(invoke, source_documents, tmp_path, key,
                                                   fmt):
    result = invoke("import", source_documents[key][fmt], "--out", tmp_path / "in")
    assert result.exit_code == 0, result.output
    profiles = list((tmp_path / "in").glob("*.yaml"))
    assert len(profiles) == 1
    profile = profiles[0]
    assert (tmp_path / "in" / f"{profile.stem}-clauses").is_dir()
    assert yaml.safe_load(profile.read_text())["drafting"]["library"] == f"{profile.stem}-clauses"
    choose_unstated(invoke, profile, truth(key))
    built = invoke("build", profile, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    md = (tmp_path / "out" / profile.stem / f"{profile.stem}-member-officer-protocol.md")
    report = carried_by_text(key, md.read_text())
    missed = [r.sentence.text for r in report.results if r.status == "missing"]
    assert report.accounted_percent >= 95, missed
    assert report.percent >= 90, [r.sentence.text for r in report.results if not r.carried]


def choose_unstated(invoke, profile: Path, want: dict) -> None:
    """What the import could not tell is marked 'not found: choose', and check and build
    refuse it, naming each such field, until the clerk writes the value (here, the truth)."""
    text = profile.read_text()
    unstated = [k for k in ("tier", "nation", "governance", "political_groups")
                if f'  {k}: "not found: choose"' in text]
    check = invoke("check", profile)
    if unstated:
        assert check.exit_code == 1
        for k in unstated:
            assert f"council.{k}: not found in the imported protocol: choose" in check.output
            value = want[k] if not isinstance(want[k], bool) else str(want[k]).lower()
            text = text.replace(f'  {k}: "not found: choose"', f"  {k}: {value}")
        profile.write_text(text)
        check = invoke("check", profile)
    assert check.exit_code == 0, check.output


def test_build_keeps_the_canonical_order_and_adds_missing_topics(invoke, source_documents,
                                                                 tmp_path, library):
    invoke("import", source_documents["milcombe"]["txt"], "--out", tmp_path)
    profile = tmp_path / "milcombe-parish-council.yaml"
    invoke("build", profile, "--out", tmp_path / "out", "--format", "docx")
    document = docx.Document(io.BytesIO((tmp_path / "out" / profile.stem /
                                         f"{profile.stem}-member-officer-protocol.docx")
                                        .read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    order = {s.title: s.order for s in library.sections}
    known = [order[h] for h in headings if h in order]
    assert known == sorted(known) and len(known) >= 10
    # Milcombe's protocol says nothing on correspondence: the library's section is added
    assert any("Correspondence" in h for h in headings)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Procedure for officers From time to time the relationship" in text   # its words


def test_redline_against_the_imported_original(invoke, source_documents, tmp_path):
    invoke("import", source_documents["blaenavon"]["docx"], "--out", tmp_path)
    stem = "blaenavon-town-council"
    choose_unstated(invoke, tmp_path / f"{stem}.yaml", truth("blaenavon"))
    built = invoke("build", tmp_path / f"{stem}.yaml", "--out", tmp_path / "out", "--redline")
    assert "redline against original.md" in built.output
    import zipfile
    xml = zipfile.ZipFile(tmp_path / "out" / stem / f"{stem}-redline.docx").read(
        "word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml
    new = tmp_path / "out" / stem / f"{stem}-member-officer-protocol.md"
    result = invoke("diff", tmp_path / f"{stem}-clauses" / "original.md", new, "-o",
                    tmp_path / "redline.docx")
    assert result.exit_code == 0, result.output
    import zipfile
    xml = zipfile.ZipFile(tmp_path / "redline.docx").read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml


def test_import_never_overwrites_without_force(invoke, source_documents, tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    assert invoke("import", source_documents["halstead"]["txt"], "--out", tmp_path
                  ).exit_code == 0
    profile = tmp_path / "halstead-town-council.yaml"
    profile.write_text(profile.read_text() + "# my notes\n")
    proc = subprocess.run([sys.executable, "-m", "generator", "import",
                           str(source_documents["halstead"]["txt"]), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "--force" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert profile.read_text().endswith("# my notes\n")
    stray = tmp_path / "halstead-town-council-clauses" / "99-stray.yaml"
    stray.write_text("id: x\n")
    assert invoke("import", source_documents["halstead"]["txt"], "--out", tmp_path,
                  "--force").exit_code == 0
    assert not profile.read_text().endswith("# my notes\n") and not stray.exists()


def test_review_date_judged_against_today(source_documents, library):
    from generator.importer.run import audit_bytes
    path = source_documents["halstead"]["txt"]
    early = audit_bytes(path.read_bytes(), path.name, library, today=dt.date(2022, 1, 1))
    late = audit_bytes(path.read_bytes(), path.name, library, today=dt.date(2026, 1, 1))
    assert not [f for f in early.findings if f.kind == "review-overdue"]
    assert [f for f in late.findings if f.kind == "review-overdue"]


def test_library_on_the_command_line_stacks_under_the_imported_one(invoke, source_documents,
                                                                   tmp_path, library):
    invoke("import", source_documents["milcombe"]["txt"], "--out", tmp_path)
    extra = tmp_path / "extra"
    extra.mkdir()
    review = library.sections[-1]
    (extra / "99-extra.yaml").write_text(
        f"id: {review.id}\ntitle: {json.dumps(review.title)}\norder: {review.order}\n"
        "clauses:\n  - id: house.extra-note\n    variants:\n      - source: house extra\n"
        "        text: This extra paragraph comes from a folder named on the command line.\n")
    profile = tmp_path / "milcombe-parish-council.yaml"
    result = invoke("build", profile, "--out", tmp_path / "out", "--library", extra)
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / profile.stem / f"{profile.stem}-member-officer-protocol.md"
          ).read_text()
    assert "comes from a folder named on the command line" in md
    assert "Procedure for officers From time to time the relationship" in md
    explained = invoke("explain", profile, "--format", "json")
    assert "house 5.1" in explained.output


def test_a_missing_house_folder_is_named_with_its_fix(invoke, source_documents, tmp_path):
    invoke("import", source_documents["milcombe"]["txt"], "--out", tmp_path)
    import shutil
    shutil.rmtree(tmp_path / "milcombe-parish-council-clauses")
    result = invoke("check", tmp_path / "milcombe-parish-council.yaml")
    assert result.exit_code == 1
    assert "milcombe-parish-council-clauses" in result.output and "does not exist" in \
        result.output and "drafting.library" in result.output


def test_cross_references_follow_the_new_numbering(invoke, tmp_path):
    """'see paragraph 3.2' in the council's words points, after the build, to where that
    paragraph went, not to its old number."""
    from conftest import FIXTURES
    source = FIXTURES / "importer" / "cross-references.md"
    assert invoke("import", source, "--out", tmp_path / "imp").exit_code == 0
    profile = next((tmp_path / "imp").glob("*.yaml"))
    assert invoke("build", profile, "--out", tmp_path / "out", "--format", "md").exit_code == 0
    text = " ".join(next((tmp_path / "out").glob("*/*.md")).read_text(encoding="utf-8").split())
    import re
    clerk = re.search(r"(\d+\.\d+) Where the officer concerned is the Clerk", text)
    other = re.search(r"(\d+\.\d+) If a councillor is dissatisfied", text)
    first = re.search(r"It should be read with paragraph (\d+\.\d+) and section (\d+)\.", text)
    assert clerk and other and first
    assert first.group(1) == clerk.group(1) != "3.2"
    assert first.group(2) == clerk.group(1).split(".")[0] != "3"
    assert f"as paragraph {other.group(1)} explains" in text and other.group(1) != "3.1"
    # the redline says the only change is the numbers referred to, not a rewording
    assert invoke("build", profile, "--against", source, "--out", tmp_path / "against",
                  "--format", "md").exit_code == 0
    summary = next((tmp_path / "against").glob("*/*-redline-summary.md")).read_text("utf-8")
    line = next(x for x in summary.splitlines() if x.startswith(f"- {clerk.group(1)}:"))
    assert "only the numbers of the paragraphs it refers to" in line, line
    assert "Reworded for clarity" not in line
