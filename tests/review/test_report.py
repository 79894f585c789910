"""The committee report: for every source council against its source and for every example
council after a change, the report agrees with the redline summary, names no law the
register does not hold, and opens in LibreOffice."""
from __future__ import annotations

from pathlib import Path
import re
import shutil
import subprocess

from click.testing import CliRunner
import docx
import pytest
import yaml

from conftest import PROFILES, ROOT, all_profiles, libreoffice_convert
from generator.cli import cli
from generator.library.coverage import SOURCE_PROFILES
from generator.library.register import read_register

SOURCES = ROOT / "clause_library" / "sources"
NUMBERS = re.compile(r"\b\d+\.\d+\b")


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + str(result.exception)
    return result


def _files(out: Path, stem: str) -> dict[str, Path]:
    folder = out / stem
    return {"report": folder / f"{stem}-report.md", "docx": folder / f"{stem}-report.docx",
            "summary": folder / f"{stem}-redline-summary.md",
            "protocol": folder / f"{stem}-member-officer-protocol.md"}


@pytest.fixture(scope="module")
def against(tmp_path_factory) -> dict[str, dict]:
    """Each source council's report against its source."""
    out = {}
    for key, profile in SOURCE_PROFILES.items():
        work = tmp_path_factory.mktemp(f"against-{key}")
        result = run("report", PROFILES / profile, "--against", SOURCES / f"{key}.txt",
                     "--out", work)
        out[key] = {**_files(work, Path(profile).stem), "output": result.output}
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, dict]:
    """Each example council built, then built again after a change to its profile (a
    clause it left out put back, a new version adopted), with --redline --report."""
    out = {}
    for path in all_profiles():
        work = tmp_path_factory.mktemp(f"version-{path.stem}")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        profile = work / path.name
        before = yaml.safe_load(path.read_text(encoding="utf-8"))
        drafting = before.setdefault("drafting", {}) or {}
        before["drafting"] = drafting
        drafting["exclude"] = [*(drafting.get("exclude") or []), "relationships.gifts"]
        profile.write_text(yaml.safe_dump(before, sort_keys=False), encoding="utf-8")
        run("build", profile, "--out", work / "out")
        adoption = data.setdefault("adoption", {})
        old = {"version": str(adoption.get("version", "1.0")),
               "date": adoption.get("adopted") or "2024-01-15", "change": "Adopted"}
        adoption["history"] = [*(adoption.get("history") or []), old]
        adoption["version"] = "9.0"
        adoption["adopted"] = "2026-11-30"
        adoption["next_review"] = "2027-11"
        profile.write_text(yaml.safe_dump(data, sort_keys=False, default_flow_style=False),
                           encoding="utf-8")
        run("build", profile, "--out", work / "out", "--redline", "--report")
        out[path.stem] = _files(work / "out", path.stem)
    return out


def _all(against, versions):
    return [*against.values(), *versions.values()]


def test_the_report_is_written_with_the_redline(against, versions):
    for files in _all(against, versions):
        for key in ("report", "docx", "summary", "protocol"):
            assert files[key].is_file(), files[key]


def _item_numbers(report: str) -> set[str]:
    """The paragraph numbers the summary of changes names."""
    part = report.split("Summary of the changes", 1)[1].split("## ", 1)[0]
    named = {n for line in part.splitlines() if line.startswith("- ")
             for n in NUMBERS.findall(line.split(":", 1)[0])}
    for listed in re.findall(r"^\d+\.\d+ .*?\(\d+\): paragraphs? ([^:]+):", part,
                             re.MULTILINE):    # a parish's clearer wording, in one line
        named |= set(NUMBERS.findall(listed))
    return named


def _summary_numbers(summary: str) -> set[str]:
    """The paragraph numbers each item of the redline summary starts with."""
    return {m.group(1) for m in re.finditer(r"^- (?:Paragraphs? |Section )?(\d+\.\d+)",
                                            summary, re.MULTILINE)}


def test_against_the_source_the_numbers_agree_with_the_summary(against):
    for key, files in against.items():
        report = files["report"].read_text(encoding="utf-8")
        summary = files["summary"].read_text(encoding="utf-8")
        named = _item_numbers(report)
        assert named, key
        assert named <= set(NUMBERS.findall(summary)), (key, named - set(
            NUMBERS.findall(summary)))
        assert _summary_numbers(summary) <= named, (key, _summary_numbers(summary) - named)


def test_against_the_source_the_counts_are_the_redlines(against, library):
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    from generator.review.against import redline_files
    for key, files in against.items():
        path = PROFILES / SOURCE_PROFILES[key]
        profile, _ = load_profile(path)
        doc = assemble(profile, library)
        redline = redline_files((SOURCES / f"{key}.txt").read_bytes(), f"{key}.txt",
                                profile, library, doc, str(path), files["protocol"].name)
        n = {s: sum(r.status == s for r in redline.rows)
             for s in ("same", "changed", "added", "removed")}
        report = files["report"].read_text(encoding="utf-8")
        line = next(x for x in report.splitlines() if "Compared with the current Protocol" in x)
        for status, word in (("changed", "reworded"), ("added", "added"),
                             ("removed", "left out")):
            if n[status]:
                assert re.search(rf"\b{n[status]} paragraphs? {word}\b", line), (key, line)
            else:
                assert word not in line, (key, line)
        assert f"{n['same']} kept word for word" in line


def test_after_a_change_the_report_names_what_the_summary_names(versions):
    for stem, files in versions.items():
        report = files["report"].read_text(encoding="utf-8")
        summary = files["summary"].read_text(encoding="utf-8")
        assert "revised Member/Officer Protocol at Appendix A, to take effect from 30 " \
               "November 2026, and reviews it by November 2027." in report, stem
        gifts = re.findall(r"^- Paragraph (\d+\.\d+) \(added\)", report, re.MULTILINE)
        assert gifts, (stem, report)
        assert set(gifts) <= set(NUMBERS.findall(summary)), stem
        assert re.search(r"Compared with .*\b\d+ added\b", report), stem


def test_the_report_names_no_law_the_register_does_not_hold(against, versions):
    register = read_register()
    for files in _all(against, versions):
        text = files["report"].read_text(encoding="utf-8")
        assert register.unregistered(text) == [], (files["report"].name,
                                                    register.unregistered(text))


def test_a_parish_report_is_plainer_than_a_principal_councils(versions):
    parish = versions["milcombe-parish-council"]["report"].read_text(encoding="utf-8")
    county = versions["northmoor-county-council"]["report"].read_text(encoding="utf-8")
    assert "Alternative options considered" in county
    assert "Alternative options considered" not in parish
    assert "Report of | Parish Clerk" in parish and "Report of | Monitoring Officer" in county


def test_a_welsh_council_report_has_the_welsh_language_implications(versions):
    report = versions["cwmtawelan-community-council"]["report"].read_text(encoding="utf-8")
    assert "Welsh language:" in report
    assert "Welsh Language Standards (No. 1) Regulations 2015" in report
    english = versions["milcombe-parish-council"]["report"].read_text(encoding="utf-8")
    assert "Welsh language" not in english


def test_the_docx_opens_in_python_docx_and_libreoffice(against, versions, tmp_path):
    reports = [f["docx"] for f in _all(against, versions)]
    for path in reports:
        d = docx.Document(str(path))
        assert d.core_properties.title.endswith("Review of the Member/Officer Protocol")
        assert any(p.style.name == "Heading 1" for p in d.paragraphs)
    libreoffice_convert(reports, "pdf", tmp_path)
    for path in reports:
        pdf = tmp_path / f"{path.stem}.pdf"
        assert pdf.is_file(), pdf
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "That the Council adopts" in " ".join(text.split()), path.name


def test_the_report_is_the_same_bytes_when_built_again(tmp_path):
    profile = PROFILES / "milcombe-parish-council.yaml"
    args = ("report", profile, "--against", SOURCES / "milcombe.txt", "--out", tmp_path)
    run(*args)
    first = {p.name: p.read_bytes() for p in (tmp_path / profile.stem).glob("*-report.*")}
    shutil.rmtree(tmp_path / profile.stem)
    run(*args)
    again = {p.name: p.read_bytes() for p in (tmp_path / profile.stem).glob("*-report.*")}
    assert first == again and len(first) == 2


def test_after_a_change_the_counts_are_the_summarys(versions, library):
    """The report's counts are the version redline's own, read from its data."""
    from generator.review.redline import redline_paths
    for stem, files in versions.items():
        folder = files["protocol"].parent
        earlier = sorted((folder / "previous").glob("*.md"))
        assert len(earlier) == 1, stem
        summary = redline_paths(earlier[0], files["protocol"], library=lambda: library).summary
        expected = {"reworded": len(summary.clauses_changed),
                    "added": len(summary.sections_added) + len(summary.clauses_added),
                    "left out": len(summary.sections_removed) + len(summary.clauses_removed)}
        report = files["report"].read_text(encoding="utf-8")
        line = next(x for x in report.splitlines() if "Compared with " in x)
        for word, n in expected.items():
            if n:
                assert re.search(rf"\b{n} {word}\b", line), (stem, line, expected)
            else:
                assert f" {word}" not in line, (stem, line, expected)


def _before_appendices(report: str) -> str:
    return re.split(r"^## \d+\. Appendices", report, flags=re.MULTILINE)[0]


def test_file_names_are_only_in_the_appendices(against, versions):
    for files in _all(against, versions):
        body = _before_appendices(files["report"].read_text(encoding="utf-8"))
        assert not re.search(r"\S+\.(?:txt|md|docx|pdf|odt|html?)\b", body), \
            (files["report"].name, re.findall(r"\S+\.(?:txt|md|docx|pdf|odt|html?)\b", body))
    for key, files in against.items():
        background = files["report"].read_text(encoding="utf-8").split(
            "Background", 1)[1].split("## ", 1)[0]
        assert key not in background.lower(), (key, background)
        assert re.search(r"current Member/Officer Protocol|Member/Officer Protocol on \d",
                         background), (key, background)


def _said(text: str) -> list[str]:
    """The sentences of a library note or reason long enough to be recognised."""
    text = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.;:!?])\s+", text) if len(s.split()) >= 6]


def test_no_variant_reason_or_note_is_in_the_report(against, versions, library):
    said = {s for c in library.clauses.values() for v in c.variants
            for text in (v.reason, v.note) if text for s in _said(text)}
    assert said
    for files in _all(against, versions):
        report = " ".join(files["report"].read_text(encoding="utf-8").split())
        quoted = sorted(s for s in said if s in report)
        assert not quoted, (files["report"].name, quoted[:3])
        for words in ("the sources", "the library", "the source ", "seed"):
            assert words not in report.lower(), (files["report"].name, words)


def _docs(library):
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    for key, name in SOURCE_PROFILES.items():
        profile, _ = load_profile(PROFILES / name)
        yield key, profile, assemble(profile, library)


def test_every_added_paragraph_says_what_it_does(against, library):
    from generator.library.points import load_points
    meanings = {k: p.meaning for k, p in load_points().items()}
    for key, _, doc in _docs(library):
        by_number = {c.number: c for c in doc.clauses()}
        report = against[key]["report"].read_text(encoding="utf-8")
        lines = [x for x in report.splitlines() if re.match(r"- Paragraph \S+ \(added\)", x)]
        assert lines, key
        for line in lines:
            clause = by_number[line.split()[2]]
            assert clause.points, (key, line)
            assert any(meanings[p] in line for p, _ in clause.points), (key, line)


def test_the_law_named_is_the_law_the_protocol_relies_on(against, library):
    """Each law the legal implications and the changes required by law name is one a
    paragraph of this council's protocol names or declares it rests on."""
    register = read_register()
    for key, profile, doc in _docs(library):
        relied = set()
        for clause in doc.clauses():
            relied |= {e.name for e, _ in register.citations(clause.body)}
            variant = next(v for v in library.clauses[clause.id].variants
                           if v.source == clause.source)
            relied |= {register.get(i).name for i in variant.rests_on}
        report = against[key]["report"].read_text(encoding="utf-8")
        legal = report.split("Legal:", 1)[1].split("\n\n", 2)[1]
        named = {e.name for e, _ in register.citations(legal)}
        assert named and named <= relied, (key, named - relied)
        law = report.split("Changes required by law", 1)[1].split("\n\n", 2)[1]
        for line in law.splitlines():
            assert "Required by " in line or "Changed in the law:" in line, (key, line)
            required = re.search(r"Required by (.*?)\.(?: |$)", line)
            cited = {e.name for e, _ in register.citations(required.group(1))} \
                if required else set()
            assert cited <= relied, (key, line)


def test_a_first_protocols_report_weighs_having_none(tmp_path, invoke):
    """A council adopting its first protocol has nothing to keep unchanged: the
    alternative is to have none."""
    from conftest import PROFILES
    result = invoke("report", str(PROFILES / "brackenford-borough-council.yaml"),
                    "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = next(tmp_path.rglob("*-report.md")).read_text(encoding="utf-8")
    options = text.split("Alternative options considered", 1)[1].split("##", 1)[0]
    assert "To adopt no Member/Officer Protocol" in options
    assert "unchanged" not in options
