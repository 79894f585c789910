"""Points made twice in one assembled protocol.

Every sentence of every clause is compared with every sentence of the other clauses of the
same document. Two sentences make the same point when, after the words every protocol uses
(councillors, officers, the council, the clerk, and small words) are set aside, most of what
is left is shared: at least :data:`OVERLAP` of the smaller sentence's remaining words
appear in the other, and it has at least :data:`MIN_WORDS` of them; or the two read
almost the same word for word (the coverage measure's fuzzy match). A clause that states
one point is free to repeat its own words; two clauses are not.
"""
from __future__ import annotations

from dataclasses import dataclass
import itertools
import re

from ..document import Document
from .sentences import markdown_sentences, match_score

OVERLAP = 0.7
PREFILTER = 0.4    # below this share of content words, two sentences never read alike
MIN_WORDS = 5
COMMON = frozenset("""
a an the and or but if of to in on at by for with from as into than that this these those
it its they them their there is are be been being was were will would should shall must may
can could not no any all each every other such which who whom whose what when where how
also only so do does did has have had who within between about through under over
councillor councillors member members officer officers staff employee employees council
councils clerk parish town community mayor chair chairman chairs protocol paragraph section
""".split())


@dataclass(frozen=True)
class Repeat:
    """Two clauses of one document that make the same point."""

    first: str          # clause id
    second: str
    first_text: str     # the two sentences
    second_text: str
    score: float


def _content(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if w not in COMMON and not re.fullmatch(r"\d+", w))


def repeated_points(doc: Document) -> list[Repeat]:
    """Pairs of sentences in different clauses of ``doc`` that say the same thing."""
    sentences = []
    for clause in doc.clauses():
        for s in markdown_sentences(clause.body):
            content = _content(s.words)
            if len(content) >= MIN_WORDS:
                sentences.append((clause.id, s, content))
    out: list[Repeat] = []
    for (id_a, a, ca), (id_b, b, cb) in itertools.combinations(sentences, 2):
        if id_a == id_b:
            continue
        shared = len(ca & cb) / min(len(ca), len(cb))
        if shared < PREFILTER:     # too little in common to read alike: skip the slow match
            continue
        score = shared if shared >= OVERLAP else match_score(a.words, b.words)
        if score >= OVERLAP:
            out.append(Repeat(id_a, id_b, a.text, b.text, round(score, 2)))
    return out
