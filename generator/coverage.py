"""How much of the five source protocols the clause library (or a document) carries.

Each source text (``clause_library/sources/<key>.txt``) is split into sentences and list
items; every variant of every clause is rendered to plain text (Jinja2 with the context
of the source council's profile, Markdown stripped by markdown-it-py) and split the same
way; a source sentence is *carried* when some library sentence matches it fuzzily.
Sentences left out on purpose (signatures, dates, named people, titles) are listed in
``clause_library/coverage-exclusions.yaml`` with a reason.

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

Besides *carried*, a sentence may be *changed on purpose* (a variant's ``note`` quotes it,
in double quotes: the original of a corrected sentence) or *left out on purpose* (an entry
of the exclusions file matches it: equal to it, or a fragment of it, and it is not carried).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import LibraryError, Problem, ProtocolGenError
from .library import SHIPPED, ClauseLibrary
from .profile import SOURCES, Policies, Profile, Roles, load_profile
from .templating import Markup, compile_text, render_text
from .validation import problems_from_validation
from .yamlsource import load_yaml_file

SOURCES_DIR = SHIPPED / "sources"
EXCLUSIONS_FILE = SHIPPED / "coverage-exclusions.yaml"
PROFILES_DIR = SHIPPED.parent / "council_profiles"
SOURCE_PROFILES = {
    "milcombe": "milcombe-parish-council.yaml",
    "blaenavon": "blaenavon-town-council.yaml",
    "halstead": "halstead-town-council.yaml",
    "west-suffolk": "west-suffolk-council.yaml",
    "anytown": "anytown-borough-council.yaml",
}

RATIO = 0.8
PARTIAL = 0.85
SHORT = 12
SPLIT_WORDS = 4
MIN_WORDS = 2
HEADING_WORDS = 8

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


_MD = MarkdownIt("commonmark")


def markdown_units(text: str) -> list[Unit]:
    """Split Markdown into paragraphs and list items of plain text (headings dropped)."""
    units: list[Unit] = []
    depth = 0
    heading = False
    for tok in _MD.parse(text):
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
                titles: Titles | None = None) -> float:
    """How well ``target`` (a library sentence) carries ``source`` (both as words):
    1.0 when equal or contained; otherwise the better of the ratio and the in-order
    partial cover, or 0.0 when neither reaches its threshold.

    A title replaced by another title of the same class ("Town Clerk" by "Chief
    Executive", "Members" by "Councillors") counts as matching; a title replaced by one
    of another class ("Councillors" by "officers") means a different sentence. In a
    sentence of fewer than :data:`SHORT` words at most one other word may differ; a
    sentence of two words must be equal."""
    if source == target:
        return 1.0
    if len(source) < 3:
        return 0.0
    if len(target) > len(source) and _contained(source, target):
        return 1.0
    titles = titles or {}
    sm = SequenceMatcher(None, source, target, autojunk=False)
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


@dataclass
class _Index:
    """Candidate library sentences by shared words, so that few pairs are compared."""

    titles: Titles = field(default_factory=dict)
    entries: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, words: tuple[str, ...], clause: str, source: str) -> None:
        k = len(self.entries)
        self.entries.append((words, clause, source))
        for w in set(words):
            self.postings[w].add(k)

    def _candidates(self, words: tuple[str, ...], share: float) -> list[int]:
        distinct = set(words)
        counts: Counter[int] = Counter()
        for w in distinct:
            counts.update(self.postings.get(w, ()))
        need = max(1, math.ceil(len(distinct) * share))
        return sorted(k for k, n in counts.items() if n >= need)

    def carriers(self, words: tuple[str, ...]) -> list[Carrier]:
        """Every clause variant with a sentence that carries ``words``, best score each;
        failing that, two sentences that carry its two halves (a sentence split in two)."""
        best: dict[tuple[str, str], float] = {}
        for k in self._candidates(words, 0.5):
            target, clause, source = self.entries[k]
            score = match_score(words, target, self.titles)
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
        regions = []
        for k in self._candidates(words, 0.25):
            target = self.entries[k][0]
            sm = SequenceMatcher(None, words, target, autojunk=False)
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


# ---- exclusions --------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Exclusion(_Strict):
    """A source sentence left out of the library on purpose."""

    source: Literal[SOURCES] = Field(description="The source key.")  # type: ignore[valid-type]
    sentence: str = Field(min_length=1, description="The sentence, or a distinctive "
                                                    "fragment of it.")
    reason: str = Field(min_length=1, description="Why it is left out (a signature, a "
                                                  "date, a named person, a title).")


class ExclusionsFile(_Strict):
    """``coverage-exclusions.yaml``."""

    exclusions: list[Exclusion] = Field(default_factory=list)


@dataclass(frozen=True)
class LocatedExclusion:
    source: str
    words: tuple[str, ...]
    sentence: str
    reason: str
    file: str
    line: int | None


def read_exclusions(path: Path) -> list[LocatedExclusion]:
    """Read and validate the exclusions file (a missing file means none).
    Raises :class:`LibraryError` with every problem, located by line."""
    if not path.exists():
        return []
    src, problems = load_yaml_file(path, "exclusions file")
    if src is None:
        raise LibraryError(problems)
    data = src.data if src.data is not None else {}
    if not isinstance(data, dict):
        raise LibraryError(src.problem((), "the exclusions file must be a mapping with an "
                                       "'exclusions:' list", "start the file with "
                                       "'exclusions:'"))
    try:
        spec = ExclusionsFile.model_validate(data)
    except ValidationError as exc:
        raise LibraryError(problems_from_validation(exc, src, ExclusionsFile)) from None
    out = []
    for i, e in enumerate(spec.exclusions):
        line, _ = src.where(("exclusions", i, "sentence"))
        words = normalise(e.sentence)
        if not words:
            raise LibraryError(src.problem(("exclusions", i, "sentence"),
                                           "the sentence has no words", "quote the sentence"))
        out.append(LocatedExclusion(e.source, words, e.sentence, e.reason, src.file, line))
    return out


def _excluded_indexes(ex: LocatedExclusion, sents: list[Sentence]) -> list[int]:
    exact = [k for k, s in enumerate(sents) if s.words == ex.words]
    return exact or [k for k, s in enumerate(sents) if _contained(ex.words, s.words)]


# ---- reports -----------------------------------------------------------------

@dataclass(frozen=True)
class SentenceResult:
    """One source sentence and what accounts for it."""

    sentence: Sentence
    carriers: tuple[Carrier, ...] = ()
    excluded: Optional[str] = None     # the reason, when left out on purpose
    corrected: tuple[Carrier, ...] = ()  # variants whose note quotes it (changed on purpose)

    @property
    def carried(self) -> bool:
        return bool(self.carriers)

    @property
    def status(self) -> str:
        """carried, corrected, excluded or missing."""
        if self.carriers:
            return "carried"
        return "corrected" if self.corrected else "excluded" if self.excluded else "missing"


class _Shares:
    """Percentages of a report with ``total``, ``carried`` and ``accounted`` counts."""

    total: int
    carried: int
    accounted: int

    @property
    def percent(self) -> float:
        """Sentences carried, as a percentage."""
        return 100.0 * self.carried / self.total if self.total else 100.0

    @property
    def accounted_percent(self) -> float:
        """Sentences carried, changed on purpose or left out on purpose, as a percentage."""
        return 100.0 * self.accounted / self.total if self.total else 100.0


@dataclass(frozen=True)
class SourceReport(_Shares):
    """Coverage of one source."""

    source: str
    results: tuple[SentenceResult, ...]
    stale_exclusions: tuple[LocatedExclusion, ...] = ()

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def carried(self) -> int:
        return sum(r.carried for r in self.results)

    @property
    def corrected(self) -> int:
        return sum(r.status == "corrected" for r in self.results)

    @property
    def excluded(self) -> int:
        return sum(r.status == "excluded" for r in self.results)

    def having(self, status: str) -> list[SentenceResult]:
        """The results with one status (carried, corrected, excluded, missing)."""
        return [r for r in self.results if r.status == status]

    @property
    def missing(self) -> list[SentenceResult]:
        return self.having("missing")

    @property
    def foreign(self) -> list[SentenceResult]:
        """Sentences carried only by variants of other sources (so a profile preferring
        this source does not regenerate them)."""
        return [r for r in self.results if r.carried and
                not any(c.council in (self.source, "text") for c in r.carriers)]

    @property
    def accounted(self) -> int:
        return self.carried + self.corrected + self.excluded



@dataclass(frozen=True)
class Report(_Shares):
    """Coverage of several sources, plus notes (e.g. a profile that could not be read)."""

    sources: tuple[SourceReport, ...]
    notes: tuple[Problem, ...] = ()

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sources)

    @property
    def carried(self) -> int:
        return sum(s.carried for s in self.sources)

    @property
    def accounted(self) -> int:
        return sum(s.accounted for s in self.sources)



# ---- rendering library text --------------------------------------------------

_FILL = {"leader": "Leader of the Council", "staffing_committee": "Staffing Committee",
         "standards_committee": "Standards Committee",
         "communications_team": "Communications Team"}


def neutral_context() -> dict[str, Any]:
    """The context used where a source council's profile is missing or invalid."""
    profile = Profile.model_validate({"council": {
        "name": "the Council", "tier": "district", "governance": "leader_cabinet",
        "political_groups": True, "independent_members": True}})
    return _filled(profile.context())


def _filled(ctx: dict[str, Any]) -> dict[str, Any]:
    """Every name given a value, so that any variant renders whatever its condition."""
    return {k: (_FILL.get(k) or k.replace("_", " ").title()) if v is None else v
            for k, v in ctx.items()}


def _ref(target: str, bare: bool = False) -> Markup:
    return Markup("X.Y" if bare else "paragraph X.Y")


def source_contexts(profiles_dir: Path, noted: Iterable[str] = SOURCES
                    ) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Each source's rendering context (its council's profile, or the neutral one), and
    a note for each source in ``noted`` whose profile is missing or invalid."""
    neutral = neutral_context()
    contexts: dict[str, dict[str, Any]] = {}
    notes: list[Problem] = []
    for key in SOURCES:
        path = profiles_dir / SOURCE_PROFILES[key]
        contexts[key] = neutral
        if not path.exists():
            why = f"no profile for source '{key}'"
        else:
            try:
                profile, _ = load_profile(path)
            except ProtocolGenError as exc:
                first = exc.problems[0].message if exc.problems else "invalid"
                why = f"the profile for source '{key}' is not valid ({first})"
            else:
                contexts[key] = _filled(profile.context())
                continue
        if key in noted:
            notes.append(Problem(f"{why}; its variants were rendered with neutral titles",
                                 file=str(path), severity="warning"))
    return contexts, notes


_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')


def library_index(library: ClauseLibrary, contexts: dict[str, dict[str, Any]]
                  ) -> tuple[_Index, _Index, list[Problem]]:
    """Every variant of every clause rendered, split and indexed by its words. A
    variant is rendered with its source council's context (``contexts``), drafted and
    house variants with the neutral one. The second index holds the source passages that
    variants' notes quote (the original of a corrected sentence)."""
    neutral = neutral_context()
    index = _Index(title_classes([neutral, *contexts.values()]))
    quoted = _Index(index.titles)
    notes: list[Problem] = []
    for clause in library.clauses.values():
        for j, v in enumerate(clause.variants):
            ctx = contexts.get(v.council, neutral)
            try:
                text = render_text(compile_text(v.text), {**ctx, "ref": _ref})
            except (TemplateError, SecurityError, TypeError, ValueError) as exc:
                notes.append(v.where.problem(f"{clause.id}: variant {j + 1} cannot be rendered "
                                             f"for coverage: {exc}", clause.id))
                continue
            for s in markdown_sentences(text):
                index.add(s.words, clause.id, v.source)
            for m in _QUOTED.finditer(v.note or ""):
                words = normalise(m.group(1) or m.group(2))
                if len(words) >= 3:
                    quoted.add(words, clause.id, v.source)
    return index, quoted, notes


# ---- measuring ---------------------------------------------------------------

def _sorted(carriers: list[Carrier]) -> tuple[Carrier, ...]:
    return tuple(sorted(carriers, key=lambda c: (-c.score, c.clause, c.source)))


def _report(key: str, sents: list[Sentence], index: _Index,
            exclusions: list[LocatedExclusion], quoted: _Index | None = None) -> SourceReport:
    carriers = [_sorted(index.carriers(s.words)) for s in sents]
    corrected = [_sorted(quoted.carriers(s.words)) if quoted and not c else ()
                 for s, c in zip(sents, carriers)]
    reasons: dict[int, str] = {}
    stale = []
    for ex in exclusions:
        if ex.source != key:
            continue
        hits = [k for k in _excluded_indexes(ex, sents)
                if not carriers[k] and not corrected[k]]
        if not hits:
            stale.append(ex)
        for k in hits:
            reasons.setdefault(k, ex.reason)
    results = tuple(SentenceResult(s, carriers[k], reasons.get(k), corrected[k])
                    for k, s in enumerate(sents))
    return SourceReport(key, results, tuple(stale))


def read_source(key: str, sources_dir: Path = SOURCES_DIR) -> list[Sentence]:
    """The substantive sentences of one source. Raises LibraryError if unreadable."""
    path = sources_dir / f"{key}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LibraryError(Problem(f"cannot read the source text: {exc.strerror}",
                                   file=str(path), hint="restore the file from the "
                                   "repository")) from None
    return source_sentences(text)


def check_exclusions(exclusions: list[LocatedExclusion],
                     sources: dict[str, list[Sentence]]) -> list[Problem]:
    """Every exclusion must name a sentence of its source."""
    problems = []
    for ex in exclusions:
        if ex.source in sources and not _excluded_indexes(ex, sources[ex.source]):
            problems.append(Problem(f"'{ex.sentence}' matches no sentence of the source "
                                    f"'{ex.source}'", file=ex.file, line=ex.line,
                                    field="sentence", hint="copy the sentence (or a "
                                    "distinctive part of it) from the source text"))
    return problems


def measure(library: ClauseLibrary, sources: Iterable[str] | None = None, *,
            sources_dir: Path | None = None, exclusions_file: Path | None = None,
            profiles_dir: Path | None = None) -> Report:
    """Coverage of the named sources (default: all five) by the library.

    The source texts, the exclusions file and the source councils' profiles are taken
    from beside the library's first folder (``sources/``, ``coverage-exclusions.yaml``
    and ``../council_profiles/``) unless given. Raises :class:`LibraryError` when a source
    cannot be read or the exclusions file is not valid."""
    base = Path(library.folders[0]) if library.folders else SHIPPED
    sources_dir = sources_dir or base / "sources"
    exclusions_file = exclusions_file or base / EXCLUSIONS_FILE.name
    profiles_dir = profiles_dir or base.parent / PROFILES_DIR.name
    present = [key for key in SOURCES if (sources_dir / f"{key}.txt").exists()]
    keys = list(sources or present)
    exclusions = read_exclusions(exclusions_file)
    all_sents = {key: read_source(key, sources_dir) for key in dict.fromkeys(present + keys)}
    problems = check_exclusions(exclusions, all_sents)
    if problems:
        raise LibraryError(problems)
    contexts, notes = source_contexts(profiles_dir, keys)
    index, quoted, render_notes = library_index(library, contexts)
    reports = tuple(_report(key, all_sents[key], index, exclusions, quoted) for key in keys)
    return Report(reports, tuple(notes + render_notes))


def carried_by_text(source_key: str, text: str, *, sources_dir: Path = SOURCES_DIR,
                    exclusions_file: Path = EXCLUSIONS_FILE,
                    profiles_dir: Path = PROFILES_DIR) -> SourceReport:
    """How much of one source a document's text carries.

    ``text`` is Markdown (e.g. a generated protocol; plain text works too). Each
    substantive sentence of the source ``source_key`` is matched against the sentences
    of ``text`` with the same rules as ``protocol-gen library coverage``; carriers are
    reported with clause ``"text"``. ``SourceReport.percent`` is the share carried;
    ``accounted_percent`` also counts sentences left out on purpose (the exclusions
    file). Titles are matched as in the library report (the source councils' profiles
    give them). Raises :class:`LibraryError` if the source or exclusions cannot be read."""
    sents = read_source(source_key, sources_dir)
    contexts, _ = source_contexts(profiles_dir)
    index = _Index(title_classes([neutral_context(), *contexts.values()]))
    for s in markdown_sentences(text):
        index.add(s.words, "text", "text")
    exclusions = read_exclusions(exclusions_file)
    return _report(source_key, sents, index, exclusions)


# ---- formatting (the CLI prints these lines) ---------------------------------

def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _quote(text: str, width: int = 160) -> str:
    return '"' + (text if len(text) <= width else text[: width - 3] + "...") + '"'


def _carriers(carriers: tuple[Carrier, ...], own: str) -> str:
    """'clause [source], ...', the variants of the sentence's own source first."""
    ordered = sorted(carriers, key=lambda c: c.council != own)
    return ", ".join(dict.fromkeys(f"{c.clause} [{c.source}]" for c in ordered))


def format_report(report: Report, verbose: bool = False) -> list[str]:
    """The report as lines of text: per source a summary, then what is not carried
    (and, with ``verbose``, every sentence with the clauses carrying it)."""
    lines: list[str] = []
    for s in report.sources:
        head = f"{s.source}: {s.carried} of {s.total} sentences carried ({_pct(s.percent)})"
        extra = []
        if s.corrected:
            extra.append(f"{s.corrected} changed on purpose")
        if s.excluded:
            extra.append(f"{s.excluded} left out on purpose")
        if extra:
            head += f"; {', '.join(extra)} ({_pct(s.accounted_percent)} accounted for)"
        lines.append(head)
        if verbose:
            for r in s.results:
                where = f"line {r.sentence.line}"
                text = _quote(r.sentence.text, 80)
                if r.status == "carried":
                    by = _carriers(r.carriers, s.source)
                    lines.append(f"  carried   {where}: {text} -> {by}")
                elif r.status == "corrected":
                    by = _carriers(r.corrected, s.source)
                    lines.append(f"  corrected {where}: {text} -> {by} (its note quotes the "
                                 "source)")
                elif r.status == "excluded":
                    lines.append(f"  excluded  {where}: {text} ({r.excluded})")
                else:
                    lines.append(f"  MISSING   {where}: {_quote(r.sentence.text)}")
        else:
            groups = [
                ("not carried:", s.missing, lambda r: ""),
                ("changed on purpose (a variant's note quotes the source):",
                 s.having("corrected"), lambda r: f" -> {_carriers(r.corrected, s.source)}"),
                ("left out on purpose:", s.having("excluded"), lambda r: f" ({r.excluded})"),
                ("carried only in another source's wording:", s.foreign,
                 lambda r: f" -> {_carriers(r.carriers, s.source)}"),
            ]
            for title, results, tail in groups:
                if results:
                    lines.append(f"  {title}")
                    lines += [f"    line {r.sentence.line}: {_quote(r.sentence.text)}{tail(r)}"
                              for r in results]
        for ex in s.stale_exclusions:
            lines.append(f"  note: {ex.file}:{ex.line}: the exclusion {_quote(ex.sentence)} "
                         "is not needed: the library carries it")
    lines.append(f"overall: {report.carried} of {report.total} sentences carried "
                 f"({_pct(report.percent)}); carried, changed or left out on purpose: "
                 f"{report.accounted} of {report.total} ({_pct(report.accounted_percent)})")
    return lines
