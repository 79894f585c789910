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
    for profile in kinds():
        repeats = repeated_points(assemble(profile, library))
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
