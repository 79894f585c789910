"""What a batch is given: a profile named twice is built once; names that differ only in
case (one folder on Windows and macOS) are refused; each failure is printed once."""
from __future__ import annotations

import shutil

from conftest import PROFILES

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def test_a_profile_named_twice_is_built_once_and_not_failed(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(MILCOMBE, tmp_path / "m.yaml")
    result = invoke("build", "m.yaml", "m.yaml", tmp_path / "m.yaml", "./m.yaml",
                    "--out", "out")
    assert result.exit_code == 0, result.output
    assert "built 1, failed 0" in result.output
    assert result.output.count("built m") == 1


def test_names_that_differ_only_in_case_are_refused(invoke, tmp_path):
    for name in ("Ynys-Mon.yaml", "ynys-mon.yaml"):
        shutil.copy(MILCOMBE, tmp_path / name)
    result = invoke("build", tmp_path / "Ynys-Mon.yaml", tmp_path / "ynys-mon.yaml",
                    "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "built 1, failed 1" in result.output
    assert "only in case" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Ynys-Mon"]


def test_a_build_error_is_printed_once(invoke, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MILCOMBE.read_text(encoding="utf-8").replace("tier: parish",
                                                                 "tier: parishh"),
                   encoding="utf-8")
    result = invoke("build", bad, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.count("'parishh' is not an allowed value") == 1
    assert result.stderr.count("did you mean 'parish'?") == 1
    assert "bad.yaml:" in result.stderr
    # in a batch, the summary at the end names it again in one line: twice, not three times
    good = tmp_path / "good.yaml"
    shutil.copy(MILCOMBE, good)
    result = invoke("build", bad, good, "--out", tmp_path / "out")
    assert result.stderr.count("'parishh' is not an allowed value") == 2
