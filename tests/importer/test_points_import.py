"""Each point once in an imported protocol: a point the council makes in its own words
(the points' cues in clause_library/points.yaml) is never added again from the library;
two answers on one point are a finding; own paragraphs are placed by what they say, and
one that refers back stays with the paragraph before it; an import adds only the clauses
that matter and keeps within its word limit; the audit's topics follow the same points."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import ROOT

BUILD_DATE = dt.date(2026, 12, 6)

OAKHOLLOW = """Oakhollow District Council
Member and Officer Protocol

1. Introduction
1.1 This Protocol describes how councillors and officers of Oakhollow District Council work together. It should be read with the Members' Code of Conduct adopted under the Localism Act 2011.
1.2 The Council operates a leader and cabinet executive, and councillors sit in political groups.
2. Concerns and complaints
2.1 The Chief Executive is the Head of Paid Service. The Director of Legal Services is the Monitoring Officer and the Director of Finance is the Chief Finance Officer.
3. Respect
3.1 A councillor should never criticise a named officer in public or on social media.
3.2 Officers should likewise not criticise councillors in public, and should take a difficulty to their own director.
4. Difficulties
4.1 Talking things through informally is always the best first step for any difficulty between a councillor and an officer.
4.2 An officer with a concern about a councillor's behaviour should tell their director, who will discuss it with the Monitoring Officer.
4.3 Councillors should not ask officers to do work for them in a private capacity.
5. Review
5.1 The Standards Committee will review this Protocol every three years.
"""


def _audit(text: str, name: str, library):
    from generator.importer.run import audit_bytes
    return audit_bytes(text.encode("utf-8"), name, library, today=BUILD_DATE)


def _build(a, stem: str, folder: Path, library, choose: dict[str, str]):
    """Import, choose what the import could not find, and assemble (as a clerk would)."""
    from generator.importer.doubts import NOT_FOUND
    from generator.importer.run import import_files
    from generator.pipeline import check_profile
    files = import_files(a, stem, library)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    profile = folder / f"{stem}.yaml"
    text = profile.read_text(encoding="utf-8")
    for k, v in choose.items():
        text = text.replace(f'  {k}: "{NOT_FOUND}"', f"  {k}: {v}")
    profile.write_text(text, encoding="utf-8")
    checked = check_profile(profile, library, today=BUILD_DATE)
    assert checked.document is not None, [p.message for p in checked.problems]
    return checked, text


CHOOSE = {"tier": "district", "nation": "england", "governance": "leader_cabinet",
          "political_groups": "true"}


@pytest.fixture(scope="module")
def oakhollow(library, tmp_path_factory):
    a = _audit(OAKHOLLOW, "oakhollow.txt", library)
    checked, profile = _build(a, "oakhollow", tmp_path_factory.mktemp("oak"), library,
                              CHOOSE)
    return a, checked, profile


def _by_ref(a):
    return {m.paragraph.ref: m for m in a.matches}


def test_points_are_recognised_in_the_councils_own_words(oakhollow, library):
    from generator.library.points import clause_points
    a, _, _ = oakhollow
    made = clause_points(library)
    said = {ref: set(m.made(made)) for ref, m in _by_ref(a).items()}
    assert "informal-first" in said["4.1"]
    assert "officer-concern" in said["4.2"]
    assert "statutory-duties" in said["2.1"]
    assert "no-public-criticism" in said["3.1"]
    assert "review" in said["5.1"]
    assert "council-resources" in said["4.3"]


def test_no_library_clause_repeats_a_point_the_council_makes(oakhollow):
    from generator.library.points import points_made_twice
    _, checked, profile = oakhollow
    doc = checked.document
    source = {c.id: c.source for s in doc.sections for c in s.clauses}
    twice = {p: [m.clause for m in made] for p, made in points_made_twice(doc).items()}
    added = {p: c for p, c in twice.items() if any(not source[x].startswith("house")
                                                   for x in c)}
    assert not added, added
    # the library's clause on each point is the council's paragraph, or left out
    for clause in ("wrong.resolve", "wrong.officers", "review.regular",
                   "relationships.public-comment"):
        assert source.get(clause, "house").startswith("house"), clause
    assert "made by your paragraph" in profile
    body = "\n".join(c.body for s in doc.sections for c in s.clauses)
    assert body.count("best first step") == 1


def test_own_paragraphs_are_placed_by_what_they_say(oakhollow):
    _, checked, _ = oakhollow
    where = {c.source: (s.id, c.number) for s in checked.document.sections
             for c in s.clauses}
    # the statutory officers, under the council's heading "Concerns and complaints", go
    # to the roles; the resources paragraph under "Difficulties" to the resources
    assert where["house 2.1"][0] == "roles"
    assert where["house 4.3"][0] == "resources"
    # "Officers should likewise ..." stays straight after the paragraph it refers to
    section, number = where["house 3.1"]
    after = number.split(".")[0] + "." + str(int(number.split(".")[1]) + 1)
    assert where["house 3.2"] == (section, after)


def test_two_answers_on_the_review_period_are_a_finding_and_printed_once(oakhollow):
    a, checked, profile = oakhollow
    differs = [f for f in a.findings if f.kind == "differs"]
    assert differs and differs[0].paragraph == "5.1"
    assert "every 3 years" in differs[0].message and "every 2 years" in differs[0].message
    assert "choose" in differs[0].fix
    assert re.search(r"^  review_period: 3\b", profile, re.MULTILINE)
    body = "\n".join(c.body for s in checked.document.sections for c in s.clauses)
    assert "every three years" in body and "within 2 years" not in body


def test_an_import_adds_what_matters_and_keeps_within_its_limit(library, tmp_path, invoke):
    from generator import length
    # a town council's short protocol: the library's law and core points are added, the
    # rest is listed as left out, each with how to add it back
    text = ("Amblecote Town Council\nWorking together\n\n1. Our staff\n"
            "1.1 The Town Clerk is employed by the Town Council as a whole and takes "
            "instructions from its decisions, not from individual councillors.\n"
            "1.2 Councillors treat the Town Clerk and each other with courtesy.\n"
            "2. Review\n2.1 The Town Council will review this Protocol every year.\n")
    a = _audit(text, "amblecote.txt", library)
    checked, profile = _build(a, "amblecote", tmp_path, library,
                              {"tier": "town", "nation": "england"})
    assert length.words(checked.document) <= length.LOCAL_LIMIT
    assert "not required by law nor a core point" in profile
    assert "delete a line to add that clause" in profile
    kept = {c.id for s in checked.document.sections for c in s.clauses}
    assert "wrong.bullying" in kept and "wrong.code-complaints" in kept     # law and core
    # a long one: the added core clauses give way, never the council's own words
    filler = "".join(f"3.{k} The Town Council keeps its footpath number {k} open, "
                     + "and the Town Clerk reports on it to each meeting " * 10 + ".\n"
                     for k in range(1, 16))
    a = _audit(text + "3. Footpaths\n" + filler, "amblecote.txt", library)
    checked, profile = _build(a, "amblecote-long", tmp_path, library,
                              {"tier": "town", "nation": "england"})
    assert "left out so that the protocol stays within 2,800 words" in profile
    assert length.words(checked.document) <= length.LOCAL_LIMIT
    # and the import says so, with how to add them back
    (tmp_path / "amblecote.txt").write_text(text + "3. Footpaths\n" + filler,
                                            encoding="utf-8")
    result = invoke("import", tmp_path / "amblecote.txt", "--out", tmp_path / "cli")
    assert result.exit_code == 0, result.output
    assert "left out to keep the protocol within its word limit (delete a line under " \
           "drafting.exclude to add one back): " in result.output


def test_audit_topics_follow_the_points_and_the_dates(oakhollow, library):
    a, _, _ = oakhollow
    status = {t.id: t.status for t in a.topics}
    assert status["resources"] != "missing"          # 4.3, in its own words
    dated = _audit("Redbrook Parish Council\nProtocol\n\nAdopted by the Council on 3 March "
                   "2024. Next review: March 2025.\n\n1. Working together\n1.1 Councillors "
                   "and the Clerk treat each other with courtesy and respect.\n1.2 The "
                   "Clerk is employed by the council as a whole.\n", "redbrook.txt", library)
    assert {t.id: t.status for t in dated.topics}["review"] == "partial"


def test_cues_are_declared_once_and_checked(tmp_path):
    from generator.errors import LibraryError
    from generator.library.points import load_points
    points = (ROOT / "clause_library" / "points.yaml").read_text(encoding="utf-8")
    bad = points.replace('      - "grievance procedure"', '      - "Grievance procedure"')
    assert bad != points
    (tmp_path / "points.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(LibraryError) as err:
        load_points(tmp_path)
    assert "officer-grievance" in str(err.value) and "Grievance" in str(err.value)


def test_cues_invent_few_points_on_the_source_protocols(library):
    """Calibration: the points the cues find in the five source protocols' paragraphs
    (whose points are known: the clauses they match) and in the library's own wordings
    are nearly all points those paragraphs make (5 of 113 paragraphs when written: two
    of them Milcombe's "resolve matters informally", which its clauses do not declare)."""
    from generator.library.points import clause_points
    made = clause_points(library)
    wrong = total = 0
    for path in sorted((ROOT / "clause_library" / "sources").glob("*.txt")):
        a = _audit(path.read_text(encoding="utf-8"), path.name, library)
        for m in a.matches:
            if m.paragraph.kind != "provision":
                continue
            known = {p for c in (m.clause, m.related, *m.also) for p in made.get(c or "", ())}
            total += 1
            wrong += len(set(m.points) - known)
    assert total > 100 and wrong <= 0.05 * total, (wrong, total)


def test_an_added_clause_that_leans_on_the_one_before_brings_it(oakhollow):
    """"Any such briefings must not pre-empt ..." is never added without the clause on
    briefings before it (nor that one without the one it follows, "As a result, ...")."""
    from generator.importer.trim import refers_back
    _, checked, _ = oakhollow
    assert refers_back("Any such briefings must not pre-empt decisions.")
    assert refers_back("Officers should likewise not criticise Councillors in public.")
    assert not refers_back("This Protocol applies from its adoption.")
    ids = [c.id for s in checked.document.sections for c in s.clauses]
    assert "support.decision-making" in ids
    at = ids.index("support.decision-making")
    assert ids[at - 2:at] == ["support.watching-brief", "support.briefings"]
