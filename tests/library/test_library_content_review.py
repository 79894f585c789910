"""Wording found on reviewing the built protocols kind of council by kind of council:
titles that read badly once substituted, cross-references that point at nothing, and
text that does not fit the council. Each test builds profiles written here with the CLI
and reads the Markdown it wrote."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

PROFILES = {
    "parish": """
council: {name: Upper Thornbury Parish Council, tier: parish, political_groups: false}
roles: {monitoring_officer: Monitoring Officer of Vale District Council}
""",
    "parish-chair-clerk": """
council: {name: Lower Thornbury Parish Council, tier: parish, political_groups: false}
roles: {monitoring_officer: Monitoring Officer of Vale District Council}
practices: {chair_clerk_meetings: true}
""",
    "town-mayor": """
council: {name: Kingsbridge Town Council, tier: town, political_groups: false}
roles: {chair: Town Mayor, vice_chair: Deputy Town Mayor,
        monitoring_officer: Monitoring Officer of Vale District Council}
""",
    "mayor-unitary": """
council: {name: Northvale Council, tier: unitary, governance: mayor_cabinet,
          political_groups: true}
roles: {leader: Elected Mayor}
""",
    "welsh-borough": """
council: {name: Cwm Uchaf County Borough Council, tier: borough, nation: wales,
          governance: leader_cabinet, political_groups: true}
""",
    "committee-district": """
council: {name: Eastmoor District Council, tier: district, governance: committee,
          political_groups: true}
""",
    "london-borough": """
council: {name: London Borough of Eastwick, tier: london_borough,
          governance: leader_cabinet, political_groups: true}
roles: {chair: Mayor, vice_chair: Deputy Mayor}
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    """Each profile above built to Markdown with the CLI; its text by name."""
    from click.testing import CliRunner

    from generator.cli import cli
    folder = tmp_path_factory.mktemp("profiles")
    out = tmp_path_factory.mktemp("out")
    for name, text in PROFILES.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(folder), "--out", str(out),
                                      "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {name: (out / name / f"{name}-member-officer-protocol.md").read_text(
        encoding="utf-8") for name in PROFILES}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _paragraph(markdown: str, number: str) -> str:
    """The first line of numbered paragraph ``number`` ("10.3"), without its number."""
    match = re.search(rf"^{re.escape(number)} (.*)$", markdown, re.M)
    assert match, f"no paragraph {number}"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_no_title_is_doubled_or_followed_by_of_the_council(built, name):
    text = _flat(built[name])
    assert "the the " not in text.lower()
    assert not re.search(r"(Councillor|Member)s? of the Council", text)
    assert "Mayor of the Council" not in text
    assert "elected Elected" not in text and "directly elected Elected" not in text


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_no_as_above_without_anything_above(built, name):
    assert "As above" not in built[name]


def test_things_going_wrong_are_cited_as_a_section(built):
    # the purpose clause cites the section on things going wrong, which its owner may
    # reorganise into clauses of its own without breaking the reference
    text = built["parish"]
    cited = re.search(r"when things go wrong \(section (\d+)\)", _flat(text))
    assert cited, "purpose clause does not cite the section on things going wrong"
    heading = re.search(rf"^## {cited.group(1)}\. (.*)$", text, re.M)
    assert heading and "wrong" in heading.group(1).lower()


def test_a_complaint_about_the_clerk_goes_to_the_chair_by_title(built):
    # a parish's clerk is its only officer: the concern goes straight to the chair
    assert ("dissatisfied with the conduct, behaviour or performance of the Parish Clerk, "
            "the matter is raised with the Chair of the Council.") in _flat(built["parish"])
    assert ("Where the officer concerned is the Town Clerk, the matter is raised "
            "with the Town Mayor.") in _flat(built["town-mayor"])


def test_a_local_councils_informal_meetings_take_no_decisions_at_all(built):
    text = _flat(built["parish-chair-clerk"])
    assert "is precluded by law from taking decisions." in text
    assert "key decision" not in text
    # a practice of some councils only: not stated where the profile does not say so
    assert "regular informal meetings" not in _flat(built["parish"])


def test_staff_appointments_read_unambiguously(built):
    text = _flat(built["parish"])
    assert ("other than by taking part in the Council's decision at the meeting that makes "
            "the appointment.") in text
    assert "committee or panel" not in text     # no committee the council does not have
    assert "take part in the decision of the Council itself" not in text


def test_an_elected_mayor_is_not_called_directly_elected_twice(built):
    assert "The Council has an Elected Mayor. Executive functions are the Elected Mayor's" \
        in _flat(built["mayor-unitary"])


@pytest.mark.parametrize("name", ["mayor-unitary", "welsh-borough", "committee-district",
                                  "london-borough"])
def test_principal_inspection_rights_follow_the_information_about_individuals(built, name):
    # the rights (inspection, then queries about access) come before personal data
    text = _flat(built[name])
    inspection = text.index("### Inspection of documents")
    query = text.index("A query whether a Councillor may see a particular document")
    individuals = text.index("may need to access information regarding individuals")
    assert inspection < query < individuals
    assert ("Under section 100F of the Local Government Act 1972, any Councillor may inspect "
            "a document held by the Council") in text
    assert ("At common law, any Councillor may also inspect and make a copy of any other document in the "
            "possession or under the control of the Council which the Councillor reasonably "
            "needs") in text
    assert "referred to the Chief Executive or the Monitoring Officer." in text


def test_committee_and_welsh_councils_get_no_foreign_text(built):
    built = {name: _flat(text) for name, text in built.items()}
    district = built["committee-district"]
    assert not re.search(r"portfolio|cabinet|(?<!chief )executive", district, re.I)
    welsh = built["welsh-borough"]
    assert "leader and cabinet executive" in welsh
    for name in ("mayor-unitary", "welsh-borough", "committee-district", "london-borough"):
        assert "Responsible Financial Officer" not in built[name]
        assert "Clerk" not in built[name]
    assert ("the Parish Clerk and the Responsible Financial Officer" in built["parish"] or
            "The Parish Clerk, who is also the Council's Responsible Financial Officer"
            in built["parish"])
    assert "Chief Executive" not in built["parish"]
    assert "precept" not in district and "setting of the council tax" in district


def test_a_council_with_wards_names_them_in_the_councillors_list(tmp_path, invoke):
    profile = tmp_path / "warded.yaml"
    profile.write_text("council: {name: Millbrook Town Council, tier: town, wards: true}\n"
                       "roles: {monitoring_officer: Monitoring Officer of Vale District "
                       "Council}\ndrafting: {prefer_sources: [halstead]}\n", encoding="utf-8")
    unwarded = tmp_path / "unwarded.yaml"
    unwarded.write_text(profile.read_text().replace("wards: true", "wards: false")
                        .replace("Millbrook", "Millford"), encoding="utf-8")
    result = invoke("build", profile, unwarded, "--out", tmp_path / "out", "--format", "md")
    assert result.exit_code == 0, result.output
    warded_text = _flat(Path(tmp_path / "out/warded/warded-member-officer-protocol.md")
                        .read_text(encoding="utf-8"))
    unwarded_text = _flat(Path(tmp_path / "out/unwarded/unwarded-member-officer-protocol.md")
                          .read_text(encoding="utf-8"))
    assert "providing a focus for community leadership in local wards;" in warded_text
    assert "providing a focus for community leadership;" in unwarded_text
    assert not re.search(r"\bwards?\b", unwarded_text)
