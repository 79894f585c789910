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
"and"/"or" is ignored): a source sentence matches a library sentence when

- difflib's word-level ``SequenceMatcher`` ratio is at least :data:`RATIO` (0.8), or
- it is contained, word for word, in the longer library sentence (three words or more), or
- at least :data:`PARTIAL` (85%) of its words appear, in order, within a stretch of the
  library sentence not much longer than itself (six words or more: a source sentence
  merged into a longer library sentence, with a title substituted or a typo corrected).
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
from .profile import SOURCES, Profile, load_profile
from .templating import Markup, compile_text
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

def _contained(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i: i + n] == small for i in range(len(big) - n + 1))


def match_score(source: tuple[str, ...], target: tuple[str, ...]) -> float:
    """How well ``target`` (a library sentence) carries ``source``: 1.0 when equal or
    contained; otherwise the better of the ratio and the in-order partial cover, or 0
    when neither reaches its threshold."""
    if source == target:
        return 1.0
    if len(source) >= 3 and len(target) > len(source) and _contained(source, target):
        return 1.0
    sm = SequenceMatcher(None, source, target, autojunk=False)
    best = 0.0
    ratio = sm.ratio()
    if ratio >= RATIO:
        best = ratio
    if len(source) >= 6 and len(target) > len(source):
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        matched = sum(b.size for b in blocks)
        if blocks:
            span = blocks[-1].b + blocks[-1].size - blocks[0].b
            cover = matched / len(source)
            if cover >= PARTIAL and span <= len(source) * 1.25 + 2:
                best = max(best, cover)
    return best


@dataclass(frozen=True)
class Carrier:
    """A clause variant (or a document) whose text carries a source sentence."""

    clause: str
    source: str
    score: float


@dataclass
class _Index:
    """Candidate library sentences by shared words, so that few pairs are compared."""

    entries: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, words: tuple[str, ...], clause: str, source: str) -> None:
        k = len(self.entries)
        self.entries.append((words, clause, source))
        for w in set(words):
            self.postings[w].add(k)

    def carriers(self, words: tuple[str, ...]) -> list[Carrier]:
        distinct = set(words)
        counts: Counter[int] = Counter()
        for w in distinct:
            counts.update(self.postings.get(w, ()))
        need = max(1, math.ceil(len(distinct) * 0.5))
        best: dict[tuple[str, str], float] = {}
        for k, shared in counts.items():
            if shared < need:
                continue
            target, clause, source = self.entries[k]
            score = match_score(words, target)
            if score and score > best.get((clause, source), 0.0):
                best[(clause, source)] = score
        return [Carrier(c, s, round(v, 3)) for (c, s), v in best.items()]


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

    @property
    def carried(self) -> bool:
        return bool(self.carriers)

    @property
    def status(self) -> str:
        return "carried" if self.carried else "excluded" if self.excluded else "missing"


@dataclass(frozen=True)
class SourceReport:
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
    def excluded(self) -> int:
        return sum(r.status == "excluded" for r in self.results)

    @property
    def missing(self) -> list[SentenceResult]:
        return [r for r in self.results if r.status == "missing"]

    @property
    def percent(self) -> float:
        """Sentences carried, as a percentage."""
        return 100.0 * self.carried / self.total if self.total else 100.0

    @property
    def accounted_percent(self) -> float:
        """Sentences carried or left out on purpose, as a percentage."""
        return 100.0 * (self.carried + self.excluded) / self.total if self.total else 100.0


@dataclass(frozen=True)
class Report:
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
    def excluded(self) -> int:
        return sum(s.excluded for s in self.sources)

    @property
    def percent(self) -> float:
        return 100.0 * self.carried / self.total if self.total else 100.0

    @property
    def accounted_percent(self) -> float:
        return 100.0 * (self.carried + self.excluded) / self.total if self.total else 100.0


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


def source_contexts(profiles_dir: Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Each source's rendering context (its council's profile, or the neutral one)."""
    neutral = neutral_context()
    contexts: dict[str, dict[str, Any]] = {}
    notes: list[Problem] = []
    for key in SOURCES:
        path = profiles_dir / SOURCE_PROFILES[key]
        if not path.exists():
            notes.append(Problem(f"no profile for source '{key}'; its variants were rendered "
                                 "with neutral titles", file=str(path), severity="warning"))
            contexts[key] = neutral
            continue
        try:
            profile, _ = load_profile(path)
        except ProtocolGenError as exc:
            first = exc.problems[0].message if exc.problems else "invalid"
            notes.append(Problem(f"the profile for source '{key}' is not valid ({first}); its "
                                 "variants were rendered with neutral titles", file=str(path),
                                 severity="warning"))
            contexts[key] = neutral
            continue
        contexts[key] = _filled(profile.context())
    return contexts, notes


def library_index(library: ClauseLibrary, contexts: dict[str, dict[str, Any]]
                  ) -> tuple[_Index, list[Problem]]:
    """Every variant of every clause rendered, split and indexed by its words."""
    index = _Index()
    notes: list[Problem] = []
    neutral = contexts.get("", None) or neutral_context()
    for clause in library.clauses.values():
        for j, v in enumerate(clause.variants):
            ctx = contexts.get(v.council, neutral)
            try:
                text = compile_text(v.text).render(**ctx, ref=_ref)
            except (TemplateError, SecurityError, TypeError, ValueError) as exc:
                notes.append(v.where.problem(f"{clause.id}: variant {j + 1} cannot be rendered "
                                             f"for coverage: {exc}", clause.id))
                continue
            for s in markdown_sentences(text):
                index.add(s.words, clause.id, v.source)
    return index, notes


# ---- measuring ---------------------------------------------------------------

def _report(key: str, sents: list[Sentence], index: _Index,
            exclusions: list[LocatedExclusion]) -> SourceReport:
    carriers = [tuple(sorted(index.carriers(s.words), key=lambda c: (-c.score, c.clause)))
                for s in sents]
    reasons: dict[int, str] = {}
    stale = []
    for ex in exclusions:
        if ex.source != key:
            continue
        hits = [k for k in _excluded_indexes(ex, sents) if not carriers[k]]
        if not hits:
            stale.append(ex)
        for k in hits:
            reasons.setdefault(k, ex.reason)
    results = tuple(SentenceResult(s, carriers[k], reasons.get(k))
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
            sources_dir: Path = SOURCES_DIR, exclusions_file: Path = EXCLUSIONS_FILE,
            profiles_dir: Path = PROFILES_DIR) -> Report:
    """Coverage of the named sources (default: all five) by the library.

    Raises :class:`LibraryError` when a source cannot be read or the exclusions file is
    not valid."""
    keys = list(sources or SOURCES)
    exclusions = read_exclusions(exclusions_file)
    all_sents = {key: read_source(key, sources_dir) for key in SOURCES
                 if (sources_dir / f"{key}.txt").exists() or key in keys}
    problems = check_exclusions(exclusions, all_sents)
    if problems:
        raise LibraryError(problems)
    contexts, notes = source_contexts(profiles_dir)
    index, render_notes = library_index(library, contexts)
    reports = tuple(_report(key, all_sents[key], index, exclusions) for key in keys)
    return Report(reports, tuple(notes + render_notes))


def carried_by_text(source_key: str, text: str, *, sources_dir: Path = SOURCES_DIR,
                    exclusions_file: Path = EXCLUSIONS_FILE) -> SourceReport:
    """How much of one source a document's text carries.

    ``text`` is Markdown (e.g. a generated protocol; plain text works too). Each
    substantive sentence of the source ``source_key`` is matched against the sentences
    of ``text`` with the same rules as ``protocol-gen library coverage``; carriers are
    reported with clause ``"text"``. ``SourceReport.percent`` is the share carried;
    ``accounted_percent`` also counts sentences left out on purpose (the exclusions
    file). Raises :class:`LibraryError` if the source or exclusions cannot be read."""
    sents = read_source(source_key, sources_dir)
    index = _Index()
    for s in markdown_sentences(text):
        index.add(s.words, "text", "text")
    exclusions = read_exclusions(exclusions_file)
    return _report(source_key, sents, index, exclusions)


# ---- formatting (the CLI prints these lines) ---------------------------------

def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _quote(text: str, width: int = 160) -> str:
    return '"' + (text if len(text) <= width else text[: width - 3] + "...") + '"'


def format_report(report: Report, verbose: bool = False) -> list[str]:
    """The report as lines of text."""
    lines: list[str] = []
    for s in report.sources:
        head = (f"{s.source}: {s.carried} of {s.total} sentences carried "
                f"({_pct(s.percent)})")
        if s.excluded:
            head += (f"; {s.excluded} left out on purpose "
                     f"({_pct(s.accounted_percent)} accounted for)")
        lines.append(head)
        if verbose:
            for r in s.results:
                where = f"line {r.sentence.line}"
                if r.carried:
                    by = ", ".join(dict.fromkeys(
                        f"{c.clause} [{c.source}]" for c in r.carriers))
                    lines.append(f"  carried  {where}: {_quote(r.sentence.text, 80)} -> {by}")
                elif r.excluded:
                    lines.append(f"  excluded {where}: {_quote(r.sentence.text, 80)} "
                                 f"({r.excluded})")
                else:
                    lines.append(f"  MISSING  {where}: {_quote(r.sentence.text)}")
        else:
            missing = s.missing
            if missing:
                lines.append("  not carried:")
                lines += [f"    line {r.sentence.line}: {_quote(r.sentence.text)}"
                          for r in missing]
            excluded = [r for r in s.results if r.status == "excluded"]
            if excluded:
                lines.append("  left out on purpose:")
                lines += [f"    line {r.sentence.line}: {_quote(r.sentence.text)} "
                          f"({r.excluded})" for r in excluded]
        for ex in s.stale_exclusions:
            lines.append(f"  note: {ex.file}:{ex.line}: the exclusion {_quote(ex.sentence)} "
                         "is not needed: the library carries it")
    lines.append(f"overall: {report.carried} of {report.total} sentences carried "
                 f"({_pct(report.percent)}); carried or left out on purpose: "
                 f"{report.carried + report.excluded} of {report.total} "
                 f"({_pct(report.accounted_percent)})")
    return lines
