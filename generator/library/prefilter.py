"""The cheap filters before difflib in sentence matching: the entries of an index that
share enough of a sentence's distinct words (counted on bit sets), and
sentences as strings of one character a word, whose longest common subsequence
(rapidfuzz) bounds the words difflib's SequenceMatcher can find in common."""
from __future__ import annotations

import math
from typing import Iterable, Mapping

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


def bitset(entries: Iterable[int]) -> int:
    """A set of entry numbers as the bits of one integer."""
    entries = list(entries)
    buf = bytearray((max(entries) >> 3) + 1 if entries else 0)
    for k in entries:
        buf[k >> 3] |= 1 << (k & 7)
    return int.from_bytes(buf, "little")


def candidates(postings: Mapping[str, set[int]], bits: dict[str, int],
               words: tuple[str, ...], share: float) -> list[int]:
    """The entries (in order) in the postings of at least ``share`` of the distinct
    ``words``. The postings are taken as bit sets (kept in ``bits``) and each entry's
    count is kept in binary, one integer a binary digit (bit-sliced counting)."""
    distinct = set(words)
    need = max(1, math.ceil(len(distinct) * share))
    digits: list[int] = []
    anywhere = 0
    for w in distinct:
        found = bits.get(w)
        if found is None:
            found = bits[w] = bitset(postings.get(w, ()))
        anywhere |= found
        anywhere |= found
        for i, digit in enumerate(digits):
            digits[i], found = digit ^ found, digit & found
            if not found:
                break
        if found:
            digits.append(found)
    above, equal = 0, anywhere       # count > need, count == need so far (top digit down)
    for i in reversed(range(max(len(digits), need.bit_length()))):
        digit = digits[i] if i < len(digits) else 0
        if need >> i & 1:
            equal &= digit
        else:
            above |= equal & digit
            equal &= ~digit
    chosen, out = above | equal, []
    while chosen:
        low = chosen & -chosen
        out.append(low.bit_length() - 1)
        chosen ^= low
    return out
