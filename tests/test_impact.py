"""`protocol-gen impact`: a change to a register entry names exactly the councils adopted
before it whose protocols contain a clause relying on it; --build writes their papers;
review dates; the register's history is validated."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
import shutil

from click.testing import CliRunner
from lxml import html as lxml_html
import pytest
import yaml

from conftest import PROFILES, ROOT
from generator.cli import cli
from generator.library.register import read_register, variant_citations
from generator.review.impact import review_state

REVISED = dt.date(2026, 4, 1)
ENTRY = "acas-code"


def run(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output + str(result.exception)
    return result


def _house(folder: Path) -> Path:
    """A copy of the clause library whose register records the entry revised on
    REVISED."""
    shutil.copytree(ROOT / "clause_library", folder)
    data = yaml.safe_load((folder / "legislation.yaml").read_text("utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == ENTRY)
    entry["history"] = [{"date": REVISED, "kind": "guidance",
                         "change": "The Code was revised.", "verified": "a test"}]
    (folder / "legislation.yaml").write_text(yaml.safe_dump(data, sort_keys=False,
                                                            allow_unicode=True), "utf-8")
    return folder


def _expected(library) -> dict[str, list[str]]:
    """Worked out without `impact`: each example council adopted before REVISED, and the
    numbers of its paragraphs whose wording cites or rests on the entry."""
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    register = read_register()
    out = {}
    for path in sorted(PROFILES.glob("*.yaml")):
        profile, _ = load_profile(path)
        adopted = profile.adoption.adopted or max(
            (h.date for h in profile.adoption.history if h.date), default=None)
        if adopted is None or adopted >= REVISED:
            continue
        doc = assemble(profile, library)
        paras = []
        for clause in doc.clauses():
            variant = next(v for v in library.clauses[clause.id].variants
                           if v.source == clause.source)
            if ENTRY in {e.id for e in variant_citations(register, variant)}:
                paras.append(clause.number)
        if paras:
            out[path.stem] = paras
    return out


def test_a_revised_code_names_exactly_the_councils_it_touches(tmp_path, library):
    house = _house(tmp_path / "house")
    result = run("impact", PROFILES, "--library", house, "--date", "2026-12-06",
                 "--format", "json")
    data = json.loads(result.output)
    found = {c["stem"]: h["paragraphs"] for c in data["councils"] for h in c["hits"]
             if h["entry"] == ENTRY}
    expected = _expected(library)
    assert expected and len(expected) < len(list(PROFILES.glob("*.yaml")))
    assert found == expected
    only = json.loads(run("impact", PROFILES, "--library", house, "--date", "2026-12-06",
                          "--law", ENTRY, "--format", "json").output)
    assert {c["stem"] for c in only["councils"] if c["affected"]} == set(expected)
    later = json.loads(run("impact", PROFILES, "--library", house, "--date", "2026-12-06",
                           "--law", ENTRY, "--since", "2026-04-02", "--format",
                           "json").output)
    assert not any(c["affected"] for c in later["councils"])
    before = json.loads(run("impact", PROFILES, "--library", house, "--date", "2026-03-31",
                            "--law", ENTRY, "--format", "json").output)
    assert not any(c["affected"] for c in before["councils"])


def test_without_the_change_no_council_is_affected_by_that_entry(library):
    data = json.loads(run("impact", PROFILES, "--date", "2026-12-06", "--law", ENTRY,
                          "--format", "json").output)
    assert not any(c["affected"] for c in data["councils"])


def test_impact_build_writes_the_papers_of_the_affected_councils_only(tmp_path, library):
    folder = tmp_path / "councils"
    shutil.copytree(PROFILES, folder)
    out = tmp_path / "out"
    run("build", folder, "--out", out, "-q")
    house = _house(tmp_path / "house")
    section = yaml.safe_load((ROOT / "clause_library" /
                              "15-when-things-go-wrong.yaml").read_text("utf-8"))
    for clause in section["clauses"]:          # the clauses resting on the code, reworded
        for variant in clause["variants"]:
            if ENTRY in (variant.get("rests_on") or []):
                variant["text"] = variant["text"].rstrip() + " The Acas Code applies."
    (house / "15-when-things-go-wrong.yaml").write_text(
        yaml.safe_dump(section, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = run("impact", folder, "--library", house, "--date", "2026-12-06", "--law",
                 ENTRY, "--build", "--out", out, "--jobs", "1")
    expected = set(_expected(library))
    assert "built 3, failed 0" in result.output or f"built {len(expected)}, failed 0" \
        in result.output
    for stem in (p.stem for p in folder.glob("*.yaml")):
        report = out / stem / f"{stem}-report.md"
        redline = out / stem / f"{stem}-redline.docx"
        assert report.is_file() == (stem in expected), stem
        assert redline.is_file() == (stem in expected), stem
        if stem in expected:
            text = report.read_text("utf-8")
            assert "Acas Code of Practice on Disciplinary and Grievance Procedures" in text
            law = text.split("Changes required by law", 1)[1].split("\n\n", 2)[1]
            assert "The Code was revised." in law, law
            assert "to take effect from the date of the meeting" in text
            assert "| Date | To be confirmed |" in text


def test_the_html_table_sorts_without_anything_external(tmp_path):
    target = tmp_path / "impact.html"
    run("impact", PROFILES, "--date", "2026-12-06", "--format", "html", "-o", target)
    page = lxml_html.fromstring(target.read_bytes())
    assert not page.xpath("//script[@src] | //link[@href] | //img[@src]")
    assert len(page.xpath("//thead//th//button")) == 5
    assert len(page.xpath("//tbody/tr")) == len(list(PROFILES.glob("*.yaml")))
    assert page.xpath("//tbody/tr[contains(@class, 'overdue')]")


def test_the_html_table_sorts_in_a_real_browser(tmp_path, page):
    target = tmp_path / "impact.html"
    run("impact", PROFILES, "--date", "2026-12-06", "--format", "html", "-o", target)
    page.goto(target.as_uri())
    page.get_by_role("button", name="Council").click()
    names = page.locator("tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names)
    page.get_by_role("button", name="Council").click()
    assert page.locator("tbody tr td:first-child").all_inner_texts() == sorted(names,
                                                                              reverse=True)


@pytest.mark.parametrize("review, as_of, state", [
    ("2026-05", dt.date(2026, 5, 31), "due"), ("2026-05", dt.date(2026, 6, 1), "overdue"),
    ("2027-03", dt.date(2026, 12, 6), "due"), ("2027-04", dt.date(2026, 12, 6), "ok"),
    ("2026-12-05", dt.date(2026, 12, 6), "overdue"), (None, dt.date(2026, 12, 6), "none")])
def test_review_state(review, as_of, state):
    assert review_state(review, as_of) == state


def test_an_unknown_entry_or_a_bad_date_is_a_clear_error(capsys):
    from generator.cli import main
    with pytest.raises(SystemExit) as stop:
        main(["impact", str(PROFILES), "--law", "acas"])
    assert stop.value.code == 1
    said = capsys.readouterr().err
    assert "'acas' is not an entry of the legislation register" in said
    assert "did you mean 'acas-code'?" in said and "Traceback" not in said
    result = run("impact", PROFILES, "--date", "6/12/2026", code=2)
    assert "write it as YYYY-MM-DD" in result.output


def test_a_broken_profile_is_named_and_the_others_are_read(tmp_path):
    folder = tmp_path / "councils"
    shutil.copytree(PROFILES, folder)
    (folder / "broken.yaml").write_text("council:\n  name: X\n  tier: hamlet\n", "utf-8")
    result = run("impact", folder, "--date", "2026-12-06", "--format", "json", code=1)
    assert "FAILED broken:" in result.output


def test_the_register_history_is_checked(tmp_path, library):
    from generator.library.register import check_register
    house = _house(tmp_path / "house")
    data = yaml.safe_load((house / "legislation.yaml").read_text("utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == ENTRY)
    entry["history"].append({"date": "2020-01-01", "kind": "amended", "change": "x",
                             "verified": "y", "clauses": ["purpose.nothing"]})
    (house / "legislation.yaml").write_text(yaml.safe_dump(data), "utf-8")
    from generator.errors import LibraryError
    with pytest.raises(LibraryError) as error:
        read_register([house])
    assert "not in date order" in str(error.value)
    entry["history"].reverse()
    (house / "legislation.yaml").write_text(yaml.safe_dump(data), "utf-8")
    problems = check_register(library, read_register([house]))
    assert any("purpose.nothing" in p.message for p in problems)


def test_when_the_text_needs_no_change_the_report_asks_to_confirm_it(tmp_path):
    folder = tmp_path / "councils"
    folder.mkdir()
    shutil.copy(PROFILES / "halstead-town-council.yaml", folder)
    out = tmp_path / "out"
    run("build", folder, "--out", out, "-q")
    run("impact", folder, "--date", "2026-12-06", "--law", "equality2010", "--build",
        "--out", out, "-q", "-o", tmp_path / "impact.md")
    report = (out / "halstead-town-council" / "halstead-town-council-report.md").read_text()
    assert ("That the Council notes the changes in the law set out in this report and "
            "confirms its Member/Officer Protocol at Appendix A without change.") in report
    assert "Equality Act 2010. A new duty on employers" in report
    assert not (out / "halstead-town-council" / "halstead-town-council-redline.docx").exists()


def test_a_law_awaited_is_watched_but_never_called_required(tmp_path, library):
    """A wording written to meet a change not yet in force (``awaits``): when the change
    commences, `impact` names the councils whose protocols contain it; until then the
    committee report names it as law not yet in force, not as law that requires it."""
    folder = tmp_path / "house"
    shutil.copytree(ROOT / "clause_library", folder)
    data = yaml.safe_load((folder / "legislation.yaml").read_text("utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == "era2025")
    entry["history"] = [{"date": dt.date(2026, 10, 1), "kind": "commenced",
                         "change": "Sections 20 and 21 in force.", "verified": "a test",
                         "clauses": ["wrong.sexual-harassment"]}]
    (folder / "legislation.yaml").write_text(yaml.safe_dump(data, sort_keys=False,
                                                            allow_unicode=True), "utf-8")
    found = json.loads(run("impact", PROFILES, "--library", folder, "--date", "2026-12-06",
                           "--law", "era2025", "--format", "json").output)
    affected = {c["stem"] for c in found["councils"] if c["affected"]}
    assert "milcombe-parish-council" in affected          # adopted before; has the clause
    out = tmp_path / "out"
    run("report", PROFILES / "milcombe-parish-council.yaml", "--against",
        ROOT / "clause_library" / "sources" / "milcombe.txt", "--out", out)
    report = next(out.glob("*/*-report.md")).read_text("utf-8")
    assert "Law not yet in force: the Protocol is also written to meet the Employment " \
           "Rights Act 2025" in report
    required = [line for line in report.splitlines() if "Required by" in line]
    assert required and not [line for line in required if "Rights Act 2025" in line]
