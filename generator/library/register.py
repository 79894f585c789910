"""The legislation register: every statute, regulation, code and body the clauses cite.

``clause_library/legislation.yaml`` lists each with where it applies (England, Wales or
both), whether it is in force, the provisions the protocol relies on, what was verified
and where, and when. :func:`citations` finds what a text names (by the entry's
``cited_as`` phrases, longest first); :func:`check_register` is the part of ``library
check`` that holds the clauses to it: every Act, regulation or order a text names is in the
register and in force, and no clause can reach a council of a nation where the law it
cites does not apply. :func:`legal_basis_markdown` writes docs/legal-basis.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..document import long_date
from ..errors import LibraryError, Problem
from ..profile.matrix import contexts_by_nation
from ..profile.messages import problems_from_validation
from ..profile.yamlsource import load_yaml_file
from .clauses import SHIPPED, ClauseLibrary, LibClause, Variant
from .templating import Markup, compile_condition, compile_text, names_used, render_text

REGISTER_FILE = "legislation.yaml"
NATIONS = ("england", "wales")
# what a text names as law, whatever the register says: "... Act 1972", "... Order 2008"
_LAW = re.compile(r"\b[A-Z][\w’'().,-]*(?:\s+(?:[A-Z(][\w’'().,-]*|of|and|for|on|etc\.|the|in|to))*"
                  r"\s+(?:Act|Regulations|Order|Measure|Rules)\s+\d{4}\b")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)     # built on first use, not at import


class Provision(_Strict):
    """A provision the protocol relies on, and how that was verified."""

    ref: str = Field(min_length=1, description="The section, paragraph or part.")
    says: str = Field(min_length=1, description="What it requires, in a sentence or two.")
    verified: str = Field(min_length=1, description="Where it was checked, and what was found.")


EVENT_KINDS = ("made", "commenced", "amended", "revoked", "guidance")


class Event(_Strict):
    """One dated change in an entry's history, and where it was verified."""

    date: dt.date
    kind: Literal["made", "commenced", "amended", "revoked", "guidance"] = Field(
        description="made (enacted or issued), commenced, amended, revoked, or guidance "
                    "(revised guidance or code).")
    change: str = Field(min_length=1, description="What changed, in a sentence.")
    clauses: list[str] = Field(default_factory=list, description="The clauses the change "
                               "touched; none listed: every clause that rests on the entry.")
    verified: str = Field(min_length=1, description="Where the date was checked.")
    applies: Optional[list[Literal["england", "wales"]]] = Field(
        None, description="Where the change applies, when narrower than the entry.")


class Entry(_Strict):
    """One statute, instrument, code, body or term."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    kind: Literal["act", "regulations", "order", "code", "guidance", "body"]
    applies: list[Literal["england", "wales"]] = Field(min_length=1)
    cited_as: list[str] = Field(min_length=1, description="Exact phrases that name it.")
    provisions: list[Provision] = Field(default_factory=list)
    checked: dt.date
    status: str = Field(min_length=1, description="'in force ...', 'partly in force ...' "
                                                  "or 'revoked ...', with dates.")
    note: Optional[str] = None
    history: list[Event] = Field(default_factory=list, description="Dated changes, oldest "
                                 "first.")

    @property
    def revoked(self) -> bool:
        return self.status.startswith("revoked")


class RegisterFile(_Strict):
    checked: dt.date
    entries: list[Entry] = Field(min_length=1)


@dataclass(frozen=True)
class Register:
    checked: dt.date
    entries: tuple[Entry, ...]
    file: str

    def __post_init__(self):
        # one pattern of every phrase, longest first, so that at each place the longest
        # phrase wins ("Data Protection Act 2018" over "the Data Protection Act")
        phrases = sorted({p: e for e in self.entries for p in e.cited_as}.items(),
                         key=lambda pe: -len(pe[0]))
        alternatives = "|".join(re.escape(p) + (r"(?!\w)" if p[-4:].isdigit()
                                                else r"(?![\w-])(?!\s+\d{4})")
                                for p, _ in phrases)
        object.__setattr__(self, "_pattern", re.compile(r"(?<![\w-])(?:" + alternatives + ")"))
        object.__setattr__(self, "_by_phrase", dict(phrases))

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def citations(self, text: str) -> list[tuple[Entry, str]]:
        """What ``text`` names, as (entry, the phrase), in the order they appear."""
        return [(self._by_phrase[m.group(0)], m.group(0))      # type: ignore[attr-defined]
                for m in self._pattern.finditer(text)]         # type: ignore[attr-defined]

    def unregistered(self, text: str) -> list[str]:
        """Acts, regulations and orders that ``text`` names but no entry's phrase covers."""
        covered = [m.span() for m in self._pattern.finditer(text)]  # type: ignore[attr-defined]
        return [m.group(0) for m in _LAW.finditer(text)
                if not any(a <= m.end() - 4 and m.end() <= b for a, b in covered)]


def load_register(folders: list[Path] | tuple[Path, ...] = ()) -> Register:
    """:func:`read_register`, from the cache (:mod:`generator.cache`) when its files and the
    code that reads them are as they were: reading the YAML with every value's position is
    most of the time otherwise."""
    import pydantic

    from .. import cache
    from ..profile import yamlsource
    paths = [SHIPPED / REGISTER_FILE] + [Path(f) / REGISTER_FILE for f in folders]
    try:
        parts = [str(p) + ("\0" + p.read_text(encoding="utf-8") if p.exists() else "")
                 for p in paths]
    except (OSError, UnicodeDecodeError):
        return read_register(folders)
    key = cache.digest(pydantic.VERSION, cache.source_of(__file__, yamlsource.__file__), *parts)
    return cache.remember("register", key, lambda: read_register(folders))


def read_register(folders: list[Path] | tuple[Path, ...] = ()) -> Register:
    """The shipped ``legislation.yaml`` with any in ``folders`` (house libraries) layered
    over it: an entry with the same id replaces the shipped one. Raises LibraryError with
    every problem, located."""
    paths = [SHIPPED / REGISTER_FILE] + [Path(f) / REGISTER_FILE for f in folders
                                         if Path(f).resolve() != SHIPPED.resolve()]
    if not paths[0].exists():
        raise LibraryError(Problem("the legislation register is missing", file=str(paths[0]),
                                   hint="restore clause_library/legislation.yaml"))
    entries: dict[str, Entry] = {}
    checked = None
    problems: list[Problem] = []
    for path in (p for p in paths if p.exists()):
        src, found = load_yaml_file(path, "legislation register")
        if src is None:
            problems += found
            continue
        try:
            spec = RegisterFile.model_validate(src.data)
        except ValidationError as exc:
            problems += problems_from_validation(exc, src, RegisterFile)
            continue
        seen: set[str] = set()
        for i, entry in enumerate(spec.entries):
            if entry.id in seen:
                problems.append(src.problem(("entries", i, "id"), f"duplicate register id "
                                            f"'{entry.id}'", "give each entry its own id"))
            seen.add(entry.id)
            entries[entry.id] = entry
            dates = [e.date for e in entry.history]
            if dates != sorted(dates):
                problems.append(src.problem(("entries", i, "history"), f"the history of "
                                            f"'{entry.id}' is not in date order",
                                            "list its events oldest first"))
        checked = checked or spec.checked
    if problems:
        raise LibraryError(problems)
    assert checked is not None
    return Register(checked, tuple(entries.values()), str(paths[0]))


def variant_citations(register: Register, variant: Variant) -> list[Entry]:
    """The entries a variant cites by name, rests on or awaits, each once (kept per
    register and wording, since a batch asks for the same ones council after council)."""
    cache = register.__dict__.setdefault("_cited", {})
    key = (variant.text, variant.rests_on, variant.awaits)
    if key not in cache:
        cache[key] = _variant_citations(register, variant)
    return cache[key]


def _variant_citations(register: Register, variant: Variant) -> list[Entry]:
    out: dict[str, Entry] = {}
    for entry, _ in register.citations(variant.text):
        out.setdefault(entry.id, entry)
    for entry_id in (*variant.rests_on, *variant.awaits):
        entry = register.get(entry_id)
        if entry is not None:
            out.setdefault(entry.id, entry)
    return list(out.values())


def _reached(section_when: str | None, clause: LibClause, variant: Variant,
             contexts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One context for each distinct way this wording can appear in a protocol of one of
    ``contexts`` (distinct in the names its conditions and text use), or [] if it cannot."""
    sources = [w for w in (section_when, clause.when, variant.when) if w]
    tests = [compile_condition(w) for w in sources]
    names: set[str] = set(names_used(variant.text)[0])
    for w in sources:
        names |= names_used(w, expression=True)[0]
    seen: dict[tuple, dict[str, Any]] = {}
    for ctx in contexts:
        key = tuple(repr(ctx.get(n)) for n in sorted(names))
        if key not in seen and all(t(ctx) for t in tests):
            seen[key] = ctx
    return list(seen.values())


def _cited_in(register: Register, variant: Variant, ctx: dict[str, Any]) -> list[Entry]:
    """What the wording names as it reads for the council of ``ctx`` (its ``{% if %}``
    branches taken). What it rests on without naming it (``rests_on``) is the law it
    relies on in the nations where that law applies, so it is not checked by nation."""
    text = render_text(compile_text(variant.text),
                       {**ctx, "ref": lambda target, bare=False: Markup("paragraph 1.1")})
    return list({e.id: e for e, _ in register.citations(text)}.values())


def check_register(lib: ClauseLibrary, register: Register) -> list[Problem]:
    """Every citation in the library is registered, in force, and used only where it
    applies."""
    problems: list[Problem] = []
    by_nation = contexts_by_nation()
    for section in lib.sections:
        for clause in section.clauses:
            for j, variant in enumerate(clause.variants):
                field = f"{clause.id}: variant {j + 1}"
                for name in register.unregistered(variant.text):
                    problems.append(variant.where.problem(
                        f"{field} names '{name}', which is not in the legislation register",
                        "text", f"add it to clause_library/{REGISTER_FILE} (what it requires, "
                        "where it applies, where you verified it), or name it as the "
                        "register does"))
                for key, verb in (("rests_on", "rests on"), ("awaits", "awaits")):
                    for entry_id in getattr(variant, key):
                        if register.get(entry_id) is None:
                            problems.append(variant.where.problem(
                                f"{field} {verb} '{entry_id}', which is not in the "
                                "legislation register", key, "use an id from clause_library/"
                                f"{REGISTER_FILE}"))
                if not variant_citations(register, variant):
                    continue
                reported: set[tuple[str, str]] = set()
                for nation in NATIONS:
                    for ctx in _reached(section.when, clause, variant, by_nation[nation]):
                        for entry in _cited_in(register, variant, ctx):
                            if (nation in entry.applies and not entry.revoked) or \
                                    (entry.id, nation) in reported:
                                continue
                            reported.add((entry.id, nation))
                            problems.append(variant.where.problem(
                                *_misuse(field, entry, nation)))
    return problems + _history_problems(lib, register)


def _history_problems(lib: ClauseLibrary, register: Register) -> list[Problem]:
    """Every clause an event names exists and rests on that entry."""
    users = resting_on(lib, register)
    problems = []
    for entry in register.entries:
        for event in entry.history:
            for cid in event.clauses:
                if cid not in lib.clauses:
                    message = f"names the clause '{cid}', which the library does not have"
                elif cid not in users.get(entry.id, ()):
                    message = (f"names the clause '{cid}', which neither cites {entry.name} "
                               "nor rests on it")
                else:
                    continue
                problems.append(Problem(
                    f"{entry.id}: the {event.kind} event of {event.date.isoformat()} "
                    + message, file=register.file, field="history",
                    hint="name a clause that cites the entry, or add the entry to the "
                         "clause's rests_on"))
    return problems


_RESTING: dict[tuple[int, int], tuple[object, object, dict[str, set[str]]]] = {}


def resting_on(lib: ClauseLibrary, register: Register) -> dict[str, set[str]]:
    """Register id -> the clauses any of whose wordings cite it or rest on it (worked out
    once per library and register in a process)."""
    key = (id(lib), id(register))
    kept = _RESTING.get(key)
    if kept is not None and kept[0] is lib and kept[1] is register:
        return kept[2]
    if len(_RESTING) > 8:
        _RESTING.clear()
    users = _resting_on(lib, register)
    _RESTING[key] = (lib, register, users)
    return users


def _resting_on(lib: ClauseLibrary, register: Register) -> dict[str, set[str]]:
    users: dict[str, set[str]] = {}
    for clause in lib.clauses.values():
        for variant in clause.variants:
            for entry in variant_citations(register, variant):
                users.setdefault(entry.id, set()).add(clause.id)
    return users


@dataclass(frozen=True)
class Change:
    """One event of the register's history and the clauses it touched."""

    entry: Entry
    event: Event
    clauses: frozenset[str]


def changes(lib: ClauseLibrary, register: Register, *, after: dt.date | None = None,
            until: dt.date | None = None, entry_id: str | None = None) -> list[Change]:
    """The register's events after ``after`` and up to ``until`` (either may be None),
    oldest first, each with the clauses it touched."""
    users = resting_on(lib, register)
    found = [Change(entry, event, frozenset(event.clauses or users.get(entry.id, ())))
             for entry in register.entries if entry_id in (None, entry.id)
             for event in entry.history
             if (after is None or event.date > after) and (until is None or event.date <= until)]
    return sorted(found, key=lambda c: (c.event.date, c.entry.id))


def reliance(doc, lib: ClauseLibrary, register: Register) -> dict[str, set[str]]:
    """Clause id -> the register ids its chosen wording (in this protocol) cites or rests
    on, where they apply in the council's nation or apply anywhere."""
    out: dict[str, set[str]] = {}
    for clause in doc.clauses():
        lib_clause = lib.clauses.get(clause.id)
        if lib_clause is None:
            continue
        variant = next((v for v in lib_clause.variants if v.source == clause.source),
                       lib_clause.variants[0])
        out[clause.id] = {e.id for e in variant_citations(register, variant)}
    return out


def touching(doc, lib: ClauseLibrary, register: Register, found: list[Change],
             nation: str | None = None) -> list[tuple[Change, list[str]]]:
    """The changes (in ``nation``, when given) that touch a clause of ``doc``, each with
    the paragraph numbers of those clauses (as the protocol numbers them)."""
    relies = reliance(doc, lib, register)
    numbers = {c.id: c.number for c in doc.clauses()}
    out = []
    for change in found:
        if nation and nation not in (change.event.applies or change.entry.applies):
            continue
        hit = [numbers[cid] for cid in numbers
               if cid in change.clauses and change.entry.id in relies.get(cid, ())]
        if hit:
            out.append((change, hit))
    return out


def _misuse(field: str, entry: Entry, nation: str) -> tuple[str, str, str]:
    if entry.revoked:
        return (f"{field} cites {entry.name}, which is {entry.status}, in the protocol of "
                f"a council in {nation.title()}", "text",
                "cite the law in force (see the entry's note in the register)")
    where = " and ".join(n.title() for n in entry.applies)
    return (f"{field} cites {entry.name}, which applies in {where} only, in the protocol of "
            f"a council in {nation.title()}", "when",
            f"add nation == \"{entry.applies[0]}\" to the variant's or clause's when, or "
            f"put the citation inside {{% if nation == \"{entry.applies[0]}\" %}}")


def legal_basis_markdown(lib: ClauseLibrary, register: Register) -> str:
    """docs/legal-basis.md: for each entry of the register, what it requires, where that
    was verified, and which clauses rest on it."""
    users: dict[str, list[str]] = {}
    for clause in lib.clauses.values():
        for variant in clause.variants:
            for entry in variant_citations(register, variant):
                label = f"`{clause.id}` ({variant.source})"
                if label not in users.setdefault(entry.id, []):
                    users[entry.id].append(label)
    out = ["# Legal basis of the clause library", "",
           "Generated from `clause_library/legislation.yaml` by `protocol-gen library "
           "legal-basis`; do not edit by hand. The register was last reviewed as a whole on "
           f"{register.checked.isoformat()}. Each entry says where it applies, whether it is "
           "in force, what the protocol relies on, where that was verified and which clauses "
           "cite it or rest on it. Law changes: the council's monitoring officer or clerk "
           "should read the protocol against this page before adoption.", ""]
    current = [e for e in register.entries if not e.revoked]
    revoked = [e for e in register.entries if e.revoked]
    out += ["## In force", ""]
    for entry in current:
        out += _entry_lines(entry, users.get(entry.id, []))
    out += ["## Superseded (the library never cites these; listed so old texts can be "
            "checked)", ""]
    for entry in revoked:
        out += _entry_lines(entry, users.get(entry.id, []))
    return "\n".join(out).rstrip() + "\n"


def _entry_lines(entry: Entry, users: list[str]) -> list[str]:
    where = " and ".join(n.title() for n in entry.applies)
    lines = [f"### {entry.name}", "",
             f"- Applies in: {where}. Status: {entry.status}. Checked: "
             f"{entry.checked.isoformat()}."]
    if entry.note:
        lines.append(f"- Note: {' '.join(entry.note.split())}")
    for p in entry.provisions:
        lines.append(f"- **{p.ref}**: {' '.join(p.says.split())} *Verified:* "
                     f"{' '.join(p.verified.split())}")
    for event in entry.history:
        touched = f" Clauses: {', '.join(f'`{c}`' for c in event.clauses)}." \
            if event.clauses else ""
        lines.append(f"- {long_date(event.date)}, {event.kind}: "
                     f"{' '.join(event.change.split())}{touched} *Verified:* "
                     f"{' '.join(event.verified.split())}")
    lines.append("- Clauses: " + (", ".join(users) if users else "none cite it by name."))
    return lines + [""]
