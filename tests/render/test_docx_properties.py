"""What check accepts, build builds: values too long for a Word document property (255
characters) are shortened there, with a warning, and shown whole in the document."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from conftest import PROFILES

from generator.document import WORD_PROPERTY_MAX, word_property

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def long_profile(tmp_path: Path, name: str, title: str | None = None) -> Path:
    text = MILCOMBE.read_text(encoding="utf-8")
    assert "name: Milcombe Parish Council" in text
    text = text.replace("name: Milcombe Parish Council", f"name: {name}", 1)
    if title:
        assert "\ndocument:" not in text
        text += f"\ndocument:\n  title: {title}\n"
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def words(n: int, start: str) -> str:
    text = start
    while len(text) < n:
        text += " and Upper Heyford"
    return text[:n].rstrip()


CASES = {
    "name 200": (words(192, "Milcombe") + " Council", None, "council.name", "keywords"),
    "name 150, title 120": (words(135, "Milcombe") + " Parish Council",
                            words(120, "Protocol on working relations"), "document.title",
                            "title"),
}


@pytest.mark.parametrize("case", CASES)
def test_check_and_build_agree_and_say_what_was_shortened(invoke, tmp_path, case):
    name, title, field, prop = CASES[case]
    profile = long_profile(tmp_path, name, title)
    checked = invoke("check", profile)
    assert checked.exit_code == 0, checked.output
    assert f"{field}" in checked.stderr and "shortened" in checked.stderr
    assert prop in checked.stderr
    built = invoke("build", profile, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert "shortened" in built.stderr and "Traceback" not in built.output
    path = tmp_path / "out" / "long" / "long-member-officer-protocol.docx"
    document = docx.Document(str(path))
    core = document.core_properties
    for value in (core.title, core.subject, core.author, core.keywords, core.comments):
        assert len(value) <= WORD_PROPERTY_MAX
    assert getattr(core, prop).endswith("…")
    assert any(name in p.text for p in document.paragraphs[:10])    # whole on the page


def test_short_values_are_untouched_and_long_ones_cut_at_a_word():
    assert word_property("Milcombe Parish Council") == "Milcombe Parish Council"
    exact = "x" * WORD_PROPERTY_MAX
    assert word_property(exact) == exact
    long = " ".join(["council"] * 60)
    cut = word_property(long)
    assert len(cut) <= WORD_PROPERTY_MAX and cut.endswith("council…")
