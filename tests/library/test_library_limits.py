"""`library check` applies the limits every build applies: a house clause that no build
could render is reported by the check, not only by each build."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROFILES

from generator.library.templating import MAX_TEXT

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def house(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "house"
    folder.mkdir()
    quoted = text.replace("'", "''")
    (folder / "90-house.yaml").write_text(
        "id: house-extra\ntitle: House rules\norder: 90\nclauses:\n"
        "  - id: house-extra.rule\n    variants:\n      - source: house rules\n"
        f"        text: '{quoted}'\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("text, words", [
    ("A" + "a" * (MAX_TEXT * 9), "characters long"),
    ("The answer is {{ 99999 ** 9999 }}.", "too large a number"),
    ("Repeated {{ 'x' * 100000000 }}.", "cannot be rendered"),
])
def test_check_refuses_what_every_build_refuses(invoke, tmp_path, text, words):
    folder = house(tmp_path, text)
    built = invoke("build", MILCOMBE, "--out", tmp_path / "out", "--library", folder)
    assert built.exit_code == 1                      # the build refuses it
    checked = invoke("library", "check", "--library", folder)
    assert checked.exit_code == 1, checked.output
    assert words in checked.stderr and "house-extra.rule" in checked.stderr
    assert checked.stderr.count("house-extra.rule: variant 1 text") == 1   # once


def test_a_sound_house_clause_still_passes(invoke, tmp_path):
    folder = house(tmp_path, "The {{ head_officer }} keeps the house rules.")
    checked = invoke("library", "check", "--library", folder)
    assert checked.exit_code == 0, checked.output
