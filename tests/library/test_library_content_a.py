"""Tailoring rules of library sections 1 to 8 (purpose to support), pinned on profiles
written here as YAML text and assembled with the shipped library."""
from __future__ import annotations

import re

import pytest

from generator.assemble import assemble
from generator.profile.load import profile_from_text
from generator.render.markdown import render_markdown

MY_SECTIONS = ("purpose", "principles", "roles", "expectations", "relationships",
               "decisions", "groups", "support")
SOURCE_COUNCILS = ("Milcombe", "Blaenavon", "Halstead", "West Suffolk", "Cherwell")
# "Chief Executive" is the head of paid service, whatever the governance model
EXECUTIVE_WORDS = re.compile(r"portfolio|cabinet|(?<!chief )executive", re.IGNORECASE)


def build(library, council: str, extra: str = ""):
    """Assemble a document for a profile whose council block is ``council``."""
    text = "council:\n" + "".join(f"  {line}\n" for line in council.strip().splitlines())
    return assemble(profile_from_text(text + extra), library)


def section(doc, section_id):
    return next((s for s in doc.sections if s.id == section_id), None)


def clause(doc, clause_id):
    return next((c for s in doc.sections for c in s.clauses if c.id == clause_id), None)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def my_text(doc) -> str:
    """Titles, headings and bodies of sections 1 to 8 as assembled."""
    parts = []
    for s in doc.sections:
        if s.id in MY_SECTIONS:
            parts.append(s.title)
            parts += [f"{c.heading or ''}\n{c.body}" for c in s.clauses]
    return "\n".join(parts)


PARISH_NO_GROUPS = """
name: Upper Thornbury Parish Council
tier: parish
political_groups: false
"""
PARISH_GROUPS = """
name: Lower Thornbury Parish Council
tier: parish
political_groups: true
"""
COMMITTEE_DISTRICT = """
name: Eastmoor District Council
tier: district
governance: committee
political_groups: true
"""
LEADER_DISTRICT = """
name: Westmoor District Council
tier: district
governance: leader_cabinet
political_groups: true
independent_members: true
"""
MAYOR_UNITARY = """
name: Northvale Council
tier: unitary
governance: mayor_cabinet
political_groups: true
"""
COMMUNITY_WALES = """
name: Cwm Isaf Community Council
tier: community
nation: wales
"""
ROLES = """
roles:
  monitoring_officer: Monitoring Officer of Vale District Council
"""


def test_parish_without_groups_has_no_groups_section_and_numbering_closes_up(library):
    doc = build(library, PARISH_NO_GROUPS, ROLES)
    ids = [s.id for s in doc.sections]
    assert "groups" not in ids
    assert [s.number for s in doc.sections] == list(range(1, len(ids) + 1))
    assert ids[:7] == ["purpose", "principles", "roles", "expectations", "relationships",
                       "decisions", "support"]
    assert section(doc, "support").number == 7
    assert section(doc, "support").title == "Support to chairs"
    markdown = render_markdown(doc)
    assert "## 7. Support to chairs" in markdown
    assert "Political groups" not in markdown
    # the clause numbers inside the closed-up section follow the section number
    assert all(c.number.startswith("7.") for c in section(doc, "support").clauses)
    # no clause in sections 1-8 talks about political groups meeting or reporting
    assert clause(doc, "decisions.political-groups") is None
    assert clause(doc, "decisions.minority-parties") is None
    assert clause(doc, "decisions.agenda-items").body == (
        "Any Councillor may submit an item for the agenda.")
    assert "of any party" not in my_text(doc)
    assert "covered in section" not in clause(doc, "relationships.limitations").body


def test_parish_with_groups_keeps_section_7_and_cross_reference(library):
    doc = build(library, PARISH_GROUPS, ROLES)
    assert section(doc, "groups").number == 7
    assert section(doc, "support").number == 8
    assert [c.id for c in section(doc, "groups").clauses][:2] == ["groups.role",
                                                                 "groups.administration"]
    assert "groups.independent" not in [c.id for c in section(doc, "groups").clauses]
    assert "specifically covered in section 7" in \
        flat(clause(doc, "relationships.limitations").body)
    reports = flat(clause(doc, "groups.reports").body)
    assert "request the Parish Clerk to prepare written reports" in reports
    assert "will provide a copy of that report to any group upon request" in reports
    # the statutory requirements for forming groups apply to principal councils only
    assert "statutory requirements" not in section(doc, "groups").clauses[0].body


def test_committee_system_council_has_no_executive_wording(library):
    for council in (COMMITTEE_DISTRICT, PARISH_GROUPS, COMMUNITY_WALES):
        doc = build(library, council, ROLES)
        text = my_text(doc)
        assert not EXECUTIVE_WORDS.search(text), EXECUTIVE_WORDS.search(text).group(0)
        assert clause(doc, "roles.executive") is None
        assert clause(doc, "roles.portfolio-holders") is None
        assert section(doc, "support").title == "Support to chairs"
        assert "chairs of committees will necessarily need to maintain a close watching " \
               "brief" in clause(doc, "support.watching-brief").body


def test_independent_members_clause_only_with_independent_members(library):
    with_independents = build(library, LEADER_DISTRICT)
    body = clause(with_independents, "groups.independent").body
    assert body.startswith("Some Councillors may decide not to form part of any political "
                           "group.")
    assert "independent Councillors may also request meetings with officers" in body
    heading = clause(with_independents, "groups.independent").heading
    assert heading == "Independent Councillors"
    without = build(library, COMMITTEE_DISTRICT)
    assert clause(without, "groups.independent") is None
    assert section(without, "groups") is not None


def test_leader_cabinet_district_gets_the_executive_text(library):
    doc = build(library, LEADER_DISTRICT)
    executive = clause(doc, "roles.executive")
    assert executive.heading == "Executive members"
    assert executive.body.startswith("The Council operates an executive-leader model of "
                                     "governance")
    assert '"portfolio holders"' in executive.body
    assert "close working relationship between a portfolio holder" in \
        clause(doc, "roles.portfolio-holders").body
    assert section(doc, "support").title == "Support to executive members and chairs"
    assert clause(doc, "support.watching-brief").body.startswith(
        "The Leader of the Council, Cabinet Portfolio Holders and Committee Chairmen")
    # a principal council's statutory officers, not a parish's
    statutory = clause(doc, "roles.statutory-officers").body
    assert "the Chief Executive, the Monitoring Officer and the Chief Finance Officer" in \
        statutory
    assert "Responsible Financial Officer" not in my_text(doc)
    assert clause(doc, "roles.job-profiles") is not None
    # scrutiny comes with the executive: the scrutiny wording of Milcombe 2.4 applies
    doc = build(library, LEADER_DISTRICT, "drafting:\n  prefer_sources: [milcombe]\n")
    assert "context of scrutiny and overview" in clause(doc, "roles.equal-treatment").body


def test_mayor_cabinet_gets_the_mayoral_model_not_the_leader_model(library):
    doc = build(library, MAYOR_UNITARY)
    body = clause(doc, "roles.executive").body
    assert body.startswith("The Council operates a mayor and cabinet model of governance")
    assert "directly elected Mayor" in body
    assert "executive-leader" not in my_text(doc)
    assert clause(doc, "support.watching-brief").body.startswith("The Mayor, Cabinet")


def test_local_council_clerk_is_the_single_point_of_contact(library):
    doc = build(library, COMMUNITY_WALES)
    requests = clause(doc, "relationships.requests-through-head-officer").body
    assert "must make that request through the Clerk" in requests
    drafted = clause(doc, "relationships.no-individual-instructions")
    assert drafted.source == "drafted"
    assert "No individual Councillor, including the Chair, may give instructions to the " \
           "Clerk" in drafted.body
    assert "the Clerk and the Responsible Financial Officer" in \
        clause(doc, "roles.statutory-officers").body
    assert "setting of the precept" in clause(doc, "decisions.full-council").body
    assert clause(doc, "roles.job-profiles") is None
    # no scrutiny in a local council: Milcombe 2.4's scrutiny sentence is left out
    doc = build(library, PARISH_GROUPS, ROLES + "drafting:\n  prefer_sources: [milcombe]\n")
    assert clause(doc, "roles.equal-treatment").body == (
        "As individual Councillors, all Councillors have the same rights and obligations "
        "in their relationship with officers and should be treated equally.")


def test_principal_council_has_no_clerk_contact_rules(library):
    doc = build(library, COMMITTEE_DISTRICT)
    assert clause(doc, "relationships.requests-through-head-officer") is None
    assert clause(doc, "relationships.no-individual-instructions") is None
    assert "setting of the Council tax" in clause(doc, "decisions.full-council").body
    assert "Clerk" not in my_text(doc)


@pytest.mark.parametrize("source, clause_id, start", [
    ("milcombe", "groups.attendance", "Officer attendance at political groups:"),
    ("west-suffolk", "groups.attendance", "Officers may request to attend political group"),
    ("blaenavon", "expectations.members-of-officers", "All Councillors can expect:"),
    ("halstead", "expectations.officers-of-members",
     "Officers can expect from Councillors: respect, courtesy"),
    ("anytown", "relationships.limitations",
     "Councillors and officers should avoid any close personal familiarity"),
])
def test_preferred_source_wording_wins(library, source, clause_id, start):
    doc = build(library, LEADER_DISTRICT, f"drafting:\n  prefer_sources: [{source}]\n")
    chosen = clause(doc, clause_id)
    assert chosen.source.split()[0] == source
    assert chosen.body.startswith(start)


def test_corrections_are_made_and_noted(library):
    doc = build(library, PARISH_GROUPS, ROLES + "drafting:\n  prefer_sources: [milcombe]\n")
    administration = clause(doc, "groups.administration")
    assert "it is recognised that the relationship between officers, particularly" in \
        administration.body
    assert "offices" in administration.note
    overview = clause(doc, "roles.overview")
    assert overview.source == "milcombe 2.1 and 2.4"
    assert "indispensable to one another. But their responsibilities are distinct." in \
        overview.body
    doc = build(library, COMMUNITY_WALES, "drafting:\n  prefer_sources: [blaenavon]\n")
    assert "indispensable to one another, but" in clause(doc, "roles.overview").body
    doc = build(library, LEADER_DISTRICT, "drafting:\n  prefer_sources: [anytown]\n")
    respect = clause(doc, "principles.respect")
    assert "which compromises or which is likely to compromise" in respect.body
    assert "comprises" in respect.note


@pytest.mark.parametrize("council", [PARISH_NO_GROUPS, PARISH_GROUPS, COMMITTEE_DISTRICT,
                                     LEADER_DISTRICT, MAYOR_UNITARY, COMMUNITY_WALES])
@pytest.mark.parametrize("source", ["milcombe", "blaenavon", "halstead", "west-suffolk",
                                    "anytown"])
def test_sections_render_cleanly_for_every_kind_of_council(library, council, source):
    doc = build(library, council, f"drafting:\n  prefer_sources: [{source}]\n")
    text = my_text(doc)
    assert "{{" not in text and "{%" not in text
    for name in SOURCE_COUNCILS:
        assert name not in text
    for word in ("Town Council", "Parish Council", "Town Clerk"):
        assert word not in text
    assert [s.id for s in doc.sections][:4] == ["purpose", "principles", "roles",
                                                "expectations"]
