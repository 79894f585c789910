"""The words that make a point, in the ways councils put it: each point's ``cues`` in
``clause_library/points.yaml``, so that an imported protocol's own paragraph is known to
make a point whatever its wording.

A cue is a phrase of lower-case words matched within one sentence, punctuation and
apostrophes ignored ("officer's" reads "officers"): ``a|b`` is either word, ``word*`` any
word starting so, and ``...`` up to :data:`GAP` words between. ``officer*|staff|clerk ...
concern* about ... member*|councillor*`` matches "An officer with a concern about a
Member" and "a member of staff who has a concern about the behaviour of a councillor".
"""
from __future__ import annotations

from functools import lru_cache
import re
from typing import Iterable

from .sentences import normalise

GAP = 8                       # words a '...' may stand for
_WORD = re.compile(r"^[a-z0-9]+\*?$")
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n+")


def compile_cue(cue: str) -> re.Pattern:
    """The regular expression of one cue. Raises ValueError saying what is wrong."""
    parts = []
    tokens = cue.split()
    if not tokens or all(t == "..." for t in tokens):
        raise ValueError("a cue needs at least one word")
    if tokens[0] == "..." or tokens[-1] == "...":
        raise ValueError("a cue cannot start or end with '...'")
    for token in tokens:
        if token == "...":
            parts.append(rf"(?:\S+ ){{0,{GAP}}}")
            continue
        words = token.split("|")
        for w in words:
            if not _WORD.match(w):
                raise ValueError(f"'{w}' is not a lower-case word (letters and digits, "
                                 "optionally ending in '*')")
        alts = "|".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                        for w in words)
        parts.append(rf"(?:{alts}) ")
    return re.compile(r"(?:^| )" + "".join(parts))


@lru_cache(maxsize=8)
def _compiled(cues: tuple[tuple[str, tuple[str, ...]], ...]):
    return tuple((point, tuple(compile_cue(c) for c in cs)) for point, cs in cues)


def _table(points) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((p.id, p.cues) for p in points.values() if p.cues)


def sentence_texts(text: str) -> list[str]:
    """The text's sentences, normalised as cues read them (with a space at each end)."""
    return [" " + " ".join(normalise(s)) + " " for s in _SENTENCE.split(text) if s.strip()]


def cue_points(text: str, points) -> tuple[str, ...]:
    """The points (``points.load_points()``) whose cues some sentence of ``text``
    matches, in the list's order."""
    found = []
    sents = sentence_texts(text)
    for point, patterns in _compiled(_table(points)):
        if any(p.search(s) for s in sents for p in patterns):
            found.append(point)
    return tuple(found)


def cue_problems(cues: Iterable[str]) -> list[str]:
    """What is wrong with each cue, as text (none when all compile)."""
    out = []
    for cue in cues:
        if not isinstance(cue, str):
            out.append(f"{cue!r} is not text")
            continue
        try:
            compile_cue(cue)
        except ValueError as e:
            out.append(f"'{cue}': {e}")
    return out
