"""Golden Markdown for every example council: any change to the text shows in the diff.

After an intended change, regenerate with ``pytest tests/test_golden.py --update-golden`` and
review ``git diff tests/golden``.
"""
from pathlib import Path

import pytest

from generator.pipeline import build_profile

from conftest import all_profiles

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("path", all_profiles(), ids=lambda p: p.stem)
def test_markdown_matches_golden(path, library, update_golden):
    text = build_profile(path, library, ("md",)).files["md"].decode("utf-8")
    golden = GOLDEN / f"{path.stem}.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{path.name} no longer matches {golden.name}; if the change is intended, run "
        "pytest tests/test_golden.py --update-golden and review the diff")


def test_every_golden_file_has_a_profile():
    stems = {p.stem for p in all_profiles()}
    orphans = [g.name for g in GOLDEN.glob("*.md") if g.stem not in stems]
    assert not orphans, f"golden files without a profile: {orphans}"
