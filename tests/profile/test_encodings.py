"""Profiles saved as Notepad and Excel save 'Unicode' text (UTF-16 with a byte order
mark) read as YAML allows; a Word file given as a profile is named as one."""
from __future__ import annotations

import pytest

from conftest import PROFILES

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_profiles_with_a_byte_order_mark_build_the_same(invoke, tmp_path, codec):
    text = MILCOMBE.read_text(encoding="utf-8").replace("\n", "\r\n")   # as Notepad saves
    path = tmp_path / "saved" / MILCOMBE.name
    path.parent.mkdir()
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[codec]
    path.write_bytes(bom + text.encode(codec))
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    checked = invoke("check", path)
    assert checked.exit_code == 0, checked.output
    assert "1252" not in checked.output
    assert invoke("build", path, "--out", tmp_path / "a", "--format", "md").exit_code == 0
    assert invoke("build", MILCOMBE, "--out", tmp_path / "b", "--format", "md").exit_code == 0
    name = f"{MILCOMBE.stem}/{MILCOMBE.stem}-member-officer-protocol.md"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("name", ["council.docx", "council.yaml"])
def test_a_word_file_given_as_a_profile_is_named_as_one(invoke, tmp_path, name):
    out = tmp_path / "out"
    assert invoke("build", MILCOMBE, "--out", out, "--format", "docx").exit_code == 0
    word = next(out.rglob("*.docx"))
    given = tmp_path / name
    given.write_bytes(word.read_bytes())
    result = invoke("check", given)
    assert result.exit_code == 1
    assert "this is a Word document, not a profile" in result.stderr
    assert "probably" not in result.stderr and "--reference-docx" in result.stderr
