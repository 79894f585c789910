"""How much of the five source protocols the clause library (or a document) carries.

Each source text (``clause_library/sources/<key>.txt``) is split into sentences and list
items; every variant of every clause is rendered to plain text (Jinja2 with the context
of the source council's profile, Markdown stripped by markdown-it-py) and split the same
way; a source sentence is *carried* when some library sentence matches it fuzzily.
Sentences left out on purpose (signatures, dates, named people, titles) are listed in
``clause_library/coverage-exclusions.yaml`` with a reason.

How sentences are split and matched is :mod:`.sentences`.

Besides *carried*, a sentence may be *changed on purpose* (a variant's ``note`` quotes it,
in double quotes: the original of a corrected sentence) or *left out on purpose* (an entry
of the exclusions file matches it: equal to it, or a fragment of it, and it is not carried).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import LibraryError, Problem, ProtocolGenError
from ..profile.constants import SOURCES
from ..profile.load import load_profile
from ..profile.messages import problems_from_validation
from ..profile.model import Profile
from ..profile.yamlsource import load_yaml_file
from ..shipped import COUNCIL_PROFILES
from .clauses import SHIPPED, ClauseLibrary
from .sentences import (
    QUOTED,
    Carrier,
    Sentence,
    _contained,
    _Index,
    markdown_sentences,
    normalise,
    source_sentences,
    title_classes,
)
from .templating import Markup, compile_text, render_text

SOURCES_DIR = SHIPPED / "sources"
EXCLUSIONS_FILE = SHIPPED / "coverage-exclusions.yaml"
PROFILES_DIR = COUNCIL_PROFILES
SOURCE_PROFILES = {
    "milcombe": "milcombe-parish-council.yaml",
    "blaenavon": "blaenavon-town-council.yaml",
    "halstead": "halstead-town-council.yaml",
    "west-suffolk": "west-suffolk-council.yaml",
    "anytown": "anytown-borough-council.yaml",
}

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
            for m in QUOTED.finditer(v.note or ""):
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
