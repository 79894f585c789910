"""The protocol-gen command line, run in-process and as a real process."""
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, PROFILES, ROOT, all_profiles


def test_version_and_help(invoke):
    from generator import __version__
    assert __version__ in invoke("--version").output
    for args in ([], ["build"], ["check"], ["library"], ["library", "check"], ["schema"],
                 ["explain"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_build_folder_writes_md_and_docx_per_profile(invoke, tmp_path):
    result = invoke("build", PROFILES, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for path in all_profiles():
        stem = path.stem
        md = tmp_path / stem / f"{stem}-member-officer-protocol.md"
        docx = tmp_path / stem / f"{stem}-member-officer-protocol.docx"
        text = md.read_text(encoding="utf-8")
        assert sum(1 for line in text.splitlines() if line.startswith("# ")) == 1
        assert "{{" not in text and "{%" not in text
        assert docx.read_bytes()[:2] == b"PK"


def test_format_option_limits_output(invoke, tmp_path):
    profile = all_profiles()[0]
    result = invoke("build", profile, "--out", tmp_path, "--format", "md")
    assert result.exit_code == 0
    files = sorted(p.suffix for p in (tmp_path / profile.stem).iterdir() if p.is_file())
    assert files == [".md"]


def test_unknown_key_fails_without_traceback(invoke, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("council:\n  councl_name: Example Parish Council\n  tier: parish\n")
    result = invoke("build", bad, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "councl_name" in result.output and "bad.yaml:2:3" in result.output
    assert "did you mean 'name'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_jinja_in_council_name_is_printed_literally(invoke, tmp_path):
    prof = tmp_path / "seven.yaml"
    prof.write_text("council:\n  name: '{{ 7*7 }} Parish Council'\n  tier: parish\n")
    result = invoke("build", prof, "--out", tmp_path, "--format", "md")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "seven" / "seven-member-officer-protocol.md").read_text()
    assert text.startswith("# {{ 7\\*7 }} Parish Council: Member/Officer Protocol")
    assert "49 Parish Council" not in text


def test_check_validates_without_writing(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", *all_profiles())
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok") == len(all_profiles())
    assert list(tmp_path.iterdir()) == []


def test_library_check_passes_on_shipped_and_fails_on_bad(invoke):
    ok = invoke("library", "check")
    assert ok.exit_code == 0 and ok.output.startswith("library ok:")
    bad = invoke("library", "check", "--path", FIXTURES / "library-bad")
    assert bad.exit_code == 1
    for words in ("duplicate clause id", "ref('nowhere.at-all')", "politcal_groups"):
        assert words in bad.output


def test_one_bad_profile_does_not_stop_the_others(invoke, tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    good = all_profiles()[0]
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "broken.yaml").write_text("council: [not, a, mapping]\n")
    result = invoke("build", folder, "--out", tmp_path / "out", "--format", "md")
    assert result.exit_code == 1
    assert (tmp_path / "out" / good.stem / f"{good.stem}-member-officer-protocol.md").exists()
    assert "broken.yaml" in result.output and "Traceback" not in result.output


def test_missing_file_is_a_clear_error(invoke, tmp_path):
    result = invoke("build", tmp_path / "nope.yaml", "--out", tmp_path)
    assert result.exit_code == 1 and "no such profile" in result.output


def test_real_process_module_entry_point(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("council: {name: X, tier: parish, governance: mayor_cabinet}\n")
    proc = subprocess.run([sys.executable, "-m", "generator", "check", str(bad)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "only principal councils have an executive" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_failed_build_leaves_earlier_files_untouched(invoke, tmp_path):
    good = all_profiles()[0]
    prof = tmp_path / good.name
    prof.write_bytes(good.read_bytes())
    assert invoke("build", prof, "--out", tmp_path / "out").exit_code == 0
    out = tmp_path / "out" / good.stem
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    prof.write_text(prof.read_text() + "\nnot_a_key: 1\n")
    assert invoke("build", prof, "--out", tmp_path / "out").exit_code == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_stem_is_the_profile_file_name(invoke, tmp_path):
    prof = tmp_path / "my council.yaml"
    prof.write_bytes(Path(all_profiles()[0]).read_bytes())
    assert invoke("build", prof, "--out", tmp_path, "--format", "md").exit_code == 0
    assert (tmp_path / "my-council" / "my-council-member-officer-protocol.md").exists()


def test_single_build_names_the_files_it_wrote(invoke, tmp_path):
    profile = all_profiles()[0]
    result = invoke("build", profile, "--out", tmp_path)
    assert result.exit_code == 0
    for fmt in ("md", "docx"):
        name = f"{profile.stem}-member-officer-protocol.{fmt}"
        assert f"wrote {tmp_path / profile.stem / name}" in result.output
    again = invoke("build", profile, "--out", tmp_path)
    assert "(unchanged)" in again.output and "unchanged " in again.output


def test_pdf_is_converted_from_the_docx_written_beside_it(invoke, tmp_path):
    import subprocess as sp
    profile = all_profiles()[0]
    result = invoke("build", profile, "--out", tmp_path, "--format", "pdf", "--format", "docx")
    assert result.exit_code == 0, result.output
    folder = tmp_path / profile.stem
    pdf = folder / f"{profile.stem}-member-officer-protocol.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = sp.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                  check=True).stdout
    assert "Member/Officer Protocol" in text
    assert (folder / f"{profile.stem}-member-officer-protocol.docx").read_bytes()[:2] == b"PK"


def test_a_library_missing_from_the_install_is_named_with_the_fix(tmp_path):
    """A clerk whose installation lacks a library (an upgrade that did not finish) is told
    which one and how to install again, not shown an internal error."""
    code = ("import sys\n"
            "class Hide:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'dateutil':\n"
            "            raise ModuleNotFoundError(f\"No module named '{name}'\", name=name)\n"
            "sys.meta_path.insert(0, Hide())\n"
            "from generator.cli import main\n"
            "main()\n")
    text = tmp_path / "protocol.txt"
    text.write_text("Milcombe Parish Council\n\nMember/Officer Protocol\n\n1. Purpose\n\n"
                    "1.1 This Protocol was adopted on 12 March 2018.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PROTOCOLGEN_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code, "audit", str(text)], env=env,
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 69, done.stderr
    assert "the library 'dateutil' is missing" in done.stderr
    assert "install protocol-gen again" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
