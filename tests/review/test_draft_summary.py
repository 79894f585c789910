"""The change summary of a draft says it is a draft, never dating it with the previous
version's adoption."""
from __future__ import annotations

from conftest import PROFILES

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def test_a_drafts_summary_does_not_take_the_earlier_adoption_date(invoke, tmp_path):
    profile = tmp_path / "m.yaml"
    text = MILCOMBE.read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    assert invoke("build", profile, "--out", tmp_path / "out").exit_code == 0
    adopted = '  version: "1.0"\n  adopted: 2026-05-11\n  minute: "26/041"\n'
    assert adopted in text
    profile.write_text(text.replace(adopted, '  version: "1.1"\n  history:\n    - {version: '
                                    '"1.0", date: 2026-05-11, change: Adopted}\n'),
                       encoding="utf-8")
    result = invoke("build", profile, "--out", tmp_path / "out", "--redline")
    assert result.exit_code == 0, result.output
    summary = (tmp_path / "out" / "m" / "m-redline-summary.md").read_text(encoding="utf-8")
    first = summary.splitlines()[0]
    assert first == ("# Changes from version 1.0 (11 May 2026) to version 1.1 "
                     "(draft, not yet adopted)"), first
