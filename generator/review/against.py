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
from typing import Callable

from ..library.sentences import (QUOTED, Unit as TextUnit, _contained, _Index, _is_heading,
                                 markdown_units, normalise, sentences)
from .readback import Para, Protocol, Unit

MIN_QUOTE_WORDS = 4
RESEMBLES = 0.5
HEADING_WORDS = 5
NO_REASON = ("the new protocol does not carry this sentence and the library records no "
             "reason: check whether it still applies")
_BODY = ("clause", "item", "bullet", "text")


@dataclass(frozen=True)
class OldSentence:
    """One sentence (or list item) of the old protocol."""

    text: str
    words: tuple[str, ...]
    paragraph: int          # the old paragraph it belongs to, counted from 0
    where: str              # how the old protocol numbers that paragraph ('2.4')


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
        return "same" if _tokens(self.old_text) == _tokens(self.new.text) else "changed"


@dataclass(frozen=True)
class Reasons:
    """Where the redline's comments come from."""

    clauses: dict[str, Why]                        # included clauses, by id
    exclusions: tuple[tuple[tuple[str, ...], str], ...] = ()   # (words, reason)
    left_out_clauses: dict[str, str] = field(default_factory=dict)  # id -> why not in
    library: _Index | None = None      # every wording of every clause, by sentence

    def left_out(self, sentence: OldSentence, clause_ids: list[str]) -> str:
        """Why an old sentence is not carried: an exclusion, else the note of a clause
        (nearby ones first) that quotes it, else :data:`NO_REASON`."""
        for words, reason in self.exclusions:
            if words == sentence.words or (len(words) >= MIN_QUOTE_WORDS and
                                           _contained(words, sentence.words)):
                return reason
        for cid in dict.fromkeys([*clause_ids, *self.clauses]):
            why = self.clauses.get(cid)
            if why and _quotes(why.note, sentence.words):
                return f"{why.number}: {why.note}"
        return self._in_library(sentence) or NO_REASON

    def corrected_in(self, sentence: OldSentence) -> str | None:
        """The clause whose wording's note quotes the sentence: the clause that
        corrects it."""
        return next((cid for cid, why in self.clauses.items()
                     if _quotes(why.note, sentence.words)), None)

    def _in_library(self, sentence: OldSentence) -> str:
        """Where the library has the sentence, and why this protocol does not."""
        if self.library is None:
            return ""
        found = sorted(self.library.carriers(sentence.words), key=lambda c: -c.score)
        for c in found:
            if c.clause in self.left_out_clauses:
                return (f"the library has it in the clause '{c.clause}', which this "
                        f"protocol leaves out ({self.left_out_clauses[c.clause]})")
        for c in found:
            why = self.clauses.get(c.clause)
            if why and why.source != c.source:
                return (f"{why.number} uses the {why.source} wording, which does not "
                        f"have it; the {c.source} wording does (drafting.prefer_sources "
                        "or drafting.variants chooses it)")
            if why:
                return f"{why.number} leaves it out for this council: {why.note}".rstrip(": ")
        return ""


def _quotes(note: str, words: tuple[str, ...]) -> bool:
    """Whether ``note`` quotes (part of) the sentence of ``words``."""
    for m in QUOTED.finditer(note or ""):
        quoted = normalise(m.group(1) or m.group(2))
        if len(quoted) >= MIN_QUOTE_WORDS and (_contained(quoted, words) or
                                               _contained(words, quoted)):
            return True
    return False


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_plain_quotes(text).split())


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


# ---- the old protocol ----------------------------------------------------------------

def old_sentences(paragraphs) -> list[OldSentence]:
    """The substantive sentences of the old protocol's provisions (importer paragraphs,
    :class:`generator.importer.structure.Paragraph`), their Markdown marks removed."""
    out: list[OldSentence] = []
    for k, p in enumerate(paragraphs):
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
        found = index.carriers(s.words)
        if found:
            best = max(found, key=lambda c: (c.score, -int(c.clause)))
            home[i] = int(best.clause)
    loose: list[int] = [i for i in range(len(old)) if i not in home]
    first = {}
    for k, row in enumerate(rows):
        if row.status != "layout" and row.unit.id:
            first.setdefault(row.unit.id, k)
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
        if bucket and bucket[-1].old[-1].paragraph == old[i].paragraph:
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
    """Give every changed, added or removed row its comment."""
    commented: set[str] = set()
    with_old = _with_old(rows)
    for row in rows:
        unit = row.unit
        cid = unit.id if unit and unit.kind == "clause" else None
        why = reasons.clauses.get(cid) if cid else None
        status = row.status
        if status == "removed":
            ids = [cid] if cid else []
            row.comment = "Left out. " + _left_out(row.old, reasons, ids)
        elif status == "added" and id(unit) not in with_old:
            if cid not in commented:
                commented.add(cid or "")
                row.comment = "Added. " + (_added(why) if why else "New in this protocol.")
        elif status == "added" and why and cid not in commented:
            commented.add(cid)
            row.comment = "Added to this clause. " + _changed(why)
        elif status == "changed":
            parts = []
            if why and cid not in commented:
                commented.add(cid)
                parts.append(_changed(why))
            gone = [s for s in row.loose if not _resembles(s, row.new.text)]
            if gone:
                said = _left_out(gone, reasons, [cid] if cid else [])
                if why and why.note:      # the note already said it
                    said = said.replace(f": {why.number}: {why.note}", ": as the note says")
                parts.append("Left out here: " + said)
            row.comment = " ".join(parts)
    return rows


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
    return " ".join(f"{_quote(group)} ({group[0].where}): {reason}"
                    for reason, group in said.items())


def _quote(group: list[OldSentence], width: int = 12) -> str:
    words = group[0].text.split()
    return "\u201c" + " ".join(words[:width]) + (" \u2026" if len(words) > width else "") \
        + "\u201d"


def _changed(why: Why) -> str:
    text = f"Wording: {why.source}."
    return f"{text} {why.note}" if why.note else text


def _added(why: Why) -> str:
    text = f"In this protocol because: {why.included}. Wording: {why.source}."
    return f"{text} {why.note}" if why.note else text


# ---- the summary ---------------------------------------------------------------------

@dataclass(frozen=True)
class ContentSummary:
    """What changed, clause by clause, with the reasons (the redline's comments)."""

    old: str
    new: str
    rows: tuple[Row, ...]

    GROUPS = (("changed", "Reworded"), ("added", "Added"), ("removed", "Left out"))

    def _items(self, status: str) -> list[str]:
        items = []
        for row in self.rows:
            if row.status != status or not row.comment:
                continue
            where = _row_name(row)
            items.append(f"{where}: {row.comment}" if where else row.comment)
        return items

    @property
    def unchanged(self) -> bool:
        return not any(r.status in ("changed", "added", "removed") for r in self.rows)

    def counts(self) -> str:
        """'reworded: 12; added: 9; left out: 3' (paragraphs, one line)."""
        n = {key: sum(r.status == key for r in self.rows) for key, _ in self.GROUPS}
        kept = sum(r.status == "same" for r in self.rows)
        parts = [f"{label.lower()}: {n[key]}" for key, label in self.GROUPS if n[key]]
        return "; ".join([f"kept word for word: {kept}", *parts])

    def markdown(self) -> str:
        from ..library.templating import escape_markdown as esc
        out = [f"# Changes from {esc(self.old)} to {esc(self.new)}",
               "Paragraphs of the new protocol compared with the sentences of the old one "
               f"({esc(self.counts())}). Each item says why."]
        for key, label in self.GROUPS:
            items = self._items(key)
            if items:
                out.append(f"## {label}")
                out.append("\n".join(f"- {esc(item)}" for item in items))
        return "\n\n".join(out) + "\n"


def _row_name(row: Row) -> str:
    if row.new is not None and row.new.label:
        return row.new.label
    unit = row.unit
    return unit.number or "" if unit is not None else ""


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

    rows = annotate(match(old_sentences(old_paragraphs), new, titles, reasons.corrected_in),
                    reasons)
    author = author or new.council or DEFAULT_AUTHOR
    writer = Redliner(author, new.date)
    when = redline_time(new)
    for row, change in _changes(rows):
        writer.paragraph(change)
        if row.comment:
            paragraph = writer.document.paragraphs[-1]
            comment = writer.document.add_comment(paragraph.add_run(""), text=row.comment,
                                                  author=author, initials="")
            comment._comment_elm.date = when      # the document's date, not the clock
    summary = ContentSummary(old_name, new.describe(), tuple(rows))
    docx = finish_redline(writer.document, new, old_name, new.describe(), author)
    return ContentRedline(tuple(rows), summary, docx)


# ---- from files' contents ------------------------------------------------------------

def read_old(data: bytes, name: str) -> list:
    """The provisions of an old protocol (.md, .txt, .docx, .pdf or .html), read by the
    importer. Raises ProtocolGenError when it cannot be read or holds no provisions."""
    from ..errors import ProtocolGenError
    from ..importer.house import ORIGINAL_VERSION
    from ..importer.read import read_source
    from ..importer.structure import parse
    provisions = [p for p in parse(read_source(data, name).lines).provisions
                  if p.text != ORIGINAL_VERSION]
    if not provisions:
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
    return Reasons(clauses, exclusions, left_out, index)


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
