"""Provenance: explain, the drafting copy with Word comments, and house clauses."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from conftest import PROFILES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MILCOMBE = PROFILES / "milcombe-parish-council.yaml"

HOUSE_GROUPS = """\
id: groups
title: Political groups
order: 7
when: political_groups
clauses:
  - id: groups.reports
    heading: Reports
    variants:
      - source: house model clause 3
        text: >-
          Any political group may ask the {{ head_officer }} for a written briefing on a
          matter before the Council; the briefing is shared with every other group.
  - id: groups.house-briefings
    title: Briefings for all groups
    variants:
      - source: house model clause 4
        note: Shortened from the firm's model wording.
        text: >-
          Officers give the same factual briefing to every group that asks for one.
"""


def explain_json(invoke, profile: Path, *extra) -> dict:
    result = invoke("explain", profile, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def clauses(report: dict) -> dict[str, dict]:
    return {c["id"]: c for s in report["sections"] for c in s["clauses"]}


def test_explain_names_every_clause_its_source_and_why(invoke, library):
    result = invoke("explain", MILCOMBE)
    assert result.exit_code == 0, result.output
    text = result.output
    report = explain_json(invoke, MILCOMBE)
    # every section and clause of the library, included or not
    assert [s["id"] for s in report["sections"]] == [s.id for s in library.sections]
    assert set(clauses(report)) == set(library.clauses)
    for c in clauses(report).values():
        assert c["id"] in text
        if c["included"]:
            assert c["source"] and c["choice"] and c["number"]
            assert f"wording: {c['source']} (" in text
        else:
            assert c["reason"] and c["number"] is None
    # left out by a condition: the condition and its value are given
    left_out = [c for c in clauses(report).values() if c["reason"].startswith("when: ")]
    assert left_out
    assert re.search(r"\[\w+ = (True|False)", left_out[0]["reason"])
    # left out by the profile
    assert clauses(report)["resources.premises"]["reason"] == \
        "excluded by the profile (drafting.exclude)"
    # the preferred source explains the wording where there was a choice
    preferred = [c for c in clauses(report).values()
                 if c["included"] and c["source"].startswith("milcombe") and c["alternatives"]]
    assert preferred and "preferred source 'milcombe'" in preferred[0]["choice"]
    totals = report["totals"]
    assert totals["clauses_included"] == sum(1 for c in clauses(report).values()
                                             if c["included"])
    assert f"Included: {totals['sections_included']} sections" in text


def test_explain_reports_an_explicit_choice_and_a_default(invoke, tmp_path):
    profile = tmp_path / "p.yaml"
    text = MILCOMBE.read_text(encoding="utf-8")
    text = text.replace("  prefer_sources: [milcombe]\n",
                        "  prefer_sources: []\n"
                        "  variants: {purpose.relationship: blaenavon}\n")
    profile.write_text(text, encoding="utf-8")
    found = clauses(explain_json(invoke, profile))
    chosen = found["purpose.relationship"]
    assert chosen["source"].startswith("blaenavon")
    assert "chosen in the profile" in chosen["choice"]
    defaults = [c for c in found.values() if c["included"] and len(c["alternatives"]) > 0
                and c["id"] != "purpose.relationship"]
    assert defaults and all(c["choice"].startswith("the library's default (first) wording")
                            for c in defaults)


def test_drafting_copy_has_a_comment_on_every_clause(invoke, tmp_path):
    out = tmp_path / "out"
    result = invoke("build", MILCOMBE, "--out", out, "--drafting")
    assert result.exit_code == 0, result.output
    stem = MILCOMBE.stem
    drafting = out / stem / f"{stem}-drafting.docx"
    plain = out / stem / f"{stem}-member-officer-protocol.docx"
    report = clauses(explain_json(invoke, MILCOMBE))
    included = [c for c in report.values() if c["included"]]

    with zipfile.ZipFile(drafting) as z:
        assert "word/comments.xml" in z.namelist()
        comments = etree.fromstring(z.read("word/comments.xml"))
        body = etree.fromstring(z.read("word/document.xml"))
    texts = ["".join(t.text or "" for t in c.iter(f"{W}t"))
             for c in comments.iter(f"{W}comment")]
    assert len(texts) == len(included)
    for text, clause in zip(texts, sorted(included, key=lambda c: [
            int(n) for n in c["number"].split(".")])):
        assert text.startswith(f"{clause['id']}: {clause['source']} (")
        if clause["note"]:
            assert f"Editorial note: {clause['note']}" in text
    assert len(list(body.iter(f"{W}commentRangeStart"))) == len(included)
    assert len(list(body.iter(f"{W}commentReference"))) == len(included)
    from generator.pipeline import build_profile
    from generator.library.clauses import load_library
    date = build_profile(MILCOMBE, load_library(), ()).document.meta.date
    assert {c.get(f"{W}date") for c in comments.iter(f"{W}comment")} == \
        {f"{date.isoformat()}T00:00:00Z"}          # the document's date, not the clock
    # the same document underneath: the same renderer made both
    assert [p.text for p in docx.Document(drafting).paragraphs] == \
        [p.text for p in docx.Document(plain).paragraphs]


def test_libreoffice_opens_the_drafting_copy(invoke, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test"
    out = tmp_path / "out"
    assert invoke("build", MILCOMBE, "--out", out, "--drafting",
                  "--format", "md").exit_code == 0
    drafting = out / MILCOMBE.stem / f"{MILCOMBE.stem}-drafting.docx"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--headless", "--convert-to", "odt", "--outdir", str(tmp_path),
                           str(drafting)], capture_output=True, text=True, timeout=180)
    odt = tmp_path / f"{drafting.stem}.odt"
    assert proc.returncode == 0 and odt.exists(), proc.stderr
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") >= 10      # the comments survived
    assert "milcombe" in content


@pytest.fixture
def house(tmp_path) -> Path:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "07-groups.yaml").write_text(HOUSE_GROUPS, encoding="utf-8")
    return folder


def test_house_clauses_layer_over_the_shipped_library(invoke, tmp_path, house, library):
    check = invoke("library", "check", "--library", house)
    assert check.exit_code == 0, check.output
    n = len(library.clauses)
    assert f"{len(library.sections)} sections, {n + 1} clauses" in check.output

    out = tmp_path / "out"
    plain = invoke("build", MILCOMBE, "--out", out / "plain", "--format", "md")
    layered = invoke("build", MILCOMBE, "--out", out / "house", "--format", "md",
                     "--library", house)
    assert plain.exit_code == 0 and layered.exit_code == 0, layered.output
    name = f"{MILCOMBE.stem}/{MILCOMBE.stem}-member-officer-protocol.md"
    before = (out / "plain" / name).read_text(encoding="utf-8")
    after = (out / "house" / name).read_text(encoding="utf-8")

    shipped = clauses(explain_json(invoke, MILCOMBE))
    layered_report = clauses(explain_json(invoke, MILCOMBE, "--library", house))
    # the same id replaces the shipped clause in its place
    number = shipped["groups.reports"]["number"]
    assert layered_report["groups.reports"]["number"] == number
    assert layered_report["groups.reports"]["source"] == "house model clause 3"
    assert layered_report["groups.reports"]["file"].endswith("house/07-groups.yaml")
    assert f"{number} Any political group may ask the Parish Clerk" in after
    assert f"{number} Any political group may ask" not in before
    # a new clause joins the end of its section
    section = next(s for s in explain_json(invoke, MILCOMBE, "--library", house)["sections"]
                   if s["id"] == "groups")
    included = [c["id"] for c in section["clauses"] if c["included"]]
    assert included[-1] == "groups.house-briefings"
    new_number = layered_report["groups.house-briefings"]["number"]
    assert f"{new_number} Officers give the same factual briefing" in after
    assert layered_report["groups.house-briefings"]["note"] == \
        "Shortened from the firm's model wording."
    # explain's text and the drafting copy name the house file
    text = invoke("explain", MILCOMBE, "--library", house).output
    assert "house model clause 3" in text and "07-groups.yaml" in text
    assert invoke("build", MILCOMBE, "--out", out / "draft", "--library", house,
                  "--drafting", "--format", "md").exit_code == 0
    with zipfile.ZipFile(out / "draft" / MILCOMBE.stem /
                         f"{MILCOMBE.stem}-drafting.docx") as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "groups.reports: house model clause 3" in comments
    assert "07-groups.yaml" in comments


def test_house_library_problems_are_reported(invoke, tmp_path, capsys):
    from generator.cli import main
    folder = tmp_path / "bad-house"
    folder.mkdir()
    (folder / "07-groups.yaml").write_text(HOUSE_GROUPS.replace(
        "source: house model clause 4", "source: my firm"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", str(MILCOMBE), "--library", str(folder)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert "07-groups.yaml" in err and "unknown source 'my firm'" in err
    assert "Traceback" not in err


def test_explain_names_the_wording_built_when_two_drafted_wordings_differ_by_nation(invoke):
    """Two drafted wordings of one clause share a source; explain reports the one the
    build used for this council (the Welsh one for a Welsh council)."""
    welsh = invoke("explain", PROFILES / "cwmtawelan-community-council.yaml", "--format", "json")
    english = invoke("explain", PROFILES / "milcombe-parish-council.yaml", "--format", "json")
    assert welsh.exit_code == 0 and english.exit_code == 0

    def why(result):
        report = json.loads(result.output)
        return next(c for s in report["sections"] for c in s["clauses"]
                    if c["id"] == "publicity.law")
    assert 'nation == "wales"' in why(welsh)["choice"]
    assert "Wales" in why(welsh)["drafted_because"]
    assert 'nation == "england"' in why(english)["choice"]
