"""Property-based tests: hostile and mutated profiles through the real pipeline.

Profiles come from many hands. Starting from the shipped profiles, hypothesis mutates
keys, types and values (Welsh, right-to-left, emoji, control characters, lone
surrogates, very long text, deep nesting) and plays YAML tricks (tags, anchors and
alias bombs, merge keys, duplicate keys, directives). Every case runs the real path
(parse_yaml, parse_profile, assemble, render_markdown, and the DOCX renderer for a
share of them) and must end in a document or a ProtocolGenError whose problems name
the file, the line and what is wrong: any other exception, a hang or a memory
blow-up is a failure. 2,390 examples in all; PROTOCOLGEN_FUZZ=<factor> runs
more (e.g. 10 for a long local run).
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import resource
import string
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import (HealthCheck, currently_in_test_context, event, given, note,
                        settings, strategies as st)
from markdown_it import MarkdownIt

from conftest import PROFILES
from docx_checks import docx_text, md_text
from generator.assemble import assemble
from generator.errors import ProtocolGenError
from generator.library.clauses import load_library
from generator.pipeline import render
from generator.profile.load import parse_profile, profile_from_text
from generator.render.markdown import render_markdown
from generator.library.templating import upfirst
from generator.profile.yamlsource import load_yaml_file, parse_yaml

PLAIN_QUOTES = str.maketrans("‘’“”", "''\"\"")   # the DOCX has typographic quotes

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

FILE = "fuzzed-council.yaml"
SCALE = float(os.environ.get("PROTOCOLGEN_FUZZ", "1"))
LIBRARY = load_library()
MD = MarkdownIt("commonmark")
SHIPPED = {p.name: p.read_text(encoding="utf-8") for p in sorted(PROFILES.glob("*.yaml"))}
SHIPPED_DATA = {name: yaml.safe_load(text) for name, text in SHIPPED.items()}
# A few hundred MB over the starting point is a blow-up: no profile needs that.
MEMORY_HEADROOM_KB = 600 * 1024
# Parsing a hostile file may take a few MB, never more.
PARSE_PEAK_BYTES = 64 * 1024 * 1024
# A case takes tens of milliseconds; the bound is wide so that a busy machine never makes
# the suite flaky, and still catches a hang.
CASE_SECONDS = 5

settings.register_profile(
    "protocolgen-fuzz",
    deadline=dt.timedelta(seconds=CASE_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
    print_blob=True,
)
FUZZ = settings.get_profile("protocolgen-fuzz")


def examples(n: int) -> settings:
    return settings(FUZZ, max_examples=max(1, int(n * SCALE)))


# ---- the pipeline and what every outcome must look like ---------------------------

_START_RSS_KB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def check_problems(exc: ProtocolGenError) -> None:
    """A clear error: at least one error, each problem located in the profile (or a
    library file) with a line, and a message in words."""
    assert exc.problems, "an error with no problems"
    assert any(p.severity == "error" for p in exc.problems)
    for p in exc.problems:
        assert p.severity in ("error", "warning")
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.file == FILE or (p.file or "").endswith(".yaml"), p
        assert isinstance(p.line, int) and p.line >= 1, p
        assert p.column is None or (isinstance(p.column, int) and p.column >= 1), p
        assert str(p).startswith(f"{p.file}:{p.line}"), p
        assert "Traceback" not in str(p)


def inline(value: str) -> str:
    """What a value looks like printed in running text (line breaks become spaces)."""
    return re.sub(r"[ \t]*[\t\n\r\v\f\x85\u2028\u2029]+[ \t]*", " ", value)



def h1_text(markdown: str) -> str:
    tokens = MD.parse(markdown)
    heads = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    assert len(heads) == 1, "exactly one H1"
    inline_token = tokens[heads[0] + 1]
    return "".join(c.content if c.type in ("text", "code_inline") else " "
                   for c in inline_token.children or ())


def check_document(doc, markdown: str, data: bytes | None) -> None:
    """A built document: valid Markdown with the council's name literally in the one
    H1, and (when rendered) a DOCX that opens and shows the name."""
    meta = doc.meta
    assert markdown.startswith("# ") and markdown.endswith("\n")
    assert h1_text(markdown) == inline(f"{meta.council_name}: {meta.title}").strip()
    assert markdown.count("\n## ") >= len(doc.sections)
    if data is not None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
        assert inline(meta.council_name).strip() in inline(docx_text(data))


class Result:
    """What one run of the pipeline made."""

    def __init__(self, kind: str, profile=None, markdown: str = "", docx_data=None):
        self.kind, self.profile, self.markdown, self.docx_data = \
            kind, profile, markdown, docx_data


def run_pipeline(text: str, *, with_docx: bool) -> Result:
    """The real path for one profile text: a built document that passes
    :func:`check_document`, or a clear error that passes :func:`check_problems`."""
    start = time.perf_counter()
    profile, markdown, data = None, "", None
    try:
        profile = profile_from_text(text, FILE)
        doc = assemble(profile, LIBRARY)
        markdown = render_markdown(doc)
        data = render(doc, "docx") if with_docx else None
    except ProtocolGenError as exc:
        note(f"error: {exc}")
        check_problems(exc)
        outcome = f"error: {type(exc).__name__}"
    else:
        check_document(doc, markdown, data)
        outcome = "built" + (" (with DOCX)" if data is not None else "")
    assert time.perf_counter() - start < CASE_SECONDS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert rss - _START_RSS_KB < MEMORY_HEADROOM_KB, f"memory grew to {rss} KB"
    if currently_in_test_context():
        event(outcome)           # pytest --hypothesis-show-statistics shows the mix
    return Result(outcome.split(" ")[0].rstrip(":"), profile, markdown, data)


def dump(data, draw) -> str:
    """YAML text for ``data`` in one of several styles."""
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, None, True])),
                          width=draw(st.sampled_from([40, 80, 10_000])))


# ---- values ------------------------------------------------------------------------

WELSH = "ŵŷâêîôûŴŶÂÊÎÔÛäëïöüẁẃẅỳýÿ"
RTL = "مجلس بلدية שלום עולם"
EMOJI = ["🏛️", "👩🏽‍⚖️", "🇬🇧", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "❤️", "🧑‍🤝‍🧑"]
CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u200b", "\u200e", "\u202e",
                                            "\u2028", "\ufeff", "\ufffe", "\uffff"]
SURROGATES = ["\ud800", "\udfff", "\udc00x"]
TRICKY_TEXT = [
    "{{ 7*7 }}", "{% for i in range(10**9) %}x{% endfor %}", "{{ ''.__class__.__mro__ }}",
    "{{ ref('purpose') }}", "{#", "{% raw %}", "*emphasis* _u_ `code`", "[link](http://x)",
    "<script>alert(1)</script>", "&amp; &#169;", "- item", "1. item", "# heading", "> quote",
    "---", "===", "|a|b|", "\\", "\\\\n", "    indented", "Mr. O'Brien \"quoted\"", "Café",
    "Llanfair­pwllgwyngyll", "Cyngor Cymuned Llanŵ", "St\u00a0Albans", "a\nb", "a\r\nb",
    "\t", " ", "", "null", "~", "yes", "no", "on", "2025-05-12", "0x1F", "1e400", ".nan",
    "parish", "town", "community", "district", "unitary", "wales", "england", "committee",
    "leader_cabinet", "mayor_cabinet", "milcombe", "blaenavon", "anytown", "purpose",
    "groups.reports", "en-GB", "cy-GB", "2026-05", "9999-12", "/dev/zero", "../../etc/passwd",
]

text_pieces = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.text(alphabet=WELSH + RTL + string.ascii_letters + " -'.", max_size=30),
    st.sampled_from(EMOJI),
    st.sampled_from(CONTROL + SURROGATES),
    st.text(max_size=20),                                 # any Unicode (no surrogates)
    st.characters(codec="utf-8"),
)
FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                       "\U00010000-\U0010ffff]")
# Text a document can hold: Welsh, right-to-left, emoji, template and Markdown syntax.
readable_text = st.lists(text_pieces, min_size=1, max_size=4).map("".join).map(
    lambda t: FORBIDDEN.sub("", t)[:60]).map(lambda t: t if t.strip() else "Clerk")
# Anything at all, including what must be refused: invisible characters, text too long.
pieces = st.lists(text_pieces, min_size=1, max_size=6).map("".join)
hostile_text = st.one_of(
    pieces, pieces, pieces, pieces,
    st.builds(lambda c, n: c * n, st.sampled_from("xŵ🏛 {"), st.integers(400, 700)),
    st.builds(lambda c, n: c * n, st.sampled_from("x{["), st.integers(5_000, 20_000)),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-2**70, 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    hostile_text,
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(hostile_text, st.sampled_from(TRICKY_TEXT)), inner,
                    max_size=4)), max_leaves=12)


SOURCES = ["milcombe", "blaenavon", "halstead", "west-suffolk", "anytown"]
IDS = sorted(LIBRARY.clauses) + [s.id for s in LIBRARY.sections]
library_id = st.one_of(st.sampled_from(IDS), st.sampled_from(IDS).map(lambda i: i + "x"),
                       st.sampled_from(TRICKY_TEXT))
# Values that fit a key's type, so that more mutated profiles get as far as a document.
PLAUSIBLE = {
    ("council", "tier"): st.sampled_from(["parish", "town", "community", "district", "borough",
                                          "county", "unitary", "metropolitan",
                                          "london_borough"]),
    ("council", "nation"): st.sampled_from(["england", "wales"]),
    ("council", "governance"): st.sampled_from(["committee", "leader_cabinet",
                                                "mayor_cabinet"]),
    ("council", "political_groups"): st.booleans(),
    ("council", "independent_members"): st.booleans(),
    ("council", "scrutiny"): st.one_of(st.none(), st.booleans()),
    ("council", "wards"): st.one_of(st.none(), st.booleans()),
    ("drafting", "prefer_sources"): st.lists(st.sampled_from(SOURCES), max_size=3, unique=True),
    ("drafting", "exclude"): st.lists(library_id, max_size=4),
    ("drafting", "variants"): st.dictionaries(library_id, st.sampled_from(SOURCES + ["drafted"]),
                                              max_size=3),
    ("adoption", "adopted"): st.one_of(st.none(), st.dates(dt.date(1990, 1, 1),
                                                           dt.date(2100, 1, 1))),
    ("adoption", "next_review"): st.one_of(st.none(), st.sampled_from(
        ["2026-05", "2027-01-31", "2024-13", "1999-12", "soon"])),
    ("adoption", "version"): st.one_of(readable_text, st.sampled_from(["1.0", "2.1", ""])),
    ("document", "language"): st.sampled_from(["en-GB", "cy-GB", "fr-FR"]),
}
for _key in ("head_officer", "monitoring_officer", "chair", "vice_chair", "leader",
             "staffing_committee", "standards_committee", "finance_officer"):
    PLAUSIBLE[("roles", _key)] = st.one_of(st.none(), readable_text)
for _key in ("members", "member", "officers", "officer"):
    PLAUSIBLE[("terms", _key)] = readable_text
for _key in ("code_of_conduct", "employee_code", "constitution", "bullying_policy"):
    PLAUSIBLE[("policies", _key)] = readable_text
PLAUSIBLE[("council", "name")] = readable_text
PLAUSIBLE[("document", "title")] = readable_text


def deep(depth: int, leaf="x"):
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# ---- mutations of the shipped profiles -----------------------------------------------

def paths(node, prefix=()):
    """Every path in a nested dict/list (the root included)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, prefix + (i,))


def get(node, path):
    for part in path:
        node = node[part]
    return node


def typo(word: str, draw) -> str:
    word = str(word)
    if not word:
        return "x"
    i = draw(st.integers(0, len(word) - 1))
    return draw(st.sampled_from([word[:i] + word[i + 1:], word[:i] + "x" + word[i:],
                                 word.upper(), word + "s", word.replace("_", "-")])) or "x"


@st.composite
def mutated_profile(draw, max_mutations: int = 4):
    """A shipped profile with a few random changes, as YAML text."""
    data = yaml.safe_load(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    for _ in range(draw(st.integers(1, max_mutations))):
        path = draw(st.sampled_from(list(paths(data))))
        target = get(data, path)
        op = draw(st.sampled_from(["plausible"] * 6 + ["readable"] * 3 + [
            "text", "value", "delete", "add", "rename", "wrap", "deep", "copy"]))
        if op == "plausible":
            path = draw(st.sampled_from(sorted(PLAUSIBLE)))
            data.setdefault(path[0], {})
            if not isinstance(data[path[0]], dict):
                data[path[0]] = {}
            data[path[0]][path[1]] = draw(PLAUSIBLE[path])
            note(f"plausible at {path}")
            continue
        parent = get(data, path[:-1]) if path else None
        key = path[-1] if path else None
        if op == "readable" and path:
            parent[key] = draw(readable_text)
        elif op == "text" and path:
            parent[key] = draw(hostile_text)
        elif op == "value" and path:
            parent[key] = draw(values)
        elif op == "delete" and path:
            del parent[key]
        elif op == "add" and isinstance(target, dict):
            target[draw(st.one_of(st.sampled_from(TRICKY_TEXT), hostile_text))] = draw(values)
        elif op == "add" and isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), draw(values))
        elif op == "rename" and path and isinstance(parent, dict):
            parent[typo(key, draw)] = parent.pop(key)
        elif op == "wrap" and path:
            parent[key] = draw(st.sampled_from([[target], {"value": target}]))
        elif op == "deep" and path:
            parent[key] = deep(draw(st.integers(1, 60)), target)
        elif op == "copy" and path:
            other = draw(st.sampled_from(list(paths(data))))
            if other and other[: len(path)] != path:
                get(data, other[:-1])[other[-1]] = copy.deepcopy(target)  # never a cycle
        note(f"{op} at {path}")
    return dump(data, draw)


@examples(700)
@given(text=mutated_profile(), docx_share=st.integers(0, 3))
def test_mutated_shipped_profiles(text, docx_share):
    run_pipeline(text, with_docx=docx_share == 0)


# ---- hostile text in the places a document prints ------------------------------------

PRINTED = [("council", "name"), ("roles", "head_officer"), ("roles", "chair"),
           ("roles", "monitoring_officer"), ("terms", "members"), ("terms", "officers"),
           ("policies", "code_of_conduct"), ("adoption", "version"), ("adoption", "minute"),
           ("document", "title")]


@examples(220)
@given(base=st.sampled_from(sorted(SHIPPED)), data=st.data())
def test_hostile_text_is_printed_literally_or_refused(base, data):
    profile = yaml.safe_load(SHIPPED[base])
    chosen = data.draw(st.lists(st.sampled_from(PRINTED), min_size=1, max_size=4,
                                unique=True))
    for part, key in chosen:
        profile.setdefault(part, {})[key] = data.draw(
            st.one_of(readable_text, readable_text, readable_text, hostile_text))
    result = run_pipeline(dump(profile, data.draw), with_docx=True)
    if result.kind != "built":
        return                    # refused, with a clear error (checked by run_pipeline)
    # built: each value is printed as written (line breaks as spaces), in the Markdown
    # and in the Word document (there with typographic quotes, the house style)
    built = result.profile
    seen = md_text(result.markdown)
    in_word = inline(docx_text(result.docx_data)).translate(PLAIN_QUOTES)
    for value in (built.council.name, built.context()["head_officer"],
                  built.context()["members"], built.adoption.version):
        shown = inline(value).strip()
        assert shown in seen or upfirst(shown) in seen, shown
        assert shown in in_word or upfirst(shown) in in_word, shown


@examples(150)
@given(name=hostile_text, data=st.data())
def test_council_name_is_the_title_exactly(name, data):
    """Whatever the name, it is either refused with a clear reason or printed exactly."""
    profile = yaml.safe_load(SHIPPED["milcombe-parish-council.yaml"])
    profile["council"]["name"] = name
    src, problems = parse_yaml(dump(profile, data.draw), FILE)
    forbidden = re.search("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
                          name)
    if src is None:
        assert forbidden, problems
        assert "invisible character" in problems[0].message
        assert problems[0].field == "council.name"
        return
    assert not forbidden
    parsed, problems = parse_profile(src)
    stripped = src.data["council"]["name"]
    if parsed is None:
        assert any(p.field == "council.name" for p in problems), problems
        hidden = any("invisible character" in p.message for p in problems)  # a U+202E
        assert not isinstance(stripped, str) or not stripped.strip() \
            or len(stripped.strip()) > 200 or hidden
        return
    doc = assemble(parsed, LIBRARY)
    assert h1_text(render_markdown(doc)) == inline(f"{stripped.strip()}: {doc.meta.title}") \
        .strip()


# ---- YAML tricks ---------------------------------------------------------------------

TAGS = ["!!python/object/apply:os.system ['touch /tmp/fuzz-ran']",
        "!!python/object/new:os.system [echo]", "!!python/name:os.system",
        "!!python/object:__main__.Evil {a: 1}", "!!python/tuple [a, b]",
        "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]",
        "!council x", "!<tag:evil.example,2000:x> y", "!!str 12", "!!int '07'",
        "!!float nope", "!!timestamp 2025-13-45", "!!null x", "!!bool maybe", "!!map {a: 1}",
        "!!seq [1]", "!!int 99999999999999999999999", "!!float 1e999"]


def alias_bomb(width: int, depth: int) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, depth + 1):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def yaml_trick(draw) -> str:
    kind = draw(st.sampled_from(["tag", "bomb", "self-alias", "undefined-alias",
                                 "duplicate-anchor", "merge", "duplicate-key", "flow-deep",
                                 "block-deep", "documents", "directive", "control",
                                 "garbage", "long-line", "bom", "tab"]))
    if kind == "tag":
        return f"{draw(st.sampled_from(['name', 'tier', 'extra']))}: {draw(st.sampled_from(TAGS))}"
    if kind == "bomb":
        return alias_bomb(draw(st.integers(2, 12)), draw(st.integers(1, 9)))
    if kind == "self-alias":
        return "loop: &loop\n  again: *loop\n"
    if kind == "undefined-alias":
        return "name: *nowhere\n"
    if kind == "duplicate-anchor":
        return "a: &x 1\nb: &x 2\nc: *x\n"
    if kind == "merge":
        return "base: &base {name: Merged Parish Council, tier: parish}\nmerged:\n  <<: *base\n"
    if kind == "duplicate-key":
        key = draw(st.sampled_from(["council", "name", "tier", "roles", "adoption"]))
        return f"{key}: one\n{key}: two\n"
    if kind == "flow-deep":
        n = draw(st.sampled_from([39, 40, 41, 45, 200, 3_000, 30_000]))
        open_, close = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
        return "deep: " + open_ * n + "x" + close * n * draw(st.sampled_from([0, 1])) + "\n"
    if kind == "block-deep":
        n = draw(st.sampled_from([39, 41, 120, 400]))
        return "deep:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(n)) + \
            " " * (n + 1) + "end\n"
    if kind == "documents":
        return "---\nname: one\n---\nname: two\n...\n"
    if kind == "directive":
        return draw(st.sampled_from(["%YAML 1.1\n---\n", "%TAG ! tag:evil.example,2000:\n---\n",
                                     "%YAML 9.9\n---\n"]))
    if kind == "control":
        return "name: " + draw(st.sampled_from(CONTROL + ["\x00"])) + "x\n"
    if kind == "garbage":
        return draw(st.text(alphabet="{}[]:,-?&*!|>'\"%@` #\n\t", min_size=1, max_size=40))
    if kind == "long-line":
        return "long: " + "y" * draw(st.sampled_from([1_000, 20_000, 100_000])) + "\n"
    if kind == "bom":
        return "\ufeffname: bom\n"
    return "\tname: tabbed\n"


@st.composite
def tricked_profile(draw) -> str:
    lines = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        trick = draw(yaml_trick())
        at = draw(st.integers(0, len(lines)))
        indent = draw(st.sampled_from(["", "", "  ", "    ", " "]))
        trick = "".join(indent + line for line in trick.splitlines(keepends=True))
        lines.insert(at, trick if trick.endswith("\n") else trick + "\n")
        note(f"trick at line {at + 1}: {trick[:200]!r}")
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    return text


@examples(600)
@given(text=tricked_profile())
def test_yaml_tricks(text):
    if len(text) < 20_000:     # the amplifying tricks are short; tracing long text is slow
        tracemalloc.start()
        try:
            parse_yaml(text, FILE)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < PARSE_PEAK_BYTES, f"parsing took {peak:,} bytes"
    run_pipeline(text, with_docx=False)
    assert not Path("/tmp/fuzz-ran").exists()


# ---- anything at all -----------------------------------------------------------------

@examples(300)
@given(text=st.one_of(st.text(max_size=400),
                      st.text(alphabet="{}[]:,-?&*!|>'\"%@`# \n\tabc0123", max_size=400)))
def test_arbitrary_text(text):
    run_pipeline(text, with_docx=False)


@examples(120)
@given(raw=st.one_of(st.binary(max_size=2_000),
                     st.sampled_from(list(SHIPPED.values())).map(
                         lambda t: t.encode("utf-16")),
                     st.sampled_from(list(SHIPPED.values())).map(
                         lambda t: t.encode("cp1252", "replace") + b"\xe9\x80")))
def test_arbitrary_bytes_in_a_file(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE
        path.write_bytes(raw)
        src, problems = load_yaml_file(path, "profile")
    if src is None:
        for p in problems:
            assert p.file == str(path) and p.message
        return
    # UTF-8, or UTF-16 / UTF-32 with a byte order mark (as YAML allows)
    codec = next((c for bom, c in ((b"\xff\xfe\x00\x00", "utf-32"),
                                   (b"\x00\x00\xfe\xff", "utf-32"),
                                   (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
                  if raw.startswith(bom)), "utf-8-sig")
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        pytest.fail("undecodable bytes were accepted")
    run_pipeline(text, with_docx=False)


KEYS = sorted({str(k) for data in SHIPPED_DATA.values() for path in paths(data)
               for k in path if isinstance(k, str)} | {"council", "name", "tier"})


@examples(300)
@given(data=st.recursive(
    st.one_of(scalars, st.sampled_from(TRICKY_TEXT)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=25), style=st.data())
def test_random_structures_with_profile_keys(data, style):
    if draw_council := style.draw(st.booleans()):
        data = {"council": data}
    note(f"wrapped in council: {draw_council}")
    run_pipeline(dump(data, style.draw), with_docx=False)


def test_the_shipped_profiles_build_through_the_same_checks():
    """The oracle itself: every shipped profile builds and passes check_document."""
    for text in SHIPPED.values():
        result = run_pipeline(text, with_docx=True)
        assert result.kind == "built"
        assert inline(result.profile.council.name) in docx_text(result.docx_data)
