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


def _pandoc_like_reference(path):
    """A council template whose heading styles are named 'Heading 1' and 'Heading 2'
    with capitals, as pandoc's reference.docx names them (Word writes 'heading 1')."""
    import docx
    d = docx.Document()
    for level in (1, 2):
        d.styles[f"Heading {level}"].element.name_val = f"Heading {level}"
    d.save(str(path))
    return path


def test_template_spelling_heading_1_with_a_capital_keeps_section_numbers(invoke, tmp_path):
    """The template's own Heading 1 is used and numbered (no second style with the same
    id), so Word shows 1, 2, 3... and diff reads the sections back."""
    import docx
    from docx.oxml.ns import qn
    from docx_checks import word_labels

    ref = _pandoc_like_reference(tmp_path / "council.docx")
    result = invoke("build", MILCOMBE, "--out", tmp_path / "out", "--format", "docx",
                    "--reference-docx", ref)
    assert result.exit_code == 0, result.output
    built = tmp_path / "out" / MILCOMBE.stem / f"{MILCOMBE.stem}-member-officer-protocol.docx"
    d = docx.Document(str(built))
    ids = [s.get(qn("w:styleId")) for s in d.styles.element.findall(qn("w:style"))]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert d.styles["Heading 1"].element.pPr.numPr is not None
    headings = [label for label, style, _ in word_labels(d) if style == "Heading 1"]
    assert headings[:3] == ["1", "2", "3"]
    from generator.review.readback import load_protocol
    sections = [u.number for u in load_protocol(built).units if u.kind == "section"]
    assert sections[:3] == ["1", "2", "3"]


def _main(*args) -> tuple[int, str]:
    """Run the command as the console script does; (exit code, everything printed)."""
    import contextlib
    import io

    from generator.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code or 0
    return code, out.getvalue() + err.getvalue()


def test_diff_refuses_a_markdown_file_that_is_not_a_protocol(invoke, tmp_path):
    """Any Markdown with a '# ' title used to be compared as a protocol, listing its
    headings as clauses numbered 'None'."""
    out = tmp_path / "out"
    assert invoke("build", MILCOMBE, "--out", out, "--format", "md").exit_code == 0
    protocol = out / MILCOMBE.stem / f"{MILCOMBE.stem}-member-officer-protocol.md"
    notes = tmp_path / "notes.md"
    notes.write_text("# Meeting notes\n\n## Actions\n\n### Clerk\n\nSend the agenda.\n",
                     encoding="utf-8")
    code, output = _main("diff", protocol, notes, "-o", tmp_path / "redline.docx")
    assert code == 1
    assert "notes.md: error: this does not look like a protocol written by protocol-gen" \
        in output
    assert "None" not in output and "Traceback" not in output
    assert not (tmp_path / "redline.docx").exists()


def test_house_clause_mistake_is_reported_with_its_fix_by_check_and_build(invoke, tmp_path):
    """A misspelt name in a house clause used to be reported only when a profile used
    it, doubled ('resources.parking: resources.parking: ...') and with the advice to run
    another command; now check and build report what 'library check' does, once."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "13-resources.yaml").write_text(
        "id: resources\ntitle: Use of council resources\norder: 13\nclauses:\n"
        "  - id: resources.parking\n    variants:\n      - source: house parking rules\n"
        "        text: '{{ memebrs }} may park at the office.'\n", encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(MILCOMBE.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (("check", MILCOMBE, other), ("build", MILCOMBE, other, "--out", tmp_path / "out"),
                 ("explain", MILCOMBE)):
        code, output = _main(*args, "--library", house)
        assert code == 1, output
        assert output.count("13-resources.yaml:7:9: error: resources.parking: variant 1 text: "
                            "unknown name 'memebrs'") == 1, output
        assert "did you mean 'members'?" in output
        assert "Traceback" not in output and "internal error" not in output
    assert not (tmp_path / "out").exists()


def test_unquoted_number_in_a_text_field_is_shown_as_typed(invoke, tmp_path):
    """'minute: 041' used to be reported as "expected text, got '33'" (YAML reads 041
    as an octal number), a value the clerk never typed."""
    profile = tmp_path / "council.yaml"
    profile.write_text("council:\n  name: Example Parish Council\n  tier: parish\n"
                       "adoption:\n  version: 1.10\n  adopted: 2026-05-11\n  minute: 041\n",
                       encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    version = lines.index(f"{profile}:5:3: error: adoption.version: '1.10' is read as the "
                          "number 1.1, not as text")
    assert lines[version + 1].strip() == 'fix: put it in quotes: version: "1.10"'
    minute = lines.index(f"{profile}:7:3: error: adoption.minute: '041' is read as the "
                         "number 33, not as text")
    assert lines[minute + 1].strip() == 'fix: put it in quotes: minute: "041"'
    assert "'33'" not in result.output


def test_file_in_the_way_of_a_new_profile_is_not_blamed_on_out(tmp_path):
    """init and diff -o have no --out option, so the fix must not tell the clerk to
    choose another --out folder."""
    (tmp_path / "minutes").write_text("not a folder", encoding="utf-8")
    code, output = _main("init", tmp_path / "minutes" / "council.yaml", "--no-input",
                         "--name", "Example Parish Council")
    assert code == 1
    assert f"{tmp_path / 'minutes'} is a file, not a folder" in output
    assert "fix: move or rename that file, or write somewhere else" in output
    assert (tmp_path / "minutes").read_text(encoding="utf-8") == "not a folder"


def test_misspelt_exclusion_suggests_the_id(invoke, tmp_path):
    """The fix used to send the clerk to 'protocol-gen explain', which refuses the same
    profile for the same reason."""
    profile = tmp_path / "council.yaml"
    profile.write_text("council:\n  name: Example Parish Council\n  tier: parish\n"
                       "drafting:\n  exclude: [resources.premisses, no-such-thing]\n",
                       encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = lines.index(f"{profile}:5:13: error: drafting.exclude.0: drafting.exclude names "
                        "'resources.premisses', which is no clause or section of the library")
    assert lines[first + 1].strip() == "fix: did you mean 'resources.premises'?"
    assert "fix: remove it, then 'protocol-gen explain' lists the ids" in result.output
    assert result.output.index("premisses") < result.output.index("no-such-thing")
    code, output = _main("explain", profile)
    assert code == 1 and "did you mean 'resources.premises'?" in output
