"""The annual review: earlier versions kept, identical rebuilds untouched, redline in one step."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import PROFILES
from test_redline import W, document_xml, normal, resolve

from generator.review.readback import read_markdown
from generator.review.versions import keep_previous, kept_name, version_of

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"
STEM = "milcombe"


def protocol(out: Path, fmt: str) -> Path:
    return out / STEM / f"{STEM}-member-officer-protocol.{fmt}"


def previous(out: Path) -> dict[str, bytes]:
    folder = out / STEM / "previous"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() \
        else {}


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def profile(tmp_path) -> Path:
    path = tmp_path / f"{STEM}.yaml"
    path.write_text(MILCOMBE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def review(profile: Path, version: str, *edits: tuple[str, str]) -> None:
    """The annual review: a new version number and the given settings (key, value)."""
    text = set_key(profile.read_text(encoding="utf-8"), "version", f'"{version}"')
    for key, value in edits:
        text = set_key(text, key, value)
    profile.write_text(text, encoding="utf-8")


def set_key(text: str, key: str, value: str) -> str:
    changed, n = re.subn(rf"^(\s*{re.escape(key)}:).*$", rf"\g<1> {value}", text, count=1,
                         flags=re.M)
    assert n == 1, key
    return changed


def version_in(text: str) -> str:
    line = next(line for line in text.splitlines() if line.strip().startswith("version:"))
    return line.split(":", 1)[1].strip().strip('"')


def test_rebuild_after_a_change_keeps_the_earlier_files(invoke, profile, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out).exit_code == 0
    first = {fmt: protocol(out, fmt).read_bytes() for fmt in ("md", "docx")}
    old_version = version_in(profile.read_text())
    review(profile, "9.1", ("political_groups", "false"))

    result = invoke("build", profile, "--out", out)
    assert result.exit_code == 0, result.output
    kept = previous(out)
    assert kept == {
        f"{STEM}-member-officer-protocol-v{old_version}.docx": first["docx"],
        f"{STEM}-member-officer-protocol-v{old_version}.md": first["md"]}
    assert "kept the earlier version" in result.output
    assert protocol(out, "md").read_bytes() != first["md"]
    assert "Version 9.1." in protocol(out, "md").read_text(encoding="utf-8")


def test_identical_rebuild_touches_nothing(invoke, profile, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out, "--drafting").exit_code == 0
    before = snapshot(out)
    result = invoke("build", profile, "--out", out, "--drafting")
    assert result.exit_code == 0
    assert f"built {STEM} (unchanged)" in result.output
    assert snapshot(out) == before
    assert not (out / STEM / "previous").exists()


def test_a_name_already_taken_gets_a_sequence_number(invoke, profile, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out, "--format", "md").exit_code == 0
    review(profile, "9.1", ("political_groups", "false"))
    assert invoke("build", profile, "--out", out, "--format", "md").exit_code == 0
    second = protocol(out, "md").read_bytes()
    # a further change without raising the version: v9.1 is free, then taken
    review(profile, "9.1", ("chair", "Chair"))
    assert invoke("build", profile, "--out", out, "--format", "md").exit_code == 0
    third = protocol(out, "md").read_bytes()
    review(profile, "9.1", ("chair", "Presiding Councillor"))
    assert invoke("build", profile, "--out", out, "--format", "md").exit_code == 0
    kept = previous(out)
    assert kept[f"{STEM}-member-officer-protocol-v9.1.md"] == second
    assert kept[f"{STEM}-member-officer-protocol-v9.1-2.md"] == third
    assert len(kept) == 3


def test_build_redline_compares_with_the_kept_version(invoke, profile, tmp_path):
    out = tmp_path / "out"
    first = invoke("build", profile, "--out", out, "--redline")
    assert first.exit_code == 0
    assert "no earlier version kept yet" in first.output
    assert not (out / STEM / f"{STEM}-redline.docx").exists()
    old_md = protocol(out, "md").read_text(encoding="utf-8")

    review(profile, "9.1", ("political_groups", "false"))
    result = invoke("build", profile, "--out", out, "--redline")
    assert result.exit_code == 0, result.output
    assert "redline against" in result.output
    redline = out / STEM / f"{STEM}-redline.docx"
    summary = out / STEM / f"{STEM}-redline-summary.md"
    xml = document_xml(redline)
    assert b"<w:ins " in xml and b"<w:del " in xml
    new_md = protocol(out, "md").read_text(encoding="utf-8")
    assert resolve(xml, accept=True) == normal(read_markdown(new_md).paragraphs())
    assert resolve(xml, accept=False) == normal(read_markdown(old_md).paragraphs())
    text = summary.read_text(encoding="utf-8")
    assert "version 9.1" in text and "Political groups" in text
    assert "## Sections removed" in text


def test_history_feeds_the_version_history(invoke, profile, tmp_path):
    text = profile.read_text(encoding="utf-8")
    assert "history:" not in text
    old_version = version_in(text)
    review(profile, "9.1")
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "adoption:\n", f'adoption:\n  history:\n    - {{version: "{old_version}", '
                       f'date: 2020-05-11, change: First adoption}}\n'), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", profile, "--out", out)
    assert result.exit_code == 0, result.output
    md = protocol(out, "md").read_text(encoding="utf-8")
    history = md[md.index("## Version history"):]
    assert f"Version {old_version}, 11 May 2020: First adoption" in history
    assert "Version 9.1" in history
    with zipfile.ZipFile(protocol(out, "docx")) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "First adoption" in body and "11 May 2020" in body


def test_version_is_read_from_either_format(invoke, profile, tmp_path):
    out = tmp_path / "out"
    review(profile, "3.2/b")
    assert invoke("build", profile, "--out", out).exit_code == 0
    assert version_of(protocol(out, "md")) == "3.2/b"
    assert version_of(protocol(out, "docx")) == "3.2/b"
    assert kept_name(protocol(out, "md"), "3.2/b") == f"{STEM}-member-officer-protocol-v3.2-b.md"
    assert kept_name(protocol(out, "md"), None) == f"{STEM}-member-officer-protocol-earlier.md"


def test_keep_previous_leaves_nothing_to_keep_alone(tmp_path):
    target = tmp_path / "x" / "x-member-officer-protocol.md"
    assert keep_previous(target, b"new") is None          # nothing there yet
    target.parent.mkdir()
    target.write_bytes(b"# T\n\nVersion 2.0. Draft for adoption.\n")
    assert keep_previous(target, target.read_bytes()) is None   # same bytes
    kept = keep_previous(target, b"other")
    assert kept.name == "x-member-officer-protocol-v2.0.md"
    assert kept.read_bytes() == target.read_bytes()
    assert keep_previous(target, b"other again") == kept        # the same copy, once
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]


def test_redline_marks_are_dated_from_the_profile(invoke, profile, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out, "--format", "md").exit_code == 0
    review(profile, "9.1", ("political_groups", "false"),
           ("adopted", "2031-06-02"), ("next_review", "2032-05"))
    result = invoke("build", profile, "--out", out, "--format", "md", "--redline")
    assert result.exit_code == 0, result.output
    xml = document_xml(out / STEM / f"{STEM}-redline.docx")
    from lxml import etree
    dates = {m.get(f"{W}date") for m in etree.fromstring(xml).iter(f"{W}ins", f"{W}del")}
    assert dates == {"2031-06-02T00:00:00Z"}


def test_docx_only_builds_redline_docx_against_docx(invoke, profile, tmp_path):
    from generator.review.readback import read_docx
    out = tmp_path / "out"
    assert invoke("build", profile, "--out", out, "--format", "docx").exit_code == 0
    old_docx = protocol(out, "docx").read_bytes()
    review(profile, "9.1", ("political_groups", "false"))
    result = invoke("build", profile, "--out", out, "--format", "docx", "--redline")
    assert result.exit_code == 0, result.output
    assert f"redline against {STEM}-member-officer-protocol-v" in result.output
    xml = document_xml(out / STEM / f"{STEM}-redline.docx")
    new_docx = protocol(out, "docx").read_bytes()
    assert resolve(xml, accept=True) == normal(read_docx(new_docx).paragraphs())
    assert resolve(xml, accept=False) == normal(read_docx(old_docx).paragraphs())
    assert not protocol(out, "md").exists()


def test_an_added_paragraph_calls_only_law_the_law():
    """A committee reads 'what the law says' as law (the kinds the committee report counts
    as law: Acts, regulations, orders, statutory codes): a paragraph naming guidance or a
    project is said to follow codes and guidance, not the law."""
    from generator.library.register import read_register
    from generator.review.comments import added
    register = read_register()
    law = added(False, "", "Complaints go to the Monitoring Officer under the Localism Act "
                "2011.", register)
    assert law == "Added: it sets out what the law says (Localism Act 2011)."
    guidance = added(False, "", "The Council has signed up to the Civility and Respect "
                     "Project.", register)
    assert guidance == "Added: it follows current codes and guidance (Civility and " \
                       "Respect Project)."
