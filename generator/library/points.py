"""The points a protocol makes: ``clause_library/points.yaml`` and who makes each.

Every clause declares the points it makes (``points:`` on the clause, or on a variant whose
wording makes others), and a list item inside a text may declare its own with a comment at
its end, ``- respect and courtesy; {# points: respect #}``. A protocol makes each point
once, in the point's home section: assembly leaves out a list item whose points the rest
of the document already makes (:func:`place_items`), and :func:`points_made_twice` finds
any point a document still makes twice. ``docs/points.md`` explains the list.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import re
from typing import TYPE_CHECKING, Iterable

from ..errors import LibraryError, Problem
from ..shipped import CLAUSE_LIBRARY
from .cues import cue_problems

if TYPE_CHECKING:        # (clauses.py imports this module: its types are named, not imported)
    from ..document import Document

POINTS_FILE = "points.yaml"
ITEM_MARK = re.compile(r"\{#-?\s*points?\s*:\s*(?P<ids>[^#]*?)\s*-?#\}")
_SENTINEL = re.compile("\ue000(?P<ids>[^\ue001]*)\ue001")
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<bullet>[-*+]|\d+[.)])\s")


@dataclass(frozen=True)
class Point:
    """One point of the controlled list."""

    id: str
    title: str
    home: str          # the id of the section where the point is made
    meaning: str
    cues: tuple[str, ...] = ()   # the words that make it, as councils put it (cues.py)
    core: bool = False           # a point every protocol should make (an import adds it)


@dataclass(frozen=True)
class Made:
    """Where a document makes a point: the clause, its number, and the list item (its
    rendered text) when an item of the clause makes it rather than the clause itself."""

    point: str
    clause: str
    number: str
    section: str
    item: str | None = None


def load_points(folder: Path | str | None = None) -> dict[str, Point]:
    """The controlled list, in its order, from ``folder/points.yaml`` (the shipped library's
    when ``folder`` has none). Raises :class:`LibraryError` when the file is not valid."""
    return {k: point for k, (point, _) in _load(_path(folder)).items()}


def _path(folder: Path | str | None) -> str:
    path = Path(folder or CLAUSE_LIBRARY) / POINTS_FILE
    return str((path if path.exists() else CLAUSE_LIBRARY / POINTS_FILE).resolve())


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, tuple[Point, int | None]]:
    """The points by id, with the line of each one's home; from the cache when this file
    was read before, unchanged, by this same code."""
    from .. import cache
    from ..profile import yamlsource
    try:
        data = Path(path).read_bytes()
    except OSError:
        return _read(path)
    key = cache.digest(path, data, cache.source_of(__file__, yamlsource.__file__,
                                                   cue_problems.__code__.co_filename))
    return cache.remember("points", key, lambda: _read(path))


def _read(path: str) -> dict[str, tuple[Point, int | None]]:
    from ..profile.yamlsource import load_yaml_file
    src, problems = load_yaml_file(Path(path), "points file", 1024 * 1024, trusted=True)
    if src is None:
        raise LibraryError(problems)
    rows = src.data.get("points") if isinstance(src.data, dict) else None
    if not isinstance(rows, list):
        raise LibraryError(src.problem((), "the points file must be a mapping with a "
                                           "'points' list"))
    out: dict[str, tuple[Point, int | None]] = {}
    for i, row in enumerate(rows):
        keys = ("id", "title", "home", "meaning")
        if not isinstance(row, dict) or not set(keys) <= set(row) or \
                set(row) - {*keys, "cues", "core"} or not all(
                isinstance(row[k], str) and row[k].strip() for k in keys):
            problems.append(src.problem(("points", i), "each point needs exactly id, title, "
                                        "home and meaning, each a line of text (and may "
                                        "have cues and core)"))
            continue
        if row["id"] in out:
            problems.append(src.problem(("points", i, "id"), f"point '{row['id']}' is listed "
                                        "twice", hint="give each point its own id"))
        cues = row.get("cues", [])
        wrong = cue_problems(cues) if isinstance(cues, list) else ["cues must be a list"]
        for what in wrong:
            problems.append(src.problem(("points", i, "cues"), f"point '{row['id']}': "
                                        f"{what}", hint="write each cue as lower-case words, "
                                        "'a|b' for either, 'word*' for any ending, '...' "
                                        "for a few words between (docs/points.md)"))
        if not isinstance(row.get("core", False), bool):
            problems.append(src.problem(("points", i, "core"), f"point '{row['id']}': core "
                                        "must be true or false"))
            continue
        out[row["id"]] = (Point(*(row[k].strip() for k in keys),
                                tuple(cues) if not wrong else (),
                                row.get("core", False)),
                          src.where(("points", i, "home"))[0])
    if problems:
        raise LibraryError(problems)
    return out


def item_points(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The list items of a clause text that declare points: (the item's line, its points)."""
    return [(line, _ids(m.group("ids"))) for line in text.splitlines()
            if (m := ITEM_MARK.search(line))]


def _ids(text: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s,]+", text) if p)


def variant_points(clause: "LibClause", variant: "Variant") -> tuple[str, ...]:
    """Every point a wording makes: its own (or its clause's) and its list items'."""
    own = variant.points or clause.points
    items = [p for _, ids in item_points(variant.text) for p in ids]
    return tuple(dict.fromkeys([*own, *items]))


def clause_points(library: "ClauseLibrary") -> dict[str, tuple[str, ...]]:
    """The points each clause of ``library`` makes, by clause id (all its wordings')."""
    return {cid: tuple(dict.fromkeys(p for v in c.variants for p in variant_points(c, v)))
            for cid, c in library.clauses.items()}


def document_points(doc: "Document") -> dict[str, tuple[Made, ...]]:
    """The points an assembled document makes, each with the clauses (and list items)
    that make it, in document order."""
    out: dict[str, list[Made]] = {}
    for section in doc.sections:
        for clause in section.clauses:
            for point, item in clause.points:
                out.setdefault(point, []).append(
                    Made(point, clause.id, clause.number, section.id, item))
    return {k: tuple(v) for k, v in out.items()}


def points_made_twice(doc: "Document") -> dict[str, tuple[Made, ...]]:
    """The points ``doc`` makes more than once, with every place that makes them."""
    return {k: v for k, v in document_points(doc).items() if len(v) > 1}


def twice_problems(documents: Iterable[tuple], library: "ClauseLibrary") -> list[Problem]:
    """A problem for each point some of ``documents`` ((name, ..., Document) each) make
    twice, naming the point, the clauses and the first council that has it."""
    found: dict[tuple, list[str]] = {}
    for name, *_, doc in documents:
        for point, made in points_made_twice(doc).items():
            found.setdefault((point, tuple((m.clause, m.item) for m in made)), []).append(name)
    problems = []
    for (point, makers), names in found.items():
        clause = library.clauses.get(makers[-1][0])
        where = clause.where if clause else None
        said = " and by ".join(f"{c}" + (f" (the item '{i}')" if i else "") for c, i in makers)
        others = f" and {len(names) - 1} other kinds of council" if len(names) > 1 else ""
        problems.append(Problem(
            f"point '{point}' is made more than once, by {said}, in the protocol of "
            f"{names[0]}{others}", file=where.file if where else None,
            line=where.line if where else None, field="points",
            hint="say it once, in its home section: take it out of one wording, or correct "
                 "the points a clause declares"))
    return problems


# ---- the library's declarations ----------------------------------------------------

def check_declarations(library: "ClauseLibrary", points: dict[str, Point] | None = None,
                       required: bool = True) -> list[Problem]:
    """Every declared point is on the list (with a did-you-mean); every shipped clause
    (with ``required``) declares at least one; every home is a section of the library."""
    points = load_points() if points is None else points
    problems: list[Problem] = []
    sections = {s.id for s in library.sections}
    shipped = CLAUSE_LIBRARY.resolve()
    lines = _load(_path(None))
    for point in points.values() if library.folders[:1] in ((), (str(shipped),)) else ():
        if point.home not in sections:
            problems.append(Problem(f"point '{point.id}' has home '{point.home}', which is "
                                    "no section of the library", file=_path(None),
                                    line=lines.get(point.id, (0, None))[1], field="home",
                                    hint="use a section id: " + ", ".join(sorted(sections))))

    def unknown(ids: Iterable[str], where, what: str) -> None:
        for p in ids:
            if p not in points:
                import difflib  # only when there is a mistake to suggest a fix for
                close = difflib.get_close_matches(p, list(points), n=1, cutoff=0.6)
                problems.append(where.problem(
                    f"{what} declares point '{p}', which is not in {POINTS_FILE}", "points",
                    (f"did you mean '{close[0]}'? " if close else "") +
                    f"the points are listed in clause_library/{POINTS_FILE} "
                    "(docs/points.md explains them)"))

    for clause in library.clauses.values():
        unknown(clause.points, clause.where, clause.id)
        for j, v in enumerate(clause.variants):
            unknown(v.points, v.where, f"{clause.id} variant {j + 1}")
            unknown([p for _, ids in item_points(v.text) for p in ids], v.where,
                    f"{clause.id} variant {j + 1} (a list item)")
            if (required and not variant_points(clause, v)
                    and Path(v.where.file).resolve().parent == shipped):
                problems.append(v.where.problem(
                    f"{clause.id} variant {j + 1} declares no points", "points",
                    f"add 'points: [...]' to the clause (or mark its list items), naming ids "
                    f"from {POINTS_FILE}"))
    return problems


# ---- assembly ----------------------------------------------------------------------

def mark(text: str) -> str:
    """The text with each item's points comment turned into a marker that survives
    rendering (removed again by :func:`place_items`)."""
    return ITEM_MARK.sub(lambda m: "\ue000" + " ".join(_ids(m.group("ids"))) + "\ue001",
                         text)


def place(bodies: list[tuple[str, str, tuple[str, ...], str]], homes: dict[str, str]
          ) -> list[tuple[str, tuple[tuple[str, str | None], ...], tuple[str, ...],
                          tuple[tuple[str, ...], ...]]]:
    """Each point once: ``bodies`` are (clause id, section id, the clause's own points, its
    rendered body with markers) in document order. An item is left out when each of its
    points is made by another clause itself, or by an item of another clause that states
    it better: in the point's home section rather than outside it, else in more words,
    else first. Returns each (body, points made, items left out, the points of each item
    left out)."""
    own = {cid: set(points) for cid, _, points, _ in bodies}
    makers: dict[str, list[tuple[bool, int, int, str]]] = {}
    for order, (cid, section, _, body) in enumerate(bodies):
        for line in body.split("\n") if "\ue000" in body else ():
            m = _SENTINEL.search(line)
            clean = _SENTINEL.sub("", line).rstrip()
            if m and _ITEM.match(clean):
                words = len(_ITEM.sub("", clean).split())
                for p in _ids(m.group("ids")):
                    makers.setdefault(p, []).append((homes.get(p) != section, -words,
                                                     order, cid))
    best = {p: min(found)[3] for p, found in makers.items()}
    out = []
    everyone = [(k, p) for k, ps in own.items() for p in ps]
    for cid, section, points, body in bodies:
        if "\ue000" not in body:
            out.append((body, tuple((p, None) for p in points), (), ()))
            continue
        elsewhere = {p for k, p in everyone if k != cid}
        elsewhere |= {p for p, k in best.items() if k != cid}
        text, kept, dropped = place_items(body, elsewhere)
        out.append((text, tuple((p, None) for p in points) + tuple(kept),
                    tuple(t for t, _ in dropped), tuple(ids for _, ids in dropped)))
    return out


def place_items(body: str, made_elsewhere: set[str]
                ) -> tuple[str, list[tuple[str, str]], list[tuple[str, tuple[str, ...]]]]:
    """Leave out of a rendered body each list item whose points are all in
    ``made_elsewhere``; renumber ordered lists and end the last item with a full stop.

    Returns the body, the (point, item text) pairs of the items kept, and the (text,
    points) of the items left out."""
    if "\ue000" not in body:
        return body, [], []
    lines, kept, dropped = [], [], []
    for line in body.split("\n"):
        m = _SENTINEL.search(line)
        if not m:
            lines.append(line)
            continue
        clean = _SENTINEL.sub("", line).rstrip()
        ids = _ids(m.group("ids"))
        text = _ITEM.sub("", clean).strip()
        if ids and set(ids) <= made_elsewhere and _ITEM.match(clean):
            dropped.append((text, ids))
            continue
        lines.append(clean)
        kept += [(p, text) for p in ids]
    if dropped and not any(_ITEM.match(line) for line in lines):
        return place_items(body, set())      # a list is never emptied: the check says why
    if dropped:
        lines = _tidy_lists(lines)
    return "\n".join(lines), kept, dropped


def _tidy_lists(lines: list[str]) -> list[str]:
    """Renumber each ordered list from 1 and make its last item end as the last item of a
    list does ('.' in place of ';' or '; and')."""
    out = list(lines)
    run: list[int] = []
    for i in range(len(out) + 1):
        m = _ITEM.match(out[i]) if i < len(out) else None
        if m and not m.group("indent"):
            run.append(i)
            continue
        if run:
            first = _ITEM.match(out[run[0]]).group("bullet")
            if first[0].isdigit():
                for n, k in enumerate(run, start=1):
                    out[k] = _ITEM.sub(f"{n}{first[-1]} ", out[k], count=1)
            last = run[-1]
            out[last] = re.sub(r"(?:;|,)(?:\s+(?:and|or))?\s*$", ".", out[last])
            run = []
    return out
