"""The importer's doubts about a council it read, kept in the profile until the clerk
confirms them.

``protocol-gen import`` marks each value it could not read for certain with a
``# Please check: ...`` comment on the value's line (the profile file stays the one record, for the
command line and the browser alike). The edit page shows each as "Please check: ..."
beside its field, in a clerk's words; ticking "This is right" (or changing the value)
and saving turns the mark into ``# checked``. A council is not built while a mark is
left.
"""
from __future__ import annotations

import re

from ..profile.interview import GOVERNANCE, GOVERNANCE_NAMES, TIER_NAMES, TIERS

_SECTION = re.compile(r"^([a-z_]+):")
_KEY = re.compile(r"^  ([a-z_]+):")
_MARK = re.compile(r"#\s*(?:Please check|CHECK)\b[^:]*:\s*(?P<why>.*)$")
_GUESS = re.compile(r"^(?P<what>.+?) read as '(?P<value>[^']*)' from weak clues(?P<rest>.*)$")
_NOT_FOUND = re.compile(r"^the (?P<what>.+?) was not found in the document;?\s*(?P<rest>.*)$")
_NAMES = {"england": "England", "wales": "Wales", "true": "yes", "false": "no",
          **dict(zip(GOVERNANCE, GOVERNANCE_NAMES)),
          **{t: n.lower() for t, n in zip(TIERS, TIER_NAMES)}}


def _said(why: str) -> str:
    """The importer's note in a clerk's words."""
    why = why.strip().rstrip(".")
    guess = _GUESS.match(why)
    if guess:
        rest = guess["rest"].strip().strip("()")
        why = "a guess from weak clues in your protocol: " \
              f"“{_NAMES.get(guess['value'], guess['value'])}”" + (f" ({rest})" if rest else "")
    missing = _NOT_FOUND.match(why)
    if missing:
        why = "your protocol does not say" + (f": {missing['rest']}" if missing["rest"]
                                               else "; please choose")
    why = re.sub(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:england|wales|true|false)\b",
                 lambda m: _NAMES.get(m.group(0), m.group(0).replace("_", " ")), why)
    return why[:1].upper() + why[1:] + "."


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
            out[f"{section}.{key.group(1)}"] = _said(mark.group("why"))
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


def council_name(text: str) -> str | None:
    """The council's name as the profile text gives it (None if it has none)."""
    found = re.search(r"^  name:\s*(.+?)\s*(?:  #.*)?$", text, re.M)
    return found.group(1).strip("\"'") if found else None
