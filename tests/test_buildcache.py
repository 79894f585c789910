"""A single build kept between runs (generator/buildcache.py): used again only when the
profile, every library file, the code and the formats are what they were; its files,
messages and warnings exactly a full build's; a failed build never kept."""
from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys

import pytest

from conftest import PROFILES, ROOT
from generator import cache
from generator.library import templating

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"
STAGES = ("pydantic", "jinja2", "yaml", "docx", "lxml", "markdown_it", "generator.assemble",
          "generator.library", "generator.profile", "generator.render")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """Build in-process with a cache folder of this test's own ('' for none); returns
    (exit code, output, every file written by bytes)."""
    def build(profile: Path, out: str, cache_dir: str | None = None, *extra: str):
        monkeypatch.setenv("PROTOCOLGEN_CACHE", str(tmp_path / "cache") if cache_dir is None
                           else cache_dir)
        cache.folder.cache_clear()
        templating._bytecode_cache.cache_clear()            # the folder it was found in
        from generator.cli import cli
        from click.testing import CliRunner
        result = CliRunner().invoke(cli, ["build", str(profile), "--out",
                                          str(tmp_path / out), *extra],
                                    catch_exceptions=False)
        files = {str(p.relative_to(tmp_path / out)): p.read_bytes()
                 for p in sorted((tmp_path / out).rglob("*")) if p.is_file()}
        return result.exit_code, result.output.replace(str(tmp_path / out), "OUT"), files
    yield build
    cache.folder.cache_clear()
    templating._bytecode_cache.cache_clear()


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("built-*.pickle"))


def _fresh_process(tmp_path: Path, out: str, profile: Path = MILCOMBE) -> tuple[str, set[str]]:
    """``protocol-gen build PROFILE`` in a new interpreter: its output and its modules."""
    code = ("import json, sys\nfrom generator.cli import main\n"
            f"main(['build', {str(profile)!r}, '--out', {out!r}])\n"
            "print(json.dumps(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=dict(
                              os.environ, PYTHONPATH=str(ROOT),
                              PROTOCOLGEN_CACHE=str(tmp_path / "cache")))
    assert proc.returncode == 0, proc.stderr
    *lines, modules = proc.stdout.splitlines()
    return "\n".join(lines).replace(out, "OUT"), set(json.loads(modules))


def test_an_unchanged_profile_is_written_from_the_kept_build(tmp_path, cached):
    code, output, plain = cached(MILCOMBE, "plain", "")       # no cache at all
    assert code == 0 and not _entries(tmp_path)
    first_output, first = _fresh_process(tmp_path, "first")
    assert {"pydantic", "generator.render.docx"} <= first     # really built
    assert len(_entries(tmp_path)) == 1
    again_output, again = _fresh_process(tmp_path, "again")
    assert not [m for m in again for s in STAGES if m == s or m.startswith(s + ".")]
    assert again_output == first_output == output.strip()
    for out in ("first", "again"):
        files = {str(p.relative_to(tmp_path / out)): p.read_bytes()
                 for p in sorted((tmp_path / out).rglob("*")) if p.is_file()}
        assert files == plain


def test_a_changed_profile_starts_from_the_texts_its_last_build_parsed(tmp_path, cached):
    profile = tmp_path / "council.yaml"
    text = MILCOMBE.read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    _fresh_process(tmp_path, "first", profile)
    changed = [text.replace('version: "1.0"', 'version: "1.1"'),        # the same texts
               text.replace("chair: Chairman", "chair: Chair")]    # new texts
    for i, new in enumerate(changed):
        profile.write_text(new, encoding="utf-8")
        output, modules = _fresh_process(tmp_path, f"changed-{i}", profile)
        assert {"pydantic", "generator.render.docx"} <= modules       # really built
        assert ("markdown_it" in modules) == (i == 1)                 # new texts parsed
        plain = cached(profile, f"plain-{i}", "")                    # no cache at all
        assert plain[0] == 0 and output == plain[1].strip().replace(f"plain-{i}", f"changed-{i}")
        files = {str(p.relative_to(tmp_path / f"changed-{i}")): p.read_bytes()
                 for p in sorted((tmp_path / f"changed-{i}").rglob("*")) if p.is_file()}
        assert files == plain[2] and "council/council-member-officer-protocol.docx" in files


def test_what_a_build_worked_out_is_noted_for_that_build_only(tmp_path, cached):
    import pickle
    profile = tmp_path / "council.yaml"
    text = MILCOMBE.read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    assert cached(profile, "first")[0] == 0
    profile.write_text(text.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    assert cached(profile, "second")[0] == 0                 # built from the notes
    entry = pickle.loads(_entries(tmp_path)[0].read_bytes())
    kinds = {kind for kind, _ in pickle.loads(entry["notes"])}
    assert {"blocks", "text", "when", "names"} <= kinds       # tokens, templates, conditions
    assert pickle.loads(cache.notes()) == {}                  # nothing noted after it


def test_a_rebuild_into_the_same_folder_still_keeps_the_earlier_version(tmp_path, cached):
    profile = tmp_path / "council.yaml"
    profile.write_text(MILCOMBE.read_text(encoding="utf-8"), encoding="utf-8")
    assert cached(profile, "out")[0] == 0
    code, output, files = cached(profile, "out")
    assert code == 0 and "(unchanged)" in output and "previous/" not in "".join(files)
    profile.write_text(profile.read_text(encoding="utf-8").replace('"1.0"', '"1.1"'),
                       encoding="utf-8")
    cached(profile, "out")                                   # built again, 1.0 kept
    profile.write_text(profile.read_text(encoding="utf-8").replace('"1.1"', '"1.0"'),
                       encoding="utf-8")
    code, output, files = cached(profile, "out")             # 1.0 again, from the cache
    assert code == 0 and "kept the earlier version" in output
    assert any(name.startswith("council/previous/") and "v1.1" in name for name in files)


def test_every_input_that_changes_builds_again(tmp_path, cached):
    profile = tmp_path / "council.yaml"
    house = tmp_path / "house"
    house.mkdir()
    clause = house / "90-house.yaml"
    rule = ("id: house-extra\ntitle: House rules\norder: 90\nclauses:\n"
            "  - id: house-extra.rule\n    variants:\n      - source: house rules\n"
            "        text: '{}'\n")
    clause.write_text(rule.format("The first house rule."), encoding="utf-8")
    text = MILCOMBE.read_text(encoding="utf-8").replace(
        "drafting:\n", "drafting:\n  library: house\n")
    profile.write_text(text, encoding="utf-8")
    steps = [lambda: None,
             lambda: profile.write_text(text.replace("chair: Chairman", "chair: Chair"),
                                        encoding="utf-8"),
             lambda: clause.write_text(rule.format("The second house rule."), encoding="utf-8"),
             lambda: (house / "91-more.yaml").write_text(
                 rule.replace("house-extra", "house-more").format("A rule in a new file."),
                 encoding="utf-8")]
    texts = set()
    for i, change in enumerate(steps):
        change()
        code, output, files = cached(profile, f"cached-{i}")
        texts.add(files["council/council-member-officer-protocol.md"])
        plain = cached(profile, f"plain-{i}", "")
        assert code == 0, output
        assert (code, output.replace(f"cached-{i}", "X"), files) == \
            (plain[0], plain[1].replace(f"plain-{i}", "X"), plain[2])
    assert len(texts) == len(steps)                          # each change showed
    md = files["council/council-member-officer-protocol.md"].decode("utf-8")
    assert "The second house rule." in md and "A rule in a new file." in md
    assert len(_entries(tmp_path)) == 1                      # one entry per profile


def test_warnings_come_back_with_the_kept_build(tmp_path, cached):
    profile = tmp_path / "council.yaml"
    long_name = "Milcombe " + "and Upper Milcombe " * 12 + "Parish Council"
    profile.write_text(MILCOMBE.read_text(encoding="utf-8").replace(
        "name: Milcombe Parish Council", f"name: {long_name}"), encoding="utf-8")
    first = cached(profile, "out")
    second = cached(profile, "out")
    assert "warning" in first[1] and first[1].count("warning") == second[1].count("warning")
    assert [line for line in first[1].splitlines() if "warning" in line] == \
        [line for line in second[1].splitlines() if "warning" in line]


def test_a_failed_build_is_never_kept(tmp_path, cached):
    profile = tmp_path / "council.yaml"
    profile.write_text(MILCOMBE.read_text(encoding="utf-8").replace("tier: parish",
                                                                    "tier: hamlet"),
                       encoding="utf-8")
    first = cached(profile, "out")
    assert first[0] == 1 and "tier" in first[1]
    assert cached(profile, "out")[:2] == first[:2] and not _entries(tmp_path)


def test_a_damaged_entry_is_built_again(tmp_path, cached):
    plain = cached(MILCOMBE, "plain", "")
    cached(MILCOMBE, "first")
    for entry in _entries(tmp_path):
        entry.write_bytes(b"not a cache entry")
    assert cached(MILCOMBE, "again")[2] == plain[2]
    assert all(e.read_bytes() != b"not a cache entry" for e in _entries(tmp_path))


@pytest.mark.parametrize("extra", [("--format", "pdf"), ("--drafting",), ("--redline",),
                                   ("--report",)])
def test_other_requests_are_not_kept(tmp_path, cached, extra):
    if extra[-1] == "pdf" and not any((Path(p) / "soffice").exists()
                                      for p in os.environ["PATH"].split(os.pathsep)):
        pytest.fail("LibreOffice (soffice) is needed for PDF output")
    assert cached(MILCOMBE, "out", None, *extra)[0] == 0
    assert not _entries(tmp_path)
