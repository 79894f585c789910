"""The points a council's own paragraph makes, read from what it matched in the library.

A paragraph placed on a library clause makes only the points of the clause's sentences
it carries: a sentence of a wording makes that wording's points (or its clause's), and a
list item marked ``{# points: ... #}`` makes the item's. So "The aim is working
relationships of mutual trust, respect and courtesy" makes *respect*, not every point any
wording of its clause makes in a list; and each of the council's list items makes the
points of the library item it matches, as the library's own items do. A paragraph that
carries none of the clause's sentences (it says the point in other words) makes the
points of the clause's sentences nearest its own, else the clause's own points.
:func:`repeats` says which of the council's items the build will leave out because
another of its paragraphs makes their point.
"""
from __future__ import annotations

from dataclasses import dataclass
import re
from difflib import SequenceMatcher
from typing import Any

from ..library.clauses import ClauseLibrary, LibClause
from ..library.points import _SENTINEL, _ids, mark
from ..library.sentences import Unit, _Index, match_score, normalise, sentences
from ..library.templating import Markup, compile_text, render_text
from .structure import Paragraph

CLOSE = 0.6        # likeness of a sentence to a wording's sentence to take its points

_Entry = tuple[tuple[str, ...], tuple[str, ...]]     # (words, points)


_REFERS = re.compile("\ue002([^\ue003]*)\ue003")


def _ref(target: str, bare: bool = False) -> Markup:
    return Markup(("X.Y" if bare else "paragraph X.Y") + f"\ue002{target}\ue003")


def _entries(clause: LibClause, variant, ctx: dict[str, Any]
             ) -> tuple[list[_Entry], dict[tuple[str, ...], str]]:
    """Every sentence and list item of a wording as the council's protocol would read
    it, with the points it makes (a marked item its own, the rest the wording's), and
    the sentences that send the reader to another clause ("A complaint ... is made as
    paragraph 15.6 sets out"), with that clause."""
    out: list[_Entry] = []
    refers: dict[tuple[str, ...], str] = {}
    own = tuple(variant.points or clause.points)
    for text in filter(None, (variant.text, variant.as_written)):
        try:
            rendered = render_text(compile_text(mark(text)), {**ctx, "ref": _ref})
        except Exception:  # noqa: BLE001 - a wording that cannot render here is skipped
            continue
        for line in rendered.splitlines():
            found = _SENTINEL.search(line)
            said = _ids(found.group("ids")) if found else own
            for s in sentences([Unit(_SENTINEL.sub("", line).strip(), 0)]):
                words = normalise(_REFERS.sub("", s.text))
                out.append((words, said))
                targets = set(_REFERS.findall(s.text))
                if len(targets) == 1 and not found:
                    refers[words] = targets.pop()
    return out, refers


class _Reader:
    """The points of the council's sentences placed on one clause."""

    def __init__(self, clause: LibClause, library: ClauseLibrary, index: _Index,
                 ctx: dict[str, Any]) -> None:
        self.clause, self.library, self.index, self.ctx = clause, library, index, ctx
        self.wordings: dict[tuple[str, str], list[_Entry]] = {}
        self.refers: dict[tuple[str, str], dict[tuple[str, ...], str]] = {}

    def said(self, text: str) -> tuple[str, ...] | None:
        """The points ``text`` makes (None when no wording carries any of it): for each
        of its sentences, those of the sentence or item closest to it in the wording of
        the clause that carries it (as the import matched it); failing that, in another
        clause's wording that carries it (the library moved that point there)."""
        found: list[str] = []
        carried = False
        for s in sentences([Unit(text, 0)]):
            carriers = sorted(self.index.carriers(s.words), key=lambda c: (
                c.clause != self.clause.id, -c.score, c.clause, c.source))
            for c in carriers:
                said = self._closest(s.words, c.clause, c.source)
                if said is not None:
                    carried = True
                    found += said
                    break
        return tuple(dict.fromkeys(found)) if carried else None

    def nearest(self, texts: list[str]) -> tuple[str, ...]:
        """The points of the clause's sentences nearest those of ``texts``, said in other
        words (as the import placed the paragraph: :data:`~.mapping.RELATED`)."""
        from .mapping import RELATED
        entries = [e for v in self.clause.variants
                   for e in self._wording(self.clause.id, v.source, v)]
        found: list[str] = []
        for s in sentences([Unit(t, 0) for t in texts]):
            score, said = max(((SequenceMatcher(None, s.words, target, autojunk=False)
                                .ratio(), said) for target, said in entries),
                              default=(0.0, ()))
            if score >= RELATED:
                found += said
        return tuple(dict.fromkeys(found))

    def _wording(self, clause_id: str, source: str, variant) -> list[_Entry]:
        if (clause_id, source) not in self.wordings:
            self.wordings[(clause_id, source)], self.refers[(clause_id, source)] = \
                _entries(self.library.clauses[clause_id], variant, self.ctx)
        return self.wordings[(clause_id, source)]

    def refers_to(self, texts: list[str]) -> str | None:
        """The clause every sentence of ``texts`` that the clause carries sends the
        reader to, when they all do ("A complaint ... is made as paragraph 15.6 sets
        out": that paragraph's clause), else None."""
        targets, other = set(), False
        for s in sentences([Unit(t, 0) for t in texts]):
            best = max((c for c in self.index.carriers(s.words) if c.clause ==
                        self.clause.id), key=lambda c: c.score, default=None)
            variant = best and next((v for v in self.clause.variants
                                     if v.source == best.source), None)
            if variant is None:
                continue
            score, words = max(((self._likeness(s.words, w), w) for w, _ in
                                self._wording(self.clause.id, best.source, variant)),
                               default=(0.0, ()))
            target = self.refers[(self.clause.id, best.source)].get(words)
            if score >= CLOSE and target in self.library.clauses:
                targets.add(target)
            else:
                other = True
        return targets.pop() if len(targets) == 1 and not other else None

    def _closest(self, words, clause_id: str, source: str) -> tuple[str, ...] | None:
        clause = self.library.clauses.get(clause_id)
        variant = next((v for v in clause.variants if v.source == source), None) \
            if clause else None
        if variant is None:
            return None
        mine = clause_id == self.clause.id
        score, said = max(((self._likeness(words, target, mine), said) for target, said in
                           self._wording(clause_id, source, variant)), default=(0.0, ()))
        if score < CLOSE:
            return None            # only the wording's note quotes it: it moved away
        if not mine and said == tuple(variant.points or clause.points):
            return None            # another clause's own point: not this paragraph's
        return said

    def _likeness(self, words: tuple[str, ...], target: tuple[str, ...],
                  near: bool = True) -> float:
        """How well ``target`` carries ``words``; in a wording of the clause the
        paragraph is placed on, the closest of its sentences will do (``near``); in
        another clause's, only one that carries it."""
        score = match_score(words, target, self.index.titles)
        return score if score or not near else SequenceMatcher(
            None, words, target, autojunk=False).ratio()


def points_made(paragraph: Paragraph, clause_id: str, library: ClauseLibrary,
                ctx: dict[str, Any], index: _Index
                ) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(the points of the paragraph's own text, the points of each of its items beyond
    those) when it stands as the wording of ``clause_id``: ``index`` is the import's
    (:func:`generator.importer.mapping.build_index`)."""
    clause = library.clauses[clause_id]
    reader = _Reader(clause, library, index, ctx)
    text = reader.said(paragraph.text)
    items = [reader.said(t) for _, t in paragraph.items]
    if text is None and not any(items):     # its point, in its own words
        near = reader.nearest([paragraph.text, *(t for _, t in paragraph.items)])
        return near or tuple(clause.points), [() for _ in items]
    # an item carrying an unmarked sentence makes the wording's own point, as the
    # paragraph does; only a marked item's points are its own
    own = set(variant_own(clause))
    said = list(text or ())
    marks = []
    for ids in items:
        mine = tuple(p for p in ids or () if p not in own)
        said += [p for p in ids or () if p in own]
        marks.append(mine)
    return tuple(dict.fromkeys(said)), marks


def home_of(paragraph: Paragraph, clause_id: str, library: ClauseLibrary,
            ctx: dict[str, Any], index: _Index) -> str:
    """The clause a paragraph placed on ``clause_id`` stands for: that clause, or the one
    its words only send the reader to (a complaint route matched to a sentence that
    points to the clause on complaints is that clause's wording)."""
    reader = _Reader(library.clauses[clause_id], library, index, ctx)
    return reader.refers_to([paragraph.text, *(t for _, t in paragraph.items)]) or clause_id


def variant_own(clause: LibClause) -> tuple[str, ...]:
    """The points a clause's wordings make themselves, not in a marked item."""
    return tuple(dict.fromkeys([*clause.points, *(p for v in clause.variants
                                                  for p in v.points)]))


@dataclass(frozen=True)
class Repeat:
    """A list item of the council's that the build leaves out: another of its
    paragraphs makes the item's point."""

    ref: str                   # the paragraph the item belongs to ("3.2")
    item: str                  # its text
    points: tuple[str, ...]    # the titles of its points
    said_in: tuple[str, ...]   # the paragraphs that make them ("1.2")
    section: str               # the section its clause is in


def repeats(sections: dict[str, list[dict[str, Any]]], library: ClauseLibrary
            ) -> list[Repeat]:
    """The items of the house clauses (``sections``, as the import writes them) that
    assembly will leave out because another house clause makes their points
    (:func:`generator.library.points.place`, as the build runs it)."""
    from ..library.points import load_points, place
    points = load_points()
    at = {c.id: k for k, c in enumerate(c for s in library.sections for c in s.clauses)}
    order = {s.id: s.order for s in library.sections}
    specs = sorted(((sid, k, spec) for sid, specs in sections.items()
                    for k, spec in enumerate(specs)),     # as the build orders them
                   key=lambda x: (order.get(x[0], 0), at.get(x[2]["id"], len(at)), x[1]))
    bodies, refs = [], []
    for sid, _, spec in specs:
        shipped = library.clauses.get(spec["id"])
        own = tuple(spec.get("points") or (shipped.points if shipped else ()))
        bodies.append((spec["id"], sid, own, mark(spec["variants"][0]["text"])))
        refs.append(spec["variants"][0]["source"].removeprefix("house "))
    placed = place(bodies, {p.id: p.home for p in points.values()})
    makers: dict[str, list[str]] = {}
    for ref, (_, made, _, _) in zip(refs, placed):
        for point, _ in made:
            makers.setdefault(point, []).append(ref)
    out = []
    for ref, (_, sid, _, _), (_, _, dropped, ids) in zip(refs, bodies, placed):
        for text, said in zip(dropped, ids):
            others = tuple(dict.fromkeys(r for p in said for r in makers.get(p, ())
                                         if r != ref))
            out.append(Repeat(ref, text.replace("\\", ""), tuple(
                points[p].title if p in points else p for p in said), others, sid))
    return out
