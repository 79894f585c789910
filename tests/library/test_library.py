"""The clause library loader and its deep checks."""
from pathlib import Path

import pytest

from generator.errors import LibraryError
from generator.library.clauses import check_library, load_library, read_library

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def test_shipped_library_is_valid(library):
    assert check_library(library) == []
    assert len(library.sections) >= 10
    ids = [c.id for s in library.sections for c in s.clauses]
    assert len(ids) == len(set(ids))


def test_sections_come_in_order(library):
    orders = [s.order for s in library.sections]
    assert orders == sorted(orders)


def test_bad_library_reports_every_problem_together():
    lib, problems = read_library([FIX / "library-bad"])
    problems += check_library(lib)
    text = "\n".join(map(str, problems))
    assert "duplicate clause id 'bad.one'" in text
    assert "unknown source 'nowhere 1.1'" in text
    assert "unknown name 'politcal_groups'" in text and "did you mean 'political_groups'" in text
    assert "unknown name 'head_oficer'" in text
    assert "ref('nowhere.at-all')" in text
    assert all(p.file and p.line for p in problems)


def test_load_library_raises_with_all_problems():
    with pytest.raises(LibraryError) as info:
        load_library([FIX / "library-bad"])
    assert len(info.value.problems) == 2  # the structural ones: duplicate id, unknown source


def test_drafted_variant_needs_a_reason(tmp_path):
    (tmp_path / "01.yaml").write_text(
        "id: a\ntitle: A\norder: 1\nclauses:\n  - id: a.b\n    variants:\n"
        "      - source: drafted\n        text: Words.\n")
    with pytest.raises(LibraryError) as info:
        load_library([tmp_path])
    assert "reason" in str(info.value)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LibraryError) as info:
        load_library([tmp_path / "nope"])
    assert "does not exist" in str(info.value)


def test_house_layer_replaces_in_place_and_adds(tmp_path):
    (tmp_path / "03-wrong.yaml").write_text(
        "id: wrong\ntitle: If things go wrong\norder: 3\nclauses:\n"
        "  - id: wrong.complaints\n    variants:\n      - source: house guide 2\n"
        "        text: Our own words.\n"
        "  - id: wrong.extra\n    variants:\n      - source: house guide 3\n"
        "        text: An extra clause.\n")
    lib = load_library([FIX / "library-ok", tmp_path])
    wrong = lib.section("wrong")
    assert wrong.title == "If things go wrong"
    assert [c.id for c in wrong.clauses] == ["wrong.complaints", "wrong.extra"]
    assert wrong.clauses[0].variants[0].text == "Our own words."
    assert check_library(lib) == []


def test_house_section_without_when_keeps_the_shipped_condition(tmp_path):
    (tmp_path / "02-groups.yaml").write_text(
        "id: groups\ntitle: Groups\norder: 2\nclauses:\n"
        "  - id: groups.extra\n    variants:\n      - source: house guide 1\n"
        "        text: Extra words.\n")
    lib = load_library([FIX / "library-ok", tmp_path])
    assert lib.section("groups").when == "political_groups"
    (tmp_path / "02-groups.yaml").write_text(
        "id: groups\ntitle: Groups\norder: 2\nwhen: null\nclauses: []\n")
    assert load_library([FIX / "library-ok", tmp_path]).section("groups").when is None


def test_a_nested_profile_name_gets_the_flat_name_suggested(tmp_path):
    (tmp_path / "01.yaml").write_text(
        "id: a\ntitle: A\norder: 1\nclauses:\n  - id: a.b\n    when: council.political_group\n"
        "    variants:\n      - source: house guide 1\n        text: Words.\n")
    (problem,) = check_library(load_library([tmp_path]))
    assert problem.message == "unknown name 'council'"
    assert problem.hint.startswith("did you mean 'political_groups'? names are flat")
