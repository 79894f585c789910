"""What a command imports when it starts: each command imports only what it uses, so a
clerk's single build never pays for the web app, the importer or the review stage.
(Structure only: the time it takes is measured by benchmarks/run.py, never here.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import PROFILES, ROOT

NEVER_AT_START = ("flask", "werkzeug", "waitress", "pydantic", "jinja2", "yaml", "docx",
                  "lxml", "markdown_it", "generator.library", "generator.profile",
                  "generator.importer", "generator.review", "generator.web",
                  "generator.cli_library")
NEVER_IN_BUILD = ("flask", "werkzeug", "waitress", "ruamel", "concurrent.futures",
                  "multiprocessing", "generator.importer", "generator.web",
                  "generator.review.redline", "generator.library.provenance",
                  "generator.library.register", "generator.render.pdf",
                  "generator.render.html", "generator.render.drafting", "generator.render.report",
                  "generator.review.report", "generator.review.impact", "generator.render.impact",
                  "generator.cli_library",
                  "generator.cli_review")


def _modules_after(code: str, tmp_path, **env) -> set[str]:
    """The modules loaded by ``code`` run in a fresh interpreter."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env))
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names) -> list[str]:
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


def test_the_command_line_starts_without_any_stage(tmp_path):
    modules = _modules_after("import generator.cli", tmp_path)
    assert "click" in modules
    assert _loaded(modules, NEVER_AT_START) == []


def test_help_lists_every_command_including_those_loaded_lazily(invoke):
    import click

    from generator.cli import LAZY_COMMANDS, cli
    result = invoke("--help")
    for name in ("audit", "build", "check", "diff", "explain", "import", "init", "schema",
                 "serve", *LAZY_COMMANDS):
        assert f"\n  {name} " in result.stdout, name
    with click.Context(cli) as ctx:
        for name in LAZY_COMMANDS:                  # each names a command that loads
            command = cli.get_command(ctx, name)
            assert isinstance(command, click.Command) and command.name == name
    assert "Check the clause library" in invoke("library", "--help").stdout


def test_a_single_build_imports_only_what_it_uses(tmp_path):
    code = ("from generator.cli import main\n"
            "try:\n"
            f"    main(['build', {str(PROFILES / 'milcombe-parish-council.yaml')!r}, "
            "'--out', 'out', '-q'])\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n"
            "import gc\n"
            "assert gc.isenabled()   # paused for the build only\n")
    modules = _modules_after(code, tmp_path, PROTOCOLGEN_CACHE="")
    assert (tmp_path / "out" / "milcombe-parish-council"
            / "milcombe-parish-council-member-officer-protocol.docx").is_file()
    assert {"generator.render.docx", "generator.assemble"} <= modules   # the real work
    assert _loaded(modules, NEVER_IN_BUILD) == []


NEVER_IN_AUDIT = ("flask", "werkzeug", "waitress", "ruamel", "markdown_it",
                  "concurrent.futures", "multiprocessing", "generator.render",
                  "generator.web", "generator.review.redline", "generator.review.against",
                  "generator.library.coverage", "generator.cli_library", "generator.cli_review")


def test_an_audit_imports_only_what_it_uses(tmp_path):
    import docx
    d = docx.Document()
    text = (ROOT / "clause_library" / "sources" / "halstead.txt").read_text("utf-8")
    for line in filter(None, map(str.strip, text.splitlines())):
        d.add_paragraph(line)
    d.save(tmp_path / "protocol.docx")
    code = ("from generator.cli import main\n"
            "try:\n"
            "    main(['audit', 'protocol.docx', '--format', 'json', '-o', 'report.json'])\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n")
    cache = str(tmp_path / "cache")
    _modules_after(code, tmp_path, PROTOCOLGEN_CACHE=cache)     # fills the cache
    (tmp_path / "report.json").unlink()
    modules = _modules_after(code, tmp_path, PROTOCOLGEN_CACHE=cache)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert any(p["status"] == "matched" for p in report["paragraphs"])
    assert {"docx", "generator.importer.mapping"} <= modules             # the real work
    assert _loaded(modules, NEVER_IN_AUDIT) == []
