"""(Profile, ClauseLibrary) -> Document.

Select the sections and clauses whose conditions hold, choose each clause's variant
(the profile's explicit choice, then its preferred sources in order, then the
library's first), number what is left, then render every text in the sandbox with
``ref()`` bound to the final numbering. Nothing here knows about files or formats.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, UndefinedError

from .document import Clause, Decision, Document, HistoryRow, Metadata, Section
from .cache import note, noted
from .errors import AssemblyError, Problem
from .library import points
from .library.clauses import ClauseLibrary, LibClause, Variant
from .library.templating import Markup, compile_condition, compile_text, names_used, render_text
from .profile.model import Profile

# What a library template can raise while it runs (division by zero, a bad filter
# argument, a refused sandbox operation, a text too long...): a library problem to
# report, never a traceback.
_TEMPLATE_FAULTS = (TemplateError, ArithmeticError, LookupError, TypeError, ValueError,
                    AttributeError, RecursionError)


def _why(exc: Exception) -> str:
    """The message of a template fault, without Jinja2's 'line 1' trailer."""
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


def _holds(expr: str | None, ctx: dict[str, Any], where, what: str) -> bool:
    if not expr:
        return True
    try:
        return bool(compile_condition(expr)(**ctx))
    except _TEMPLATE_FAULTS as exc:
        raise AssemblyError(where.problem(f"{what}: condition '{expr}' failed: {_why(exc)}",
                                          what,
                                          "run 'protocol-gen library check'")) from None


def _condition_names(expr: str) -> tuple[str, ...]:
    """The names a condition uses, sorted (parsed once per process, not per council, and
    kept for a single build's next run: :func:`generator.cache.noted`)."""
    names = _names(expr)
    note("names", expr, names)
    return names


@lru_cache(maxsize=4096)
def _names(expr: str) -> tuple[str, ...]:
    return noted("names", expr, lambda e: tuple(sorted(names_used(e, expression=True)[0])))


def _describe_condition(expr: str, ctx: dict[str, Any]) -> str:
    """'political_groups (false)' style explanation of a condition's value."""
    values = ", ".join(f"{n} = {ctx[n]!r}" for n in _condition_names(expr) if n in ctx)
    return f"when: {expr}" + (f" [{values}]" if values else "")


def choose_variant(clause: LibClause, profile: Profile, ctx: dict[str, Any]) -> Variant | None:
    """The variant this profile gets, or None when no variant's condition holds."""
    candidates = [v for v in clause.variants
                  if _holds(v.when, ctx, v.where, f"{clause.id} variant")]
    if not candidates:
        return None
    chosen = profile.drafting.variants.get(clause.id)
    if chosen:
        for v in candidates:
            if v.council == chosen or v.source == chosen:
                return v
        available = ", ".join(v.source for v in candidates)
        raise AssemblyError(profile.problem(
            ("drafting", "variants", clause.id),
            f"drafting.variants asks for the '{chosen}' wording of {clause.id}, which has none "
            f"that applies to this council", f"choose one of: {available}"))
    for source in profile.drafting.prefer_sources:
        for v in candidates:
            if v.council == source:
                return v
    return candidates[0]


def _metadata(profile: Profile) -> Metadata:
    a = profile.adoption
    history = [HistoryRow(h.version, h.date, h.change) for h in a.history]
    if not a.adopted and all(h.version != a.version for h in history):
        history.append(HistoryRow(a.version, None, "Draft for adoption"))
    if a.adopted and all(h.version != a.version for h in history):
        history.append(HistoryRow(a.version, a.adopted, "Adopted" if not history else
                                  "Reviewed and adopted"))
    return Metadata(
        council_name=profile.council.name, title=profile.document.title, version=a.version,
        adopted=a.adopted, minute=a.minute, next_review=profile.next_review(),
        signatories=tuple(profile.signatories()), history=tuple(history),
        language=profile.document.language, reference_docx=profile.document.reference_docx)


def _id_hint(wrong: str, ids: list[str]) -> str:
    """The nearest id, if one is close; else where the ids are listed ('explain' needs
    a profile it can build, so the profile must first lose the wrong id)."""
    import difflib              # only when there is a mistake to suggest a fix for
    close = difflib.get_close_matches(wrong, ids, n=1, cutoff=0.75)
    if close:
        return f"did you mean '{close[0]}'?"
    return ("remove it, then 'protocol-gen explain' lists the ids (or see the 'id:' lines "
            "in clause_library/)")


def assemble(profile: Profile, library: ClauseLibrary) -> Document:
    """Build the Document for one council. Raises AssemblyError."""
    ctx = profile.context()
    excluded = set(profile.drafting.exclude)
    unknown = excluded - set(library.clauses) - {s.id for s in library.sections}
    exclude = profile.drafting.exclude
    ids = [*library.clauses, *(s.id for s in library.sections)]
    problems = [profile.problem(("drafting", "exclude", exclude.index(x)),
                                f"drafting.exclude names '{x}', which is no clause or section "
                                f"of the library", _id_hint(x, ids))
                for x in dict.fromkeys(exclude) if x in unknown]
    unknown_v = set(profile.drafting.variants) - set(library.clauses)
    problems += [profile.problem(("drafting", "variants", x), f"drafting.variants names "
                                 f"'{x}', which is no clause of the library",
                                 _id_hint(x, list(library.clauses)))
                 for x in sorted(unknown_v)]
    if problems:
        raise AssemblyError(problems)

    decisions: list[Decision] = []
    plan: list[tuple[Any, list[tuple[LibClause, Variant]]]] = []
    for section in library.sections:
        if section.id in excluded:
            decisions.append(Decision("section", section.id, False, "excluded by the profile "
                                      "(drafting.exclude)"))
            continue
        if not _holds(section.when, ctx, section.where, f"section {section.id}"):
            decisions.append(Decision("section", section.id, False,
                                      _describe_condition(section.when, ctx)))
            continue
        chosen = []
        for clause in section.clauses:
            if clause.id in excluded:
                decisions.append(Decision("clause", clause.id, False,
                                          "excluded by the profile (drafting.exclude)"))
                continue
            if not _holds(clause.when, ctx, clause.where, clause.id):
                decisions.append(Decision("clause", clause.id, False,
                                          _describe_condition(clause.when, ctx)))
                continue
            variant = choose_variant(clause, profile, ctx)
            if variant is None:
                decisions.append(Decision("clause", clause.id, False,
                                          "no variant's condition holds"))
                continue
            chosen.append((clause, variant))
        if not chosen:
            decisions.append(Decision("section", section.id, False, "no clause applies"))
            continue
        plan.append((section, chosen))

    numbers: dict[str, str] = {}
    for s_no, (section, chosen) in enumerate(plan, start=1):
        numbers[section.id] = str(s_no)
        for c_no, (clause, _) in enumerate(chosen, start=1):
            numbers[clause.id] = f"{s_no}.{c_no}"

    makers = [(c.id, set(v.points or c.points)) for _, chosen in plan for c, v in chosen]
    texts = _Texts(ctx, {**_made_elsewhere(makers, excluded, library, numbers), **numbers},
                   library)
    voice = profile.drafting.voice
    bodies = [(c.id, section.id, v.points or c.points,
               unwrap(texts.render(points.mark(wording(v, voice)), c.id, v.where).strip()))
              for section, chosen in plan for c, v in chosen]
    placed = iter(points.place(bodies, {p.id: p.home for p in points.load_points().values()}))
    sections = []
    for s_no, (section, chosen) in enumerate(plan, start=1):
        decisions.append(Decision("section", section.id, True,
                                  _describe_condition(section.when, ctx) if section.when
                                  else "always", str(s_no)))
        title = texts.render(section.title, section.id, section.where)
        clauses = []
        for clause, variant in chosen:
            body, made, left_out, left_out_points = next(placed)
            heading = (texts.render(clause.heading, clause.id, clause.where)
                       if clause.heading else None)
            clauses.append(Clause(clause.id, numbers[clause.id], body, variant.source,
                                  heading, variant.note, made, left_out, left_out_points))
            why = _describe_condition(clause.when, ctx) if clause.when else "always"
            decisions.append(Decision("clause", clause.id, True, why, numbers[clause.id],
                                      variant.source, variant.note))
        sections.append(Section(section.id, s_no, title.strip(), tuple(clauses)))
    if texts.problems:
        raise AssemblyError(texts.problems)
    position = {}
    for section in library.sections:
        position[("section", section.id)] = len(position)
        for clause in section.clauses:
            position[("clause", clause.id)] = len(position)
    decisions.sort(key=lambda d: position[(d.kind, d.id)])
    return Document(_metadata(profile), tuple(sections), tuple(decisions))


def _made_elsewhere(makers: list[tuple[str, set[str]]], excluded: set[str],
                    library: ClauseLibrary, numbers: dict[str, str]) -> dict[str, str]:
    """A clause the profile leaves out whose every point another clause makes (an
    imported council's own paragraph; ``makers``: each clause's id and points):
    references to it go to that clause's number."""
    out = {}
    for cid in excluded:
        clause = library.clauses.get(cid)
        if clause is not None and clause.points:
            by = next((k for k, made in makers if k != cid and set(clause.points) <= made),
                      None)
            if by is not None:
                out[cid] = numbers[by]
    return out


class _Texts:
    """Renders the chosen texts with ``ref()`` bound to the final numbering, collecting
    every reference to a clause this profile leaves out (all reported together)."""

    def __init__(self, ctx: dict[str, Any], numbers: dict[str, str], library: ClauseLibrary):
        self.ctx, self.numbers, self.library = ctx, numbers, library
        self.problems: list[Problem] = []

    def render(self, text: str, owner: str, where) -> str:
        def ref(target: str, bare: bool = False) -> Markup:
            number = self.numbers.get(target)
            if number is None:
                self.problems.append(self._dangling(owner, target, where))
                number = "?"
            if bare:
                return Markup(number)
            return Markup(("paragraph " if "." in number else "section ") + number)

        try:
            return render_text(compile_text(text), {**self.ctx, "ref": ref})
        except UndefinedError as exc:
            raise AssemblyError(where.problem(f"{owner}: {exc.message}", owner,
                                              "run 'protocol-gen library check'")) from None
        except _TEMPLATE_FAULTS as exc:
            raise AssemblyError(where.problem(
                f"{owner}: the text cannot be rendered: {_why(exc)}", owner)) from None

    def _dangling(self, owner: str, target: str, where) -> Problem:
        if target in self.library.clauses or self.library.section(target):
            return where.problem(f"{owner} refers to '{target}', which this profile leaves "
                                 "out", owner, f"exclude {owner} too, or include {target}")
        return where.problem(f"{owner} refers to unknown '{target}'", owner,
                             "run 'protocol-gen library check'")


_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|```)")


def unwrap(body: str) -> str:
    """Each paragraph and list item of a clause on one line: a line that continues the one
    before it (not blank, not the start of a list item, heading or quote) is joined to it,
    so the Markdown is never hard-wrapped mid-sentence."""
    out: list[str] = []
    for line in body.split("\n"):
        if out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def variant_clause(clause: LibClause, variant: Variant, ctx: dict[str, Any], doc: Document,
                   library: ClauseLibrary, voice: str = "house") -> Clause:
    """Another wording of a clause of ``doc``, rendered as the document would print it
    (with ``doc``'s numbering and in the profile's ``voice``), so that wordings can be
    compared before one is chosen."""
    numbers = {c.id: c.number for c in doc.clauses()}
    numbers.update({s.id: str(s.number) for s in doc.sections})
    makers = [(c.id, {p for p, _ in c.points}) for c in doc.clauses()]
    excluded = {d.id for d in doc.decisions if d.kind == "clause" and not d.included
                and "drafting.exclude" in d.reason}
    texts = _Texts(ctx, {**_made_elsewhere(makers, excluded, library, numbers), **numbers},
                   library)
    body = unwrap(texts.render(points.mark(wording(variant, voice)),
                               clause.id, variant.where).strip())
    elsewhere = {p for c in doc.clauses() if c.id != clause.id for p, _ in c.points}
    body, made, left_out = points.place_items(body, elsewhere)
    own = tuple((p, None) for p in variant.points or clause.points)
    heading = texts.render(clause.heading, clause.id, clause.where) if clause.heading else None
    return Clause(clause.id, numbers.get(clause.id, ""), body, variant.source,
                  heading, variant.note, own + tuple(made), tuple(t for t, _ in left_out),
                  tuple(ids for _, ids in left_out))


def wording(variant: Variant, voice: str = "house") -> str:
    """The text of a wording: in the house voice, or (``voice`` 'source') as its source
    council wrote it, where the library keeps that."""
    return variant.as_written if voice == "source" and variant.as_written else variant.text


def kind_label(profile: Profile) -> str:
    """'england-district-leader_cabinet-groups' and the practices that differ from the
    defaults: a short name for a kind of council."""
    c = profile.council
    label = (f"{c.nation}-{c.tier}-{c.governance}-"
             f"{'groups' if c.political_groups else 'no-groups'}"
             f"{'-independents' if c.independent_members else ''}")
    practices = getattr(profile, "practices", None)
    on = [k for k, v in (practices.model_dump() if practices else {}).items() if v is True]
    return label + "".join(f"-{k}" for k in on)


def every_kind(library: ClauseLibrary, profiles=()) -> list[tuple[str, Profile, Document]]:
    """The protocol of every kind of council the profile can describe (each nation, tier,
    governance model, group setting and practice) and of each of ``profiles`` (name,
    Profile), each distinct text once: (the first kind that has it, its profile, the
    Document)."""
    from .profile.matrix import kinds
    out, seen = [], set()
    for name, profile in [*((kind_label(p), p) for p in kinds()), *profiles]:
        doc = assemble(profile, library)
        key = tuple(c.body for c in doc.clauses())
        if key not in seen:
            seen.add(key)
            out.append((name, profile, doc))
    return out
