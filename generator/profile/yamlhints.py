"""What a YAML mistake in a profile probably was, in words a clerk can act on: an indent
of non-breaking spaces (pasted from Word or a web page), an apostrophe that ends a quoted
value early (O'Brien in single quotes), a value starting with '#' that YAML takes for a
comment. Values -> problems; nothing here reads a file."""
from __future__ import annotations

import re

from ..errors import Problem

_ODD_SPACE = re.compile("^[ \t]*[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]"
                        "[\\s\u00a0\u2000-\u200b\u202f\u3000\ufeff]*"
                        "(?:[A-Za-z_][\\w-]*:(?:\\s|$)|-\\s)", re.MULTILINE)
_HASH_VALUE = re.compile(r"^[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*):[ \t]+#(?P<rest>\S.*)$",
                         re.MULTILINE)


def odd_indents(text: str, file: str) -> list[Problem]:
    """Lines indented with non-breaking (or other unusual) spaces, which YAML takes as
    part of the key: the fix is to retype the indent."""
    found = []
    for m in _ODD_SPACE.finditer(text):
        if text.startswith("\ufeff", m.start()) and m.start() == 0:
            continue                     # a byte order mark, not an indent
        line = text.count("\n", 0, m.start()) + 1
        found.append(Problem("the line is indented with non-breaking spaces (as text copied "
                             "from Word, an email or a web page often is); YAML reads them as "
                             "part of the key", file=file, line=line, column=1,
                             hint="delete the spaces at the start of the line and type "
                                  "ordinary spaces"))
    return found[:10]


def quote_closed_early(text: str, mark) -> tuple[str, str] | None:
    """When the parser stopped just after a quote inside a quoted value (O'Brien in
    single quotes), what happened and the fix; else None."""
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    before = line[:mark.column]
    value = re.match(r"^[ \t]*(?:-[ \t]+)?(?:[^:#'\"]+:[ \t]+)?(?P<q>['\"])", line)
    if not value or not before.endswith(value.group("q")) or mark.column <= value.end():
        return None
    q = value.group("q")
    whole = line[value.end() - 1:].rstrip()
    if q == "'":
        inner = whole[1:-1] if whole.endswith("'") else whole[1:]
        return ("an apostrophe inside a value in single quotes ends the value early",
                f"inside single quotes write an apostrophe twice ('{inner.replace(chr(39), chr(39) * 2)}'), "
                f"or use double quotes (\"{inner}\")")
    inner = whole[1:-1] if whole.endswith('"') else whole[1:]
    return ("a double quote inside a value in double quotes ends the value early",
            f"write it as \\\" inside double quotes, or use single quotes ('{inner}')")


def hash_values(text: str, file: str) -> list[Problem]:
    """Keys whose value starts with '#': YAML reads it as a comment, leaving no value."""
    return [Problem(f"'{m.group('key')}' has no value: YAML reads '#{m.group('rest')}' as a "
                    "comment", file=file, line=text.count("\n", 0, m.start()) + 1,
                    field=m.group("key"), severity="warning",
                    hint=f"a value that starts with # must be quoted: "
                         f"{m.group('key')}: \"#{m.group('rest').rstrip()}\"")
            for m in _HASH_VALUE.finditer(text)]

