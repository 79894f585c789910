"""Template safety: profile values are data, never templates; library templates run in
a small sandboxed language that cannot reach files, the environment or Python's
internals, cannot loop and cannot produce unbounded output."""
from __future__ import annotations

import dataclasses
import io
import re
import time

import docx
import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import FIXTURES, PROFILES
from docx_checks import docx_text, md_text
from generator.assemble import assemble
from generator.render.typography import smart
from generator.errors import AssemblyError
from generator.library.clauses import ClauseLibrary, check_library, load_library
from generator.pipeline import render
from generator.profile.load import profile_from_text
from generator.render.markdown import render_markdown
from generator.library.templating import ALLOWED_FILTERS, ENV, MAX_TEXT, compile_text, render_text

EXAMPLE = (PROFILES / "milcombe-parish-council.yaml").read_text(encoding="utf-8")
MINIMAL = "council:\n  name: Test Parish Council\n  tier: parish\n"
EVIL = FIXTURES / "evil-library"
SECRET = "not-for-any-document-5f2c"
MD = MarkdownIt("commonmark")


def with_values(**values: str) -> str:
    """The example profile with some values set (council.name, roles.*, terms.*)."""
    data = yaml.safe_load(EXAMPLE)
    for key, value in values.items():
        part = "council" if key == "name" else "terms" if key in ("members", "officers") \
            else "roles"
        data.setdefault(part, {})[key] = value
    return yaml.safe_dump(data, allow_unicode=True)



def build(text: str, library) -> tuple[str, bytes]:
    doc = assemble(profile_from_text(text, "council.yaml"), library)
    return render_markdown(doc), render(doc, "docx")


# ---- profile values are data ---------------------------------------------------------

def test_council_name_with_jinja_comes_out_literally(library):
    name = "{{ 7*7 }} Parish Council"
    md, data = build(with_values(name=name), library)
    headings = [t for t in MD.parse(md) if t.type == "heading_open" and t.tag == "h1"]
    assert len(headings) == 1
    assert md_text(md).startswith(f"{name}: ")
    assert "49" not in md_text(md).split("\n")[0]
    text = docx_text(data)
    assert name in text and "49 Parish Council" not in text
    props = docx.Document(io.BytesIO(data)).core_properties
    assert name in props.title or name in props.author


@pytest.mark.parametrize("value", [
    "{% for i in range(3) %}Clerk{% endfor %}",
    "{{ ref('purpose') }} Clerk",
    "{{ lipsum() }} {{ cycler.__init__.__globals__ }}",
    "{#",
    "{% raw %}Clerk",
])
def test_role_title_with_template_syntax_is_printed_as_written(library, value):
    """The head officer's title appears in many clauses: each shows it literally."""
    md, data = build(with_values(head_officer=value), library)
    seen = md_text(md)
    assert seen.count(value) >= 3
    assert "ClerkClerk" not in seen and "section 1 Clerk" not in seen
    # the DOCX has typographic quotes (house style), and otherwise the value as written
    assert docx_text(data).count(smart(value)) >= 3


def test_markdown_in_values_adds_no_markup(library):
    """Emphasis, links, HTML, headings, lists and line breaks in values stay text."""
    baseline, _ = build(EXAMPLE, library)
    members = "*Councillors* [all](http://example.org) <b>x</b> `y` | z"
    head = "- Clerk\n\n# Injected heading\n1. item"
    md, data = build(with_values(members=members, head_officer=head), library)

    def kinds(markdown: str) -> list[str]:
        tokens = MD.parse(markdown)
        return [t.type for t in tokens] + [c.type for t in tokens for c in t.children or ()]
    for kind in ("heading_open", "bullet_list_open", "ordered_list_open", "paragraph_open",
                 "em_open", "strong_open", "link_open", "html_inline", "html_block",
                 "code_inline"):
        assert kinds(md).count(kind) == kinds(baseline).count(kind), kind
    seen = md_text(md)
    assert seen.count(members) >= 3
    assert seen.count("- Clerk # Injected heading 1. item") >= 3
    assert "- Clerk # Injected heading 1. item" in docx_text(data)


# ---- the sandbox -----------------------------------------------------------------------

def test_environment_has_no_globals_and_only_text_filters():
    assert dict(ENV.globals) == {}
    assert ALLOWED_FILTERS == {"upfirst", "indefinite", "capitalize", "lower", "upper", "title", "trim",
                               "default", "d", "length", "count", "first", "last", "string"}
    for name in ("range", "lipsum", "cycler", "joiner", "namespace", "dict", "config"):
        with pytest.raises(Exception, match=f"'{name}' is undefined"):
            render_text(compile_text(f"{{{{ {name} }}}}"), {})


def test_text_within_the_limit_renders():
    assert render_text(compile_text("{{ 'ab' * 3 }} {{ x | upfirst }}"), {"x": "clerk"}) == \
        "ababab Clerk"


def test_output_is_cut_off_at_the_limit():
    template = compile_text("{{ x }}" * 20)
    with pytest.raises(Exception, match=f"more than {MAX_TEXT:,} characters"):
        render_text(template, {"x": "y" * (MAX_TEXT // 10)})


def test_clause_longer_than_the_limit_is_a_clear_error(tmp_path, monkeypatch):
    folder = tmp_path / "library"
    folder.mkdir()
    words = "The Clerk keeps the minutes. " * (MAX_TEXT // 28 + 10)
    (folder / "01-long.yaml").write_text(
        "id: long\ntitle: Long\norder: 1\nclauses:\n  - id: long.text\n    variants:\n"
        "      - source: drafted\n        reason: Longer than any clause.\n"
        f"        text: {words}\n", encoding="utf-8")
    with pytest.raises(AssemblyError) as info:
        assemble(profile_from_text(MINIMAL), load_library([folder]))
    problem = info.value.problems[0]
    assert problem.file.endswith("01-long.yaml") and problem.line == 7
    assert f"long.text: the text cannot be rendered: the text renders to more than " \
           f"{MAX_TEXT:,} characters" == problem.message


# ---- the hostile library ---------------------------------------------------------------

ONLY = r"only ref\(\.\.\.\) may be called"
PRIVATE = r"names starting with '_' are not available"
EXPECTED = {
    "attributes.mro": ONLY,
    "attributes.mro-no-call": PRIVATE,
    "attributes.cycler-globals": PRIVATE,
    "attributes.self": r"'self' is not a profile name|" + PRIVATE,
    "attributes.lipsum": ONLY + "|" + PRIVATE,
    "attributes.filter-attr": r"No filter named 'attr'",
    "attributes.config": r"'config' is undefined",
    "attributes.format": ONLY,
    "loops.range-print": ONLY,
    "loops.range-loop": r"loops \(\{% for %\}\) are not available",
    "loops.nested-text": r"loops \(\{% for %\}\) are not available",
    "loops.macro": r"macros are not available",
    "loops.set-doubling": r"\{% set %\} is not available",
    "output.repeat": r"repeating a text 1,000,000,000 times would make more than 1,000",
    "output.repeat-list": r"repeating a text 100,000,000 times",
    "output.power": r"the power \(\*\*\) makes too large a number",
    "output.percent": r"'%' formatting of text is not available",
    "output.method": ONLY,
    "output.center": r"No filter named 'center'",
    "output.divide": r"division or modulo by zero",
    "files.include": r"\{% include %\} is not available",
    "files.import": r"\{% import %\} is not available",
    "files.extends": r"\{% extends %\} is not available",
    "conditions.subclasses": ONLY + "|" + PRIVATE,
    "conditions.range": ONLY,
    "conditions.power": r"the power \(\*\*\) makes too large a number",
}
# what 'library check' can tell without running the texts
RUNTIME_ONLY = {"output.repeat", "output.repeat-list", "output.power", "output.percent",
                "output.divide", "conditions.power"}


@pytest.fixture(scope="module")
def evil():
    return load_library([EVIL])


def test_fixture_covers_every_clause(evil):
    assert set(evil.clauses) == set(EXPECTED)


@pytest.mark.parametrize("clause_id", sorted(EXPECTED))
def test_hostile_clause_gets_a_clear_error(evil, clause_id, monkeypatch):
    monkeypatch.setenv("PROTOCOLGEN_TEST_SECRET", SECRET)
    clause = evil.clauses[clause_id]
    section = dataclasses.replace(evil.section(clause.section), clauses=[clause])
    alone = ClauseLibrary([section], evil.folders)
    start = time.perf_counter()
    with pytest.raises(AssemblyError) as info:
        assemble(profile_from_text(MINIMAL), alone)
    assert time.perf_counter() - start < 1.0
    problem = info.value.problems[0]
    assert problem.file.startswith(str(EVIL)) and problem.line
    assert problem.message.startswith(f"{clause_id}: ")
    assert re.search(EXPECTED[clause_id], problem.message), problem.message
    assert "\n" not in problem.message
    shown = str(info.value)
    assert SECRET not in shown and "root:" not in shown and "<class" not in shown


def test_library_check_reports_the_hostile_clauses():
    problems = check_library(load_library([EVIL]))
    reported = {cid for p in problems for cid in EXPECTED
                if re.search(rf"(?<![\w.-]){re.escape(cid)}(?![\w-])",
                             f"{p.field} {p.message}")}
    assert reported == set(EXPECTED) - RUNTIME_ONLY
    for p in problems:
        assert p.file.startswith(str(EVIL)) and p.line
        if "not a valid Jinja2" in p.message:
            assert p.hint


def test_library_check_cli_on_the_hostile_library(invoke):
    result = invoke("library", "check", "--path", EVIL)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "see 'What a text may not do' in clause_library/README.md" in result.output
    assert re.search(r"\d+ problems in the library", result.output)


# ---- the shipped library ---------------------------------------------------------------

def test_shipped_library_passes_check(invoke):
    result = invoke("library", "check")
    assert result.exit_code == 0, result.output
    assert re.match(r"library ok: \d+ sections, \d+ clauses, \d+ variants", result.output)


def test_shipped_library_coverage_runs_in_ci(invoke):
    assert invoke("library", "coverage", "--help").exit_code == 0
    result = invoke("library", "coverage", "--min", "100")
    assert result.exit_code == 0, result.output
    for source in ("milcombe", "blaenavon", "halstead", "west-suffolk", "anytown"):
        assert re.search(rf"^{source}: \d+ of \d+ sentences carried", result.output,
                         re.MULTILINE)
    assert "overall:" in result.output


def test_every_shipped_profile_builds_with_the_shipped_library(library):
    for path in sorted(PROFILES.glob("*.yaml")):
        md, _ = build(path.read_text(encoding="utf-8"), library)
        assert md.startswith("# ")


@pytest.mark.parametrize("word, expected", [
    ("officer", "an officer"), ("Councillor", "a Councillor"), ("member of staff",
    "a member of staff"), ("employee", "an employee"), ("Member", "a Member"),
    ("union representative", "a union representative"), ("hour", "an hour")])
def test_indefinite_article_follows_the_first_sound(word, expected):
    assert render_text(compile_text("{{ x | indefinite }}"), {"x": word}) == expected


def test_staff_terms_read_grammatically(library):
    from generator.assemble import assemble
    from generator.profile.load import profile_from_text
    from generator.render.markdown import render_markdown
    doc = assemble(profile_from_text(
        "council: {name: X Town Council, tier: town}\n"
        "terms: {officers: staff, officer: member of staff}\n"), library)
    text = render_markdown(doc)
    assert "a member of staff" in text
    assert "an member of staff" not in text and "an staff" not in text
