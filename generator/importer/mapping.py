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
from typing import Any

from ..library.clauses import SHIPPED, ClauseLibrary
from ..library.cues import cue_points
from ..library.points import load_points
from ..library.sentences import Unit, _Index, normalise, sentences, title_classes
from .structure import Paragraph

QUOTED_WORDS = 6      # shorter quotes in notes are fragments, not sentences
PROFILES_DIR = SHIPPED.parent / "council_profiles"   # the source councils' (as coverage)

MATCHED = 0.5      # share of a paragraph's words carried by one clause to call it a match
RELATED = 0.45     # word-sequence likeness of a sentence to a clause's to call it related
LONGEST = 250     # words in the longest sentence worth matching
TOPIC = 0.18       # likeness of vocabulary (tf-idf cosine) to a clause's to call it related
_STOPWORDS = frozenset("""a an the and or of to in on for with by as at from that this these
those it its is are be been being was were will would shall should may might must can could
not no any all each every other such their they them there which who whom whose what when
where how if than then so also only into onto about under over more most some same own his
her he she him has have had do does did our we us you your one""".split())


@dataclass(frozen=True)
class Match:
    """Where one paragraph belongs in the library."""

    paragraph: Paragraph
    clause: str | None      # the clause it matches (None: nothing matches closely)
    score: float            # share of its words carried by that clause (0 to 1)
    section: str | None     # the library section it belongs in
    related: str | None = None   # the closest clause when none matches
    also: tuple[str, ...] = ()   # other clauses carrying some of its sentences
    in_words: bool = False       # related by its sentences (it makes that clause's point in
    #                              other words), not only by its vocabulary or heading
    points: tuple[str, ...] = ()  # the points its own words make (the points' cues)

    @property
    def on_point(self) -> str | None:
        """The clause whose point it makes: the one it matches, or restates in other
        words."""
        return self.clause or (self.related if self.in_words else None)

    def made(self, clause_points: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """Every point it makes: its clause's (``clause_points``) and its own words'."""
        return tuple(dict.fromkeys([*clause_points.get(self.on_point or "", ()),
                                    *self.points]))

    @property
    def status(self) -> str:
        """matched, related (covers a clause's topic in other words) or own."""
        return "matched" if self.clause else "related" if self.related else "own"


_INDEXES: dict[Any, tuple[_Index, dict[str, str]]] = {}
_VECTORS: dict[Any, "_Vectors"] = {}


def _content(words) -> list[str]:
    return [w for w in words if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()]


class _Vectors:
    """Each clause's vocabulary (all its variants) weighted by tf-idf, to tell what a
    paragraph in other words is about."""

    def __init__(self, index: _Index) -> None:
        import math
        from collections import Counter
        counts: dict[str, Counter] = defaultdict(Counter)
        for words, clause, _ in index.entries:
            counts[clause].update(_content(words))
        n = len(counts) or 1
        df: Counter = Counter(w for c in counts.values() for w in c)
        self.idf = {w: math.log(n / k) + 1.0 for w, k in df.items()}
        self.vectors = {c: self._norm({w: (1 + math.log(k)) * self.idf[w]
                                       for w, k in ws.items()}) for c, ws in counts.items()}

    @staticmethod
    def _norm(v: dict[str, float]) -> dict[str, float]:
        size = sum(x * x for x in v.values()) ** 0.5 or 1.0
        return {w: x / size for w, x in v.items()}

    def closest(self, words: list[str], only=None) -> tuple[str | None, float]:
        import math
        from collections import Counter
        tf = Counter(w for w in words if w in self.idf)
        if not tf:
            return None, 0.0
        v = self._norm({w: (1 + math.log(k)) * self.idf[w] for w, k in tf.items()})
        best, score = None, 0.0
        for clause, cv in self.vectors.items():
            if only is not None and clause not in only:
                continue
            s = sum(x * cv.get(w, 0.0) for w, x in v.items())
            if s > score:
                best, score = clause, s
        return best, score


def build_index(library: ClauseLibrary, council_ctx: dict[str, Any]) -> tuple[_Index, dict]:
    """The library's sentences indexed by their words, with the council's titles."""
    key = id(library)
    if key not in _INDEXES:
        index, contexts, vectors = _cached(library)
        _INDEXES.clear()
        _VECTORS.clear()
        _INDEXES[key] = (index, contexts)
        _VECTORS[key] = vectors
    index, contexts = _INDEXES[key]
    titled = _Index(title_classes([*contexts, council_ctx]), index.entries, index.postings)
    return titled, {c.id: c.section for c in library.clauses.values()}


def _made(library: ClauseLibrary):
    from ..library.coverage import library_index, neutral_context, source_contexts
    contexts, _ = source_contexts(PROFILES_DIR)
    index, quoted, _ = library_index(library, contexts)
    for words, clause, source in quoted.entries:   # a sentence as it read before the
        if len(words) >= QUOTED_WORDS:              # library corrected it (a note quotes it)
            index.add(words, clause, source)
    _add_kinds(index, library)
    return index, [neutral_context(), *contexts.values()], _Vectors(index)


def _add_kinds(index, library: ClauseLibrary) -> None:
    """Every wording also as it reads for each example council whose conditions it meets,
    so that the branches a text takes for a Welsh or a local council are indexed too (the
    coverage index renders each wording once, for its source council)."""
    from ..profile.matrix import example_contexts
    from ..library.sentences import markdown_sentences
    from ..library.templating import Markup, compile_condition, compile_text, render_text

    def ref(target: str, bare: bool = False) -> Markup:
        return Markup("X.Y" if bare else "paragraph X.Y")

    seen: set[tuple[str, tuple[str, ...]]] = set()
    for ctx in example_contexts(PROFILES_DIR):
        for clause in library.clauses.values():
            for v in clause.variants:
                try:
                    if v.when and not compile_condition(v.when)(ctx):
                        continue
                    text = render_text(compile_text(v.text), {**ctx, "ref": ref})
                except Exception:  # noqa: BLE001 - a text that cannot render is not indexed
                    continue
                for s in markdown_sentences(text):
                    if (clause.id, s.words) not in seen:
                        seen.add((clause.id, s.words))
                        index.add(s.words, clause.id, v.source)


def _cached(library: ClauseLibrary):
    """The library's sentences indexed, kept in the cache between runs (keyed by every
    library file, the source councils' profiles and the code that makes it)."""
    from pathlib import Path

    from .. import cache
    from ..library import clauses, sentences, templating
    key = clauses._cache_key([Path(f) for f in library.folders])
    if key is None:
        return _made(library)
    try:
        profiles = [p.read_bytes() for p in sorted(PROFILES_DIR.glob("*.yaml"))]
    except OSError:
        return _made(library)
    return cache.remember("importer-index", cache.digest(
        key, cache.source_of(__file__, str(Path(clauses.__file__).with_name("coverage.py")),
                             sentences.__file__,
                             templating.__file__), *profiles), lambda: _made(library))


def _paragraph_sentences(p: Paragraph):
    units = [Unit(p.text, 0)] + [Unit(t, k + 1, True) for k, (_, t) in enumerate(p.items)]
    return sentences(units)


def _closest(index: _Index, words: tuple[str, ...]) -> tuple[str | None, float]:
    """The clause with the sentence most like ``words`` (difflib's ratio), when at least
    :data:`RELATED`; pairs whose common subsequence cannot reach that, or the best so far,
    are not compared."""
    best, score = None, 0.0
    coded = index._code(words)
    for k in index._candidates(words, 0.4):
        target, clause, _ = index.entries[k]
        bound = 2.0 * index._common(coded, k, False) / (len(words) + len(target))
        if bound < RELATED or bound <= score:
            continue
        matcher = index._matcher(k)     # difflib's, with the entry already indexed
        matcher.set_seq1(words)
        ratio = matcher.ratio()
        if ratio > score:
            best, score = clause, ratio
    return best, score


def match_paragraphs(paras: list[Paragraph], library: ClauseLibrary,
                     council_ctx: dict[str, Any]) -> list[Match]:
    """The match of every paragraph, in document order."""
    index, section_of = build_index(library, council_ctx)
    titles = _titles(library)
    raw: list[tuple[Paragraph, str | None, float, str | None, tuple[str, ...]]] = []
    for p in paras:
        sents = _paragraph_sentences(p)
        total = sum(len(s.words) for s in sents) or 1
        carried: dict[str, float] = defaultdict(float)
        related: dict[str, float] = defaultdict(float)
        for s in sents:
            if len(s.words) > LONGEST:
                continue     # no clause has a sentence this long: it matches none
            carriers = index.carriers(s.words)
            for clause in {c.clause for c in carriers}:
                carried[clause] += len(s.words)
            if not carriers and len(s.words) >= 4:
                near, ratio = _closest(index, s.words)
                if near and ratio >= RELATED:
                    related[near] += len(s.words) * ratio
        clause, score, near, in_words = None, 0.0, None, False
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
            in_words = score >= RELATED
        if clause is None and near is None:
            words = [w for s in sents for w in _content(s.words)]
            words += _content(normalise(p.heading)) * 2
            by_heading = _by_heading(p.heading, titles)
            only = {c.id for c in library.section(by_heading).clauses} if by_heading else None
            near, likeness = _VECTORS[id(library)].closest(words, only)
            if likeness < TOPIC and by_heading is None:
                near = None
            elif near is not None:
                score = round(likeness, 3)
        also = tuple(sorted(c for c in carried if c != clause))
        raw.append((p, clause, score, near, also, in_words))
    out: list[Match] = []
    points = load_points()
    for i, (p, clause, score, near, also, in_words) in enumerate(raw):
        section = section_of.get(clause or near or "")
        cued = cue_points(p.full_text, points)
        if clause:      # it makes its clause's points; its words add only those at home
            cued = tuple(c for c in cued if points[c].home == section)   # in its section
        elif cued:      # placed by what it says: the home of the points its words make
            homes = [points[c].home for c in cued]
            named = _by_heading(p.heading, titles)     # a tie goes to its heading's
            home = max(homes, key=lambda h: (homes.count(h), h == named, -homes.index(h)))
            if section != home:
                section, in_words = home, False     # not a restatement of that clause
            if not in_words:     # the council's words for a library clause's point(s)
                near, in_words = _replaces(library, section, cued) or (near, False)
        out.append(Match(p, clause, score, section, near, also, in_words, cued))
    return _place_own(out, library)


def _replaces(library: ClauseLibrary, section: str, made: tuple[str, ...]
              ) -> tuple[str, bool] | None:
    """The library clause of ``section`` whose every point the paragraph's words make (the
    one making most), so that the council's paragraph takes its place."""
    fits = [c for c in library.section(section).clauses
            if c.points and set(c.points) <= set(made)] if library.section(section) else []
    best = max(fits, key=lambda c: len(c.points), default=None)
    return (best.id, True) if best else None


def _place_own(matches: list[Match], library: ClauseLibrary) -> list[Match]:
    """A paragraph matching nothing goes in the section its heading names, else in the
    section of the paragraph before it under the same heading, else after it."""
    titles = _titles(library)
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
        out[i] = Match(m.paragraph, m.clause, m.score, section, m.related, m.also,
                       m.in_words, m.points)
    return out


_STOP = frozenset("and of the to a an on in for with by or what can from".split())
# words a council's own heading may use for a canonical section
_HEADING_WORDS = {
    "purpose": "introduction purpose scope background aims",
    "principles": "principles values respect",
    "roles": "roles role responsibilities",
    "expectations": "expect expectations",
    "relationships": "relationships relations behaviour working",
    "decisions": "decisions decision reports advice agenda",
    "groups": "political groups group party",
    "support": "executive cabinet portfolio support briefings",
    "local-members": "ward wards division local",
    "information": "information confidential confidentiality documents data",
    "correspondence": "correspondence letters emails",
    "publicity": "publicity press media elections election pre-election purdah",
    "resources": "resources equipment premises facilities",
    "appointments": "appointments appointment recruitment staffing",
    "wrong": "complaints complaint grievance grievances disputes wrong breaches concerns",
    "review": "review adoption",
}


def _titles(library: ClauseLibrary) -> dict[str, set[str]]:
    return {s.id: set(normalise(s.title)) | set(_HEADING_WORDS.get(s.id, "").split())
            for s in library.sections}


def _by_heading(heading: str, titles: dict[str, set[str]]) -> str | None:
    words = set(normalise(heading)) - _STOP
    if not words:
        return None
    best, share = None, 0.0
    for sid, t in titles.items():
        t = t - _STOP
        if t:
            s = len(words & t) / len(words)
            if s > share:
                best, share = sid, s
    return best if share >= 0.5 else None
