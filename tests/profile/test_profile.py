"""Profiles: defaults by tier, contradictions, located errors with fixes."""
import datetime as dt

import pytest

from conftest import ROOT

from generator.errors import ProfileError
from generator.profile.model import CONTEXT_NAMES
from generator.profile.load import profile_from_text

PARISH = """
council:
  name: Example Parish Council
  tier: parish
roles:
  monitoring_officer: Monitoring Officer of Example District Council
"""


def problems_of(text):
    with pytest.raises(ProfileError) as info:
        profile_from_text(text, "p.yaml")
    return info.value.problems


def test_defaults_follow_the_tier():
    parish = profile_from_text(PARISH).context()
    assert parish["head_officer"] == "Parish Clerk"
    assert parish["local_council"] and not parish["executive"]
    assert parish["finance_officer"] == "Responsible Financial Officer"
    district = profile_from_text(
        "council: {name: Example District Council, tier: district, governance: leader_cabinet}"
    ).context()
    assert district["head_officer"] == "Chief Executive"
    assert district["leader"] == "Leader of the Council"
    assert district["executive"] and district["scrutiny"] and district["wards"]
    community = profile_from_text("council: {name: C, tier: community, nation: wales}").context()
    assert community["head_officer"] == "Clerk"


def test_context_names_are_exactly_what_context_gives():
    assert set(profile_from_text(PARISH).context()) == set(CONTEXT_NAMES)


def test_singular_terms_are_derived():
    ctx = profile_from_text(PARISH + "terms: {members: Members, officers: staff}\n").context()
    assert (ctx["member"], ctx["officer"]) == ("Member", "member of staff")


def test_a_council_that_calls_its_officers_staff_reads_grammatically(library):
    """'staff' has no singular: the protocol says 'a member of staff', never 'a staff'."""
    import re

    from generator.assemble import assemble
    from generator.render.markdown import render_markdown
    text = (ROOT / "council_profiles" / "milcombe-parish-council.yaml").read_text("utf-8")
    profile = profile_from_text(text + "terms: {officers: staff}\n")
    md = render_markdown(assemble(profile, library))
    assert "member of staff" in md
    assert not re.search(r"\b(?:a|an|the|each|every|any|one) staff\b", md, re.I), \
        re.findall(r"[^.]*\b(?:a|an|each|every|any) staff\b[^.]*", md, re.I)


def test_unknown_key_names_the_key_line_and_suggestion():
    (p,) = problems_of("council:\n  councl_name: X\n  name: X\n  tier: parish\n")
    assert "councl_name" in p.message
    assert (p.line, p.column) == (2, 3)
    assert p.hint == "did you mean 'name'?"
    assert "councl_name" in str(p) and "p.yaml:2:3" in str(p)


def test_every_problem_is_reported_together():
    found = problems_of("council:\n  name: X\n  tier: parsh\n  political_groups: maybe\n"
                        "adoption:\n  adopted: 2025-02-30\n  colour: red\n")
    fields = {p.field for p in found}
    assert fields == {"council.tier", "council.political_groups", "adoption.adopted",
                      "adoption.colour"}
    tier = next(p for p in found if p.field == "council.tier")
    assert "did you mean 'parish'" in tier.hint and tier.line == 3


@pytest.mark.parametrize("text, field, words", [
    ("council: {name: X, tier: parish, governance: leader_cabinet}", "council.governance",
     "only principal councils"),
    ("council: {name: X, tier: parish, nation: wales}", "council.tier", "no parish councils"),
    ("council: {name: X, tier: community}", "council.tier", "Welsh"),
    ("council: {name: X, tier: district, independent_members: true}",
     "council.independent_members", "political groups"),
    ("council: {name: X, tier: district}\nroles: {leader: Leader}", "roles.leader",
     "no executive"),
    ("council: {name: X, tier: district}\nadoption: {adopted: 2025-05-01, next_review: 2024-05}",
     "adoption.next_review", "not after adoption"),
])
def test_contradictions_are_errors_with_reasons(text, field, words):
    found = problems_of(text)
    assert any(p.field == field and words in p.message for p in found), found


def test_warnings_for_unusual_but_legal_choices():
    from generator.profile.load import parse_profile
    from generator.profile.yamlsource import parse_yaml
    src, _ = parse_yaml("council: {name: X, tier: parish, political_groups: true}\n"
                        "adoption: {next_review: 2020-01}\n", "w.yaml")
    profile, problems = parse_profile(src, today=dt.date(2026, 1, 1))
    assert profile is not None
    assert all(p.severity == "warning" for p in problems)
    text = " ".join(p.message for p in problems)
    assert "staffing committee" in text and "has passed" in text and "monitoring officer" in text


def test_review_date_formats():
    ok = profile_from_text(PARISH + "adoption: {next_review: 2026-05}")
    assert ok.adoption.next_review == "2026-05"
    (p,) = problems_of(PARISH + "adoption: {next_review: next May}")
    assert "YYYY-MM" in p.message


def test_signatories_default_to_chair_and_head_officer():
    assert profile_from_text(PARISH).signatories() == ["Chair", "Parish Clerk"]
    named = profile_from_text(PARISH + "adoption: {signatories: [Chairman, Clerk]}")
    assert named.signatories() == ["Chairman", "Clerk"]


def test_a_huge_unknown_key_is_shown_by_its_start():
    (p,) = problems_of("council:\n  name: X\n  tier: parish\n  " + "k" * 1000 + ": 1\n")
    assert len(str(p)) < 400
    assert "unknown key 'kkkk" in p.message and "…" in p.message


def test_warning_when_a_new_version_keeps_the_old_adoption_date():
    from generator.profile.load import parse_profile
    from generator.profile.yamlsource import parse_yaml
    src, _ = parse_yaml(PARISH + "adoption:\n  version: '1.1'\n  adopted: 2025-05-12\n"
                        "  history: [{version: '1.0', date: 2025-05-12, change: Adopted}]\n",
                        "v.yaml")
    profile, problems = parse_profile(src)
    assert profile is not None
    (warning,) = [p for p in problems if p.field == "adoption.adopted"]
    assert warning.severity == "warning" and "probably not updated" in warning.message


def test_a_misspelt_required_key_is_reported_once():
    (p,) = problems_of("council:\n  councl_name: X\n  tier: parish\n")
    assert p.field == "council.councl_name" and p.hint == "did you mean 'name'?"
    found = problems_of("council:\n  tier: parish\n")   # really missing: still reported
    assert [q.field for q in found] == ["council.name"]
