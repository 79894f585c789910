"""The points list: declarations, their checks, and the points a document makes."""
from __future__ import annotations

from conftest import ROOT

from generator.assemble import assemble
from generator.library.clauses import load_library, read_library
from generator.library.points import (clause_points, document_points, item_points,
                                      load_points, place_items, mark, points_made_twice)
from generator.profile.load import load_profile

MILCOMBE = ROOT / "council_profiles" / "milcombe-parish-council.yaml"


def _house(tmp_path, clauses: str):
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "99-house.yaml").write_text(
        "id: house\ntitle: House\norder: 99\nclauses:\n" + clauses, encoding="utf-8")
    return folder


def test_the_list_is_read_with_a_home_section_for_each_point(library):
    points = load_points()
    assert len(points) > 60
    assert points["impartiality"].home == "principles"
    assert points["informal-first"].home == "wrong"
    sections = {s.id for s in library.sections}
    assert {p.home for p in points.values()} <= sections


def test_every_shipped_clause_declares_known_points(library):
    made = clause_points(library)
    assert set(made) == set(library.clauses)
    assert all(made.values())
    assert set().union(*made.values()) <= set(load_points())


def test_an_unknown_point_is_refused_with_a_suggestion(tmp_path, invoke):
    folder = _house(tmp_path, "  - id: house.one\n    points: [impartialty]\n    variants:\n"
                    "      - source: house 1\n        text: Officers are impartial.\n")
    result = invoke("library", "check", "--library", str(folder))
    assert result.exit_code == 1
    assert "house.one declares point 'impartialty', which is not in points.yaml" in result.output
    assert "did you mean 'impartiality'?" in result.output
    assert "99-house.yaml:5" in result.output        # the clause's own line


def test_a_list_item_declares_its_own_points(tmp_path):
    text = ("Officers can expect:\n\n- courtesy; {# points: respect #}\n"
            "- leadership. {# points: leadership #}\n")
    assert [ids for _, ids in item_points(text)] == [("respect",), ("leadership",)]
    folder = _house(tmp_path, "  - id: house.one\n    points: [timely-responses]\n"
                    "    variants:\n      - source: house 1\n        text: |-\n"
                    "          Officers can expect:\n\n"
                    "          - courtesy; {# points: respectt #}\n")
    _, problems = read_library([ROOT / "clause_library", folder])
    assert any("(a list item) declares point 'respectt'" in p.message for p in problems)


def test_a_house_clause_needs_no_points_but_a_replacement_keeps_the_shipped_ones(tmp_path):
    folder = _house(tmp_path, "  - id: house.one\n    variants:\n      - source: house 1\n"
                    "        text: Our own words.\n  - id: principles.impartiality\n"
                    "    variants:\n      - source: house 2\n"
                    "        text: Officers serve every Councillor alike.\n")
    lib = load_library([ROOT / "clause_library", folder])
    made = clause_points(lib)
    assert made["house.one"] == ()
    assert made["principles.impartiality"] == ("impartiality",)


def test_an_item_whose_point_is_made_elsewhere_is_left_out_and_the_list_tidied():
    body = mark("Lead-in:\n\n1. first; {# points: respect #}\n2. second; {# points: a #}\n"
                "3. third. {# points: respect #}")
    text, kept, dropped = place_items(body, {"respect"})
    assert text == "Lead-in:\n\n1. second."
    assert kept == [("a", "second;")]
    assert dropped == [("first;", ("respect",)), ("third.", ("respect",))]


def test_a_document_says_which_clause_makes_each_point(library):
    profile, _ = load_profile(MILCOMBE)
    doc = assemble(profile, library)
    made = document_points(doc)
    (where,) = made["impartiality"]
    assert (where.clause, where.section) == ("principles.impartiality", "principles")
    assert where.number == next(c.number for c in doc.clauses()
                                if c.id == "principles.impartiality")
    assert not points_made_twice(doc)


def test_a_point_made_by_two_clauses_is_found(tmp_path):
    folder = _house(tmp_path, "  - id: house.again\n    points: [impartiality]\n"
                    "    variants:\n      - source: house 1\n"
                    "        text: Officers are neutral.\n")
    lib = load_library([ROOT / "clause_library", folder])
    profile, _ = load_profile(MILCOMBE)
    twice = points_made_twice(assemble(profile, lib))
    assert [m.clause for m in twice["impartiality"]] == ["principles.impartiality",
                                                         "house.again"]


def test_library_check_refuses_a_point_made_twice_naming_the_point_and_clauses(invoke,
                                                                                tmp_path):
    folder = _house(tmp_path, "  - id: house.again\n    points: [impartiality]\n"
                    "    variants:\n      - source: house 1\n"
                    "        text: Officers serve every Councillor alike.\n")
    result = invoke("library", "check", "--library", str(folder))
    assert result.exit_code == 1
    assert ("point 'impartiality' is made more than once, by principles.impartiality and by "
            "house.again, in the protocol of england-parish-committee-no-groups") in result.output
    assert "say it once, in its home section" in result.output
