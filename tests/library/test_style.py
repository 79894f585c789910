"""The house voice (docs/style.md): checked on the protocol of every kind of council and every
example, and each rule shown to catch what it is for."""
from __future__ import annotations

import pytest

from conftest import ROOT, all_profiles

from generator.assemble import assemble, every_kind
from generator.document import Clause, Document, Section
from generator.library.style import style_faults
from generator.profile.load import load_profile
from generator.profile.matrix import kinds

MILCOMBE = ROOT / "council_profiles" / "milcombe-parish-council.yaml"


@pytest.fixture(scope="module")
def documents(library):
    examples = [(p.stem, load_profile(p)[0]) for p in all_profiles()]
    return every_kind(library, examples)


def test_every_kind_of_council_and_every_example_is_in_the_house_voice(documents):
    assert len(documents) > 100            # distinct protocols, not one checked many times
    found = {}
    for name, profile, doc in documents:
        for fault in style_faults(doc, profile.context()):
            found.setdefault((fault.clause, fault.rule, fault.text), name)
    assert not found, "\n".join(f"{name}: {c} ({rule}): {text}"
                                for (c, rule, text), name in found.items())


def test_no_point_is_made_twice_by_the_points_list(documents):
    from generator.library.points import points_made_twice
    twice = {name: points_made_twice(doc) for name, _, doc in documents}
    assert not {k: v for k, v in twice.items() if v}


def _doc(*bodies: str) -> Document:
    from generator.assemble import _metadata
    profile, _ = load_profile(MILCOMBE)
    clauses = tuple(Clause(f"test.c{i}", f"1.{i}", body, "drafted")
                    for i, body in enumerate(bodies, start=1))
    return Document(_metadata(profile), (Section("test", 1, "Test", clauses),))


@pytest.mark.parametrize("body, rule", [
    ("Councillors bring concerns to the council.", "capitals"),
    ("This protocol applies to all.", "capitals"),
    ("The Clerk and other Officers serve the Council.", "capitals"),
    ("Councillors shall not instruct officers.", "modal"),
    ("Councillors should not instruct officers.", "modal"),
    ("The Chair and the councillors meet.", "capitals"),
    ("Officers can expect:\n\n- leadership;\n- Respect and courtesy.", "list"),
    ("Officers can expect:\n\n- leadership\n- respect.", "list"),
    ("Officers can expect:\n\n- leadership;\n- respect;", "list"),
    (" ".join(["word"] * 51) + ".", "length"),
])
def test_each_rule_finds_what_it_is_for(body, rule):
    ctx = {"members": "Councillors", "sole_officer": False}
    assert [f.rule for f in style_faults(_doc(body), ctx)] == [rule]


def test_the_house_voice_itself_passes():
    ctx = {"members": "Councillors", "sole_officer": True}
    body = ("The Council and this Protocol: officers must not be pressed, and the Monitoring "
            "Officer will advise. Another council may differ.\n\n- leadership;\n- respect.")
    assert style_faults(_doc(body), ctx) == []


def test_where_the_clerk_is_the_only_employee_the_text_names_the_clerk():
    body = "Junior officers report to their line manager."
    faults = style_faults(_doc(body), {"members": "Councillors", "sole_officer": True})
    assert [f.rule for f in faults] == ["sole-clerk"]
    assert style_faults(_doc(body), {"members": "Councillors", "sole_officer": False}) == []


def test_a_profile_may_ask_for_the_sources_words_as_written(library):
    from generator.profile.load import profile_from_text
    text = MILCOMBE.read_text(encoding="utf-8")
    house, _ = load_profile(MILCOMBE)
    source = profile_from_text(text.replace("drafting:\n", "drafting:\n  voice: source\n", 1),
                               "milcombe.yaml")
    assert source.drafting.voice == "source" and house.drafting.voice == "house"
    before = {c.id: c.body for c in assemble(house, library).clauses()}
    after = {c.id: c.body for c in assemble(source, library).clauses()}
    changed = [k for k in before if before[k] != after[k]]
    assert "roles.equal-treatment" in changed
    assert "should be treated equally" in after["roles.equal-treatment"]
    assert "must be treated equally" in before["roles.equal-treatment"]


def test_a_house_library_clause_in_another_voice_is_refused(invoke, tmp_path):
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "99-house.yaml").write_text(
        "id: house\ntitle: House\norder: 99\nclauses:\n  - id: house.one\n    variants:\n"
        "      - source: house 1\n        text: Officers shall answer the council.\n",
        encoding="utf-8")
    result = invoke("library", "check", "--library", str(folder))
    assert result.exit_code == 1
    assert "house.one: house style (modal)" in result.output
    assert "house.one: house style (capitals)" in result.output
    assert "never 'shall'" in result.output




def test_the_wordings_offered_side_by_side_keep_the_profiles_voice(library):
    """With ``drafting.voice: source`` the wording in use, shown beside its alternatives
    (the browser app's preview), is the text the protocol prints: the source's words."""
    from generator.assemble import choose_variant, variant_clause
    from generator.profile.load import profile_from_text
    text = MILCOMBE.read_text(encoding="utf-8").replace("drafting:\n", "drafting:\n  voice: source\n", 1)
    assert "voice: source" in text
    profile = profile_from_text(text, str(MILCOMBE))
    doc = assemble(profile, library)
    ctx = profile.context()
    kept = 0
    for clause in doc.clauses():
        lib = library.clauses[clause.id]
        variant = choose_variant(lib, profile, ctx)
        if not variant.as_written:
            continue
        shown = variant_clause(lib, variant, ctx, doc, library, profile.drafting.voice)
        assert shown.body == clause.body, clause.id
        kept += 1
    assert kept >= 3
