"""Each paragraph of an existing protocol -> the library clause it matches.

The paragraph is split into sentences and list items (:mod:`generator.library.sentences`)
and each is matched against every variant of every library clause, rendered as for
``protocol-gen library coverage`` (:func:`generator.library.coverage.library_index`), with
the council's own titles counted as equal to the library's. The clause carrying most of
the paragraph's words is its match, and the share of its words carried is its score
(a *match* from :data:`MATCHED` up). A paragraph matched by nothing is placed by its
closest clause when one is close enough (:data:`RELATED`: it covers that clause's topic
in other words), else in the section of its heading or of its neighbours: it is the
council's own provision, and is never dropped.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ..library.clauses import ClauseLibrary
from ..library.coverage import library_index, neutral_context, source_contexts, PROFILES_DIR
from ..library.sentences import Unit, _Index, normalise, sentences, title_classes
from .structure import Paragraph

MATCHED = 0.5      # share of a paragraph's words carried by one clause to call it a match
RELATED = 0.45     # word-sequence likeness of a sentence to a clause's to call it related


@dataclass(frozen=True)
class Match:
    """Where one paragraph belongs in the library."""

    paragraph: Paragraph
    clause: str | None      # the clause it matches (None: nothing matches closely)
    score: float            # share of its words carried by that clause (0 to 1)
    section: str | None     # the library section it belongs in
    related: str | None = None   # the closest clause when none matches
    also: tuple[str, ...] = ()   # other clauses carrying some of its sentences

    @property
    def status(self) -> str:
        """matched, related (covers a clause's topic in other words) or own."""
        return "matched" if self.clause else "related" if self.related else "own"


_INDEXES: dict[Any, tuple[_Index, dict[str, str]]] = {}


def build_index(library: ClauseLibrary, council_ctx: dict[str, Any]) -> tuple[_Index, dict]:
    """The library's sentences indexed by their words, with the council's titles."""
    key = id(library)
    if key not in _INDEXES:
        contexts, _ = source_contexts(PROFILES_DIR)
        index, _, _ = library_index(library, contexts)
        _INDEXES.clear()
        _INDEXES[key] = (index, contexts)
    index, contexts = _INDEXES[key]
    titled = _Index(title_classes([neutral_context(), *contexts.values(), council_ctx]),
                    index.entries, index.postings)
    return titled, {c.id: c.section for c in library.clauses.values()}


def _paragraph_sentences(p: Paragraph):
    units = [Unit(p.text, 0)] + [Unit(t, k + 1, True) for k, (_, t) in enumerate(p.items)]
    return sentences(units)


def _closest(index: _Index, words: tuple[str, ...]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for k in index._candidates(words, 0.4):
        target, clause, _ = index.entries[k]
        ratio = SequenceMatcher(None, words, target, autojunk=False).ratio()
        if ratio > score:
            best, score = clause, ratio
    return best, score


def match_paragraphs(paras: list[Paragraph], library: ClauseLibrary,
                     council_ctx: dict[str, Any]) -> list[Match]:
    """The match of every paragraph, in document order."""
    index, section_of = build_index(library, council_ctx)
    raw: list[tuple[Paragraph, str | None, float, str | None, tuple[str, ...]]] = []
    for p in paras:
        sents = _paragraph_sentences(p)
        total = sum(len(s.words) for s in sents) or 1
        carried: dict[str, float] = defaultdict(float)
        related: dict[str, float] = defaultdict(float)
        for s in sents:
            carriers = index.carriers(s.words)
            for clause in {c.clause for c in carriers}:
                carried[clause] += len(s.words)
            if not carriers and len(s.words) >= 4:
                near, ratio = _closest(index, s.words)
                if near and ratio >= RELATED:
                    related[near] += len(s.words) * ratio
        clause, score, near = None, 0.0, None
        if carried:
            best = max(carried, key=lambda c: (carried[c], c))
            share = carried[best] / total
            if share >= MATCHED:
                clause, score = best, round(min(share, 1.0), 3)
            else:
                related[best] += carried[best]
        if clause is None and related:
            near = max(related, key=lambda c: (related[c], c))
            score = round(min(related[near] / total, 1.0), 3)
        also = tuple(sorted(c for c in carried if c != clause))
        raw.append((p, clause, score, near, also))
    out: list[Match] = []
    for i, (p, clause, score, near, also) in enumerate(raw):
        section = section_of.get(clause or near or "")
        out.append(Match(p, clause, score, section, near, also))
    return _place_own(out, library)


def _place_own(matches: list[Match], library: ClauseLibrary) -> list[Match]:
    """A paragraph matching nothing goes in the section its heading names, else in the
    section of the paragraph before it under the same heading, else after it."""
    titles = {s.id: set(normalise(s.title)) for s in library.sections}
    out = list(matches)
    for i, m in enumerate(out):
        if m.section:
            continue
        section = _by_heading(m.paragraph.heading, titles)
        if section is None:
            near = [n for n in out[:i][::-1] + out[i + 1:] if n.section and
                    n.paragraph.heading == m.paragraph.heading]
            before = [n for n in out[:i][::-1] if n.section]
            pick = near[0] if near else before[0] if before else None
            section = pick.section if pick else library.sections[0].id
        out[i] = Match(m.paragraph, m.clause, m.score, section, m.related, m.also)
    return out


_STOP = frozenset("and of the to a an on in for with by or what can from".split())


def _by_heading(heading: str, titles: dict[str, set[str]]) -> str | None:
    words = set(normalise(heading)) - _STOP
    if not words:
        return None
    best, share = None, 0.0
    for sid, t in titles.items():
        t = t - _STOP
        if t:
            s = len(words & t) / len(t)
            if s > share:
                best, share = sid, s
    return best if share >= 0.5 else None
