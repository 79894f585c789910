"""Output paths come only from the profile's file name and never leave --out.

A profile cannot choose where its files go: '../', absolute paths, odd characters and
symbolic links planted in the output folder all end inside --out or in a clear error,
and whatever a planted link points at is left untouched.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import PROFILES
from generator.errors import OutputError
from generator.files import atomic_write, inside, output_path, safe_stem

EXAMPLE = PROFILES / "milcombe-parish-council.yaml"
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every file (bytes) and link (its target) under ``folder``, except under ``skip``."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if path.is_symlink():
            out[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            out[str(path)] = path.read_bytes()
    return out


def protocol(out: Path, stem: str, fmt: str) -> Path:
    return out / stem / f"{stem}-member-officer-protocol.{fmt}"


@pytest.mark.parametrize("name, stem", [
    ("../evil.yaml", "evil"),
    ("../../etc/passwd.yaml", "passwd"),
    ("/etc/cron.d/evil.yaml", "evil"),
    ("..", "council"),
    ("..yaml", "council"),
    (".yaml", "council"),
    ("...hidden.yaml", "hidden"),
    ("a b  c.yaml", "a-b-c"),
    ("Cyngor Cymuned Llanŵ (drafft).yaml", "Cyngor-Cymuned-Llanw-drafft"),
    ("Tŷ Ddewi â ê.YML", "Ty-Ddewi-a-e"),
    ("مجلس المدينة.yaml", "council"),
    ("🏛️ council.yaml", "council"),
    ("..\\..\\windows\\evil.yaml", "windows-evil"),
    ("con.yaml", "con-council"),
    ("LPT1.draft.yaml", "LPT1.draft-council"),
    ("x" * 300 + ".yaml", "x" * 100),
    ("-" * 99 + "a" * 5 + ".yaml", "aaaaa"),
])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem
    assert SAFE.match(stem)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_any_file_name_gives_a_safe_name_inside_out(name):
    stem = safe_stem(name)
    assert SAFE.match(stem) and len(stem) <= 100 and stem not in (".", "..")
    assert safe_stem(stem) == stem
    out = Path("/nonexistent-out")
    path = output_path(out, stem, "md")
    assert path.parent.parent == out and inside(out, path)


def test_profile_path_with_dot_dot_writes_only_inside_out(invoke, tmp_path):
    """'sub/../evil.yaml' names evil.yaml; its output goes to <out>/evil/ only."""
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, work / "evil.yaml")
    out = tmp_path / "out"
    before = snapshot(tmp_path)
    result = invoke("build", work / "sub" / ".." / "evil.yaml", "--out", out)
    assert result.exit_code == 0, result.output
    after = snapshot(tmp_path, skip=out)
    assert after == before                                  # nothing written outside out
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["evil/evil-member-officer-protocol.docx",
                       "evil/evil-member-officer-protocol.md"]
    assert protocol(out, "evil", "md").read_text(encoding="utf-8").startswith(
        "# Milcombe Parish Council")


def test_absolute_path_and_odd_names(invoke, tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    names = {"Cyngor Cymuned Llanŵ (drafft).yaml": "Cyngor-Cymuned-Llanw-drafft",
             "..hidden council.yaml": "hidden-council",
             "con.yaml": "con-council"}
    for name in names:
        shutil.copy(EXAMPLE, folder / name)
    out = tmp_path / "out"
    result = invoke("build", *[(folder / n).resolve() for n in names], "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(names.values())
    for stem in names.values():
        assert protocol(out, stem, "md").read_text(encoding="utf-8").startswith("# Milcombe")
    assert snapshot(tmp_path, skip=out).keys() == {str(folder / n) for n in names}


def test_linked_council_folder_is_refused_and_its_target_untouched(invoke, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("adopted minutes", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "milcombe-parish-council").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)
    result = invoke("build", EXAMPLE, "--out", out)
    assert result.exit_code == 1
    assert "refusing to write outside the output folder" in result.output
    assert str(elsewhere) in result.output                    # says where the link goes
    assert "remove the link" in result.output
    assert "Traceback" not in result.output
    assert snapshot(elsewhere) == before


def test_dangling_link_for_council_folder_creates_nothing(invoke, tmp_path):
    target = tmp_path / "not-yet"
    out = tmp_path / "out"
    out.mkdir()
    (out / "milcombe-parish-council").symlink_to(target, target_is_directory=True)
    result = invoke("build", EXAMPLE, "--out", out)
    assert result.exit_code == 1
    assert "refusing to write outside the output folder" in result.output
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_linked_output_file_is_refused_and_its_target_untouched(invoke, tmp_path, fmt):
    precious = tmp_path / "adopted-elsewhere.bin"
    precious.write_bytes(b"the adopted protocol, not to be overwritten")
    out = tmp_path / "out"
    link = protocol(out, "milcombe-parish-council", fmt)
    link.parent.mkdir(parents=True)
    link.symlink_to(precious)
    result = invoke("build", EXAMPLE, "--out", out)
    assert result.exit_code == 1
    assert "is a link to" in result.output and "refusing to follow it" in result.output
    assert "delete the link and build again" in result.output
    assert precious.read_bytes() == b"the adopted protocol, not to be overwritten"
    assert link.is_symlink() and os.readlink(link) == str(precious)


def test_linked_previous_folder_is_refused_and_adopted_file_kept(invoke, tmp_path):
    """A changed profile keeps the earlier file under previous/ first; previous/ being
    a link out of --out stops the build before the adopted file is replaced."""
    profile = tmp_path / "milcombe-parish-council.yaml"
    shutil.copy(EXAMPLE, profile)
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out).exit_code == 0
    adopted = {fmt: protocol(out, profile.stem, fmt).read_bytes() for fmt in ("md", "docx")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / profile.stem / "previous").symlink_to(elsewhere, target_is_directory=True)
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    assert 'version: "1.1"' in profile.read_text(encoding="utf-8")
    result = invoke("build", profile, "--out", out)
    assert result.exit_code == 1
    assert "refusing to write outside the output folder" in result.output
    assert list(elsewhere.iterdir()) == []
    for fmt, data in adopted.items():
        assert protocol(out, profile.stem, fmt).read_bytes() == data


def test_atomic_write_within(tmp_path):
    root = tmp_path / "root"
    (root / "inner").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "link").symlink_to(elsewhere, target_is_directory=True)
    assert atomic_write(root / "inner" / "a.md", b"a", within=root)
    with pytest.raises(OutputError) as info:
        atomic_write(root / "link" / "b.md", b"b", within=root)
    assert "refusing to write outside the output folder" in str(info.value)
    assert list(elsewhere.iterdir()) == []


def test_output_path_refuses_an_unsafe_stem(tmp_path):
    with pytest.raises(OutputError):
        output_path(tmp_path, "../evil", "md")


def test_file_in_place_of_the_council_folder(invoke, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "milcombe-parish-council").write_text("notes", encoding="utf-8")
    result = invoke("build", EXAMPLE, "--out", out)
    assert result.exit_code == 1
    assert f"{out / 'milcombe-parish-council'} is a file, not a folder" in result.output
    assert "move or rename that file" in result.output
    assert (out / "milcombe-parish-council").read_text(encoding="utf-8") == "notes"


@pytest.mark.parametrize("mode, used", [(0o700, True), (0o755, True), (0o775, False),
                                        (0o777, False)])
def test_cache_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch, mode, used):
    """The cache holds compiled templates and pickles, which run when loaded: a folder
    other users may write to would let them run code in every build."""
    from generator import cache

    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(mode)
    monkeypatch.setenv("PROTOCOLGEN_CACHE", str(folder))
    cache.folder.cache_clear()
    try:
        assert (cache.folder() == folder) is used
        assert (cache.bytecode_cache() is not None) is used
    finally:
        cache.folder.cache_clear()
