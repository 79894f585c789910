"""The clause library: ``clause_library/*.yaml`` -> validated :class:`ClauseLibrary`.

One YAML file per section. :func:`load_library` reads and validates the structure
(every problem in every file, reported together); :func:`check_library` goes further
(conditions and templates compile and name only profile fields; every ``ref``
resolves). Later folders layer over earlier ones: a clause with the same id replaces
the earlier one in place, a new clause joins its section.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
import re
from typing import Optional

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError, nodes
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import LibraryError, Problem
from ..profile.constants import SOURCES
from ..profile.messages import problems_from_validation
from ..profile.model import CONTEXT_NAMES
from ..profile.yamlsource import Located, load_yaml_file
from ..shipped import CLAUSE_LIBRARY
from .templating import (ALLOWED_FILTERS, ENV, MAX_TEXT, compile_condition, compile_text,
                         names_used, render_text)

_LEADING_TAGS = re.compile(r"^(?:\s*\{%-?.*?-?%\})*\s*", re.DOTALL)

SHIPPED = CLAUSE_LIBRARY
ID = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
SOURCE = re.compile(r"^(?P<council>" + "|".join(map(re.escape, SOURCES)) +
                    r")(?:\s+(?P<where>\S.*))?$|^(?P<drafted>drafted)$|^(?P<house>house)(?:\s+.*)?$")
MAX_LIBRARY_FILE = 1024 * 1024
# library data that is no section
NOT_SECTIONS = frozenset({"coverage-exclusions.yaml", "legislation.yaml", "points.yaml"})
POINTS = Field(default_factory=list, description="Ids from points.yaml: the points it makes.")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)     # built on first use, not at import


class VariantSpec(_Strict):
    """One wording of a clause."""

    source: str = Field(description="Seed council and paragraph ('milcombe 4.2'), "
                                    "'drafted' (with a reason) or 'house ...'.")
    when: Optional[str] = None
    note: Optional[str] = Field(None, description="Editorial corrections made to the source.")
    reason: Optional[str] = Field(None, description="Why a drafted clause was written.")
    rests_on: list[str] = Field(default_factory=list, description="Register ids this "
                                "wording relies on without naming them.")
    awaits: list[str] = Field(default_factory=list, description="Register ids of law not "
                              "yet in force that this wording is written to meet.")
    points: list[str] = POINTS     # when this wording makes other points than its clause's
    text: str = Field(min_length=1)
    as_written: Optional[str] = Field(None, description="The source's words before the "
                                      "house voice (docs/style.md), for drafting.voice source.")

    @model_validator(mode="after")
    def _source_ok(self):
        m = SOURCE.match(self.source)
        if not m:
            raise ValueError(f"unknown source '{self.source}': use one of "
                             f"{', '.join(SOURCES)} followed by the paragraph, or 'drafted'")
        if m.group("council") and not m.group("where"):
            raise ValueError(f"source '{self.source}' needs the paragraph it came from, "
                             f"e.g. '{self.source} 4.2'")
        if m.group("drafted") and not self.reason:
            raise ValueError("a drafted variant needs a 'reason' saying why it was written")
        return self


class ClauseSpec(_Strict):
    """A numbered paragraph with one or more variant wordings."""

    id: str = Field(pattern=ID)
    title: Optional[str] = None
    heading: Optional[str] = None
    when: Optional[str] = None
    points: list[str] = POINTS
    variants: list[VariantSpec] = Field(min_length=1)


class SectionSpec(_Strict):
    """A section file."""

    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    order: int = Field(ge=0, le=999)
    when: Optional[str] = None
    clauses: list[ClauseSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Where:
    file: str
    line: int | None = None
    column: int | None = None

    def problem(self, message: str, field: str | None = None, hint: str | None = None) -> Problem:
        return Problem(message, file=self.file, line=self.line, column=self.column,
                       field=field, hint=hint)


@dataclass(frozen=True)
class Variant:
    source: str
    text: str
    when: str | None
    note: str | None
    reason: str | None
    where: Where
    rests_on: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    as_written: str | None = None
    awaits: tuple[str, ...] = ()

    @property
    def council(self) -> str:       # the seed council ('milcombe'), or 'drafted' / 'house'
        return self.source.split()[0]


@dataclass(frozen=True)
class LibClause:
    id: str
    section: str
    title: str | None
    heading: str | None
    when: str | None
    variants: tuple[Variant, ...]
    where: Where
    points: tuple[str, ...] = ()


@dataclass
class LibSection:
    id: str
    title: str
    order: int
    when: str | None
    clauses: list[LibClause]
    where: Where


@dataclass
class ClauseLibrary:
    """The validated library: sections in order, clauses by id."""

    sections: list[LibSection]
    folders: tuple[str, ...] = ()
    clauses: dict[str, LibClause] = field(default_factory=dict)

    def __post_init__(self):
        self.sections.sort(key=lambda s: (s.order, s.id))
        self.clauses = {c.id: c for s in self.sections for c in s.clauses}

    def section(self, section_id: str) -> LibSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


def _read_folder(folder: Path) -> tuple[list[tuple[SectionSpec, Located]], list[Problem]]:
    problems: list[Problem] = []
    out = []
    if not folder.is_dir():
        return [], [Problem("the clause library folder does not exist", file=str(folder),
                            hint="name a folder of section .yaml files")]
    files = [f for f in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
             if f.name not in NOT_SECTIONS]
    if not files:
        problems.append(Problem("no section files (*.yaml) in the library folder",
                                file=str(folder)))
    shipped = folder.resolve() == SHIPPED
    for path in files:
        src, found = load_yaml_file(path, "library file", MAX_LIBRARY_FILE, trusted=shipped)
        if src is None:
            problems.extend(found)
            continue
        if not isinstance(src.data, dict):
            problems.append(src.problem((), "a section file must be a mapping with id, title, "
                                        "order and clauses"))
            continue
        try:
            spec = SectionSpec.model_validate(src.data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, src, SectionSpec))
            continue
        out.append((spec, src))
    return out, problems


def _where(src: Located, path: tuple) -> Where:
    return Where(src.file, *src.where(path))


def load_library(folders: list[Path | str] | None = None) -> ClauseLibrary:
    """Load the shipped library (or ``folders``, later ones layered over earlier ones),
    from the cache when read before unchanged. Raises :class:`LibraryError`."""
    def load() -> ClauseLibrary:
        library, problems = read_library(folders)
        if problems:
            raise LibraryError(problems)
        return library
    from .. import cache
    key = _cache_key([Path(f) for f in (folders or [SHIPPED])])
    return load() if key is None else cache.remember("library", key, load)


def fingerprint(folders: list[Path | str] | None = None) -> str | None:
    """A digest of the library's files and the code that reads them (None: unreadable)."""
    return _cache_key([Path(f) for f in (folders or [SHIPPED])])


def layered_folders(folders=()) -> list[str] | None:
    """The shipped library with house folders layered over it (None: shipped only)."""
    return [str(SHIPPED), *map(str, folders)] if folders else None


def check_house_folders(folders=()) -> None:
    """Give house folders the whole 'library check' up front, so a mistake in a house
    clause is reported once, with its fix, whichever profile would have used it."""
    if folders:
        lib, problems = read_library(layered_folders(folders))
        problems = problems or check_library(lib)
        if problems:
            raise LibraryError(problems)


def load_house_layered(folders=()) -> ClauseLibrary:
    """The shipped library with house folders over it, each checked in full first."""
    check_house_folders(folders)
    return load_library(layered_folders(folders))


def _cache_key(paths: list[Path]) -> str | None:
    """A digest of every library file (name and bytes) and of the code that reads them;
    None when a folder cannot be read (the normal reading reports it)."""
    import pydantic
    import yaml

    from .. import cache
    from ..profile import constants, model, yamlsource
    from . import points
    parts: list[str | bytes] = [pydantic.VERSION, yaml.__version__, cache.source_of(
        __file__, yamlsource.__file__, model.__file__, constants.__file__, points.__file__)]
    try:
        for folder in paths:
            parts.append(str(folder.resolve()))
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                parts += [path.name, path.read_bytes()]
    except OSError:
        return None
    return cache.digest(*parts)


def read_library(folders: list[Path | str] | None = None) -> tuple[ClauseLibrary, list[Problem]]:
    """Read what can be read of the library, and every structural problem found."""
    paths = [Path(f) for f in (folders or [SHIPPED])]
    problems: list[Problem] = []
    sections: dict[str, LibSection] = {}
    for layer, folder in enumerate(paths):
        specs, found = _read_folder(folder)
        problems.extend(found)
        seen_sections: dict[str, str] = {}
        seen_clauses: dict[str, Where] = {}
        for spec, src in specs:
            if spec.id in seen_sections:
                problems.append(_where(src, ("id",)).problem(
                    f"section id '{spec.id}' is also used by {seen_sections[spec.id]}", "id",
                    "give each section file its own id"))
                continue
            seen_sections[spec.id] = src.file
            clauses = []
            for i, c in enumerate(spec.clauses):
                where = _where(src, ("clauses", i, "id"))
                if c.id in seen_clauses:
                    other = seen_clauses[c.id]
                    problems.append(where.problem(
                        f"duplicate clause id '{c.id}' (also at {other.file}:{other.line})",
                        f"clauses.{i}.id", "give each clause its own id"))
                    continue
                seen_clauses[c.id] = where
                variants = tuple(
                    Variant(v.source, v.text, v.when, v.note, v.reason,
                            _where(src, ("clauses", i, "variants", j)), tuple(v.rests_on),
                            tuple(v.points), v.as_written, tuple(v.awaits))
                    for j, v in enumerate(c.variants))
                clauses.append(LibClause(c.id, spec.id, c.title, c.heading, c.when, variants,
                                         where, tuple(c.points)))
            section = LibSection(spec.id, spec.title, spec.order, spec.when, clauses,
                                 _where(src, ("id",)))
            if layer and spec.id in sections:
                _layer_section(sections[spec.id], section, "when" in spec.model_fields_set)
            else:
                sections[spec.id] = section
        if layer:  # a house clause may replace a shipped clause from any section
            _move_replacements(sections)
    library = ClauseLibrary(list(sections.values()), tuple(map(str, paths)))
    from .points import check_declarations     # (points.py reads the library's types)
    return library, problems + check_declarations(library)


def _layer_section(base: LibSection, overlay: LibSection, sets_when: bool) -> None:
    """Merge a house section into the shipped one. Title and order follow the house file;
    the shipped condition stays unless the house file sets ``when`` itself."""
    base.title, base.order = overlay.title, overlay.order
    if sets_when:
        base.when = overlay.when
    for clause in overlay.clauses:
        index = {c.id: i for i, c in enumerate(base.clauses)}
        if clause.id in index:      # a replacement declaring no points makes the same ones
            old = base.clauses[index[clause.id]]
            base.clauses[index[clause.id]] = (clause if clause.points else
                                              replace(clause, points=old.points))
        else:       # after the clause its id extends ("x.y.house-2" after "x.y"), or last
            base.clauses.insert(_after(base.clauses, clause.id), clause)


def _after(clauses: list[LibClause], cid: str) -> int:
    """After the clause whose id its id extends ("x.y.house-2" after "x.y") and those
    placed after it already; last when it extends none."""
    parent = max((c.id for c in clauses if cid.startswith(c.id + ".")), key=len, default=None)
    return len(clauses) if parent is None else max(k + 1 for k, c in enumerate(clauses)
                                                   if (c.id + ".").startswith(parent + "."))


def _move_replacements(sections: dict[str, LibSection]) -> None:
    """A clause id that now appears in two sections: the later layer's copy replaces the
    earlier one in its original place."""
    owner: dict[str, LibSection] = {}
    for section in sections.values():
        for clause in list(section.clauses):
            if clause.id in owner and owner[clause.id] is not section:
                first = owner[clause.id]
                i = next(k for k, c in enumerate(first.clauses) if c.id == clause.id)
                first.clauses[i] = clause if clause.points else replace(
                    clause, points=first.clauses[i].points)
                section.clauses.remove(clause)
            else:
                owner[clause.id] = section


def check_library(lib: ClauseLibrary) -> list[Problem]:
    """Deep checks: conditions and templates compile, use only profile names, filters
    exist, and every ``ref`` names a clause or section of the library."""
    problems: list[Problem] = []
    known = set(CONTEXT_NAMES) | {"ref"}
    targets = set(lib.clauses) | {s.id for s in lib.sections}

    def scan(source: str | None, where: Where, what: str, expression: bool) -> None:
        if not source:
            return
        try:
            names, refs = names_used(source, expression=expression)
        except TemplateSyntaxError as exc:
            problems.append(Problem(f"not a valid Jinja2 "
                                    f"{'expression' if expression else 'template'}: "
                                    f"{exc.message}", file=where.file, line=where.line,
                                    column=where.column, field=what,
                                    hint=getattr(exc, "hint", "check the brackets and quotes")))
            return
        for name in sorted(names - known):
            # 'council.political_groups' is written as the profile nests it: suggest the
            # flat name from the part after the dot
            attributes = _attributes_of(source, name, expression)
            import difflib      # only when there is a mistake to suggest a fix for
            close = next((m for t in [*attributes, name] for m in difflib.get_close_matches(
                t, sorted(known), n=1)), None)
            hint = (f"did you mean '{close}'? " if close else "") + (
                "names are flat (political_groups, not council.political_groups): "
                if attributes else "") + "the names are listed in clause_library/README.md"
            problems.append(where.problem(f"unknown name '{name}'", what, hint))
        for target in refs:
            if target not in targets:
                problems.append(where.problem(
                    f"ref('{target}') names no clause or section of the library",
                    what, "use the id of an existing clause"))
        for filt in _filters(source, expression):
            if filt not in ALLOWED_FILTERS:
                problems.append(where.problem(f"unknown filter '{filt}'", what,
                                              "filters: " + ", ".join(sorted(ALLOWED_FILTERS))))

    for section in lib.sections:
        scan(section.when, section.where, f"section {section.id}: when", True)
        scan(section.title, section.where, f"section {section.id}: title", False)
        for clause in section.clauses:
            scan(clause.when, clause.where, f"{clause.id}: when", True)
            scan(clause.heading, clause.where, f"{clause.id}: heading", False)
            for j, v in enumerate(clause.variants):
                scan(v.when, v.where, f"{clause.id}: variant {j + 1} when", True)
                scan(v.text, v.where, f"{clause.id}: variant {j + 1} text", False)
                scan(v.as_written, v.where, f"{clause.id}: variant {j + 1} as_written", False)
                opening = _LEADING_TAGS.sub("", v.text)    # after any opening {% if %}
                if not opening[:1].isalnum() and not opening.startswith(
                        ("{{", "*", "'", '"', "“", "‘")):
                    problems.append(v.where.problem(
                        f"{clause.id}: variant {j + 1} text must open with a paragraph (the "
                        "numbered one), not a list, heading or quote", "text"))
                elif (blocks := _blocks(v.text))[1:2] == ["paragraph"] or len(blocks) > 2:
                    problems.append(v.where.problem(
                        f"{clause.id}: variant {j + 1} text has more than one paragraph: "
                        "every paragraph of a protocol is numbered so it can be cited",
                        "text", "make the second paragraph a clause of its own (a list may "
                        "follow the paragraph)"))
    return problems


@lru_cache(maxsize=1)
def _block_parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark")


def _blocks(text: str) -> list[str]:
    """The kinds of the top-level blocks of a clause text ('paragraph', 'bullet_list',
    'ordered_list', ...), template tags left in place."""
    kinds = []
    for token in _block_parser().parse(text):
        if token.level == 0 and token.nesting >= 0 and token.type != "inline":
            kinds.append(token.type.removesuffix("_open"))
    return kinds


_RENDER_FAULTS = (TemplateError, ArithmeticError, LookupError, TypeError, ValueError,
                  AttributeError, RecursionError)


def check_rendering(lib: ClauseLibrary, contexts: list[dict]) -> list[Problem]:
    """The limits every build applies, applied here: no text longer than a text may
    render to, and every title, heading and text rendered (as a build renders it) for
    each council context in ``contexts`` whose conditions it meets (the example
    councils'), so a text that every build would refuse (too long, too large a number,
    a sandbox refusal) is reported now, once."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def ref(target: str, bare: bool = False) -> str:
        return "1.1" if bare else "paragraph 1.1"

    def holds(expr: str | None, ctx: dict) -> bool:
        if not expr:
            return True
        try:
            return bool(compile_condition(expr)(**ctx))
        except _RENDER_FAULTS:
            return False

    def render(text: str | None, where: Where, what: str, ctx: dict | None) -> None:
        if not text or (what, where.file) in seen:
            return
        if len(text) > MAX_TEXT:
            seen.add((what, where.file))
            problems.append(where.problem(f"the text is {len(text):,} characters long; a "
                                          f"text may be at most {MAX_TEXT:,}", what,
                                          "split it into several clauses"))
            return
        if ctx is None:
            return
        try:
            render_text(compile_text(text), {**ctx, "ref": ref})
        except UndefinedError:
            return            # reported by the name checks
        except (*_RENDER_FAULTS, MemoryError) as exc:
            seen.add((what, where.file))
            why = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            problems.append(where.problem(f"the text cannot be rendered (every build that "
                                          f"uses it would fail): {why}", what,
                                          "see 'What a text may not do' in "
                                          "clause_library/README.md"))

    for ctx in [None, *contexts]:
        for section in lib.sections:
            if ctx is not None and not holds(section.when, ctx):
                continue
            render(section.title, section.where, f"section {section.id}: title", ctx)
            for clause in section.clauses:
                if ctx is not None and not holds(clause.when, ctx):
                    continue
                render(clause.heading, clause.where, f"{clause.id}: heading", ctx)
                for j, v in enumerate(clause.variants):
                    if ctx is None or holds(v.when, ctx):
                        render(v.text, v.where, f"{clause.id}: variant {j + 1} text", ctx)
    return problems


def _attributes_of(source: str, name: str, expression: bool) -> list[str]:
    """The attributes read from ``name`` in a template ('council.tier' -> ['tier'])."""
    ast = ENV.parse("{{ (" + source + ") }}" if expression else source)
    return [g.attr for g in ast.find_all(nodes.Getattr)
            if isinstance(g.node, nodes.Name) and g.node.name == name]


def _filters(source: str, expression: bool) -> set[str]:
    ast = ENV.parse("{{ (" + source + ") }}" if expression else source)
    return {f.name for f in ast.find_all(nodes.Filter)}
