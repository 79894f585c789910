"""Regressions found by trying the tool as a clerk and as a consultant would."""
import os
import stat

from conftest import PROFILES

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_are_readable_by_others_as_the_umask_allows(invoke, tmp_path):
    """Written through a temporary file, the outputs and a new profile still get the
    usual permissions (0644 under umask 022), not a temporary file's owner-only 0600:
    a shared drive or web server must be able to read the protocol."""
    old = os.umask(0o022)
    try:
        result = invoke("build", MILCOMBE, "--out", tmp_path / "out")
        assert result.exit_code == 0, result.output
        written = sorted((tmp_path / "out" / MILCOMBE.stem).glob("*.*"))
        assert [p.suffix for p in written] == [".docx", ".md"]
        assert all(_mode(p) == 0o644 for p in written), [oct(_mode(p)) for p in written]
        result = invoke("init", tmp_path / "new.yaml", "--no-input",
                        "--name", "Example Parish Council")
        assert result.exit_code == 0, result.output
        assert _mode(tmp_path / "new.yaml") == 0o644
        os.umask(0o027)
        (tmp_path / "new.yaml").unlink()
        assert invoke("init", tmp_path / "new.yaml", "--no-input",
                      "--name", "Example Parish Council").exit_code == 0
        assert _mode(tmp_path / "new.yaml") == 0o640
    finally:
        os.umask(old)
