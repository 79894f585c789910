"""What the speed-ups must not change: the shipped library reads the same with libyaml,
other YAML keeps the pure-Python reader, and the cache between runs never changes a
byte of output, survives damaged entries and never keeps a template that failed its
checks. (Timings are measured by benchmarks/run.py, never asserted here.)"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jinja2 import TemplateSyntaxError

from conftest import PROFILES, ROOT
from generator import cache
from generator.library import templating
from generator.library.clauses import SHIPPED, NOT_SECTIONS
from generator.profile.yamlsource import _FastLoader, parse_yaml

SHIPPED_FILES = sorted(p for p in SHIPPED.glob("*.yaml") if p.name not in NOT_SECTIONS)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_shipped_library_file_reads_the_same_with_libyaml(path):
    text = path.read_text(encoding="utf-8")
    yaml.compose(text, Loader=_FastLoader)        # libyaml reads it (no fallback)
    fast, fast_problems = parse_yaml(text, str(path), trusted=True)
    pure, pure_problems = parse_yaml(text, str(path))
    assert fast_problems == pure_problems == []
    assert fast.data == pure.data
    assert fast.marks == pure.marks               # every line and column


def test_a_profile_keeps_the_pure_python_reader(invoke, tmp_path):
    # libyaml accepts a tab after a value; the profile reader has always refused it with
    # its own message, and still does
    text = "council:\n  name: Milcombe Parish Council\n  tier: parish\t\n"
    assert parse_yaml(text, "p.yaml", trusted=True)[0].data["council"]["tier"] == "parish"
    profile = tmp_path / "p.yaml"
    profile.write_text(text, encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 1
    assert f"{profile}:3:15: error: YAML syntax error" in result.stderr
    assert "indent with spaces, not tabs" in result.stderr


def _build(tmp_path: Path, name: str, cache_dir: str) -> dict[str, bytes]:
    """Build two example councils in a fresh process; every output file's bytes."""
    out = tmp_path / name
    env = dict(os.environ, PYTHONPATH=str(ROOT), PROTOCOLGEN_CACHE=cache_dir)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(PROFILES / "milcombe-parish-council.yaml"),
         str(PROFILES / "northmoor-county-council.yaml"), "--out", str(out), "-q", "--jobs", "1"],
        capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def test_cache_between_runs_changes_no_byte_of_output(tmp_path):
    where = tmp_path / "cache"
    without = _build(tmp_path, "no-cache", "")
    assert len(without) == 4
    cold = _build(tmp_path, "cold", str(where))
    bases = list(where.glob("docx-base-*.pickle"))
    templates = list((where / "templates").glob("*.cache"))
    assert len(bases) == 1 and len(templates) > 50
    warm = _build(tmp_path, "warm", str(where))
    assert cold == without and warm == without
    # damaged entries (a full disk, another version's files) are made again
    for entry in bases + templates:
        entry.write_bytes(b"not a cache entry")
    assert _build(tmp_path, "damaged", str(where)) == without
    assert all(e.read_bytes() != b"not a cache entry" for e in bases + templates)


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """The cache in an empty folder for this test (and the process caches forgotten)."""
    monkeypatch.setenv("PROTOCOLGEN_CACHE", str(tmp_path / "cache"))
    cache.folder.cache_clear()
    templating._bytecode_cache.cache_clear()
    yield tmp_path / "cache"
    cache.folder.cache_clear()
    templating._bytecode_cache.cache_clear()


def test_a_cached_template_renders_as_a_freshly_compiled_one(fresh_cache):
    text = "The {{ chair | upper }} and {{ ref('a') }} of {{ council_name }}."
    context = {"chair": "Chair *one*", "council_name": "Bar_{{ 7*7 }}",
               "ref": lambda target: templating.Markup("paragraph 1.1")}
    fresh = templating._text.__wrapped__(text)[0]       # stored here
    assert len(list((fresh_cache / "templates").glob("*.cache"))) == 1
    stored = templating._text.__wrapped__(text)[0]      # read back
    expected = "The CHAIR \\*ONE\\* and paragraph 1.1 of Bar\\_{{ 7\\*7 }}."
    assert templating.render_text(fresh, context) == expected
    assert templating.render_text(stored, context) == expected


def test_a_refused_template_is_never_cached(fresh_cache):
    for text in ("{% for x in members %}{{ x }}{% endfor %}", "{{ ''.__class__ }}",
                 "{{ council_name.upper() }}"):
        with pytest.raises(TemplateSyntaxError):
            templating._text.__wrapped__(text)[0]
    assert not list((fresh_cache / "templates").glob("*.cache"))


def test_a_cached_condition_holds_as_a_freshly_compiled_one(fresh_cache):
    expr = "political_groups and tier in ('district', 'county') or not staffing_committee"
    fresh = templating._condition.__wrapped__(expr)[0]        # stored here
    assert len(list((fresh_cache / "templates").glob("*.cache"))) == 1
    stored = templating._condition.__wrapped__(expr)[0]       # read back
    assert type(stored) is type(fresh)
    for groups in (True, False):
        for tier in ("district", "parish"):
            for committee in ("", "Staffing Committee"):
                ctx = {"political_groups": groups, "tier": tier,
                       "staffing_committee": committee}
                assert stored(**ctx) == fresh(**ctx) == \
                    (groups and tier in ("district", "county") or not committee)
    # a text with the same words is another entry, never the condition's code
    assert templating.render_text(templating._text.__wrapped__(expr)[0], {}) == expr
    assert stored(political_groups=True, tier="county", staffing_committee="x") is True


def test_a_refused_condition_is_never_cached(fresh_cache):
    for expr in ("''.__class__", "council_name.upper()", "a) + (b", "x for x in y"):
        with pytest.raises(TemplateSyntaxError):
            templating._condition.__wrapped__(expr)[0]
    assert not list((fresh_cache / "templates").glob("*.cache"))


def test_no_cache_folder_means_no_cache(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for value in ("", str(blocker / "cache")):
        monkeypatch.setenv("PROTOCOLGEN_CACHE", value)
        cache.folder.cache_clear()
        assert cache.folder() is None
        made = []
        assert cache.remember("x", "k", lambda: made.append(1) or 42) == 42
        assert cache.remember("x", "k", lambda: made.append(1) or 42) == 42
        assert made == [1, 1]                   # made each time, stored nowhere
    cache.folder.cache_clear()


def test_a_changed_library_file_is_read_again(fresh_cache, tmp_path):
    from generator.errors import LibraryError
    from generator.library.clauses import load_library

    folder = tmp_path / "house"
    folder.mkdir()
    section = folder / "01-intro.yaml"
    wording = ("id: intro\ntitle: Introduction\norder: 1\nclauses:\n  - id: intro.purpose\n"
               "    variants:\n      - source: house\n        text: {}\n")
    section.write_text(wording.format("First wording."), encoding="utf-8")
    assert load_library([folder]).clauses["intro.purpose"].variants[0].text == "First wording."
    assert load_library([folder]).clauses["intro.purpose"].variants[0].text == "First wording."
    assert len(list(fresh_cache.glob("library-*.pickle"))) == 1
    section.write_text(wording.format("Second wording."), encoding="utf-8")
    assert load_library([folder]).clauses["intro.purpose"].variants[0].text == "Second wording."
    section.write_text(wording.format("Third wording.").replace("order: 1", "order: -1"),
                       encoding="utf-8")
    for _ in range(2):                      # a library with problems is never kept
        with pytest.raises(LibraryError):
            load_library([folder])
    assert len(list(fresh_cache.glob("library-*.pickle"))) == 2


def test_the_cache_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("PROTOCOLGEN_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache.folder.cache_clear()
    try:
        assert cache.folder() == tmp_path / "xdg" / "protocolgen"
        assert (tmp_path / "xdg" / "protocolgen").is_dir()
        assert oct((tmp_path / "xdg" / "protocolgen").stat().st_mode & 0o777) == "0o700"
    finally:
        cache.folder.cache_clear()
