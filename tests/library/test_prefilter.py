"""The cheap filters before difflib (generator/library/prefilter.py) never change a match:
every pair they leave out scores nothing, every candidate they count is the one a plain
count finds, and a sentence's carriers are the same with and without them."""
from __future__ import annotations

from collections import Counter
import math
import random

import pytest

from conftest import ROOT
from generator.importer.mapping import build_index
from generator.library.prefilter import candidates
from generator.library.sentences import _Index, _may_carry, match_score, source_sentences


@pytest.fixture(scope="module")
def index(library) -> _Index:
    return build_index(library, {"head_officer": "Town Clerk", "chair": "Town Mayor"})[0]


@pytest.fixture(scope="module")
def sentences() -> list[tuple[str, ...]]:
    """Every sentence of the five source protocols, and every third again with a word
    dropped and two swapped (near misses)."""
    out = [s.words for p in sorted((ROOT / "clause_library" / "sources").glob("*.txt"))
           for s in source_sentences(p.read_text(encoding="utf-8"))]
    rnd = random.Random(20)
    for words in out[::3]:
        w = list(words)
        if len(w) > 4:
            w.pop(rnd.randrange(len(w)))
            j = rnd.randrange(len(w))
            w[j], w[-1] = w[-1], w[j]
            out.append(tuple(w))
    return out


def test_a_pair_left_out_scores_nothing(index, sentences):
    left_out = 0
    for words in sentences:
        coded = index._code(words)
        for k in index._candidates(words, 0.5):
            target = index.entries[k][0]
            if not _may_carry(len(words), len(target), index._common(coded, k)):
                left_out += 1
                assert match_score(words, target, index.titles) == 0.0, (words, target)
    assert left_out > len(sentences)           # the bound leaves most pairs out


def test_a_title_for_another_of_its_role_is_no_mismatch(index):
    words = ("the", "town", "clerk", "will", "give", "impartial", "advice", "to", "all",
             "councillors", "and", "committees")
    other = ("the", "chief", "executive", "will", "give", "impartial", "advice", "to",
             "all", "members", "and", "committees")
    mine = _Index(index.titles, [*index.entries, (other, "test.clause", "drafted")],
                  index.postings)
    k, coded = len(index.entries), mine._code(words)
    assert match_score(words, other, index.titles) > 0
    assert _may_carry(len(words), len(other), mine._common(coded, k))
    # word for word alone, 9 of 12 in common would have left the pair out
    assert not _may_carry(len(words), len(other), mine._common(coded, k, False))


def test_the_candidates_are_those_a_plain_count_finds(index, sentences):
    bits: dict[str, int] = {}
    for words in sentences[::2] + [("zzz",), ("the",), ()]:
        for share in (0.25, 0.4, 0.5):
            counts: Counter[int] = Counter()
            for w in set(words):
                counts.update(index.postings.get(w, ()))
            need = max(1, math.ceil(len(set(words)) * share))
            plain = sorted(k for k, n in counts.items() if n >= need)
            assert candidates(index.postings, bits, words, share) == plain


def test_the_carriers_are_the_same_without_the_bound(index, sentences, monkeypatch):
    sample = sentences[::4]
    fresh = lambda: _Index(index.titles, index.entries, index.postings)   # noqa: E731
    bounded = [sorted(fresh().carriers(w), key=repr) for w in sample]
    monkeypatch.setattr(_Index, "_common", lambda self, coded, k, titled=True: 10 ** 6)
    plain = [sorted(fresh().carriers(w), key=repr) for w in sample]
    assert bounded == plain
    assert sum(map(bool, plain)) > len(sample) / 2          # most are carried
