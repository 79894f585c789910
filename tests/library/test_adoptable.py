"""Adoptable as written: each point once, and a length a council will read, for every kind of
council and every shipped example."""
from __future__ import annotations

import pytest

from conftest import all_profiles

from generator.assemble import assemble
from generator.library.repeats import repeated_points
from generator.profile.load import load_profile
from generator.profile.matrix import kinds
from generator.render.markdown import render_markdown

LOCAL_LIMIT = 2800       # words, a parish, town or community council's protocol
PRINCIPAL_LIMIT = 4500   # words, a principal council's


def _label(profile) -> str:
    c = profile.council
    return (f"{c.nation}-{c.tier}-{c.governance}-"
            f"{'groups' if c.political_groups else 'no-groups'}"
            f"{'-independents' if c.independent_members else ''}")


KINDS = kinds(practices=False)


@pytest.mark.parametrize("profile", KINDS, ids=[_label(p) for p in KINDS])
def test_no_point_is_made_twice_for_any_kind_of_council(profile, library):
    repeats = repeated_points(assemble(profile, library))
    assert not repeats, "\n".join(f"{r.first} / {r.second} ({r.score}): {r.first_text!r} ~ "
                                  f"{r.second_text!r}" for r in repeats)


def test_every_practice_setting_gives_a_protocol_without_repeats(library):
    found = {}
    seen = set()
    for profile in kinds():
        doc = assemble(profile, library)
        key = tuple(c.body for c in doc.clauses())
        if key in seen:            # the same words as a kind already checked
            continue
        seen.add(key)
        repeats = repeated_points(doc)
        if repeats:
            found[_label(profile) + " " + repr(profile.practices.model_dump())] = [
                (r.first, r.second) for r in repeats]
    assert not found, found


@pytest.mark.parametrize("path", all_profiles(), ids=lambda p: p.stem)
def test_no_point_is_made_twice_in_the_examples(path, library):
    profile, _ = load_profile(path)
    assert not repeated_points(assemble(profile, library))


def test_the_examples_are_within_their_length(library, capsys):
    counts = {}
    for path in all_profiles():
        profile, _ = load_profile(path)
        words = len(render_markdown(assemble(profile, library)).split())
        limit = LOCAL_LIMIT if profile.local_council else PRINCIPAL_LIMIT
        counts[path.stem] = (words, limit)
    with capsys.disabled():
        print("\nwords in each example protocol (limit):")
        for stem, (words, limit) in counts.items():
            print(f"  {stem:34} {words:5} ({limit})")
    over = {k: v for k, v in counts.items() if v[0] > v[1]}
    assert not over, f"over the limit: {over}"


def test_a_clause_of_two_paragraphs_is_refused(invoke, tmp_path):
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "99-house.yaml").write_text(
        "id: house\ntitle: House\norder: 99\nclauses:\n  - id: house.two\n    variants:\n"
        "      - source: house 1\n        text: |-\n          First paragraph.\n\n"
        "          Second paragraph, with no number of its own.\n", encoding="utf-8")
    result = invoke("library", "check", "--library", str(folder))
    assert result.exit_code == 1
    assert "house.two: variant 1 text has more than one paragraph" in result.output
    assert "make the second paragraph a clause of its own" in result.output


@pytest.mark.parametrize("text, refused", [
    ("{% if sole_officer %}The Clerk has{% else %}Officers have{% endif %} duties.", False),
    ("{% if sole_officer %}- a list item first{% endif %}", True),
    ("- a list item first", True),
])
def test_a_clause_opens_with_its_numbered_paragraph(invoke, tmp_path, text, refused):
    """An opening {% if %} is looked through: what follows it must be a paragraph."""
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "99-house.yaml").write_text(
        "id: house\ntitle: House\norder: 99\nclauses:\n  - id: house.one\n    variants:\n"
        "      - source: house 1\n        text: |-\n          " + text + "\n", encoding="utf-8")
    result = invoke("library", "check", "--library", str(folder))
    assert (result.exit_code == 1) == refused, result.output
    assert ("must open with a paragraph" in result.output) == refused


def _sentences(text: str) -> list[str]:
    import re
    return re.split(r"(?<=[.;:])\s+", " ".join(text.split()))


@pytest.mark.parametrize("profile", KINDS, ids=[_label(p) for p in KINDS])
def test_the_review_findings_stay_fixed_for_every_kind_of_council(profile, library):
    """Each finding of the monitoring-officer review, checked on the protocol of every kind
    of council (its Markdown, as a clerk would read it)."""
    import re
    text = " ".join(render_markdown(assemble(profile, library)).split())
    lower = text.lower()
    c = profile.council
    ctx = profile.context()
    # the revoked 2001/2007 English model code is not quoted; no "purdah"; gender-neutral
    for phrase in ("likely to compromise the impartiality", "purdah", "his/her", "he/she",
                   "his or her", "(delegated)", "may inspect any document",
                   "setting the council tax", "offences", "chairmen and vice chairmen",
                   "training and induction of buildings", "will not be tolerated ensuring",
                   "daunting environment", "job profiles", "strategic director"):
        assert phrase not in lower, phrase
    # the Data Protection Act is always the 2018 Act
    assert not re.search(r"Data Protection Act(?! 2018)", text)
    # interests in the terms of the council's nation
    if c.nation == "wales":
        assert "disclosable pecuniary" not in lower and "Localism Act" not in text
        assert "Public Services Ombudsman for Wales" in text
        assert "Adjudication Panel for Wales" in text
        assert "Independent Person" not in text
    else:
        assert "prejudicial interest" not in lower and "Ombudsman" not in text
        assert "Independent Person" in text
    # a Welsh principal council has a chief executive (2021 Act s.54), not a head of paid
    # service under s.4 of the 1989 Act
    if ctx["principal_council"]:
        welsh = "Local Government and Elections (Wales) Act 2021 section 54" in text
        assert welsh == (c.nation == "wales")
        assert ("Housing Act 1989 sections 4 and 5" in text) == (c.nation != "wales")
    # the second reading: wrong or overstated law, and outdated terms
    for phrase in ("except as the", "budget requirement", "access to confidential papers",
                   "consent of the executive", "progress the matter", "which handles such",
                   "submit an item for the agenda", "their harassment by third parties",
                   "are dealt with under its"):
        assert phrase not in lower, phrase
    if ctx["local_council"]:      # the clerk is an employee, with no authority over members
        assert not re.search(r"(lies with|responsible for its operation)[^.]*clerk", lower)
    assert re.search(r"delegate decisions to a committee, a sub-committee or (an? |the )", text)
    if c.nation == "wales":
        assert re.search(r"may refer a case to the [^.]*Monitoring Officer", text)
    if ctx["executive"] and c.nation == "england":     # the executive's documents
        assert "Meetings and Access to Information) (England) Regulations 2012" in text
    if ctx["principal_council"]:
        assert "act as an election agent" in text
        assert "only the full Council may dismiss them" in text or c.nation == "wales"
    else:
        assert "any appeal is heard by" in text
    # grievances are the employer's, never the monitoring officer's
    for sentence in _sentences(text):
        if "grievance" in sentence.lower():
            assert "Monitoring Officer" not in sentence or "not" in sentence.lower(), sentence
    # no delegation to a single councillor outside executive arrangements
    if not profile.executive:
        assert not re.search(r"(?:single|individual|one) (?:councillor|member)s? (?:can|may) "
                             r"(?:be authorised|decide|take decisions)", lower)
    # nothing that presumes staff or structures the council does not have
    if ctx["sole_officer"]:
        for phrase in ("junior staff", "senior manager", "senior officer", "line manager"):
            assert phrase not in lower, phrase
    if not c.political_groups:       # (the law on party-political publicity and on
        rest = " ".join(s for s in _sentences(lower)   # politically restricted posts applies to all)
                        if "local government act 1986" not in s and "political restrictions" not in s)
        for phrase in ("political party", "party group", "opposition", "minority part"):
            assert phrase not in rest, phrase
    if not ctx["dpo_appointed"]:
        assert "data protection officer" not in lower
    if not ctx["chair_clerk_meetings"]:
        assert "regular informal meetings" not in lower


def test_a_point_made_twice_is_found(tmp_path):
    """The measure finds a point restated in other words by another clause."""
    from conftest import ROOT
    from generator.library.clauses import load_library
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "99-house.yaml").write_text(
        "id: house\ntitle: House\norder: 99\nclauses:\n  - id: house.again\n    variants:\n"
        "      - source: house 9\n        text: >-\n"
        "          Officers' reports to political groups are limited to a statement of the "
        "material facts and the options open to the Council.\n"
        "  - id: house.first\n    variants:\n      - source: house 10\n        text: >-\n"
        "          Reports from officers to a political group will be limited to a statement "
        "of material facts and of the options open to the Council.\n", encoding="utf-8")
    lib = load_library([ROOT / "clause_library", folder])
    profile, _ = load_profile(ROOT / "council_profiles" / "milcombe-parish-council.yaml")
    found = repeated_points(assemble(profile, lib))
    pairs = {(r.first, r.second) for r in found}
    assert ("house.again", "house.first") in pairs
    assert ("groups.advice", "house.again") in pairs      # the shipped clause says it too


@pytest.mark.parametrize("profile", KINDS, ids=[_label(p) for p in KINDS])
def test_bullying_is_dealt_with_in_one_paragraph(profile, library):
    """The employer's duty and the policy on bullying are one point, made once."""
    doc = assemble(profile, library)
    wrong = next(s for s in doc.sections if s.id == "wrong")
    about = [c.number for c in wrong.clauses if "bullying" in c.body.lower()]
    assert len(about) == 1, about
