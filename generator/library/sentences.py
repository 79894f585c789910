"""Source and library text split into sentences, and fuzzy matching between them.

Splitting rules (the same for sources and library text):

- blank lines are dropped; a line that ends without closing punctuation and either ends
  with a small word ("the", "of", "can be") or is followed by a line starting in lower
  case is joined to the next line (a sentence broken by a page break);
- list markers ("- ", "a.", "a)", "(a)") and paragraph numbers ("2.2", "16.",
  "Footnote 1.") are not part of the sentence; emphasis markers (``**``) are dropped;
- a heading is a line that is not a list item, has at most 8 words, no digits, ends
  without closing punctuation (or is a short question), and is followed by a blank line
  or the end of the text; headings are not counted;
- inline lettered lists ("responsible for: (a) ...; (b) ...") and "lead-in: x; y; and z"
  lists are split into their lead-in and items; the rest is split into sentences at
  ".", "!" and "?" (not after "e.g." or "i.e.");
- a sentence or item is *substantive* when it has at least two words.

Matching (on words, after lower-casing and removing punctuation; a trailing or leading
"and"/"or" is ignored). Library text is rendered with the profile of the variant's source
council (``council_profiles/<council>.yaml``; a built-in neutral context when it is
missing or invalid) and a ``ref()`` giving "paragraph X.Y". A source sentence is carried
by a library sentence when

- difflib's word-level ``SequenceMatcher`` ratio is at least :data:`RATIO` (0.8), a title
  replaced by another title for the same role ("Town Clerk" by "Parish Clerk", "Members"
  by "Councillors", "authority" by "Council") counting as equal; or
- it is contained, word for word, in the longer library sentence (three words or more); or
- at least :data:`PARTIAL` (85%) of its words appear, in order, within a stretch of the
  library sentence barely longer than itself (six words or more: a source sentence merged
  into a longer library sentence, with a title substituted or a typo corrected);

but never when a title is replaced by a title for another role ("Councillors can expect
from officers" is not "Officers can expect from Councillors"); in a sentence of fewer than
:data:`SHORT` (12) words at most one other word may differ, and a two-word sentence must
be equal. A sentence that the library splits in two is carried when each part (four words
or more) is densely matched by a different library sentence.

"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
import re
from typing import Any, Iterable
import unicodedata

from ..profile.model import Policies, Roles
from .prefilter import WordCodes, candidates, common

RATIO = 0.8
PARTIAL = 0.85
SHORT = 12
SPLIT_WORDS = 4
MIN_WORDS = 2
HEADING_WORDS = 8
# a quotation in an editorial note (the original of a corrected sentence)
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')

# ---- splitting ---------------------------------------------------------------

_BULLET = re.compile(r"^[-*•–]\s+")
_LETTER = re.compile(r"^(?:\([a-z]\)|[a-z][.)])\s+")
_NUMBER = re.compile(r"^(?:footnote\s+)?\d+(?:\.\d+)*\.?(?:\s+|$)", re.IGNORECASE)
_CLOSING = (".", ":", ";", "!", "?")
_JOINERS = frozenset("the of a an and or to be can in on for with by that which as at "
                     "from their its this".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "eg.", "ie.", "cf.", "para.", "no.", "mr.", "mrs.", "dr.")
_INLINE_LETTER = re.compile(r"(?:(?<=\s)|^)\(?([a-z])\)\s+")


@dataclass(frozen=True)
class Unit:
    """A paragraph or list item of plain text, with the line it starts on."""

    text: str
    line: int
    item: bool = False


@dataclass(frozen=True)
class Sentence:
    """One substantive sentence or list item."""

    text: str
    line: int
    words: tuple[str, ...]


def normalise(text: str) -> tuple[str, ...]:
    """Lower-case words without punctuation; a leading or trailing 'and'/'or' dropped."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"['’‘`]", "", t)
    t = re.sub(r"[^\w\s]|_", " ", t)
    words = t.split()
    while words and words[-1] in ("and", "or"):
        words.pop()
    while words and words[0] in ("and", "or"):
        words.pop(0)
    return tuple(words)


def _strip_marks(text: str) -> tuple[str, bool]:
    """Remove list markers and paragraph numbers; say whether it was a list item."""
    item = False
    while True:
        before = text
        if _BULLET.match(text):
            text, item = _BULLET.sub("", text, count=1), True
        if _LETTER.match(text):
            text, item = _LETTER.sub("", text, count=1), True
        text = _NUMBER.sub("", text, count=1)
        if text == before:
            return text.strip(), item


def _ends_open(text: str) -> bool:
    return not text.rstrip().endswith(_CLOSING)


def _is_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > HEADING_WORDS or re.search(r"\d", text):
        return False
    return _ends_open(text) or text.rstrip().endswith("?")


def text_units(text: str) -> list[Unit]:
    """Split a plain-text source into paragraphs and list items (headings dropped)."""
    raw = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    units: list[Unit] = []
    i = 0
    while i < len(raw):
        lineno, line = raw[i]
        i += 1
        if not line:
            continue
        body, item = _strip_marks(line.replace("**", "").replace("__", ""))
        while not item and body and _ends_open(body):
            j = i
            while j < len(raw) and not raw[j][1]:
                j += 1
            if j >= len(raw):
                break
            nxt = raw[j][1].replace("**", "")
            if _BULLET.match(nxt) or _LETTER.match(nxt) or _NUMBER.match(nxt):
                break
            last = body.split()[-1].lower()
            if not (nxt[:1].islower() or last in _JOINERS):
                break
            body, i = f"{body} {nxt}", j + 1
        if not body:
            continue
        followed_by_blank = i >= len(raw) or not raw[i][1]
        if not item and followed_by_blank and _is_heading(body):
            continue
        units.append(Unit(body, lineno, item))
    return units


@lru_cache(maxsize=1)
def _markdown():
    """The CommonMark parser, made when first needed (an audit reads no Markdown)."""
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark")


def markdown_units(text: str) -> list[Unit]:
    """Split Markdown into paragraphs and list items of plain text (headings dropped)."""
    units: list[Unit] = []
    depth = 0
    heading = False
    for tok in _markdown().parse(text):
        if tok.type == "list_item_open":
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline" and not heading:
            parts = []
            for child in tok.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            plain = "".join(parts).strip()
            body, _ = _strip_marks(plain)
            if body:
                units.append(Unit(body, (tok.map[0] + 1) if tok.map else 0, depth > 0))
    return units


def _split_inline_letters(text: str) -> list[str]:
    """'lead: (a) x; (b) y' -> ['lead:', 'x;', 'y'] when the letters run a, b, c..."""
    marks = []
    want = "a"
    for m in _INLINE_LETTER.finditer(text):
        if m.group(1) == want:
            marks.append(m)
            want = chr(ord(want) + 1)
    if len(marks) < 2:
        return [text]
    pieces = [text[: marks[0].start()].strip()]
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        pieces.append(text[m.end(): end].strip())
    return [p for p in pieces if p]


def _split_sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start: m.start()].rstrip()
        if head.lower().endswith(_ABBREVIATIONS) or not head:
            continue
        out.append(text[start: m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _split_semicolon_list(sentence: str) -> list[str]:
    """'lead-in: x; y; and z.' -> ['lead-in:', 'x;', 'y;', 'and z.']"""
    lead, colon, rest = sentence.partition(": ")
    if not colon or ";" not in rest or len(lead.split()) < 2:
        return [sentence]
    return [lead + ":"] + [p.strip() + (";" if k < rest.count(";") else "")
                           for k, p in enumerate(rest.split(";")) if p.strip()]


def sentences(units: Iterable[Unit]) -> list[Sentence]:
    """The substantive sentences and list items of some units."""
    out: list[Sentence] = []
    for unit in units:
        for piece in _split_inline_letters(unit.text):
            for sent in _split_sentences(piece):
                for part in _split_semicolon_list(sent):
                    part = part.strip()
                    words = normalise(part)
                    if len(words) >= MIN_WORDS:
                        out.append(Sentence(part, unit.line, words))
    return out


def source_sentences(text: str) -> list[Sentence]:
    """The substantive sentences and list items of a plain-text source."""
    return sentences(text_units(text))


def markdown_sentences(text: str) -> list[Sentence]:
    """The substantive sentences and list items of Markdown text."""
    return sentences(markdown_units(text))


# ---- matching ----------------------------------------------------------------

Titles = dict[tuple[str, ...], frozenset[str]]

# Words that name the same role or thing in different councils' texts; the titles in the
# source councils' profiles are added to these classes when the index is built.
TITLE_CLASSES: dict[str, tuple[str, ...]] = {
    "members": ("members", "member", "councillors", "councillor", "elected members",
                "elected member", "elected councillors", "members of the council"),
    "officers": ("officers", "officer", "employees", "employee", "staff", "staff member",
                 "member of staff", "members of staff"),
    "head_officer": ("clerk", "town clerk", "parish clerk", "chief executive",
                     "head of paid service"),
    "chair": ("chair", "chairman", "chairs", "chairmen", "mayor", "town mayor"),
    "vice_chair": ("vice chair", "vice chairman", "vice chairs", "vice chairmen",
                   "deputy mayor"),
    "council": ("council", "authority", "town council", "parish council", "community council",
                "the council", "the authority", "organisation"),
}
_CLASS_OF_NAME = {"member": "members", "officer": "officers"}
TITLE_NAMES = ("members", "member", "officers", "officer", *Roles.model_fields,
               *Policies.model_fields)


def title_classes(contexts: Iterable[dict[str, Any]]) -> Titles:
    """Phrase (as words) -> the classes of names it can stand for."""
    phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)

    def add(cls: str, text: str) -> None:
        words = normalise(text)
        if words:
            phrases[words].add(cls)
            phrases[words[:-1] + (words[-1] + "s",)].add(cls)  # plural or possessive
    for cls, texts in TITLE_CLASSES.items():
        for text in texts:
            add(cls, text)
    for ctx in contexts:
        for name in TITLE_NAMES:
            if isinstance(ctx.get(name), str):
                add(_CLASS_OF_NAME.get(name, name), ctx[name])
    return {k: frozenset(v) for k, v in phrases.items()}


def _contained(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i: i + n] == small for i in range(len(big) - n + 1))


def _same_title(a: tuple[str, ...], b: tuple[str, ...], titles: Titles) -> bool:
    return bool(titles.get(a, frozenset()) & titles.get(b, frozenset()))


def _swapped_title(a: tuple[str, ...], b: tuple[str, ...], titles: Titles) -> bool:
    """A title replaced by a title of another class ("Councillors" by "officers"): the
    mirror sentence, not the same one."""
    pairs = [(a, b)] + ([((x,), (y,)) for x, y in zip(a, b)] if len(a) == len(b) else [])
    return any(titles.get(x) and titles.get(y) and not titles[x] & titles[y]
               for x, y in pairs)


def match_score(source: tuple[str, ...], target: tuple[str, ...],
                titles: Titles | None = None, matcher: SequenceMatcher | None = None
                ) -> float:
    """How well ``target`` (a library sentence) carries ``source`` (both as words):
    1.0 when equal or contained; otherwise the better of the ratio and the in-order
    partial cover, or 0.0 when neither reaches its threshold.

    A title replaced by another title of the same class ("Town Clerk" by "Chief
    Executive", "Members" by "Councillors") counts as matching; a title replaced by one
    of another class ("Councillors" by "officers") means a different sentence. In a
    sentence of fewer than :data:`SHORT` words at most one other word may differ; a
    sentence of two words must be equal. ``matcher``, a SequenceMatcher whose second
    sequence is already ``target``, saves indexing ``target`` again."""
    if source == target:
        return 1.0
    if len(source) < 3:
        return 0.0
    if len(target) > len(source) and _contained(source, target):
        return 1.0
    titles = titles or {}
    if matcher is None:
        sm = SequenceMatcher(None, source, target, autojunk=False)
    else:
        sm = matcher
        sm.set_seq1(source)
    matched = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            matched += i2 - i1
        elif op == "replace":
            if _same_title(source[i1:i2], target[j1:j2], titles):
                matched += min(i2 - i1, j2 - j1)
            elif _swapped_title(source[i1:i2], target[j1:j2], titles):
                return 0.0
    if len(source) < SHORT and len(source) - matched > 1:
        return 0.0
    best = 0.0
    ratio = 2.0 * matched / (len(source) + len(target))
    if ratio >= RATIO:
        best = ratio
    if len(source) >= 6 and len(target) > len(source):
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        if blocks:
            span = blocks[-1].b + blocks[-1].size - blocks[0].b
            cover = matched / len(source)
            if cover >= PARTIAL and span <= len(source) * 1.1 + 1:
                best = max(best, cover)
    return min(best, 1.0)


@dataclass(frozen=True)
class Carrier:
    """A clause variant (or a document) whose text carries a source sentence."""

    clause: str
    source: str
    score: float

    @property
    def council(self) -> str:
        """The source key of the carrying variant ('drafted', 'house', 'text'...)."""
        return self.source.split()[0] if self.source else ""


def _dense_region(blocks) -> tuple[int, int, int] | None:
    """The densest run of matching blocks (gaps of at most two words on either side):
    (first source word, end, words matched)."""
    best = None
    run: list = []
    for b in blocks:
        last = run[-1] if run else None
        if last and (b.a - (last.a + last.size) > 2 or b.b - (last.b + last.size) > 2):
            run = []
        run.append(b)
        size = sum(x.size for x in run)
        if best is None or size > best[2]:
            best = (run[0].a, run[-1].a + run[-1].size, size)
    return best


def _may_carry(source: int, target: int, shared: int) -> bool:
    """Whether :func:`match_score` can be above 0 for sentences of ``source`` and
    ``target`` words with ``shared`` words in common (titled): it never counts more."""
    if shared >= source:                   # equal, or contained
        return True
    if source < 3 or source < SHORT and source - shared > 1:
        return False
    return (2.0 * shared / (source + target) >= RATIO
            or source >= 6 and target > source and shared / source >= PARTIAL)


@dataclass
class _Index:
    """Candidate library sentences by shared words; difflib compares only those whose
    common subsequence with a sentence leaves a score possible."""

    titles: Titles = field(default_factory=dict)
    entries: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    matchers: dict[int, SequenceMatcher] = field(default_factory=dict)   # by entry
    coder: WordCodes | None = None          # made from the titles when first used
    bits: dict[str, int] = field(default_factory=dict)   # postings as bit sets

    def _code(self, words: tuple[str, ...]) -> tuple[str, str]:
        self.coder = self.coder or WordCodes(self.titles)
        return self.coder.code(words)

    def _common(self, coded: tuple[str, str], k: int, titled: bool = True) -> int:
        """Words in the longest common subsequence of a coded sentence and entry ``k``
        (``titled``: every word of a title counted as equal to every other)."""
        return common(coded[titled], self.coder.entry(k, self.entries[k][0])[titled])

    def add(self, words: tuple[str, ...], clause: str, source: str) -> None:
        k = len(self.entries)
        self.entries.append((words, clause, source))
        for w in set(words):
            self.postings[w].add(k)

    def _candidates(self, words: tuple[str, ...], share: float) -> list[int]:
        return candidates(self.postings, self.bits, words, share)

    def _matcher(self, k: int) -> SequenceMatcher:
        """A SequenceMatcher with entry ``k`` as its second sequence, made once however
        many sentences meet it."""
        matcher = self.matchers.get(k)
        if matcher is None:
            matcher = self.matchers[k] = SequenceMatcher(None, (), self.entries[k][0],
                                                         autojunk=False)
        return matcher

    def carriers(self, words: tuple[str, ...]) -> list[Carrier]:
        """Every clause variant with a sentence that carries ``words``, best score each;
        failing that, two sentences that carry its two halves (a sentence split in two)."""
        best: dict[tuple[str, str], float] = {}
        coded = self._code(words)
        for k in self._candidates(words, 0.5):
            target, clause, source = self.entries[k]
            if not _may_carry(len(words), len(target), self._common(coded, k)):
                continue
            score = match_score(words, target, self.titles, self._matcher(k))
            if score and score > best.get((clause, source), 0.0):
                best[(clause, source)] = score
        if not best:
            return self._split_carriers(words)
        return [Carrier(c, s, round(v, 3)) for (c, s), v in best.items()]

    def _split_carriers(self, words: tuple[str, ...]) -> list[Carrier]:
        """A source sentence carried in two parts (each of at least :data:`SPLIT_WORDS`
        words, matched densely) by two library sentences."""
        n = len(words)
        if n < 2 * SPLIT_WORDS:
            return []
        coded = self._code(words)
        shared = {k: self._common(coded, k, False) for k in self._candidates(words, 0.25)}
        top = sorted(shared.values(), reverse=True)[:2] + [0, 0]
        regions = []
        for k, c in shared.items():
            # a region matches at most c words, and two regions must match PARTIAL of it
            if c < SPLIT_WORDS or c + top[1 if c == top[0] else 0] < PARTIAL * n:
                continue
            sm = self._matcher(k)
            sm.set_seq1(words)
            found = _dense_region([b for b in sm.get_matching_blocks() if b.size >= 2])
            if found and found[2] >= SPLIT_WORDS and found[2] >= PARTIAL * (found[1] - found[0]):
                regions.append((found, k))
        for (r1, k1), (r2, k2) in ((x, y) for x in regions for y in regions):
            # r1 starts the sentence, r2 ends it, they meet or overlap, and together they
            # match enough of its words
            if r1[0] <= 1 and r2[1] >= n - 1 and r2[0] <= r1[1] + 1 and r1[1] < r2[1] and \
                    r1[2] + r2[2] - max(0, r1[1] - r2[0]) >= PARTIAL * n:
                return [Carrier(self.entries[k][1], self.entries[k][2], round(PARTIAL, 3))
                        for k in (k1, k2)]
        return []
