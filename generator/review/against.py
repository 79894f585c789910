"""The council's current protocol (one this tool did not write) -> a redline by content.

A protocol adopted years ago has its own numbering, order and headings, so it cannot be
lined up with a new build unit by unit. Its sentences are matched instead to the new
protocol's paragraphs by their words, with the rules of ``library coverage``
(:mod:`generator.library.sentences`), and the redline is laid out in the new protocol's
order and numbering:

- a paragraph that carries old sentences shows, word by word, what it changed in them;
- an old sentence the new protocol does not carry is a deletion beside the sentences it
  stood with (or, when its whole paragraph went, after the paragraph that carries what
  came before it);
- a clause with no old counterpart is an insertion;
- every change has a Word comment saying why: the chosen wording's editorial note (the
  library's record of what it corrected and why), the reason the library leaves a
  sentence out (``coverage-exclusions.yaml``), or why a clause is in the protocol.

Headings, numbers, the title page, version history and signatures are the new
protocol's and are not marked: only the words are compared. Accepting every change gives
the new protocol; rejecting every change gives back every sentence of the old one.
Nothing here reads or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Callable

from ..library.sentences import (QUOTED, Unit as TextUnit, _contained, _Index, _is_heading,
                                 markdown_units, normalise, sentences)
from . import comments as say
from .comments import NO_REASON, ContentSummary  # noqa: F401 - used by callers
from .readback import Para, Protocol, Unit

MIN_QUOTE_WORDS = 4
RESEMBLES = 0.5
HEADING_WORDS = 5
_BODY = ("clause", "item", "bullet", "text")


@dataclass(frozen=True)
class OldSentence:
    """One sentence (or list item) of the old protocol."""

    text: str
    words: tuple[str, ...]
    paragraph: int          # the old paragraph it belongs to, counted from 0
    where: str              # how the old protocol numbers that paragraph ('2.4')
    reason: str = ""        # not a provision (its cover page, contents, a footnote): why


@dataclass(frozen=True)
class Why:
    """What the library says about one clause of the new protocol (from ``explain``)."""

    number: str
    source: str
    included: str                  # why the clause is in the protocol
    note: str = ""                 # the chosen wording's editorial note, or why drafted


@dataclass
class Row:
    """One paragraph of the redline."""

    new: Para | None
    old: list[OldSentence] = field(default_factory=list)
    unit: Unit | None = None        # the new unit it belongs to
    comment: str = ""
    loose: list[OldSentence] = field(default_factory=list)   # placed by a neighbour

    @property
    def old_text(self) -> str:
        return " ".join(s.text for s in self.old)

    @property
    def status(self) -> str:
        if self.new is None:
            return "removed"
        if self.new.style not in _BODY or self.unit is None or self.unit.kind != "clause":
            return "layout"
        if not self.old:
            return "added"
        from .tracked import typographic_key
        return "same" if typographic_key(self.old_text) == typographic_key(self.new.text) \
            else "changed"


@dataclass(frozen=True)
class Reasons:
    """Where the redline's comments come from."""

    clauses: dict[str, Why]                        # included clauses, by id
    exclusions: tuple[tuple[tuple[str, ...], str], ...] = ()   # (words, reason)
    left_out_clauses: dict[str, str] = field(default_factory=dict)  # id -> why not in
    library: _Index | None = None      # every wording of every clause, by sentence
    register: object = None            # the legislation register (what law is revoked)
    nation: str | None = None
    repeats: tuple[tuple[tuple[str, ...], str], ...] = ()   # (words, why): items left out
    #                                   because another paragraph makes their point

    def left_out(self, sentence: OldSentence, clause_ids: list[str]) -> str:
        """Why an old sentence is not carried, in plain words: the law it cites, the
        library's reason for leaving such a sentence out, the clause (nearby ones first)
        that corrects it, else :data:`NO_REASON`."""
        if sentence.reason:
            return sentence.reason.rstrip(".")
        for words, reason in self.repeats:
            if words == sentence.words or _contained(sentence.words, words):
                return reason        # "paragraph 2.1 already says this (...)"
        said = say.law(sentence.text, self.register, self.nation) or \
            say.of_sentence(sentence.text)
        if said:
            return said
        for words, reason in self.exclusions:
            if words == sentence.words or (len(words) >= MIN_QUOTE_WORDS and
                                           _contained(words, sentence.words)):
                return say.plain(reason)
        for cid in dict.fromkeys([*clause_ids, *self.clauses]):
            why = self.clauses.get(cid)
            if why and _quotes(why.note, sentence.words):
                found = say.plain(why.note)
                return found if found != NO_REASON else \
                    f"paragraph {why.number} says this in corrected words"
        return self._in_library(sentence) or NO_REASON

    def corrected_in(self, sentence: OldSentence) -> str | None:
        """The clause whose wording's note quotes the sentence: the clause that
        corrects it."""
        return next((cid for cid, why in self.clauses.items()
                     if _quotes(why.note, sentence.words)), None)

    def _in_library(self, sentence: OldSentence) -> str:
        """Why the new protocol does not carry a sentence a library clause has."""
        if self.library is None:
            return ""
        found = sorted(self.library.carriers(sentence.words), key=lambda c: -c.score)
        for c in found:
            if c.clause in self.left_out_clauses:
                return say.left_out_clause(self.left_out_clauses[c.clause])
        for c in found:
            why = self.clauses.get(c.clause)
            if why:
                return f"paragraph {why.number} makes this point in other words"
        return ""


def _quotes(note: str, words: tuple[str, ...]) -> bool:
    """Whether ``note`` quotes (part of) the sentence of ``words``."""
    for m in QUOTED.finditer(note or ""):
        quoted = normalise(m.group(1) or m.group(2))
        if len(quoted) >= MIN_QUOTE_WORDS and (_contained(quoted, words) or
                                               _contained(words, quoted)):
            return True
    return False


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


# ---- the old protocol ----------------------------------------------------------------

def old_sentences(paragraphs) -> list[OldSentence]:
    """The substantive sentences of the old protocol's provisions (importer paragraphs,
    :class:`generator.importer.structure.Paragraph`), their Markdown marks removed."""
    out: list[OldSentence] = []
    for k, p in enumerate(paragraphs):
        reason = getattr(p, "reason", "")
        if reason:              # furniture (:mod:`generator.importer.furniture`): struck
            text = _plain_quotes(" ".join(p.full_text.split()))   # whole, its numbers too
            out.append(OldSentence(text, tuple(re.findall(r"\w+", text.lower())), k,
                                   p.ref or f"paragraph {k + 1}", reason))
            continue
        if not p.items and _is_heading(_plain(p.text)):
            continue                    # a heading standing as a paragraph of its own
        units = [TextUnit(_plain(p.text), k)] + [TextUnit(_plain(t), k, True)
                                                  for _, t in p.items]
        where = p.number or p.ref or f"paragraph {k + 1}"
        out.extend(OldSentence(_plain_quotes(s.text), s.words, k, where)
                   for s in sentences(u for u in units if u.text)
                   if not _inline_heading(s.text))
    return out


def _inline_heading(text: str) -> bool:
    """A heading run into a paragraph's text ('Officer Attendance'): a few capitalised
    words without closing punctuation. It is a heading, not a provision."""
    words = text.split()
    return (len(words) <= HEADING_WORDS and not text.rstrip().endswith((".", ":", ";", ","))
            and all(w[0].isupper() for w in words if w[0].isalpha()))


def _plain(text: str) -> str:
    return " ".join(u.text for u in markdown_units(text.replace("\n", " ")))


# ---- matching ------------------------------------------------------------------------

def _rows(new: Protocol) -> list[Row]:
    return [Row(p, unit=u) for u in new.units for p in u.paras]


def match(old: list[OldSentence], new: Protocol, titles,
          corrected_in: Callable[[OldSentence], str | None] = lambda s: None) -> list[Row]:
    """Each old sentence placed with the new paragraph that carries it best, or with the
    clause that corrects it (``corrected_in``); the others beside their neighbours (see
    the module docstring)."""
    rows = _rows(new)
    index = _Index(titles)
    for k, row in enumerate(rows):
        if row.status != "layout":
            for s in sentences([TextUnit(_plain_quotes(row.new.text), k)]):
                index.add(s.words, str(k), "new")
    home: dict[int, int] = {}                 # old sentence -> row
    for i, s in enumerate(old):
        found = None if s.reason else index.carriers(s.words)
        if found:
            best = max(found, key=lambda c: (c.score, -int(c.clause)))
            home[i] = int(best.clause)
    loose: list[int] = [i for i in range(len(old)) if i not in home]
    first = {}
    for k, row in enumerate(rows):
        if row.status != "layout" and row.unit.id:
            first.setdefault(row.unit.id, k)
    loose = [i for i in loose if not old[i].reason]       # furniture is struck through
    for i in loose:
        cid = corrected_in(old[i])
        if cid in first:
            home[i] = first[cid]
    for i in loose:
        if i in home:
            continue                           # beside a sentence of its own paragraph
        near = [j for j in range(i - 1, -1, -1) if old[j].paragraph == old[i].paragraph] + \
            [j for j in range(i + 1, len(old)) if old[j].paragraph == old[i].paragraph]
        for j in near:
            if j in home:
                home[i] = home[j]
                break
    for i, row_index in sorted(home.items()):
        rows[row_index].old.append(old[i])
        if i in loose:
            rows[row_index].loose.append(old[i])
    return _place_removed(rows, [i for i in range(len(old)) if i not in home], old, home)


def _place_removed(rows: list[Row], removed: list[int], old: list[OldSentence],
                   home: dict[int, int]) -> list[Row]:
    """Whole old paragraphs not carried: a removed row after the row that carries the
    nearest earlier old sentence (or at the start of the body)."""
    after: dict[int, list[Row]] = {}
    for i in removed:
        earlier = [home[j] for j in range(i - 1, -1, -1) if j in home]
        at = earlier[0] if earlier else _first_body(rows) - 1
        bucket = after.setdefault(at, [])
        if bucket and (bucket[-1].old[-1].paragraph == old[i].paragraph or
                       old[i].reason and bucket[-1].old[-1].reason == old[i].reason):
            bucket[-1].old.append(old[i])
            bucket[-1].loose.append(old[i])
        else:
            bucket.append(Row(None, [old[i]], unit=rows[max(at, 0)].unit, loose=[old[i]]))
    out: list[Row] = after.get(-1, [])
    for k, row in enumerate(rows):
        out.append(row)
        out.extend(after.get(k, []))
    return out


def _first_body(rows: list[Row]) -> int:
    return next((k for k, r in enumerate(rows) if r.unit and r.unit.kind == "section"),
                len(rows))


# ---- why -----------------------------------------------------------------------------

def _with_old(rows: list[Row]) -> set[int]:
    """The ids of the units (clauses, and the sections they sit in) that hold some of
    the old protocol's words: the others are wholly new."""
    out: set[int] = set()
    section = None
    for row in rows:
        if row.unit is not None and row.unit.kind == "section":
            section = id(row.unit)
        if row.old:
            out.add(id(row.unit))
            if section is not None:
                out.add(section)
    return out


def annotate(rows: list[Row], reasons: Reasons) -> list[Row]:
    """Give every changed, added or removed row its comment, in a committee's words
    (:mod:`generator.review.comments`)."""
    commented: set[str] = set()
    with_old = _with_old(rows)
    section = None
    for row in rows:
        unit = row.unit
        if unit is not None and unit.kind == "section":
            section = unit
        cid = unit.id if unit and unit.kind == "clause" else None
        status = row.status
        if status == "removed":
            row.comment = say.LEFT_OUT + _left_out(row.old, reasons, [cid] if cid else [])
        elif status == "added" and cid not in commented:
            commented.add(cid or "")
            row.comment = say.added(
                section is not None and id(section) not in with_old,
                section.paras[0].text if section is not None and section.paras else "",
                row.new.text, reasons.register)
        elif status == "changed":
            parts = []
            gone = [s for s in row.loose if not _resembles(s, row.new.text)]
            if cid not in commented and not _only_left_out(row, gone):
                commented.add(cid or "")
                law = say.law(row.old_text, reasons.register, reasons.nation)
                parts.append(f"Reworded: {law}." if law else say.RENUMBERED
                             if say.renumbered(row.old_text, row.new.text) else say.REWORDED)
            if gone:
                parts.append(say.LEFT_OUT + _left_out(gone, reasons, [cid] if cid else []))
            row.comment = " ".join(parts)
    return rows


def _only_left_out(row: Row, gone: list[OldSentence]) -> bool:
    """Whether the paragraph keeps its old words as they were, only without ``gone``."""
    from .tracked import typographic_key
    kept = " ".join(s.text for s in row.old if not any(s is g for g in gone))
    return bool(gone) and typographic_key(kept) == typographic_key(row.new.text)


def _resembles(sentence: OldSentence, text: str) -> bool:
    """Whether a sentence of ``text`` is a rewording of ``sentence`` (half its words or
    more in common, in order), rather than something else."""
    from difflib import SequenceMatcher
    return any(SequenceMatcher(None, sentence.words, s.words, autojunk=False).ratio()
               >= RESEMBLES for s in sentences([TextUnit(_plain_quotes(text), 0)]))


def _left_out(old: list[OldSentence], reasons: Reasons, ids: list[str]) -> str:
    said: dict[str, list[OldSentence]] = {}
    for s in old:
        said.setdefault(reasons.left_out(s, ids), []).append(s)
    return " ".join(f"{say.quote(group[0].text)} ({group[0].where}): {reason}."
                    for reason, group in said.items())


# ---- the redline ---------------------------------------------------------------------

@dataclass(frozen=True)
class ContentRedline:
    rows: tuple[Row, ...]
    summary: ContentSummary
    docx: bytes


def _changes(rows: list[Row]):
    """Each row as a :class:`ParaChange`, with whole new sections and clauses inserted."""
    from .tracked import ParaChange
    with_old = _with_old(rows)
    for row in rows:
        status, new = row.status, row.new
        if status == "removed":
            yield row, ParaChange(Para("text", row.old_text), None)
        elif status == "added":
            yield row, ParaChange(None, new)
        elif status == "changed":
            yield row, ParaChange(Para(new.style, row.old_text, new.label), new)
        elif (row.unit is not None and row.unit.kind in ("section", "clause")
              and id(row.unit) not in with_old):
            yield row, ParaChange(None, new)          # a heading of a new section or clause
        else:
            yield row, ParaChange(new, new)


def redline_against(old_paragraphs, old_name: str, new: Protocol, reasons: Reasons,
                    titles, *, author: str | None = None) -> ContentRedline:
    """The redline of ``new`` against an old protocol's paragraphs (read by the
    importer), as DOCX bytes with a comment on every change, and its summary."""
    from .tracked import DEFAULT_AUTHOR, Redliner, finish_redline, redline_time

    from .lossless import check_redline
    old = old_sentences(old_paragraphs)
    rows = annotate(match(old, new, titles, reasons.corrected_in), reasons)
    author = author or new.council or DEFAULT_AUTHOR
    when = redline_time(new)
    writer = Redliner(author, when.date(), loose=True)
    for row, change in _changes(rows):
        writer.paragraph(change)
        if row.comment:
            paragraph = writer.document.paragraphs[-1]
            comment = writer.document.add_comment(paragraph.add_run(""), text=row.comment,
                                                  author=author, initials="")
            comment._comment_elm.date = when      # the document's date, not the clock
    summary = ContentSummary(old_name, new.describe(), tuple(rows))
    docx = finish_redline(writer.document, new, old_name, new.describe(), author)
    check_redline(old, rows, docx, old_name)      # nothing of the old protocol lost
    return ContentRedline(tuple(rows), summary, docx)


# ---- from files' contents ------------------------------------------------------------

def read_old(data: bytes, name: str) -> list:
    """The provisions of an old protocol (.md, .txt, .docx, .pdf or .html), read by the
    importer. Raises ProtocolGenError when it cannot be read or holds no provisions."""
    from ..errors import ProtocolGenError
    from ..importer.house import ORIGINAL_VERSION
    from ..importer.read import read_source
    from ..importer.structure import parse
    from ..importer.accounted import check_reading
    source = read_source(data, name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, name)
    provisions = [p for p in structure.paragraphs if p.text != ORIGINAL_VERSION and
                  p.kind in ("provision", "furniture")]
    if not any(p.kind == "provision" for p in provisions):
        raise ProtocolGenError("no numbered paragraphs or sentences were found to compare",
                               file=name, hint="give the council's current protocol (.md, "
                               ".txt, .docx, .pdf or .html)")
    return provisions


def reasons_for(profile, library, doc, profile_path: str) -> Reasons:
    """The comments' sources for one build: ``explain`` of each clause, and the library's
    record of source sentences it leaves out on purpose."""
    from pathlib import Path

    from ..library.coverage import (EXCLUSIONS_FILE, PROFILES_DIR, library_index,
                                    read_exclusions, source_contexts)
    from ..library.provenance import explain
    report = explain(profile, library, doc, profile_path)
    clauses, left_out = {}, {}
    for section in report.sections:
        for c in section.clauses:
            if c.included:
                note = c.note or (f"Drafted because: {c.drafted_because}"
                                  if c.drafted_because else "")
                clauses[c.id] = Why(c.number or "", c.source or "", c.reason, note)
            else:
                left_out[c.id] = c.reason if section.included else \
                    f"its section is left out: {section.reason}"
    files = [Path(f) / EXCLUSIONS_FILE.name for f in library.folders] or [EXCLUSIONS_FILE]
    exclusions = tuple((e.words, e.reason) for f in dict.fromkeys(files)
                       for e in read_exclusions(f))
    contexts, _ = source_contexts(PROFILES_DIR)
    index, _, _ = library_index(library, contexts)
    from ..errors import ProtocolGenError
    from ..importer.run import _register
    from ..library.clauses import SHIPPED
    try:
        register = _register(tuple(str(f) for f in library.folders
                                   if Path(f).resolve() != SHIPPED.resolve()))
    except ProtocolGenError:
        register = None         # the comments then say less about the law, nothing else
    return Reasons(clauses, exclusions, left_out, index, register, profile.council.nation,
                   repeats(doc))


def repeats(doc) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words, why) for each list item the assembly left out of ``doc`` because another
    paragraph makes its point: "paragraph 2.1 already says this (Mutual respect and
    courtesy)"."""
    from ..library.points import document_points, load_points
    made, titles = document_points(doc), load_points()
    out = []
    for clause in doc.clauses():
        for text, ids in zip(clause.left_out, clause.left_out_points):
            where = dict.fromkeys(m.number for p in ids for m in made.get(p, ())
                                  if m.clause != clause.id)
            if not where:
                continue
            named = "; ".join(titles[p].title if p in titles else p for p in ids)
            out.append((normalise(_plain_quotes(text)),
                        say.repeated(sorted(where, key=_natural), named)))
    return tuple(out)


def _natural(number: str) -> list:
    return [int(x) if x.isdigit() else x for x in number.replace(".", " ").split()]


def redline_files(old_data: bytes, old_name: str, profile, library, doc,
                  profile_path: str, new_name: str) -> ContentRedline:
    """The redline of an assembled ``doc`` against the council's current protocol, given
    as the file's bytes and name."""
    from ..library.sentences import title_classes
    from .readback import from_document
    new = from_document(doc, new_name)
    reasons = reasons_for(profile, library, doc, profile_path)
    titles = title_classes([profile.context()])
    return redline_against(read_old(old_data, old_name), old_name, new, reasons, titles)
