"""The importer's doubts about a council it read, kept in the profile until the clerk
confirms them.

``protocol-gen import`` marks each value it could not read for certain with a
``# CHECK`` comment on the value's line (the profile file stays the one record, for the
command line and the browser alike). The edit page shows each as "Please check: ..."
beside its field; ticking "This is right" (or changing the value) and saving turns the
mark into ``# checked``. A council is not built while a mark is left.
"""
from __future__ import annotations

import re

_SECTION = re.compile(r"^([a-z_]+):")
_KEY = re.compile(r"^  ([a-z_]+):")
_MARK = re.compile(r"#\s*CHECK\b\s*(?:\((?P<how>[^)]*)\))?\s*:?\s*(?P<why>.*)$")


def _said(how: str | None, why: str) -> str:
    why = why.strip().rstrip(".")
    why = why.replace("the default for the tier", "the usual value for this kind of council "
                      "is filled in")
    if why.startswith("not found in the document"):
        return f"Your protocol does not say{why[len('not found in the document'):]}."
    if how:
        return f"This is a guess from your protocol ({why})." if why else \
            "This is a guess from your protocol."
    return (why[0].upper() + why[1:] + ".") if why else "Please confirm this value."


def doubts_in(text: str) -> dict[str, str]:
    """Each field (``council.tier``) marked for checking, with what to check, in words."""
    out: dict[str, str] = {}
    section = None
    for line in text.splitlines():
        top = _SECTION.match(line)
        if top:
            section = top.group(1)
            continue
        key = _KEY.match(line)
        at = line.find("  #")
        if not key or section is None or at < 0:
            continue
        mark = _MARK.match(line[at:].strip())
        if mark:
            out[f"{section}.{key.group(1)}"] = _said(mark.group("how"), mark.group("why"))
    return out


def confirmed(text: str, fields: set[str]) -> str:
    """The profile text with the marks on ``fields`` turned into ``# checked``."""
    out = []
    section = None
    for line in text.splitlines(keepends=True):
        top = _SECTION.match(line)
        if top:
            section = top.group(1)
        key = _KEY.match(line)
        at = line.find("  #")
        if key and section and f"{section}.{key.group(1)}" in fields and at >= 0:
            if _MARK.match(line[at:].strip()):
                end = "\n" if line.endswith("\n") else ""
                line = line[:at].rstrip() + "  # checked" + end
        out.append(line)
    return "".join(out)
