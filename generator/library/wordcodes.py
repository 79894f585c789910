"""Sentences as strings of one character a word, and the longest common subsequence of
two (rapidfuzz): a cheap upper bound on the words difflib's SequenceMatcher finds in
common, so that sentence matching compares with difflib only the pairs that can match."""
from __future__ import annotations

from typing import Iterable

from rapidfuzz.distance import LCSseq

TITLE = "\x01"     # every word of a title, in the titled coding


class WordCodes:
    """One character for each word met; in the *titled* coding every word of a title is
    the same character, so that a title replaced by another counts as no mismatch."""

    def __init__(self, title_phrases: Iterable[tuple[str, ...]]) -> None:
        self.title_words = frozenset(w for phrase in title_phrases for w in phrase)
        self.codes: dict[str, str] = {}
        self.merged: dict[int, str] = {}      # a title word's character -> TITLE
        self.entries: dict[int, tuple[str, str]] = {}   # an index's entries, coded once

    def code(self, words: tuple[str, ...]) -> tuple[str, str]:
        """``words`` coded plainly, and titled."""
        codes = self.codes
        for w in words:
            if w not in codes:
                n = len(codes) + 2
                codes[w] = chr(n if n < 0xD800 else n + 0x800)     # no surrogates
                if w in self.title_words:
                    self.merged[ord(codes[w])] = TITLE
        plain = "".join([codes[w] for w in words])
        return plain, plain.translate(self.merged)

    def entry(self, k: int, words: tuple[str, ...]) -> tuple[str, str]:
        """Entry ``k`` of an index (``words``) coded, once."""
        found = self.entries.get(k)
        if found is None:
            found = self.entries[k] = self.code(words)
        return found


def common(a: str, b: str) -> int:
    """Characters (words) in the longest common subsequence of two coded sentences."""
    return LCSseq.similarity(a, b)
