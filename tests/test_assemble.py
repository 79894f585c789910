"""Assembly: selection, variant choice, numbering, references, provenance."""
from pathlib import Path

import pytest

from generator.assemble import assemble
from generator.errors import AssemblyError
from generator.library.clauses import load_library
from generator.profile.load import profile_from_text

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def lib():
    return load_library([FIX / "library-ok"])


def profile(extra="", tier="parish", groups=False):
    return profile_from_text(
        f"council: {{name: Example Council, tier: {tier}, political_groups: {str(groups).lower()}}}\n"
        + extra)


def numbers(doc):
    return {c.id: c.number for c in doc.clauses()}


def test_numbering_closes_up_when_a_section_is_left_out(lib):
    with_groups = assemble(profile(groups=True), lib)
    without = assemble(profile(groups=False), lib)
    assert [s.id for s in with_groups.sections] == ["intro", "groups", "wrong"]
    assert [s.id for s in without.sections] == ["intro", "wrong"]
    assert numbers(with_groups)["wrong.complaints"] == "3.1"
    assert numbers(without)["wrong.complaints"] == "2.1"
    assert [s.number for s in without.sections] == [1, 2]


def test_references_follow_the_numbering(lib):
    body = assemble(profile(groups=False), lib).sections[0].clauses[0].body
    assert "see paragraph 2.1 and section 2" in body
    body = assemble(profile(groups=True), lib).sections[0].clauses[0].body
    assert "see paragraph 3.1 and section 3" in body


def test_clause_conditions(lib):
    assert "intro.parish-only" in numbers(assemble(profile(), lib))
    assert "intro.parish-only" not in numbers(assemble(profile(tier="district"), lib))


def test_variant_choice_order(lib):
    doc = assemble(profile(), lib)
    assert doc.sections[0].clauses[0].source == "milcombe 1.2"  # library default
    doc = assemble(profile("drafting: {prefer_sources: [halstead]}"), lib)
    assert doc.sections[0].clauses[0].source == "halstead 1.1"
    doc = assemble(profile("drafting: {prefer_sources: [halstead], "
                           "variants: {intro.purpose: milcombe}}"), lib)
    assert doc.sections[0].clauses[0].source == "milcombe 1.2"  # explicit choice wins


def test_variant_conditions(lib):
    parish = assemble(profile(), lib)
    district = assemble(profile(tier="district"), lib)
    complaint = {d.id: d for d in parish.clauses()}["wrong.complaints"]
    assert complaint.body == "Raise it with the Parish Clerk."
    complaint = {d.id: d for d in district.clauses()}["wrong.complaints"]
    assert complaint.body == "Raise it with the Monitoring Officer."


def test_reference_to_excluded_clause_names_both(lib):
    with pytest.raises(AssemblyError) as info:
        assemble(profile("drafting: {exclude: [wrong.complaints]}"), lib)
    text = str(info.value)
    assert "intro.purpose" in text and "wrong.complaints" in text


def test_unknown_exclusion_is_an_error(lib):
    with pytest.raises(AssemblyError, match="no clause or section"):
        assemble(profile("drafting: {exclude: [no.such]}"), lib)


def test_variant_choice_that_does_not_exist(lib):
    with pytest.raises(AssemblyError, match="choose one of"):
        assemble(profile("drafting: {variants: {intro.purpose: blaenavon}}"), lib)


def test_profile_values_are_data_not_templates(lib):
    doc = assemble(profile_from_text("council: {name: '{{ 7*7 }} *Parish* Council', "
                                     "tier: parish}"), lib)
    body = doc.sections[0].clauses[0].body
    assert "{{ 7\\*7 }} \\*Parish\\* Council" in body
    assert "49" not in body


def test_provenance_records_every_decision(lib):
    doc = assemble(profile(), lib)
    by_id = {d.id: d for d in doc.decisions}
    assert not by_id["groups"].included and "political_groups" in by_id["groups"].reason
    assert by_id["intro.purpose"].included and by_id["intro.purpose"].source == "milcombe 1.2"
    assert by_id["intro.purpose"].number == "1.1"


def test_metadata_history_includes_the_adopted_version():
    lib = load_library([FIX / "library-ok"])
    doc = assemble(profile("adoption: {version: '2.0', adopted: 2025-05-12, minute: 25/041,\n"
                           "  history: [{version: '1.0', date: 2024-05-13, change: First}]}"), lib)
    assert [h.version for h in doc.meta.history] == ["1.0", "2.0"]
    assert doc.meta.status == "Adopted 12 May 2025 (minute 25/041)"


def test_every_reference_to_a_left_out_clause_is_reported(tmp_path):
    # a library of its own: the shipped one need not keep two such references
    (tmp_path / "01-intro.yaml").write_text(
        "id: intro\ntitle: Introduction\norder: 1\nclauses:\n"
        "  - id: intro.purpose\n    variants:\n      - source: drafted\n"
        "        reason: test\n        text: >-\n"
        "          See paragraphs {{ ref(\"wrong.officers\", bare=True) }} and "
        "{{ ref(\"wrong.members\", bare=True) }}.\n")
    (tmp_path / "02-wrong.yaml").write_text(
        "id: wrong\ntitle: When things go wrong\norder: 2\nclauses:\n"
        "  - id: wrong.officers\n    variants:\n      - source: drafted\n"
        "        reason: test\n        text: Officers.\n"
        "  - id: wrong.members\n    variants:\n      - source: drafted\n"
        "        reason: test\n        text: Members.\n")
    profile_text = ("council: {name: X Parish Council, tier: parish}\n"
                    "drafting: {exclude: [wrong]}\n")
    with pytest.raises(AssemblyError) as info:
        assemble(profile_from_text(profile_text), load_library([tmp_path]))
    text = str(info.value)
    assert "refers to 'wrong.officers'" in text and "refers to 'wrong.members'" in text
