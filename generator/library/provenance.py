"""Where every word came from: the ``explain`` report and the drafting copy.

:func:`explain` lists every section and clause of the (possibly layered) library,
included or left out and why (the condition and its value, or the profile's
exclusion), and for each included clause which wording was chosen, from which source
and why (the profile's explicit choice, a preferred source, or the library's default).
:func:`comment_text` is what the drafting copy (:mod:`generator.render.drafting`) says
on each clause.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..document import Decision, Document
from ..profile.model import Profile
from .clauses import SHIPPED, ClauseLibrary, LibClause, Variant
from .templating import compile_condition, compile_text, render_text



@dataclass(frozen=True)
class ClauseReport:
    id: str
    included: bool
    reason: str                      # why included or left out
    title: str | None = None
    number: str | None = None
    source: str | None = None        # the chosen wording's source
    choice: str | None = None        # why that wording
    alternatives: tuple[str, ...] = ()
    note: str | None = None          # editorial note on the chosen wording
    drafted_because: str | None = None
    file: str | None = None          # the library file the clause comes from


@dataclass(frozen=True)
class SectionReport:
    id: str
    title: str
    included: bool
    reason: str
    number: str | None
    clauses: tuple[ClauseReport, ...]
    file: str | None = None


@dataclass(frozen=True)
class Report:
    """The provenance of one council's protocol."""

    council: str
    title: str
    profile: str
    library: tuple[str, ...]
    prefer_sources: tuple[str, ...]
    sections: tuple[SectionReport, ...]

    def clauses(self):
        for section in self.sections:
            yield from section.clauses

    def clause(self, clause_id: str) -> ClauseReport | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        included = [c for c in self.clauses() if c.included]
        data["totals"] = {
            "sections_included": sum(1 for s in self.sections if s.included),
            "sections_left_out": sum(1 for s in self.sections if not s.included),
            "clauses_included": len(included),
            "clauses_left_out": sum(1 for c in self.clauses() if not c.included)}
        return data

    def text(self) -> str:
        """A plain report for the terminal."""
        out = [self.title,
               f"  profile: {self.profile}",
               f"  library: {', '.join(self.library)}",
               f"  preferred sources: {', '.join(self.prefer_sources) or 'none'}", ""]
        for s in self.sections:
            if s.included:
                out.append(f"{s.number}. {s.title} [{s.id}]: included ({s.reason})")
            else:
                out.append(f"- {s.title} [{s.id}]: LEFT OUT ({s.reason})")
            for c in s.clauses:
                name = f"{c.id}" + (f" ({c.title})" if c.title else "")
                if not c.included:
                    out.append(f"    -      {name}: left out ({c.reason})")
                    continue
                out.append(f"    {c.number:<6} {name}" +
                           (f": included ({c.reason})" if c.reason != "always" else ""))
                out.append(f"           wording: {c.source} ({c.choice})")
                if c.alternatives:
                    out.append(f"           also available: {', '.join(c.alternatives)}")
                if c.drafted_because:
                    out.append(f"           drafted because: {c.drafted_because}")
                if c.note:
                    out.append(f"           editorial note: {c.note}")
                if c.file and not c.file.startswith("clause_library/"):
                    out.append(f"           from: {c.file}")
        t = self.as_json()["totals"]
        out += ["", f"Included: {_count(t['sections_included'], 'section')}, "
                    f"{_count(t['clauses_included'], 'clause')}. Left out: "
                    f"{_count(t['sections_left_out'], 'section')}, "
                    f"{_count(t['clauses_left_out'], 'clause')}."]
        return "\n".join(out) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _shown(file: str | None) -> str | None:
    """A library file as a reader knows it: clause_library/... for the shipped library,
    else relative to the current folder where possible."""
    if not file:
        return None
    path = Path(file)
    try:
        return f"clause_library/{path.resolve().relative_to(SHIPPED)}"
    except ValueError:
        pass
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _applies(variant: Variant, ctx: dict[str, Any]) -> bool:
    if not variant.when:
        return True
    try:
        return bool(compile_condition(variant.when)(**ctx))
    except Exception:  # noqa: BLE001 - assembly has already reported a broken condition
        return False


def variant_choice(clause: LibClause, chosen: Variant, profile: Profile,
                   ctx: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Why ``chosen`` is the wording, and the other wordings that would also apply."""
    candidates = [v for v in clause.variants if _applies(v, ctx)]
    others = tuple(v.source for v in candidates if v is not chosen)
    explicit = profile.drafting.variants.get(clause.id)
    if explicit:
        why = f"chosen in the profile's drafting.variants ({clause.id}: {explicit})"
    elif len(clause.variants) == 1:
        why = "the only wording in the library"
    elif chosen.council in profile.drafting.prefer_sources:
        why = f"preferred source '{chosen.council}' in drafting.prefer_sources"
    elif len(candidates) == 1:
        why = "the only wording whose condition holds"
    else:
        why = "the library's default (first) wording; no preferred source has this clause"
    if chosen.when:
        why += f"; its condition: {chosen.when}"
    return why, others


def _section_title(title: str, ctx: dict[str, Any]) -> str:
    try:
        return render_text(compile_text(title), {**ctx, "ref": lambda *a, **k: ""}).strip()
    except Exception:  # noqa: BLE001 - a title that cannot render is shown as written
        return title


def explain(profile: Profile, library: ClauseLibrary, doc: Document,
            profile_path: str = "<profile>") -> Report:
    """The provenance report for ``doc``, assembled from ``profile`` and ``library``."""
    ctx = profile.context()
    decided: dict[tuple[str, str], Decision] = {(d.kind, d.id): d for d in doc.decisions}
    by_clause = {c.id: c for c in doc.clauses()}
    titles = {s.id: s.title for s in doc.sections}
    sections = []
    for section in library.sections:
        s_dec = decided.get(("section", section.id))
        included = bool(s_dec and s_dec.included)
        clauses = []
        for clause in section.clauses:
            c_dec = decided.get(("clause", clause.id))
            title = clause.title or clause.heading
            if not included:
                reason = (c_dec.reason if c_dec and not c_dec.included else
                          "its section is left out")
                clauses.append(ClauseReport(clause.id, False, reason, title,
                                            file=_shown(clause.where.file)))
                continue
            if c_dec is None or not c_dec.included:
                clauses.append(ClauseReport(clause.id, False,
                                            c_dec.reason if c_dec else "not decided",
                                            title, file=_shown(clause.where.file)))
                continue
            built = by_clause[clause.id]
            # the wording assemble chose (two drafted wordings share a source: compare
            # which applies to this council, as assemble did)
            chosen = next((v for v in clause.variants if v.source == built.source
                           and v.note == built.note and _applies(v, ctx)),
                          clause.variants[0])
            why, others = variant_choice(clause, chosen, profile, ctx)
            clauses.append(ClauseReport(
                clause.id, True, c_dec.reason, title, built.number, built.source, why,
                others, built.note, chosen.reason if chosen.council == "drafted" else None,
                _shown(chosen.where.file)))
        sections.append(SectionReport(
            section.id, titles.get(section.id) or _section_title(section.title, ctx),
            included, s_dec.reason if s_dec else "not decided",
            s_dec.number if s_dec else None, tuple(clauses), _shown(section.where.file)))
    shown_library = tuple("clause_library (shipped)" if Path(f).resolve() == SHIPPED
                          else f for f in library.folders) or ("clause_library (shipped)",)
    return Report(doc.meta.council_name, doc.meta.full_title, profile_path, shown_library,
                  tuple(profile.drafting.prefer_sources), tuple(sections))


# ---- the drafting copy ------------------------------------------------------------------

def comment_text(clause: ClauseReport) -> str:
    """What the drafting copy's comment on a clause says."""
    parts = [f"{clause.id}: {clause.source} ({clause.choice})."]
    if clause.drafted_because:
        parts.append(f"Drafted because: {clause.drafted_because}")
    if clause.note:
        parts.append(f"Editorial note: {clause.note}")
    if clause.alternatives:
        parts.append(f"Also available: {', '.join(clause.alternatives)}.")
    if clause.file and not clause.file.startswith("clause_library/"):
        parts.append(f"From {clause.file}.")
    return " ".join(parts)
