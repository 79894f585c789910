"""What the preview shows, as plain data for the templates: the protocol's paragraphs and,
on the preview page, beside each one why it is there and whose wording it is (in a
clerk's words, :mod:`.plain`), every other wording the library has for it (rendered as
the protocol would print it, to be read before one is chosen), and the paragraphs left
out by choice in their place, each with a button to put it back.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from ..library.templating import compile_condition
from ..render.html import clause_html
from .plain import choice_text, note_text, source_text, why_text


@lru_cache(maxsize=8192)
def _html(clause) -> str:
    """A clause as the page shows it (the same clause is made once, not at every key)."""
    return clause_html(clause)


def quick_yaml(data: dict) -> str:
    """Profile data as YAML for the live preview (never saved: the saved file keeps its
    comments and layout through the round trip)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True)


def _applies(variant, ctx: dict[str, Any]) -> bool:
    try:
        return not variant.when or bool(compile_condition(variant.when)(**ctx))
    except Exception:  # noqa: BLE001 - assembly has already reported a broken condition
        return False


def _detail(source: str) -> str:
    """The paragraph of the source ('2.4'), shown beside whose wording it is."""
    parts = source.split(" ", 1)
    return parts[1].strip() if len(parts) > 1 and parts[0] not in ("drafted", "house") else ""


def _wordings(checked, clause_id: str, chosen: str, explicit: bool, ctx) -> list[dict]:
    """Every wording that suits the council, the one in use first."""
    from ..assemble import variant_clause
    lib = checked.library.clauses.get(clause_id)
    if lib is None:
        return []
    out = []
    for variant in lib.variants:
        if not _applies(variant, ctx):
            continue
        try:
            clause = variant_clause(lib, variant, ctx, checked.document, checked.library,
                                    checked.profile.drafting.voice)
        except Exception:  # noqa: BLE001 - a wording that cannot be made is not offered
            continue
        detail = _detail(variant.source)
        out.append({"source": variant.source, "current": variant.source == chosen,
                    "label": source_text(variant.source, variant.note) +
                    (f" ({detail})" if detail else ""),
                    "html": _html(clause)})
    out.sort(key=lambda w: not w["current"])
    return out if len(out) > 1 else []


def _about(checked, c, section_reason: str, ctx, open_clause: str | None) -> dict:
    """What the preview says beside one included paragraph (its wordings are made only
    for the paragraph whose wordings are open: the others load when opened)."""
    explicit = bool(checked.profile.drafting.variants.get(c.id))
    return {"why": why_text(c.reason, ctx, True, section_reason),
            "source": source_text(c.source, c.note), "choice": choice_text(c.choice, c.source),
            "note": note_text(c.note), "drafted_because": c.drafted_because, "explicit": explicit,
            "count": len(c.alternatives) + 1 if c.alternatives else 0,
            "wordings": _wordings(checked, c.id, c.source, explicit, ctx)
            if c.alternatives and c.id == open_clause else []}


def preview_data(checked, report=None, open_clause: str | None = None) -> dict:
    """The preview of a checked profile; with ``report`` (``explain``'s), the explanations,
    the paragraphs left out, and the wordings of ``open_clause`` to choose from."""
    if checked.document is None:
        return {"errors": checked.errors, "sections": [], "left_out": []}
    doc = checked.document
    built = {c.id: c for c in doc.clauses()}
    if report is None:
        sections = [{"id": s.id, "number": s.number, "title": s.title, "clauses": [
            {"id": c.id, "number": c.number, "html": _html(c), "about": None}
            for c in s.clauses]} for s in doc.sections]
        return {"errors": [], "title": doc.meta.full_title, "status": doc.meta.status,
                "sections": sections, "left_out": []}
    ctx = checked.profile.context()
    excluded = set(checked.profile.drafting.exclude)
    sections, left_out = [], []
    for s in report.sections:
        rows = []
        for c in s.clauses:
            if c.included and c.id in built:
                rows.append({"id": c.id, "number": c.number, "title": c.title,
                             "html": _html(built[c.id]),
                             "about": _about(checked, c, s.reason, ctx, open_clause)})
            elif s.included and c.id in excluded:
                rows.append({"id": c.id, "title": c.title, "stub": True,
                             "why": why_text(c.reason, ctx, False)})
            else:
                left_out.append({"id": c.id, "title": c.title or "A paragraph",
                                 "why": why_text(c.reason, ctx, False, s.reason),
                                 "chosen": c.id in excluded or s.id in excluded,
                                 "target": s.id if s.id in excluded else c.id})
        if s.included:
            sections.append({"id": s.id, "number": s.number, "title": s.title,
                             "clauses": rows})
    return {"errors": [], "title": doc.meta.full_title, "status": doc.meta.status,
            "sections": sections, "left_out": left_out}
