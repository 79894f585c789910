"""An audit as Markdown or HTML for people, or JSON for programs."""
from __future__ import annotations

import html
import json
from typing import Any

from ..library.templating import escape_markdown
from .audit import Audit
from .doubts import doubts
from .recognise import NAME

STATUS_WORDS = {"present": "Present", "partial": "Partial", "missing": "MISSING",
                "not_applicable": "Not applicable"}
KIND_WORDS = {"outdated-law": "Outdated or wrong law", "wrong-nation": "Law of the wrong nation",
              "unknown-law": "Law to check", "review-overdue": "Review overdue",
              "no-review-date": "No review date", "contradiction": "Contradiction",
              "missing-topic": "Missing topic", "own-provision": "In the council's own words",
              "repeat": "Said twice", "differs": "Two answers: choose",
              "unreadable": "Not read", "not-a-protocol": "Not a protocol"}
_FACTS = ("name", "tier", "nation", "governance", "political_groups", "wards",
          "independent_members")


def as_json(a: Audit) -> dict[str, Any]:
    council: dict[str, Any] = {k: f.as_json() for k, f in a.council.facts.items()}
    council["titles"] = {k: f.as_json() for k, f in a.council.titles.items()}
    council["dates"] = {k: f.as_json() for k, f in a.council.dates.items()}
    return {
        "file": a.name,
        "format": a.kind,
        "looks_like_a_protocol": a.protocol_like,
        "council": council,
        "paragraphs": [{
            "number": m.paragraph.number, "ref": m.paragraph.ref,
            "heading": m.paragraph.heading or None, "kind": m.paragraph.kind,
            "text": m.paragraph.full_text, "clause": m.clause, "score": m.score,
            "status": m.status if m.paragraph.kind == "provision" else "meta",
            "related": m.related, "section": m.section} for m in a.matches],
        "own_paragraphs": [m.paragraph.ref for m in a.matches
                           if m.status == "own" and m.paragraph.kind == "provision"],
        "topics": [{"id": t.id, "title": t.title, "status": t.status,
                    "paragraphs": list(t.paragraphs), "clauses": list(t.clauses),
                    "lacking": list(t.lacking)} for t in a.topics],
        "findings": [{"paragraph": f.paragraph, "kind": f.kind, "severity": f.severity,
                      "message": f.message, "fix": f.fix}
                     for f in sorted(a.findings, key=_order)],
        "not_read": list(a.notes),
        "doubts": {k: d.as_json() for k, d in doubts(a.council).items()},
    }


def _cell(text: Any) -> str:
    return escape_markdown(str(text)).replace("|", "\\|")


def _value(v: Any) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return "**not found: choose**" if v is None else str(v).replace("_", " ")


def as_markdown(a: Audit) -> str:
    name = a.council.value("name") or a.name
    lines = [f"# Audit of {escape_markdown(name)}'s member/officer protocol", "",
             f"File: {escape_markdown(a.name)} ({a.kind}); audited {a.today.isoformat()}; "
             f"{len(a.structure.paragraphs)} paragraphs read.", ""]
    if a.notes:
        lines += ["**Not read:** " + "; ".join(escape_markdown(n) for n in a.notes) + ".", ""]
    if not a.protocol_like:
        lines += ["**This does not look like a member/officer protocol:** most of its "
                  "paragraphs match nothing in one.", ""]
    errors = sum(f.severity == "error" for f in a.findings)
    warnings = sum(f.severity == "warning" for f in a.findings)
    lines += [f"{errors} problem{'s' if errors != 1 else ''} to fix, {warnings} to "
              "check.", "", "## The council", "",
              "| | found | how sure | evidence |", "|---|---|---|---|"]
    facts = [(k, a.council.facts[k]) for k in _FACTS if k in a.council.facts]
    facts += sorted(a.council.titles.items()) + sorted(a.council.dates.items())
    for key, fact in facts:
        evs = fact.evidence[:2] + tuple(e for e in fact.evidence[2:] if e.where == NAME)
        ev = "; ".join(e.shown for e in evs)
        ev = (ev + (" — " if ev and fact.note else "") + fact.note) or "-"
        shown = _value(fact.value)
        shown = shown if fact.value is None else _cell(shown)
        lines.append(f"| {_cell(key.replace('_', ' '))} | {shown} | "
                     f"{fact.confidence} | {_cell(ev)} |")
    lines += ["", "## Topics", "", "| topic | status | paragraphs |", "|---|---|---|"]
    for t in a.topics:
        refs = ", ".join(t.paragraphs) or "-"
        lines.append(f"| {_cell(t.title)} | **{STATUS_WORDS[t.status]}** | {_cell(refs)} |")
    lines += ["", "## Findings", ""]
    if not a.findings:
        lines += ["None.", ""]
    for k, f in enumerate(sorted(a.findings, key=_order), 1):
        where = f"paragraph {f.paragraph}" if f.paragraph else "the whole document"
        lines += [f"{k}. **{KIND_WORDS.get(f.kind, f.kind)}** ({escape_markdown(where)}): "
                  f"{escape_markdown(f.message)}.  ", f"   Fix: {escape_markdown(f.fix)}.", ""]
    lines += ["## Paragraphs", "", "| paragraph | matches | how closely | first words |",
              "|---|---|---|---|"]
    for m in a.matches:
        p = m.paragraph
        what = ("(a date, title or signature line)" if p.kind == "meta" else
                f"(not a provision: {p.reason.rstrip('.')})" if p.kind == "furniture" else
                m.clause or
                (f"(related to {m.related})" if m.related else "**(the council's own)**"))
        first = " ".join(p.text.split()[:10])
        lines.append(f"| {_cell(p.ref)} | {_cell(what) if not what.startswith('**') else what}"
                     f" | {m.score:.0%} | {_cell(first)} |")
    return "\n".join(lines) + "\n"


# within each severity, what matters most first
KIND_ORDER = ("wrong-nation", "outdated-law", "contradiction", "differs", "review-overdue",
              "missing-topic", "unknown-law", "no-review-date", "repeat", "unreadable",
              "own-provision")


def _order(f) -> tuple:
    kind = KIND_ORDER.index(f.kind) if f.kind in KIND_ORDER else len(KIND_ORDER) - 1
    return ({"error": 0, "warning": 1, "note": 2}[f.severity], kind)


def as_html(a: Audit) -> str:
    from markdown_it import MarkdownIt
    body = MarkdownIt("commonmark").enable("table").render(as_markdown(a))
    title = html.escape(f"Audit of {a.council.value('name') or a.name}")
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n"
            "<style>body{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem;line-height:1.4}table{border-collapse:collapse;margin:1rem 0}"
            "th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left;"
            "vertical-align:top}th{background:#eee}</style>\n</head>\n<body>\n<main>\n"
            f"{body}</main>\n</body>\n</html>\n")


def render(a: Audit, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(a), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return as_html(a)
    return as_markdown(a)
