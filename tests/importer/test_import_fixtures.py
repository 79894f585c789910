"""Protocols written for these tests in the styles councils use: numbering that restarts
on each page, headings in capitals, (i)/(ii) lists, tables, a Welsh community council, an
elected mayor on a web page full of site navigation. Recognition and mapping pinned."""
from __future__ import annotations

import json
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
import pytest

from conftest import FIXTURES, PROFILES, libreoffice_convert

HERE = FIXTURES / "importer"


def audit_json(invoke, path: Path) -> dict:
    result = invoke("audit", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_ref(report: dict) -> dict[str, dict]:
    return {p["ref"]: p for p in report["paragraphs"]}


def write_ellerby(path: Path, extra: list[str] = ()) -> Path:
    """A parish council's protocol in Word: headings in capitals, each page's paragraphs
    numbered from 1 again, a (i)/(ii) list and a table of contacts."""
    d = docx.Document()
    d.add_paragraph("ELLERBY PARISH COUNCIL")
    d.add_paragraph("Working Together: Councillors and the Clerk")
    d.add_paragraph("PAGE ONE: HOW WE WORK")
    d.add_paragraph("1. The Parish Clerk is employed by the council as a whole and takes "
                    "instructions only from decisions of the council or its committees.")
    d.add_paragraph("2. Councillors should not give the Parish Clerk instructions as "
                    "individuals, and should make any request through the Chairman.")
    d.add_paragraph("3. The Parish Clerk will:")
    d.add_paragraph("(i) send councillors the agenda at least three clear days before a "
                    "meeting;")
    d.add_paragraph("(ii) answer councillors' questions about council business promptly.")
    for text in extra:
        d.add_paragraph(text)
    d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("PAGE TWO: WHEN THINGS GO WRONG")
    d.add_paragraph("1. A councillor unhappy with the Parish Clerk's work should speak to "
                    "the Chairman, who may bring the matter to the Staffing Committee.")
    d.add_paragraph("2. The Parish Clerk may raise a grievance about a councillor under the "
                    "council's Grievance Procedure.")
    d.add_paragraph("CONTACTS")
    table = d.add_table(rows=3, cols=2)
    for row, (who, how) in zip(table.rows, [("Who", "How to reach them"),
                                            ("Parish Clerk", "by email through the council"),
                                            ("Chairman", "at the monthly meeting")]):
        row.cells[0].text, row.cells[1].text = who, how
    d.save(path)
    return path


@pytest.fixture(scope="module")
def ellerby(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ellerby")
    word = write_ellerby(folder / "ellerby.docx")
    libreoffice_convert([word], "pdf", folder)
    return {"docx": word, "pdf": folder / "ellerby.pdf"}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_numbering_restarting_on_each_page_is_kept(invoke, ellerby, fmt):
    report = audit_json(invoke, ellerby[fmt])
    provisions = [p for p in report["paragraphs"] if p["kind"] == "provision"]
    assert [p["number"] for p in provisions[:5]] == ["1", "2", "3", "1", "2"]
    refs = [p["ref"] for p in report["paragraphs"]]
    assert len(refs) == len(set(refs))
    three = next(p for p in provisions if p["number"] == "3")
    assert "(i) send councillors the agenda" in three["text"]
    assert "(ii) answer councillors' questions" in three["text"]
    council = report["council"]
    assert council["name"]["value"] == "Ellerby Parish Council"
    assert (council["tier"]["value"], council["nation"]["value"],
            council["governance"]["value"]) == ("parish", "england", "committee")
    assert council["political_groups"]["value"] is False
    assert council["titles"]["head_officer"]["value"] == "Parish Clerk"
    assert council["titles"]["staffing_committee"]["value"] == "Staffing Committee"
    # the second page is about things going wrong, whatever the words
    sections = {p["number"]: p["section"] for p in provisions[3:5]}
    assert set(sections.values()) == {"wrong"}


def test_a_table_is_read(invoke, ellerby):
    report = audit_json(invoke, ellerby["docx"])
    texts = " ".join(p["text"] for p in report["paragraphs"])
    assert "by email through the council" in texts


def test_welsh_community_council(invoke):
    report = audit_json(invoke, HERE / "cwmderwen-community-council.txt")
    council = report["council"]
    assert council["name"]["value"] == "Cwmderwen Community Council"
    assert (council["tier"]["value"], council["nation"]["value"],
            council["governance"]["value"]) == ("community", "wales", "committee")
    assert council["political_groups"]["value"] is False
    assert council["titles"]["head_officer"]["value"] == "Clerk"
    paras = by_ref(report)
    two = paras["2.2"]["text"]
    assert "(i) prepare agendas" in two and "(iii) keep the council's records" in two
    found = {(f["kind"], f["paragraph"]) for f in report["findings"]}
    assert ("wrong-nation", "5.2") in found          # the Localism Act is English law
    assert ("outdated-law", "4.1") in found          # the Data Protection Act 1998
    # personal and prejudicial interests are still the Welsh code's terms: not flagged
    assert not [f for f in report["findings"] if f["paragraph"] == "3.2"]
    assert ("review-overdue", "¶1") in found          # adopted 2015, no review date
    assert paras["¶1"]["kind"] == "furniture"         # the adoption line, not a provision
    assert paras["5.1"]["section"] == "wrong" and paras["4.2"]["section"] == "information"
    assert "6.1" in report["own_paragraphs"] or paras["6.1"]["clause"] is None


def test_elected_mayor_on_a_web_page_with_navigation(invoke):
    report = audit_json(invoke, HERE / "hartmoor-borough-council.html")
    council = report["council"]
    assert (council["name"]["value"], council["tier"]["value"],
            council["governance"]["value"]) == ("Hartmoor Borough Council", "borough",
                                                "mayor_cabinet")
    assert council["political_groups"]["value"] is True
    assert council["wards"]["value"] is True
    assert council["titles"]["leader"]["value"] == "Mayor"
    assert council["titles"]["chair"]["value"] == "Chairman"
    texts = " ".join(p["text"] for p in report["paragraphs"])
    for navigation in ("Bins and recycling", "cookies", "Accessibility statement",
                       "Follow us", "Home"):
        assert navigation not in texts
    assert report["not_read"] and "navigation" in report["not_read"][0]
    assert "Letters written on behalf of the council are signed" in texts   # a bare div
    paras = by_ref(report)
    assert [p["number"] for p in report["paragraphs"] if p["number"]] == \
        [str(n) for n in range(1, 11)]
    assert paras["5"]["section"] == "groups" and paras["7"]["section"] == "local-members"
    assert paras["8"]["section"] == "publicity"
    kinds = {(f["kind"], f["paragraph"]) for f in report["findings"]}
    assert ("outdated-law", "8") in kinds             # purdah stated as law
    assert ("outdated-law", "10") in kinds            # the Standards Board for England
    assert ("contradiction", "10") in kinds           # the Monitoring Officer or the chair
    assert any(k == "review-overdue" for k, _ in kinds)


def test_a_paragraph_in_the_librarys_words_maps_to_its_clause(invoke, tmp_path, library):
    """A paragraph taken from a real build (read at test time, so no clause id or wording
    is pinned) maps to the clause it came from, inside a document of the test's own."""
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    profile, _ = load_profile(PROFILES / "milcombe-parish-council.yaml")
    doc = assemble(profile, library)
    chosen = [c for s in doc.sections for c in s.clauses
              if len(c.body.split()) > 25 and "\n" not in c.body.strip()][:3]
    assert chosen
    word = write_ellerby(tmp_path / "ellerby.docx",
                         [f"{4 + k}. {c.body.replace('*', '')}" for k, c in enumerate(chosen)])
    report = audit_json(invoke, word)
    paras = {p["number"]: p for p in report["paragraphs"]}
    for k, clause in enumerate(chosen):
        assert paras[str(4 + k)]["clause"] == clause.id
        assert paras[str(4 + k)]["score"] >= 0.9


def test_import_keeps_the_councils_own_provisions(invoke, tmp_path):
    result = invoke("import", HERE / "cwmderwen-community-council.txt", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    profile = tmp_path / "cwmderwen-community-council.yaml"
    text = profile.read_text()
    assert "tier: community" in text and "nation: wales" in text
    built = invoke("build", profile, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    md = (tmp_path / "out" / profile.stem / f"{profile.stem}-member-officer-protocol.md"
          ).read_text()
    assert "return them to the Clerk when they leave office" in md    # its own provision
    assert "Public Services Ombudsman for Wales" in md


def test_import_of_an_elected_mayor_marks_outdated_paragraphs(invoke, tmp_path):
    result = invoke("import", HERE / "hartmoor-borough-council.html", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    profile = tmp_path / "hartmoor-borough-council.yaml"
    text = profile.read_text()
    assert "governance: mayor_cabinet" in text and "problems to fix" in text
    marked = "".join(p.read_text() for p in (tmp_path / "hartmoor-borough-council-clauses")
                     .glob("*.yaml"))
    assert "# CHECK paragraph 10:" in marked and "# CHECK paragraph 8:" in marked
    assert invoke("check", profile).exit_code == 0
    built = invoke("build", profile, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    md = next((tmp_path / "out").glob("*/*-protocol.md")).read_text()
    assert "Group leaders should not ask officers to attend a group meeting" in md
    assert "Bins and recycling" not in md


@pytest.mark.parametrize("stem", ["stourleigh-town-council", "cwmtawelan-community-council",
                                  "northmoor-county-council"])
def test_a_protocol_this_tool_wrote_maps_back_to_its_clauses(invoke, tmp_path, library, stem):
    """Each numbered paragraph of a built protocol (.md and .docx) maps to the clause it
    was built from; the clauses and numbers are read from the build, not pinned."""
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    profile, _ = load_profile(PROFILES / f"{stem}.yaml")
    clauses = {c.number: c.id for s in assemble(profile, library).sections
               for c in s.clauses}
    want = yaml_council(PROFILES / f"{stem}.yaml")
    assert invoke("build", PROFILES / f"{stem}.yaml", "--out", tmp_path).exit_code == 0
    for ext in ("md", "docx"):
        report = audit_json(invoke, tmp_path / stem / f"{stem}-member-officer-protocol.{ext}")
        council = report["council"]
        for key in ("name", "tier", "nation", "governance", "political_groups"):
            assert council[key]["value"] == want[key], (ext, key)
        got = {p["number"]: p["clause"] for p in report["paragraphs"] if p["number"]}
        right = [n for n, cid in clauses.items() if got.get(n) == cid]
        assert len(right) >= 0.9 * len(clauses), (ext, sorted(set(clauses) - set(right)))


def yaml_council(path: Path) -> dict:
    import yaml
    return yaml.safe_load(path.read_text())["council"]


def test_a_draft_built_against_its_old_protocol_is_dated_the_day_it_is_built(invoke,
                                                                              tmp_path):
    """The imported draft's history holds the old protocol's adoption (21 November 2019);
    the redline's changes and comments are today's, the day they are proposed."""
    import datetime as dt
    import zipfile

    from lxml import etree
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = tmp_path / "cwmderwen-community-council.txt"
    text = (HERE / source.name).read_text("utf-8")
    assert "Adopted March 2015" in text
    source.write_text(text.replace("Adopted March 2015",
                                   "Adopted by the Council on 21st November 2019"), "utf-8")
    assert invoke("import", source, "--out", tmp_path).exit_code == 0
    profile = tmp_path / "cwmderwen-community-council.yaml"
    assert "2019-11-21" in profile.read_text("utf-8")
    built = invoke("build", profile, "--against", source, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    redline = next((tmp_path / "out").glob("*/*-redline.docx"))
    today = f"{dt.date.today().isoformat()}T00:00:00Z"
    parts = zipfile.ZipFile(redline)
    marks = list(etree.fromstring(parts.read("word/document.xml")).iter(f"{W}ins", f"{W}del"))
    assert marks and {m.get(f"{W}date") for m in marks} == {today}
    comments = etree.fromstring(parts.read("word/comments.xml"))
    dates = {c.get(f"{W}date", "")[:10] for c in comments.iter(f"{W}comment")}
    assert dates == {today[:10]}
