"""Recognition that says when it does not know, dates in the forms councils write them,
the importer's doubts as data, and a file name that cannot write settings."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.importer.dates import dates_in, is_date_line, stated_dates
from generator.importer.doubts import NOT_FOUND, doubts
from generator.importer.read import read_source
from generator.importer.recognise import name_from_file, recognise
from generator.importer.structure import parse


def council(text: str, name: str = "protocol.txt"):
    return recognise(parse(read_source(text.encode(), name).lines), name)


BODY = ("1. Councillors and officers must treat each other with respect.\n"
        "2. Officers give impartial advice to all councillors.\n")


@pytest.mark.parametrize("text, tier, nation, governance", [
    ("Bryncoed County Borough Council\n\nMember/Officer Protocol\n\n" + BODY +
     "3. A complaint about a councillor goes to the Public Services Ombudsman for Wales.\n"
     "4. Cabinet Members meet their directors each week.\n", "unitary", "wales",
     "leader_cabinet"),
    ("Easterby County Council\n\nProtocol\n\n" + BODY +
     "3. The Leader and Cabinet take executive decisions; each Executive Member has a "
     "portfolio.\n4. Complaints about councillors go to the Monitoring Officer, who "
     "consults the Independent Person.\n", "county", "england", "leader_cabinet"),
    ("Harrowgate Borough Council\n\nProtocol\n\n" + BODY +
     "3. The directly elected Mayor appoints the Cabinet.\n", "borough", None,
     "mayor_cabinet"),
    ("Fenland Vale District Council\n\nProtocol\n\n" + BODY +
     "3. The Council operates a committee system: decisions are taken by the Policy and "
     "Resources Committee and service committees.\n", "district", "england", "committee"),
])
def test_tier_nation_and_governance_from_the_texts_own_evidence(text, tier, nation,
                                                                 governance):
    c = council(text)
    assert (c.value("tier"), c.value("nation"), c.value("governance")) == (tier, nation,
                                                                           governance)


def test_a_principal_council_of_unstated_kind_is_not_found_never_a_parish():
    c = council("Member/Officer Protocol\n\n" + BODY +
                "3. The Chief Executive is the Head of Paid Service.\n"
                "4. Scrutiny committees may call directors to attend.\n")
    assert c.value("tier") is None and "choose" in c.facts["tier"].note
    found = doubts(c)
    assert found["council.tier"].message.startswith("Please check: ")
    assert found["council.tier"].value is None
    assert "council.nation" in found and "council.name" in found


def test_chief_executive_is_not_an_executive():
    c = council("Greywell District Council\n\nProtocol\n\n" + BODY +
                "3. The Chief Executive leads the officers; the Executive Director of Place "
                "reports to them.\n")
    assert c.value("governance") is None            # not leader_cabinet on "Executive"


def test_administration_is_not_political_groups():
    c = council("Ashby Magna Parish Council\n\nProtocol\n\n" + BODY +
                "3. The Parish Clerk is responsible for the administration of the council "
                "and its day-to-day running.\n4. The administration of payments is the "
                "Clerk's.\n")
    assert c.value("political_groups") is False


def test_a_welsh_looking_name_is_not_evidence_of_wales():
    """Only a name the ONS list holds in Wales alone is (tests/importer/test_places.py)."""
    c = council("Llanfairwen Town Council\n\nProtocol\n\n" + BODY)
    assert c.value("tier") == "town" and c.value("nation") is None
    assert "choose" in c.facts["nation"].note


def test_another_councils_name_in_the_text_is_not_this_councils():
    c = council("Protocol for councillors and the Clerk\n\n" + BODY +
                "3. The Monitoring Officer of Cherwell District Council advises on the code.\n"
                "4. The Parish Clerk is the council's only employee.\n")
    assert c.value("name") != "Cherwell District Council"
    assert c.value("tier") == "parish" and c.value("nation") == "england"


def test_a_name_from_the_file_name_keeps_its_small_words_and_is_marked():
    assert name_from_file("vale-of-grwyney-community-council.docx") == \
        "Vale of Grwyney Community Council"
    assert name_from_file("Upper_Slaughter PC protocol v2.pdf") == "Upper Slaughter PC"
    c = council("Protocol\n\n" + BODY, "vale-of-grwyney.txt")
    assert c.value("name") is None and c.name_from_file == "Vale of Grwyney"
    assert "taken from the file name" in doubts(c)["council.name"].message
    c = council("VALE OF GRWYNEY COMMUNITY COUNCIL\n\nProtocol\n\n" + BODY)
    assert c.value("name") == "Vale of Grwyney Community Council"


@pytest.mark.parametrize("line, key, value", [
    ("Adopted by the Finance & Personnel Committee 19th January 2015", "adopted",
     "2015-01-19"),
    ("Adopted by the Finance & Personnel Committee 19th January 2015", "adopted_by",
     "Finance & Personnel Committee"),
    ("Date adopted: 12.03.2018", "adopted", "2018-03-12"),
    ("Review date: 12/05/2026", "next_review", "2026-05-12"),
    ("Next review March 2019", "next_review", "2019-03"),
    ("Approved by Council on 3rd Sept 2021", "adopted", "2021-09-03"),
    ("Approved by Full Council, May 4, 2022", "adopted", "2022-05-04"),
    ("Date of last review October 2014 – next review due 2016", "last_review", "2014-10"),
    ("Date of last review October 2014 – next review due 2016", "next_review", "2016-12"),
    ("Adopted 4 May 2023. This protocol will be reviewed every two years.", "next_review",
     "2025-05"),
])
def test_dates_in_the_forms_councils_write_them(line, key, value):
    found = stated_dates([("x", line)])
    assert found[key][0].value == value


def test_numbers_that_are_not_dates():
    assert not dates_in("See paragraphs 4.7 and 12.3; within 10 working days.")
    assert not stated_dates([("x", "Officers reply to councillors within 10 working "
                                   "days, as paragraph 4.12 says.")])


def test_an_adoption_line_is_not_a_provision():
    assert is_date_line("Adopted by the Finance & Personnel Committee 19th January 2015")
    assert is_date_line("Adopted: 12.03.2018   Review: March 2019")
    assert not is_date_line("This protocol will be reviewed by the Standards Committee "
                            "every year, and councillors may suggest changes at any time.")


def test_a_review_passed_is_a_finding_against_the_audits_date(library):
    from generator.importer.run import audit_bytes
    text = ("Ashby Magna Parish Council\n\nMember/Officer Protocol\n\n" + BODY +
            "3. The Parish Clerk takes instructions from the council, not from individual "
            "councillors.\n\nAdopted by the Finance & Personnel Committee 19th January "
            "2015\n").encode()
    late = audit_bytes(text, "ashby.txt", library, today=dt.date(2026, 12, 6))
    overdue = [f for f in late.findings if f.kind == "review-overdue"]
    assert overdue and "19 January 2015" in overdue[0].message and "11 years" in \
        overdue[0].message
    early = audit_bytes(text, "ashby.txt", library, today=dt.date(2015, 6, 1))
    assert not [f for f in early.findings if f.kind == "review-overdue"]
    adoption = [p for p in late.structure.paragraphs if "Finance & Personnel" in p.text]
    assert adoption and adoption[0].kind == "furniture"      # not a provision: struck
    assert "adoption record" in adoption[0].reason           # with its reason


@pytest.mark.parametrize("evil", ["\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_file_name_cannot_write_settings_into_the_profile(library, evil):
    from generator.importer.run import audit_bytes, import_files
    text = ("Ashby Magna Parish Council\n\nMember/Officer Protocol\n\n" + BODY +
            "3. The Parish Clerk takes instructions from the council, not from individual "
            "councillors.\n4. Councillors must not ask the Parish Clerk to act for a "
            "political group.\n").encode()
    name = f"ours{evil}injected: true{evil}adoption: {{version: '9'}}{evil}#.txt"
    a = audit_bytes(text, name, library)
    files = import_files(a, "ashby", library)
    for path, data in files.items():
        if not path.endswith(".yaml"):
            continue
        loaded = yaml.safe_load(data.decode())
        assert "injected" not in loaded, path
        if path == "ashby.yaml":
            assert loaded["adoption"]["version"] == "1.0"
            assert loaded["council"]["name"] == "Ashby Magna Parish Council"


def test_not_found_is_written_for_the_clerk_to_choose(library):
    from generator.importer.run import audit_bytes, import_files
    text = ("Member/Officer Protocol\n\n" + BODY + "3. The Chief Executive is the Head of "
            "Paid Service and directors report to them.\n4. Scrutiny committees may ask "
            "officers to attend.\n").encode()
    a = audit_bytes(text, "vale-of-grwyney.txt", library)
    profile = import_files(a, "vale-of-grwyney", library)["vale-of-grwyney.yaml"].decode()
    loaded = yaml.safe_load(profile)["council"]
    assert loaded["tier"] == NOT_FOUND and loaded["nation"] == NOT_FOUND
    assert loaded["name"] == "Vale of Grwyney"
    name_line = next(line for line in profile.splitlines() if line.startswith("  name:"))
    assert "taken from the file name" in name_line
    tier_line = next(line for line in profile.splitlines() if line.startswith("  tier:"))
    assert "Please check:" in tier_line and "district" in tier_line


def _import(library, text: str, name: str = "council.txt"):
    from generator.importer.run import audit_bytes, import_files
    a = audit_bytes(text.encode(), name, library)
    return a, import_files(a, name.rsplit(".", 1)[0], library)


def test_a_statutory_citation_is_not_renumbered(library):
    _, files = _import(library, "Ashby Magna Parish Council\n\nProtocol\n\n" + BODY +
                       "3. The Parish Clerk may withhold a document whose information falls "
                       "within paragraphs 1 to 2 of Part I of Schedule 12A to the Local "
                       "Government Act 1972.\n")
    text = b"".join(v for k, v in files.items() if k.endswith(".yaml")).decode()
    assert "paragraphs 1 to 2 of Part I of Schedule 12A" in " ".join(text.split())


def test_the_councils_paragraph_replaces_the_librarys_clause_on_its_point(library):
    """A paragraph making a clause's point in the council's words is that clause's house
    wording, and no other library clause making that point is added."""
    from generator.library.points import clause_points
    a, files = _import(library, "Ashby Magna Parish Council\n\nProtocol\n\n" + BODY +
                       "3. The Parish Clerk takes instructions from the council, not from "
                       "individual councillors.\n4. A complaint that a councillor has broken "
                       "the Code of Conduct is made to the Parish Clerk, only.\n")
    made = clause_points(library)
    points = {p for m in a.matches if m.on_point for p in made.get(m.on_point, ())}
    assert points
    profile = yaml.safe_load(files["council.yaml"])
    added = {c.id for c in library.clauses.values()} - set(profile["drafting"]["exclude"]) \
        - {m.on_point for m in a.matches}
    assert not [c for c in added if set(made.get(c, ())) & points]
    route = [f for f in a.findings if f.kind == "contradiction"]
    assert route and "the head officer" in route[0].message


def test_audit_topics_follow_what_the_paragraphs_say(library):
    from generator.importer.run import audit_bytes
    text = ("Ashby Magna Parish Council\n\nProtocol\n\nGiving advice\n\n"
            "1. Officers write the reports to the council and the professional advice in "
            "them is theirs.\n\nProblems\n\n2. A breach of this protocol by a councillor "
            "may be raised with the Chairman.\n3. Staff may use the grievance procedure; "
            "the disciplinary procedure applies to staff.\n4. The Parish Clerk takes "
            "instructions from the council, not from individual councillors.\n")
    a = audit_bytes(text.encode(), "ashby.txt", library)
    status = {t.id: t.status for t in a.topics}
    assert status["wrong"] != "missing" and status["decisions"] != "missing"
    own = [f for f in a.findings if f.kind == "own-provision"]
    assert len(own) <= 1
    severities = [f.severity for f in sorted(a.findings, key=__import__(
        "generator.importer.report", fromlist=["_order"])._order)]
    assert severities == sorted(severities, key=["error", "warning", "note"].index)


def test_a_protocol_over_its_length_says_which_paragraphs_to_cut(library, invoke, tmp_path):
    """Over the limit, check and build warn, naming the longest paragraphs (the council's
    own first); within it, nothing is said."""
    from generator.assemble import assemble
    from generator.length import PRINCIPAL_LIMIT, length_warnings, words
    from generator.profile.load import load_profile
    from conftest import PROFILES
    profile, _ = load_profile(PROFILES / "northmoor-county-council.yaml")
    doc = assemble(profile, library)
    assert words(doc) <= PRINCIPAL_LIMIT and not length_warnings(doc, local=False)
    warned = length_warnings(doc, local=True)       # as long as this, for a parish
    assert warned and warned[0].severity == "warning"
    assert "more than the 2,800" in warned[0].message and "words" in warned[0].hint
    long = " ".join(["Councillors and the Parish Clerk will work together with care."] * 60)
    text = ("Ashby Magna Parish Council\n\nProtocol\n\n" + BODY +
            "".join(f"{k}. {long}\n" for k in range(3, 10)))
    (tmp_path / "ashby.txt").write_text(text)
    assert invoke("import", tmp_path / "ashby.txt", "--out", tmp_path / "in").exit_code == 0
    checked = invoke("check", tmp_path / "in" / "ashby-magna-parish-council.yaml")
    assert "more than the 2,800" in checked.output and "your 3" in checked.output


def test_the_kind_named_in_the_text_and_only_one():
    text = ("Member/Officer Protocol\n\n" + BODY + "3. The Chief Executive is the Head of "
            "Paid Service of the County Council.\n4. Scrutiny committees of the County "
            "Council may call directors.\n")
    assert council(text).value("tier") == "county"
    both = text + "5. The District Council and the County Council share offices.\n"
    assert council(both).value("tier") is None
