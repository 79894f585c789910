"""A redline's changes as a committee reads them: grouped, each with its paragraphs and reason.

Both kinds of redline are read from their own data, never from their text: a version
redline (:class:`generator.review.redline.Redline`, clause by clause, as its summary
counts them) and a redline against the council's current protocol
(:class:`generator.review.against.ContentRedline`, paragraph by paragraph, each row with
the comment the redline and its summary show). Each change goes into one group:

- ``law``: a change in the law the register records since the last adoption touched the
  clause, or the reason names law the register holds;
- ``new``: a clause or section the protocol did not have;
- ``council``: the council's own wording (house clauses), or a wording or exclusion its
  profile chose;
- ``wording``: everything else (clearer, corrected or shorter wording).

Nothing here reads or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import re

GROUPS = (("law", "Changes required by law"), ("new", "New topics"),
          ("wording", "Clearer wording"), ("council", "The Council's own choices"))
LAW_KINDS = ("act", "regulations", "order", "code")   # not bodies or voluntary guidance
_NUMBER = re.compile(r"^\d+(\.\d+)*$")
STATUS_WORDS = {"changed": "reworded", "added": "added", "removed": "left out"}


@dataclass(frozen=True)
class Item:
    """One clause (or section) that changed."""

    group: str
    status: str                 # changed, added, removed (the clause's main change)
    numbers: tuple[str, ...]    # paragraph numbers, as the redline summary names them
    title: str
    reason: str                 # the redline's own comment, with any change in the law
    clause: str | None = None
    law: tuple[str, ...] = ()   # the changes in the law that touched it


@dataclass(frozen=True)
class Changes:
    """Every change, and the counts the redline summary gives."""

    kind: str                   # "content" (against the current protocol) or "version"
    old_name: str
    items: tuple[Item, ...]
    counts: dict[str, int] = field(default_factory=dict)   # status -> paragraphs/clauses

    def group(self, key: str) -> list[Item]:
        return [i for i in self.items if i.group == key]

    @property
    def numbers(self) -> set[str]:
        return {n for i in self.items for n in i.numbers}


@dataclass(frozen=True)
class Context:
    """What classifies a change: clauses a change in the law touched (id -> reasons), the
    register (names law), and the profile's own choices."""

    law: dict[str, list[str]]
    register: object
    house: frozenset[str] = frozenset()       # clauses in the council's own words
    chosen: frozenset[str] = frozenset()      # clauses whose wording the profile chose
    excluded: frozenset[str] = frozenset()    # clauses the profile leaves out
    own_words: frozenset[str] = frozenset()   # words of the profile's titles and terms


def _only_own_words(ctx: Context, old: str, new: str) -> bool:
    """Whether every word that differs between ``old`` and ``new`` is one of the
    profile's titles and terms (a renamed chair, a new term for members)."""
    import difflib
    a, b = re.findall(r"[\w']+", old.lower()), re.findall(r"[\w']+", new.lower())
    differing = [w for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b,
                                                                     autojunk=False)
                 .get_opcodes() if op != "equal" for w in (*a[i1:i2], *b[j1:j2])]
    return bool(differing) and all(w in ctx.own_words for w in differing)


def _group(ctx: Context, clause: str | None, status: str, reason: str) -> str:
    if clause and clause in ctx.law:
        return "law"
    if reason and any(e.kind in LAW_KINDS or e.revoked
                      for e, _ in ctx.register.citations(reason)):  # type: ignore[attr-defined]
        return "law"
    if clause and (clause in ctx.house or clause in ctx.chosen):
        return "council"
    if any(f"'{c}'" in reason for c in ctx.excluded):
        return "council"
    return "new" if status == "added" else "wording"


def _reason(ctx: Context, clause: str | None, reason: str) -> str:
    law = ctx.law.get(clause or "", [])
    return " ".join([*law, reason]).strip()


def from_content(redline, ctx: Context) -> Changes:
    """The changes of a redline against the council's current protocol, by clause."""
    order: list[object] = []
    rows_of: dict[object, list] = {}
    for row in redline.rows:
        if row.status not in STATUS_WORDS:
            continue
        key = id(row.unit) if row.unit is not None else id(row)
        if key not in rows_of:
            order.append(key)
            rows_of[key] = []
        rows_of[key].append(row)
    items = []
    for key in order:
        rows = rows_of[key]
        unit = rows[0].unit
        clause = unit.id if unit is not None and unit.kind == "clause" else None
        statuses = [r.status for r in rows]
        status = "added" if all(s == "added" for s in statuses) else \
            "removed" if all(s == "removed" for s in statuses) else "changed"
        comment = " ".join(dict.fromkeys(r.comment for r in rows if r.comment))
        numbers = tuple(dict.fromkeys(n for n in (_row_name(r) for r in rows)
                                      if _NUMBER.match(n))) or \
            ((unit.number,) if unit is not None and unit.number else ())
        title = unit.title if unit is not None else ""
        items.append(Item(_group(ctx, clause, status, comment), status, numbers, title,
                          _reason(ctx, clause, comment), clause,
                          tuple(ctx.law.get(clause or "", ()))))
    counts = {s: sum(r.status == s for r in redline.rows) for s in ("same", *STATUS_WORDS)}
    return Changes("content", redline.summary.old, tuple(items), counts)


def _row_name(row) -> str:
    if row.new is not None and row.new.label:
        return row.new.label
    return (row.unit.number or "") if row.unit is not None else ""


def from_version(redline, ctx: Context, notes: dict[str, str]) -> Changes:
    """The changes of a redline between two versions, counted as its summary counts
    them: whole sections added or removed once, their clauses within them."""
    changes = redline.comparison.changes
    whole = {c.section: c.status for c in changes if c.unit.kind == "section"}
    items = []
    counts = {"added": 0, "removed": 0, "changed": 0}
    for c in changes:
        unit = c.unit
        if unit.kind == "section" and c.status in ("added", "removed"):
            clauses = [x for x in changes if x.section == c.section and x.unit.kind == "clause"]
            numbers = tuple(x.unit.number for x in clauses if x.unit.number) or \
                (f"section {unit.number}",)
            reason = ("A new section." if c.status == "added" else
                      "This section no longer applies to the Council.")
            items.append(Item("new" if c.status == "added" else "council", c.status,
                              numbers, unit.title, reason, unit.id))
            counts[c.status] += 1
            continue
        if unit.kind != "clause" or c.status not in STATUS_WORDS or \
                (c.status != "changed" and whole.get(c.section) == c.status):
            continue
        clause = (c.new.id if c.new is not None else None) or unit.id
        reason = notes.get(clause or "", "") if c.status == "added" else \
            notes.get(f"-{clause}", "") if c.status == "removed" else ""
        group = _group(ctx, clause, c.status, reason)
        if c.status == "changed" and group == "wording" and \
                _only_own_words(ctx, c.old.text(), c.new.text()):
            group, reason = "council", OWN_WORDS
        items.append(Item(group, c.status,
                          (unit.number,) if unit.number else (), unit.title,
                          _reason(ctx, clause, reason) or _DEFAULT[c.status], clause,
                          tuple(ctx.law.get(clause or "", ()))))
        counts[c.status] += 1
    old = redline.summary.old
    return Changes("version", old, tuple(items), counts)


OWN_WORDS = "The Council's own titles and terms, as it now gives them."
_DEFAULT = {"changed": "The wording was revised.", "added": "A new paragraph.",
            "removed": "No longer needed in this Protocol."}
