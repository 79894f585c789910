"""protocol-gen diff never writes its redline or summary over the files it compares, nor
over a file it did not write as a redline or summary (unless --force)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROFILES

from generator.cli import main

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def run(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
        raise SystemExit(0)
    return exit_info.value.code, capsys.readouterr().err


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    old = tmp_path / "old.yaml"
    old.write_bytes(MILCOMBE.read_bytes())
    new = tmp_path / "new.yaml"
    new.write_text(MILCOMBE.read_text(encoding="utf-8").replace(
        "political_groups: true", "political_groups: false"), encoding="utf-8")
    return old, new


@pytest.fixture
def built_pair(tmp_path, pair, capsys) -> tuple[Path, Path]:
    paths = []
    for profile in pair:
        code, err = run(capsys, "build", profile, "--out", tmp_path / "out",
                        "--format", "docx", "--format", "md")
        assert code == 0, err
        paths.append(tmp_path / "out" / profile.stem /
                     f"{profile.stem}-member-officer-protocol.docx")
    return paths[0], paths[1]


@pytest.mark.parametrize("option, which", [("--summary", 0), ("--summary", 1),
                                           ("-o", 0), ("-o", 1)])
def test_an_input_profile_is_never_overwritten(capsys, pair, option, which):
    before = pair[which].read_bytes()
    for force in ((), ("--force",)):
        code, err = run(capsys, "diff", pair[0], pair[1], option, pair[which], *force)
        assert code == 1
        assert "one of the files being compared" in err and "Traceback" not in err
        assert pair[which].read_bytes() == before


def test_an_input_protocol_is_never_overwritten(capsys, built_pair, tmp_path):
    old, new = built_pair
    before = new.read_bytes()
    code, err = run(capsys, "diff", old, new, "-o", new)
    assert code == 1 and "one of the files being compared" in err
    assert new.read_bytes() == before
    # the same file by another name (a hard link) is still an input
    alias = tmp_path / "alias.docx"
    alias.hardlink_to(new)
    code, err = run(capsys, "diff", old, new, "-o", alias)
    assert code == 1 and new.read_bytes() == before
    md = new.with_suffix(".md")
    md_before = md.read_bytes()
    code, err = run(capsys, "diff", old.with_suffix(".md"), md, "--summary", md)
    assert code == 1 and md.read_bytes() == md_before


def test_another_existing_file_needs_force(capsys, pair, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n", encoding="utf-8")
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"someone else's file")
    for option, target in (("--summary", notes), ("-o", letter)):
        before = target.read_bytes()
        code, err = run(capsys, "diff", pair[0], pair[1], option, target)
        assert code == 1
        assert "not a" in err and "--force" in err and str(target) in err
        assert target.read_bytes() == before
        code, err = run(capsys, "diff", pair[0], pair[1], option, target, "--force")
        assert code == 0, err
        assert target.read_bytes() != before


def test_its_own_earlier_redline_and_summary_are_replaced(capsys, pair, tmp_path):
    redline, summary = tmp_path / "r.docx", tmp_path / "changes.md"
    for _ in range(2):
        code, err = run(capsys, "diff", pair[0], pair[1], "-o", redline, "--summary", summary)
        assert code == 0, err
    assert summary.read_text(encoding="utf-8").startswith("# Changes from")
    code, err = run(capsys, "diff", pair[0], pair[1], "-o", redline, "--summary", redline)
    assert code == 1 and "same file" in err


def test_a_protocol_is_not_taken_for_a_redline(capsys, pair, built_pair):
    protocol = built_pair[0]
    other = protocol.with_name("copy.docx")
    other.write_bytes(protocol.read_bytes())
    code, err = run(capsys, "diff", pair[0], pair[1], "-o", other)
    assert code == 1 and other.read_bytes() == protocol.read_bytes()
