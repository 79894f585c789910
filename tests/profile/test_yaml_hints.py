"""Common slips in a hand-edited profile get a message that says what happened."""
from __future__ import annotations

from conftest import PROFILES

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def variant(tmp_path, old: str, new: str):
    text = MILCOMBE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_apostrophe_inside_single_quotes(invoke, tmp_path):
    path = variant(tmp_path, "name: Milcombe Parish Council", "name: 'O'Brien Parish Council'")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "apostrophe" in result.stderr and "<block end>" not in result.stderr
    assert "'O''Brien Parish Council'" in result.stderr
    assert "\"O'Brien Parish Council\"" in result.stderr
    fixed = variant(tmp_path, "name: Milcombe Parish Council", "name: 'O''Brien Parish Council'")
    assert invoke("check", fixed).exit_code == 0


def test_an_indent_of_non_breaking_spaces(invoke, tmp_path):
    path = variant(tmp_path, "  nation: england", "\u00a0\u00a0nation: england")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "non-breaking spaces" in result.stderr and "unknown key" not in result.stderr
    line = MILCOMBE.read_text(encoding="utf-8").splitlines().index("  nation: england") + 1
    assert f"p.yaml:{line}:1:" in result.stderr


def test_a_value_starting_with_a_hash_is_a_comment(invoke, tmp_path):
    path = variant(tmp_path, 'minute: "26/041"', "minute: #26/041")
    result = invoke("check", path)
    assert result.exit_code == 0
    assert "warning: minute:" in result.stderr and "comment" in result.stderr
    assert 'minute: "#26/041"' in result.stderr
    plain = variant(tmp_path, 'minute: "26/041"', 'minute: "26/041"  # the AGM')
    assert "comment" not in invoke("check", plain).stderr


def test_a_double_quote_inside_double_quotes(invoke, tmp_path):
    path = variant(tmp_path, "name: Milcombe Parish Council",
                   'name: "The "Old" Parish Council"')
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "double quote" in result.stderr and "'The \"Old\" Parish Council'" in result.stderr
