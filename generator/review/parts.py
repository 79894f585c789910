"""The parts of a protocol that the two formats lay out differently, read back alike.

The title page, the version history and the signature block are one paragraph, a list
and a list in Markdown, but several paragraphs, a table and pairs of lines in the DOCX.
Read back, both become the Markdown's shape (the title with the council's name, the
facts in one line; 'Version 1.0, 11 May 2026: Adopted'; each signatory's title), so the
Markdown and the DOCX of one build compare as the same protocol.
"""
from __future__ import annotations

from dataclasses import replace
import re

HISTORY = "Version history"
SIGNED = "Signed"
_HEADER_ROW = "Version | Date | Change"
_DRAFT = "Not yet adopted"
_SIGN_LINE = re.compile(r"^(?P<who>.+?): signed \.+ date \.+$")
_SIGN_ROW = re.compile(r"^Signed( Date)?$")


def canonical(units: list, council: str | None) -> list:
    """``units`` with the front matter, version history and signatures in one shape."""
    out = []
    for unit in units:
        if unit.kind == "front":
            unit = _front(unit, council)
        elif unit.kind == "part" and unit.paras[0].text == HISTORY:
            unit = replace(unit, paras=(unit.paras[0], *[
                replace(p, style="bullet", label="", text=_history_row(p.text))
                for p in unit.paras[1:] if p.text != _HEADER_ROW]))
        elif unit.kind == "part" and unit.paras[0].text == SIGNED:
            unit = replace(unit, paras=(unit.paras[0], *[
                replace(p, style="bullet", label="", text=_signatory(p.text))
                for p in unit.paras[1:] if not _SIGN_ROW.match(p.text)]))
        out.append(unit)
    return out


def _front(unit, council: str | None):
    """One title ('Council: Title') and one line of facts ('Version 1.0. Adopted ...')."""
    paras = list(unit.paras)
    at = next((i for i, p in enumerate(paras) if p.style == "title"), None)
    if at is None:
        return unit
    title = paras[at]
    if ": " not in title.text and at and council:          # DOCX: name, then title
        title = replace(title, text=f"{council}: {title.text}")
    facts = [p for p in paras[at + 1:] if p.style in ("meta", "text")]
    if len(facts) > 1:                                        # DOCX: a line per fact
        facts = [replace(facts[0], style="meta",
                         text=" ".join(f"{p.text.rstrip('.')}." for p in facts))]
    rest = [p for p in paras[at + 1:] if p.style not in ("meta", "text")]
    return replace(unit, paras=(title, *facts, *rest))


def _history_row(text: str) -> str:
    """'1.0 | 11 May 2026 | Adopted' (a DOCX table row) as the Markdown writes it."""
    cells = text.split(" | ", 2)
    if len(cells) != 3:
        return text
    version, date, change = cells
    return f"Version {version}, {date.lower() if date == _DRAFT else date}: {change}"


def _signatory(text: str) -> str:
    found = _SIGN_LINE.match(text)
    return found.group("who") if found else text
