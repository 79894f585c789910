"""The one sandboxed Jinja2 environment that clause conditions and texts run in.

Profile values are data: they are passed in as variables, never compiled, and every
value a template prints is escaped for Markdown so that a council called
``*Foo* {{ 7*7 }}`` comes out literally.

Library templates are prose with placeholders, so they get a small language: names,
a few text filters, ``ref(...)``, and ``{% if %}``/``{% elif %}``/``{% else %}``.
Jinja2's immutable sandbox stops attribute tricks (``''.__class__``); on top of it
there are no globals (no ``range``, ``cycler``, ``lipsum``, ``namespace``), no loops,
macros, variables (``{% set %}``), includes or method calls, text repetition and
powers are bounded, and a text may render to at most :data:`MAX_TEXT` characters. So
a clause cannot read files or the environment, run code, loop, or fill the memory:
what it prints grows at most in step with its own length.
"""
from __future__ import annotations

from functools import lru_cache
import marshal
import re
from typing import Any, Callable

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..cache import note, noted

MAX_TEXT = 100_000   # characters one clause text, heading or title may render to
MAX_REPEAT = 1_000   # characters ``'-' * n`` may make
MAX_POWER_BITS = 4096  # size of the largest number ``a ** b`` may make

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&#|!~])")
_LINE_BREAK = re.compile(r"[ \t]*[\t\n\r\v\f\x85\u2028\u2029]+[ \t]*")
# A value that, at the start of a line, would open a list or be a heading underline.
_BLOCK_START = re.compile(r"^(?:(\d{1,9})([.)])(?=\s|$)|([-+])(?=\s|$)|([-=])(?=[-=\s]*$))")


def escape_markdown(value: Any) -> str:
    """Backslash-escape the characters that would change the meaning of CommonMark.

    A value is inline text: line breaks in it become spaces, and a value that would
    start a list or heading line ('- x', '1. x', '=') is escaped too, so that it cannot
    add a block of its own to the document."""
    text = _MD_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", str(value)))
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3] or m[4]}",
                            text)


class Markup(str):
    """Text a template function produces that is already Markdown (not escaped again)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return escape_markdown(value)


def upfirst(value: Any) -> str:
    """Capitalise the first letter only ('the Monitoring Officer' -> 'The Monitoring
    Officer'); unlike Jinja's ``capitalize``, the rest is left alone."""
    text = str(value)
    return text[:1].upper() + text[1:]


_AN = re.compile(r"(?:[aeio]|u(?!ni|s[eu]|ro|k)|hono|hour|heir)", re.IGNORECASE)


def indefinite(value: Any) -> str:
    """The word with 'a' or 'an' before it, by its first sound: 'an officer', 'a
    Councillor', 'a member of staff', 'an employee'."""
    text = str(value)
    return ("an " if _AN.match(text) else "a ") + text


# Jinja2's own filters that only reshape a bounded text (none takes a size or a name).
SAFE_JINJA_FILTERS = ("capitalize", "lower", "upper", "title", "trim", "default", "d",
                      "length", "count", "first", "last", "string")

# Statements a clause text may not use, with what to write instead.
_FORBIDDEN_NODES = {
    nodes.For: "loops ({% for %}) are not available in clause texts: write the text out",
    nodes.Macro: "macros are not available in clause texts",
    nodes.CallBlock: "{% call %} blocks are not available in clause texts",
    nodes.Include: "{% include %} is not available: each clause holds its own text",
    nodes.Import: "{% import %} is not available in clause texts",
    nodes.FromImport: "{% from ... import %} is not available in clause texts",
    nodes.Extends: "{% extends %} is not available in clause texts",
    nodes.Block: "{% block %} is not available in clause texts",
    nodes.Assign: "{% set %} is not available in clause texts: use the profile's names",
    nodes.AssignBlock: "{% set %} is not available in clause texts: use the profile's names",
    nodes.With: "{% with %} is not available in clause texts: use the profile's names",
}


class SafeEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with repetition and powers bounded."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"repeating a text {times:,} times would make more "
                                        f"than {MAX_REPEAT:,} characters")
        elif operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) \
                    and abs(right) > 1 and abs(left) > 1 \
                    and abs(right) * max(abs(int(left)).bit_length(), 1) > MAX_POWER_BITS:
                raise SecurityError("the power (**) makes too large a number")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError("'%' formatting of text is not available in clause texts; "
                                "write the words out, with {{ names }} for the values")
        return super().call_binop(context, operator, left, right)


def _make_env() -> SafeEnvironment:
    env = SafeEnvironment(undefined=StrictUndefined, autoescape=False,
                          finalize=_finalize, keep_trailing_newline=False)
    filters = {name: env.filters[name] for name in SAFE_JINJA_FILTERS}
    env.filters.clear()
    env.filters.update(filters, upfirst=upfirst, indefinite=indefinite)
    env.globals.clear()
    return env


ENV = _make_env()
ALLOWED_FILTERS = frozenset(ENV.filters)


class NotAllowed(TemplateSyntaxError):
    """A template uses a part of Jinja2 that clause texts may not use."""

    hint = "see 'What a text may not do' in clause_library/README.md"

    def __str__(self) -> str:
        return self.message or ""


class TextTooLong(TemplateRuntimeError):
    """A template rendered to more than :data:`MAX_TEXT` characters."""


def check_template(ast: nodes.Template) -> nodes.Template:
    """Refuse the parts of Jinja2 that a clause text has no use for (see the module
    docstring). Raises :class:`NotAllowed` (a TemplateSyntaxError) naming the line."""
    for node in ast.find_all(nodes.Node):
        message = _FORBIDDEN_NODES.get(type(node))
        if message is None and isinstance(node, nodes.Call) and not (
                isinstance(node.node, nodes.Name) and node.node.name == "ref"):
            message = ("only ref(...) may be called in the library; use a filter "
                       "(e.g. {{ members | upper }}) instead of a method")
        if message is None and isinstance(node, nodes.Name) and node.name == "self":
            message = "'self' is not a profile name"
        if message is None and _private(node):
            message = "names starting with '_' are not available in the library"
        if message:
            raise NotAllowed(message, node.lineno or 1)
    return ast


def _private(node: nodes.Node) -> bool:
    """``x._y`` or ``x['_y']``: the way out of every sandbox starts with '_'."""
    if isinstance(node, nodes.Getattr):
        return node.attr.startswith("_")
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return isinstance(node.arg.value, str) and node.arg.value.startswith("_")
    return False


def parse_checked(source: str, *, expression: bool = False) -> nodes.Template:
    """Parse and check a template (or a ``when`` expression). Raises TemplateSyntaxError."""
    return check_template(ENV.parse("{{ (" + source + ") }}" if expression else source))


def compile_condition(expr: str) -> Callable[..., Any]:
    """Compile a ``when`` expression once per process. One that this same code has
    compiled (and checked) before is taken from Jinja2's bytecode cache, like a text."""
    return _compiled("when", expr, _plain_condition, _condition)


def _compiled(kind: str, source: str, plain: Callable[[str], Any],
              cached: Callable[[str], tuple[Any, bytes]]) -> Any:
    """``plain(source)`` with no bytecode cache; else ``cached``'s compilation, noted with
    the single build's cache entry."""
    if _bytecode_cache() is None:
        return plain(source)
    compiled, code = cached(source)
    note(kind, source, code)
    return compiled


@lru_cache(maxsize=4096)
def _plain_condition(expr: str) -> Callable[..., Any]:
    parse_checked(expr, expression=True)
    return ENV.compile_expression(expr, undefined_to_none=False)


@lru_cache(maxsize=4096)
def _condition(expr: str) -> tuple[Callable[..., Any], bytes]:
    code = noted("when", expr, _condition_code)
    return _expression(marshal.loads(code)), code


def _condition_code(expr: str) -> bytes:
    """The checked condition's compiled code (marshalled), from the bytecode cache or
    compiled now and kept there."""
    bcc, salt = _bytecode_cache()
    bucket = None
    try:
        bucket = bcc.get_bucket(ENV, salt + "when:" + expr, None, expr)
    except OSError:
        pass
    if bucket is not None and bucket.code is not None:
        return marshal.dumps(bucket.code)
    parse_checked(expr, expression=True)
    code = ENV.compile(_expression_tree(expr))
    if bucket is not None:
        bucket.code = code
        try:
            bcc.set_bucket(bucket)
        except OSError:
            pass
    return marshal.dumps(code)


def _expression_tree(expr: str) -> nodes.Template:
    """The template Jinja2's ``compile_expression`` makes of ``expr``: result = expr."""
    from jinja2.parser import Parser
    node = Parser(ENV, expr, state="variable").parse_expression()
    node.set_environment(ENV)
    return nodes.Template([nodes.Assign(nodes.Name("result", "store"), node, lineno=1)],
                          lineno=1)


def _expression(code) -> Callable[..., Any]:
    """What ``compile_expression`` gives, from the compiled code of its template."""
    from jinja2.environment import TemplateExpression
    template = ENV.template_class.from_code(ENV, code, ENV.make_globals(None), None)
    return TemplateExpression(template, False)


def compile_text(text: str):
    """Compile a clause text template once per process. A text that this same code has
    compiled (and checked) before is taken from Jinja2's bytecode cache instead of being
    parsed again (see :mod:`generator.cache`)."""
    return _compiled("text", text, _plain_text, _text)


@lru_cache(maxsize=8192)
def _plain_text(text: str):
    return ENV.from_string(parse_checked(text))


@lru_cache(maxsize=8192)
def _text(text: str):
    code = noted("text", text, _text_code)
    return ENV.template_class.from_code(ENV, marshal.loads(code), ENV.make_globals(None),
                                        None), code


def _text_code(text: str) -> bytes:
    """The checked text's compiled code (marshalled), from the bytecode cache or compiled
    now and kept there."""
    bcc, salt = _bytecode_cache()
    try:
        bucket = bcc.get_bucket(ENV, salt + text, None, text)
    except OSError:
        return marshal.dumps(ENV.compile(parse_checked(text)))
    if bucket.code is None:
        bucket.code = ENV.compile(parse_checked(text))
        try:
            bcc.set_bucket(bucket)
        except OSError:
            pass
    return marshal.dumps(bucket.code)


@lru_cache(maxsize=1)
def _bytecode_cache():
    """Jinja2's bytecode cache, and the prefix that names this code's entries (a change
    to this module or to Jinja2 makes new ones); None when there is no cache."""
    from .. import cache
    bcc = cache.bytecode_cache()
    if bcc is None:
        return None
    import jinja2
    return bcc, cache.digest(jinja2.__version__, cache.source_of(__file__)) + ":"


def render_text(template, context: dict[str, Any], limit: int = MAX_TEXT) -> str:
    """Render a compiled text, stopping as soon as it passes ``limit`` characters."""
    parts: list[str] = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > limit:
            raise TextTooLong(f"the text renders to more than {limit:,} characters")
        parts.append(chunk)
    return "".join(parts)


def names_used(source: str, *, expression: bool = False) -> tuple[set[str], list[str]]:
    """The free variable names a template (or expression) uses, and the string
    arguments of every ``ref(...)`` call in it. Raises TemplateSyntaxError."""
    ast = parse_checked(source, expression=expression)
    refs = []
    for call in ast.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "ref":
            if call.args and isinstance(call.args[0], nodes.Const):
                refs.append(str(call.args[0].value))
            else:
                refs.append("")
    return set(meta.find_undeclared_variables(ast)), refs
