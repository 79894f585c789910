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


def test_parish_without_groups_has_no_groups_or_support_section(library):
    doc = build(library, PARISH_NO_GROUPS, ROLES)
    ids = [s.id for s in doc.sections]
    assert "groups" not in ids
    # a local council whose chair and clerk do not meet regularly has no support section
    assert "support" not in ids
    assert [s.number for s in doc.sections] == list(range(1, len(ids) + 1))
    assert ids[:6] == ["purpose", "principles", "roles", "expectations", "relationships",
                       "decisions"]
    markdown = render_markdown(doc)
    assert "Political groups" not in markdown
    # group decisions and minority parties are not mentioned without groups
    assert clause(doc, "groups.no-decisions") is None
    assert clause(doc, "decisions.agenda-items").body == (
        "Any Councillor may ask for an item to be put on an agenda under the Standing "
        "Orders.")
    assert "of any party" not in my_text(doc)
    assert "minority part" not in my_text(doc)
    assert "covered in section" not in clause(doc, "relationships.limitations").body


def test_support_section_where_the_chair_and_clerk_meet(library):
    doc = build(library, PARISH_NO_GROUPS,
                ROLES + "practices:\n  chair_clerk_meetings: true\n")
    assert section(doc, "support").number == 7
    assert section(doc, "support").title == "Support to chairs"
    assert all(c.number.startswith("7.") for c in section(doc, "support").clauses)
    briefings = flat(clause(doc, "support.briefings").body)
    assert briefings.startswith("The Parish Clerk has regular informal meetings with the Chair")
    assert "precluded by law from taking decisions" in briefings
    assert "pre-empt or undermine" in clause(doc, "support.decision-making").body
    assert "delegated" not in clause(doc, "support.decision-making").body


def test_parish_with_groups_keeps_section_7_and_cross_reference(library):
    doc = build(library, PARISH_GROUPS, ROLES + "drafting:\n  prefer_sources: [milcombe]\n")
    assert section(doc, "groups").number == 7
    ids = [c.id for c in section(doc, "groups").clauses]
    assert ids[0] == "groups.role"
    # one clerk: no "administration" and no "senior level"
    assert "groups.administration" not in ids
    assert "groups.independent" not in ids
    assert "specifically covered in section 7" in \
        flat(clause(doc, "relationships.limitations").body)
    reports = flat(clause(doc, "groups.reports").body)
    assert "request the Parish Clerk to prepare written reports" in reports
    assert "will provide a copy of that report to any group upon request" in reports
    # what advice to groups covers is said once, for reports and attendance alike
    text = flat(my_text(doc))
    assert text.count("statement of material facts") == 1
    assert "representative" not in flat(clause(doc, "groups.attendance").body)
    # the statutory requirements for forming groups apply to principal councils only
    assert "statutory requirements" not in section(doc, "groups").clauses[0].body


def test_committee_system_council_has_no_executive_wording(library):
    for council in (COMMITTEE_DISTRICT, PARISH_GROUPS, COMMUNITY_WALES):
        doc = build(library, council, ROLES)
        text = my_text(doc)
        assert not EXECUTIVE_WORDS.search(text), EXECUTIVE_WORDS.search(text).group(0)
        assert clause(doc, "roles.executive") is None
        assert clause(doc, "roles.portfolio-holders") is None
    doc = build(library, COMMITTEE_DISTRICT)
    assert section(doc, "support").title == "Support to chairs"
    assert "chairs of committees need to keep a close watch" \
        in clause(doc, "support.watching-brief").body


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
    assert executive.body.startswith("The Council operates a leader and cabinet executive, "
                                     "whereby")
    assert "operate as Cabinet Members for services" in executive.body   # the default title
    assert "close working relationship between a Cabinet Member" in \
        clause(doc, "roles.portfolio-holders").body
    assert section(doc, "support").title == "Support to executive members and chairs"
    assert clause(doc, "support.watching-brief").body.startswith(
        "The Leader of the Council, Cabinet Members and committee chairs")
    # a principal council's statutory officers, not a parish's, and their protection
    statutory = flat(clause(doc, "roles.statutory-officers").body)
    assert "The Chief Executive, the Monitoring Officer and the Chief Finance Officer" in \
        statutory
    assert "section 151 of the Local Government Act 1972" not in statutory
    assert "Local Government Act 1972 section 151" in statutory
    protection = flat(clause(doc, "roles.statutory-officer-protection").body)
    assert "Local Authorities (Standing Orders) (England) Regulations 2001" in protection
    assert "politically restricted posts" in clause(doc, "roles.restricted-posts").body
    assert "Responsible Financial Officer" not in my_text(doc)
    # Anytown's own "Job Profiles" are not stated for every council
    assert "Job Profile" not in my_text(doc)
    # executive members may decide only under the executive arrangements
    delegation = flat(clause(doc, "decisions.delegation").body)
    assert delegation.startswith("Apart from executive functions (paragraph 3.")
    assert "but never to one Councillor." in delegation
    assert "Both officers and Councillors can be authorised" not in delegation
    assert clause(doc, "decisions.scrutiny") is not None
    # scrutiny comes with the executive: the scrutiny wording of Milcombe 2.4 applies
    doc = build(library, LEADER_DISTRICT, "drafting:\n  prefer_sources: [milcombe]\n")
    assert "context of scrutiny and overview" in clause(doc, "roles.equal-treatment").body


def test_mayor_cabinet_gets_the_mayoral_model_not_the_leader_model(library):
    doc = build(library, MAYOR_UNITARY)
    body = clause(doc, "roles.executive").body
    assert body.startswith("The Council has a directly elected Mayor. Executive functions "
                           "are the Mayor's own")
    assert "section 9E" in body
    assert "executive-leader" not in my_text(doc)
    assert clause(doc, "support.watching-brief").body.startswith("The Mayor, Cabinet")


def test_local_council_chair_and_single_councillors_cannot_decide(library):
    doc = build(library, COMMUNITY_WALES)
    # the clerk is the only officer: no requests "through the Clerk" to other staff
    assert clause(doc, "relationships.requests-through-head-officer") is None
    chair = flat(clause(doc, "roles.chair-between-meetings").body)
    assert "the Chair may be consulted by the Clerk on agendas, but may not take decisions, " \
           "commit the Council to spending or instruct the Clerk" in chair   # its only officer
    delegation = flat(clause(doc, "decisions.delegation").body)
    assert "never to one Councillor" in delegation
    assert "a sub-committee or the Clerk, but never" in delegation   # the only officer
    assert "scheme" not in delegation.lower()   # no scheme of delegation to officers
    assert "The Clerk, who is also the Council's Responsible Financial Officer, has" in \
        clause(doc, "roles.statutory-officers").body
    assert "setting of the precept" in clause(doc, "decisions.full-council").body
    assert clause(doc, "roles.restricted-posts") is None
    # a town council with more staff: requests for help go through the Clerk
    town = build(library, "name: Upper Thornbury Town Council\ntier: town\n", ROLES)
    requests = clause(town, "relationships.requests-through-head-officer").body
    assert "must make that request through the Town Clerk" in requests
    # no scrutiny in a local council: Milcombe 2.4's scrutiny sentence is left out
    doc = build(library, PARISH_GROUPS, ROLES + "drafting:\n  prefer_sources: [milcombe]\n")
    assert clause(doc, "roles.equal-treatment").body == (
        "As individual Councillors, all Councillors have the same rights and obligations "
        "in their relationship with officers and must be treated equally.")


def test_wales_gets_welsh_law_and_england_english(library):
    wales = build(library, COMMUNITY_WALES)
    remote = flat(clause(wales, "decisions.remote-meetings").body)
    assert "multi-location meetings" in remote
    assert "Local Government and Elections (Wales) Act 2021" in remote
    training = flat(clause(wales, "expectations.new").body)
    assert "training plan" in training
    england = build(library, PARISH_GROUPS, ROLES)
    assert "Wales" not in my_text(england)
    assert clause(england, "expectations.new") is None
    assert "multi-location" not in clause(england, "decisions.remote-meetings").body


def test_county_council_issues_a_precept(library):
    doc = build(library, "name: Northvale County Council\ntier: county\n"
                         "governance: leader_cabinet\n")
    assert "issuing of the precept" in clause(doc, "decisions.full-council").body
    assert "Council tax" not in my_text(doc)


def test_principal_council_has_no_clerk_contact_rules(library):
    doc = build(library, COMMITTEE_DISTRICT)
    assert clause(doc, "relationships.requests-through-head-officer") is None
    assert "setting of the council tax" in clause(doc, "decisions.full-council").body
    assert "Clerk" not in my_text(doc)
    assert "Monitoring Officer" in clause(doc, "relationships.declare").body


def test_points_made_once_and_no_code_quoted(library):
    for source in ("milcombe", "blaenavon", "halstead", "west-suffolk", "anytown"):
        for council in (PARISH_GROUPS, LEADER_DISTRICT, COMMUNITY_WALES):
            doc = build(library, council, ROLES + f"drafting:\n  prefer_sources: [{source}]\n")
            text = flat(my_text(doc)).lower()
            # the revoked 2001/2007 model code is not quoted
            assert "likely to compromise the impartiality" not in text
            assert "mutual respect" not in text or text.count("mutual respect") == 1, source
            assert "his/her" not in text and "he/she" not in text
            assert "purdah" not in text and "pecuniary" not in text
            assert "chairmen" not in text
            assert "officers and councillors can be authorised" not in text


@pytest.mark.parametrize("source, clause_id, start", [
    ("milcombe", "groups.attendance", "Officer attendance at political groups:"),
    ("west-suffolk", "groups.attendance", "Officers may request to attend political group"),
    ("blaenavon", "expectations.members-of-officers", "All Councillors can expect:"),
    ("halstead", "expectations.officers-of-members",
     "Officers can expect from Councillors: effective leadership"),
    ("anytown", "relationships.limitations",
     "Councillors and officers must avoid any close personal familiarity"),
])
def test_preferred_source_wording_wins(library, source, clause_id, start):
    doc = build(library, LEADER_DISTRICT, f"drafting:\n  prefer_sources: [{source}]\n")
    chosen = clause(doc, clause_id)
    assert chosen.source.split()[0] == source
    assert chosen.body.startswith(start)


def test_corrections_are_made_and_noted(library):
    doc = build(library, LEADER_DISTRICT, "drafting:\n  prefer_sources: [milcombe]\n")
    administration = clause(doc, "groups.administration")
    assert "it is recognised that the relationship between officers, particularly" in \
        administration.body
    assert "opposition" not in administration.body
    assert "offices" in administration.note
    overview = clause(doc, "roles.overview")
    assert overview.source == "milcombe 2.1 and 2.4"
    assert "servants of the public, but their responsibilities are distinct." in overview.body
    assert "indispensable" in overview.note      # said once, in section 1
    doc = build(library, COMMUNITY_WALES, "drafting:\n  prefer_sources: [blaenavon]\n")
    assert "servants of the public, but" in clause(doc, "roles.overview").body
    doc = build(library, LEADER_DISTRICT, "drafting:\n  prefer_sources: [anytown]\n")
    respect = clause(doc, "principles.respect")
    assert respect.body.startswith("Mutual respect between Councillors and officers is "
                                   "essential.")
    assert "compromise the impartiality" not in respect.body
    assert "revoked" in respect.note


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
