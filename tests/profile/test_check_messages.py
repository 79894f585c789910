"""`protocol-gen check` on broken profiles: every message names the line and the fix."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad-profiles"

# file -> (line:column as printed, words of the message, words of the fix)
EXPECTED = {
    "typo-key.yaml": ("typo-key.yaml:5:3", "unknown key 'politcal_groups' in council",
                      "did you mean 'political_groups'?"),
    "wrong-type.yaml": ("wrong-type.yaml:5:3", "expected yes or no, got 'sometimes'",
                        "write true or false"),
    "bad-choice.yaml": ("bad-choice.yaml:4:3", "'parrish' is not an allowed value",
                        "did you mean 'parish'? allowed values: parish, town, community, "
                        "district, borough, county, unitary, metropolitan, london_borough"),
    "bad-date.yaml": ("bad-date.yaml:7:3", "'2025-02-30' is not a valid date (day is out of "
                      "range for month)", "write the date as YYYY-MM-DD, e.g. 2025-05-12"),
    "contradictory-tier-governance.yaml": (
        "contradictory-tier-governance.yaml:5:3",
        "a parish council cannot have the executive model 'leader_cabinet'",
        "use governance: committee"),
    "yaml-syntax-error.yaml": ("yaml-syntax-error.yaml:3:32", "mapping values are not allowed",
                               "a value containing ': ' must be put in quotes"),
    "empty.yaml": ("empty.yaml:1", "the file is empty", "run 'protocol-gen init'"),
    "list-not-mapping.yaml": ("list-not-mapping.yaml:5:1", "roles: expected a mapping of keys "
                              "and values, got a list", "write it as indented 'key: value' "
                              "lines (no '- ' in front); the keys allowed here are: "
                              "head_officer, monitoring_officer, chair"),
    "not-utf8.yaml": ("not-utf8.yaml:3:12", "not UTF-8 text: the byte 0xE9 here is probably "
                      "'é'", "save the file as UTF-8"),
    "missing-required.yaml": ("missing-required.yaml:2:1", "required key 'tier' is missing "
                              "from council", "add a line 'tier: ...' under 'council:'"),
}


def test_there_are_ten_broken_profiles():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_profile_gets_its_line_and_fix(invoke, name):
    where, message, fix = EXPECTED[name]
    result = invoke("check", BAD / name)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(str(BAD / where) + ": error: ")
    assert message in errors[0]
    assert f"    fix: {fix}" in result.stderr
    assert f"{BAD / name}: 1 error to fix" in result.stderr
    assert "Traceback" not in result.output


def test_all_broken_profiles_in_one_run_as_a_real_process():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "generator", "check", str(BAD)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    for name, (where, message, _) in EXPECTED.items():
        assert str(BAD / where) in proc.stderr, name
        assert message in proc.stderr, name
    assert proc.stderr.count("    fix: ") >= len(EXPECTED)


def _write(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_together_in_file_order(invoke, tmp_path):
    path = _write(tmp_path, "council:\n  name: X\n  tier: parish\n  governance: leader_cabinet\n"
                            "roles:\n  clerk: Town Clerk\nadoption:\n  adopted: 2025-13-01\n")
    result = invoke("check", path)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == [f"{path}:4:3", f"{path}:6:3",
                                                          f"{path}:8:3"]
    assert "only principal councils have an executive" in errors[0]
    assert "unknown key 'clerk'" in errors[1]
    assert "did you mean 'head_officer'?" in result.stderr
    assert "'2025-13-01' is not a valid date (month must be in 1..12)" in errors[2]
    assert f"{path}: 3 errors to fix" in result.stderr


def test_a_key_at_the_wrong_level_is_pointed_to_its_place(invoke, tmp_path):
    path = _write(tmp_path, "name: X\ncouncil:\n  tier: parish\n  name: Y\n")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert f"{path}:1:1: error: name: unknown key 'name' in the top level" in result.stderr
    assert "fix: 'name' belongs under 'council:' (council.name)" in result.stderr


def test_warnings_for_unusual_choices_still_exit_zero(invoke, tmp_path):
    path = _write(tmp_path, "council:\n  name: X Parish Council\n  tier: parish\n"
                            "  political_groups: true\nroles:\n  monitoring_officer: Monitoring "
                            "Officer of Y District Council\nadoption:\n  version: '2.0'\n"
                            "  next_review: 2001-05\n  history:\n  - version: '2.0'\n"
                            "    date: 2000-05-01\n    change: First adoption\n")
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    assert f"{path}: ok (3 warnings)" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 3
    assert warnings[0].startswith(f"{path}:4:3: warning: council.political_groups: a local "
                                  "council with political groups usually names a staffing "
                                  "committee")
    assert warnings[1].startswith(f"{path}:9:3: warning: adoption.next_review: the review "
                                  "date 2001-05 has passed")
    assert warnings[2].startswith(f"{path}:11:5: warning: adoption.history.0.version: "
                                  "version 2.0 is both the current version")
    assert "fix: add roles.staffing_committee" in result.stderr


def test_a_draft_with_a_minute_and_a_principal_council_without_groups_are_warned(invoke,
                                                                                  tmp_path):
    path = _write(tmp_path, "council: {name: X, tier: district, governance: leader_cabinet}\n"
                            "adoption: {minute: '26/001'}\n")
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    assert "a district council without political groups is unusual" in result.stderr
    assert "a minute is given but no adoption date" in result.stderr


def test_a_good_and_a_bad_profile_together(invoke, tmp_path):
    good = ROOT / "council_profiles" / "milcombe-parish-council.yaml"
    result = invoke("check", good, BAD / "bad-choice.yaml")
    assert result.exit_code == 1
    assert f"{good}: ok" in result.stdout
    assert "bad-choice.yaml:4:3: error:" in result.stderr


def test_review_month_in_words_gets_the_fix(invoke, tmp_path):
    profile = tmp_path / "review.yaml"
    profile.write_text("council: {name: Example Parish Council, tier: parish}\n"
                       "adoption:\n  next_review: May 2026\n", encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 1
    assert "review.yaml:3:3: error: adoption.next_review: 'May 2026' is not a month" in \
        result.output
    assert "fix: write the month as YYYY-MM, e.g. next_review: 2026-05" in result.output


@pytest.mark.parametrize("period, said", [
    ("9", "9 is more than 5, the most allowed"), ("0", "0 is less than 1, the least allowed"),
    ("two", "expected a whole number, got 'two'")])
def test_a_review_period_out_of_range_gets_a_plain_message_and_the_fix(invoke, tmp_path,
                                                                        period, said):
    profile = tmp_path / "period.yaml"
    profile.write_text("council: {name: Example Parish Council, tier: parish}\n"
                       f"adoption:\n  adopted: 2025-05-12\n  review_period: {period}\n",
                       encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 1
    assert f"period.yaml:4:3: error: adoption.review_period: {said}\n" in result.output
    assert "fix: write a whole number from 1 to 5, e.g. review_period: 1" in result.output
    assert "Input should be" not in result.output


def test_init_that_runs_out_of_answers_says_nothing_was_written(tmp_path):
    import subprocess
    import sys
    target = tmp_path / "new.yaml"
    proc = subprocess.run([sys.executable, "-m", "generator", "init", str(target)],
                          input="\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130
    assert "nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists()
