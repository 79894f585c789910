"""The one sandboxed Jinja2 environment that clause conditions and texts run in.

Profile values are data: they are passed in as variables, never compiled, and every
value a template prints is escaped for Markdown so that a council called
``*Foo* {{ 7*7 }}`` comes out literally.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&#|!~])")


def escape_markdown(value: Any) -> str:
    """Backslash-escape the characters that would change the meaning of CommonMark."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


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


def _make_env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                        finalize=_finalize, keep_trailing_newline=False)
    env.filters["upfirst"] = upfirst
    env.globals.clear()
    return env


ENV = _make_env()
ALLOWED_FILTERS = frozenset(ENV.filters)


@lru_cache(maxsize=4096)
def compile_condition(expr: str) -> Callable[..., Any]:
    """Compile a ``when`` expression once per process."""
    return ENV.compile_expression(expr, undefined_to_none=False)


@lru_cache(maxsize=8192)
def compile_text(text: str):
    """Compile a clause text template once per process."""
    return ENV.from_string(text)


def names_used(source: str, *, expression: bool = False) -> tuple[set[str], list[str]]:
    """The free variable names a template (or expression) uses, and the string
    arguments of every ``ref(...)`` call in it. Raises TemplateSyntaxError."""
    ast = ENV.parse("{{ (" + source + ") }}" if expression else source)
    refs = []
    for call in ast.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "ref":
            if call.args and isinstance(call.args[0], nodes.Const):
                refs.append(str(call.args[0].value))
            else:
                refs.append("")
    return set(meta.find_undeclared_variables(ast)), refs
