"""The parts of a council's document that are not provisions: its furniture.

An adoption line ("This Protocol was adopted by the County Council on 21st November 2019
and will be reviewed every three years."), a version-history table (Version | Date |
Change | Approved by), a cover page (a table of the document's reference, dates and
owner, the council's address), a contents list (dot leaders and page numbers, or Word's
own) and footnotes typed at the end. :func:`mark` gives each such line its reason, in a
committee's words; :mod:`.structure` keeps it as a paragraph of kind ``furniture``: never
a provision of the new draft, its dates still read, and struck through in the redline
with that reason (so rejecting every change gives it back). :func:`history` reads the
version-history rows for the imported profile.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import re

from .dates import dates_in, is_adoption_record, is_date_line

ADOPTION = "The adoption record moves to the title page and version history."
HISTORY = "The version history moves to the new protocol's version history table."
COVER = ("Part of the old cover page: the new protocol's title page gives its name, "
         "version and dates.")
CONTENTS = "The contents list is made afresh."
FOOTNOTE = ("A footnote: the new protocol has no footnotes; if its reference is still "
            "needed, add it to the paragraph it marked.")

_HEADER_WORDS = {"version", "date", "change", "changes", "amendment", "amendments",
                 "description", "approved", "by", "author", "summary", "issue", "no",
                 "details", "of", "reason", "status", "revision", "adopted", "comments"}
_VERSION = re.compile(r"^(?:v(?:ersion)?\.?\s*)?(\d{1,2}(?:\.\d{1,2}){0,2})\b", re.I)
_COVER_KEYS = re.compile(r"^(?:document|policy|reference|ref|adopted|approved|review|"
                         r"next review|review date|owner|version|author|status|date|"
                         r"classification|department|responsible|minute|issued?)\b", re.I)
_TOC_HEAD = re.compile(r"^(?:table of )?contents$|^index$", re.I)
_TOC_LINE = re.compile(r"^(?P<entry>\S.{1,120}?)(?:\s*(?:\.{3,}|\u2026+|_{3,})\s*|\s+)"
                       r"(?P<page>\d{1,3})(?:\s+(?P<rest>\d{1,2}\.?\s+[A-Z].*))?$")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_REVIEW = re.compile(r"\b(?:and\s+)?(?:will|shall|is to|must)\s+be\s+(?:kept\s+under\s+)?"
                     r"review(?:ed)?\s+(?:every\s+(?:\w+\s+)?(?:years?|months?)|annually|"
                     r"each\s+year|at\s+least\s+every\s+\w+\s+years?|within\s+\w+\s+years?|"
                     r"biennially)", re.I)
_ADOPTED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?\s+)?(?:this|the)\s+(?:protocol|policy|"
                      r"document|code)\s+(?:was|were|has\s+been)\s+(?:first\s+)?"
                      r"(?:adopted|approved|agreed|ratified)\b", re.I)
_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(?=\S)")


def mark(source):
    """``source`` (:class:`.read.Source`) with its furniture lines marked (their
    ``furniture`` is the reason). Called by :func:`.read.read_source`."""
    lines = _split_contents(source.lines)
    text = [k for k, line in enumerate(lines) if line.text.strip()]
    reasons: dict[int, str] = {}
    _contents(lines, text, reasons)
    _tables(lines, text, reasons)
    _cover(lines, text, reasons)
    _adoption(lines, text, reasons)
    _footnotes(lines, text, reasons, source.footnote_marks)
    lines = [replace(line, furniture=reasons[k]) if k in reasons and
             not line.furniture else line for k, line in enumerate(lines)]
    notes = sorted(int(_FOOTNOTE.match(line.text.strip()).group(1)) for line in lines
                   if line.furniture == FOOTNOTE)
    places = dict(source.footnote_marks)
    if notes and not places:
        lines = _unmark(lines, notes, places)
    source.lines = [replace(line, furniture=_marked(line.text, places))
                    if line.furniture == FOOTNOTE else line for line in lines]
    return source


def _marked(note: str, places: dict[str, str]) -> str:
    """A footnote's reason, with the start of the paragraph its marker is in."""
    place = places.get(_FOOTNOTE.match(note.strip()).group(1), "").split()
    if not place:
        return FOOTNOTE
    start = " ".join(place[:8]) + ("\u2026" if len(place) > 8 else "")
    return f"{FOOTNOTE[:-1]} (\u201c{start}\u201d)."


_NOT_A_MARK = re.compile(r"\b(?:paragraphs?|sections?|parts?|schedules?|articles?|rules?|"
                         r"regulations?|clauses?|chapters?|pages?|annex|appendix|items?|"
                         r"no|number|years?|months?|weeks?|days?|hours?|s|ss|reg|para|"
                         r"art|pt|sch|minute|version|stage|level|grade|point|step)$", re.I)


_UNIT = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?|minutes?|per|to|x)"
                   r"\b", re.I)


def _mark_at(text: str, n: int):
    """Where footnote ``n``'s marker follows a word ("Constitution 1 and", "meeting 3,"),
    not a number of something ("paragraph 4 and", "within 2 years")."""
    for m in re.finditer(rf"(?<=[a-z)\u2019'])\s?\^?{n}(?:\s*(?=[,.;:)])|(?=\s+[a-z]|$))",
                         text, re.MULTILINE):
        if not _NOT_A_MARK.search(text[: m.start()].rstrip()) and \
                not _UNIT.match(text, m.end()):
            return m
    return None


def _unmark(lines: list, notes: list[int], places: dict[str, str]) -> list:
    """A PDF or text gives a footnote's marker as a number after a word ("Constitution 1
    and"): the first such number for each note, in order, is taken out of the text."""
    out, want = [], list(notes)
    for line in lines:
        text = line.text
        while want and not line.furniture:
            n = want[0]
            m = _mark_at(text, n)
            if m is None:
                break
            text = text[: m.start()] + text[m.end():]
            places[str(want.pop(0))] = text
        out.append(replace(line, text=text) if text != line.text else line)
    return out


def _split_contents(lines: list) -> list:
    """A PDF's last contents entry run into the first heading ("7. Review.... 5
    1. Introduction"): two lines."""
    out = []
    for line in lines:
        m = _TOC_LINE.match(line.text.strip())
        if m and m.group("rest") and re.search(r"\.{3,}|\u2026", line.text):
            out += [replace(line, text=line.text[: m.start("rest")].strip()),
                    replace(line, text=m.group("rest"), heading=None)]
        else:
            out.append(line)
    return out


def _toc_like(text: str) -> bool:
    m = _TOC_LINE.match(text.strip())
    return bool(m) and not m.group("rest") and len(text.split()) <= 16 and \
        not m.group("entry").rstrip().endswith((".", ";", ",", ":")) or \
        bool(m) and bool(re.search(r"\.{4,}|\u2026{2,}", text))


def _contents(lines, text, reasons) -> None:
    """A "Contents" line and the entries after it; or three entries with dot leaders."""
    for n, k in enumerate(text):
        if _TOC_HEAD.match(lines[k].text.strip()) or lines[k].text.strip().endswith(
                " Contents") and n + 1 < len(text) and _toc_like(lines[text[n + 1]].text):
            run = [j for j in _run(lines, text[n + 1:], _toc_like)]
            if run:
                reasons.setdefault(k, CONTENTS)
                reasons.update({j: CONTENTS for j in run})
    for n in range(len(text)):
        run = _run(lines, text[n:], lambda t: _toc_like(t) and bool(
            re.search(r"\.{4,}|\u2026{2,}|_{4,}", t)))
        if len(run) >= 3:
            reasons.update({j: CONTENTS for j in run})


def _run(lines, ks, test) -> list[int]:
    out = []
    for k in ks:
        if not test(lines[k].text):
            break
        out.append(k)
    return out


def _header(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    return 2 <= len(words) <= 10 and sum(w in _HEADER_WORDS for w in words) >= 3 and \
        words[0] in ("version", "issue", "revision", "date", "no") and \
        all(w in _HEADER_WORDS for w in words)


def _tables(lines, text, reasons) -> None:
    """A version-history table: its heading row and every row after it (a table's rows,
    or a PDF's lines torn from its cells until the body starts again)."""
    for n, k in enumerate(text):
        if not _header(lines[k].text) or k in reasons:
            continue
        reasons[k] = HISTORY
        for j in text[n + 1:]:
            line = lines[j]
            t = line.text.strip()
            if lines[k].row and not line.row:
                break
            if not lines[k].row and (line.heading or is_date_line(t) or _ADOPTED.match(t)
                                     or len(t.split()) > 12 or not _VERSION.match(t) and
                                     t.endswith((".", ";", ":"))):
                break
            reasons[j] = HISTORY


def _body_starts(lines, text) -> int:
    """The index of the first line of running text: a sentence of 12 words or more, or a
    numbered or closed one of 4 or more (not a date line, a table row or a heading)."""
    def body(line) -> bool:
        t = line.text.strip()
        n = len(t.split())
        return not line.row and not line.heading and not is_date_line(t) and (
            n >= 12 or n >= 4 and (bool(re.match(r"^\d{1,3}(?:\.\d{1,3})*\.?\s", t)) or
                                   t.endswith((".", ":"))) and not _toc_like(t))
    return next((k for k in text if body(lines[k])), len(lines))


def _cover(lines, text, reasons) -> None:
    """Before the body: a table of the document's details and the council's address."""
    start = _body_starts(lines, text)
    before = [k for k in text if k < start and k not in reasons]
    rows = [k for k in before if lines[k].row]
    if rows and all(len(lines[k].text.split()) <= 12 for k in rows) and \
            any(_COVER_KEYS.match(lines[k].text.strip()) for k in rows):
        reasons.update({k: COVER for k in rows})
    for k in before:
        t = lines[k].text.strip()
        if lines[k].row or lines[k].label or len(t.split()) > 24 or t.endswith((".", ";", ":")):
            continue
        if t.count(",") >= 2 and not re.search(r"\bprotocol\b|\bcode\b", t, re.I) or \
                _POSTCODE.search(t) or (not lines[k].heading and _COVER_KEYS.match(t) and (
                    ":" in t and dates_in(t) or re.match(r"^\w+(?: \w+)?:", t))):
            reasons[k] = COVER
    for _ in range(3):      # a cover table a PDF gives as lines: "Owner Town Clerk"
        for n, k in enumerate(before):
            near = before[max(0, n - 1): n + 2]
            if k not in reasons and not lines[k].heading and len(
                    lines[k].text.split()) <= 6 and _COVER_KEYS.match(lines[k].text.strip()) \
                    and any(reasons.get(j) == COVER for j in near):
                reasons[k] = COVER


def _adoption(lines, text, reasons) -> None:
    """A line that only records the adoption and the review of the old protocol."""
    for k in text:
        line = lines[k]
        t = line.text.strip()
        if k in reasons or line.heading or line.row or len(t.split()) > 40 or \
                not dates_in(t):
            continue
        plain = _REVIEW.sub("", t).strip()
        if _ADOPTED.match(plain) and is_date_line(_ADOPTED.sub("Adopted", plain)) or \
                is_date_line(t) and re.search(r"\b(?:adopt|approv|agreed|ratif|review|"
                                              r"version)", t, re.I) or \
                is_adoption_record(re.sub(r"^(?:[A-Z]?\d[\d.]*\.?\s+)+", "", t)):
            reasons[k] = ADOPTION


def _footnotes(lines, text, reasons, marks: dict[str, str]) -> None:
    """Notes typed at the end, numbered 1, 2, 3 ... as the markers in the text are."""
    run: list[int] = []
    for k in reversed(text):
        m = _FOOTNOTE.match(lines[k].text.strip())
        if not m or lines[k].heading or lines[k].label:
            break
        run.insert(0, k)
    numbers = [int(_FOOTNOTE.match(lines[k].text.strip()).group(1)) for k in run]
    while numbers and numbers[0] != 1:
        run, numbers = run[1:], numbers[1:]
    if not run or numbers != list(range(1, len(numbers) + 1)):
        return
    body = "\n".join(lines[k].text for k in text if k < run[0])
    if all(len(lines[k].text.split()) <= 40 for k in run) and all(
            str(n) in marks or _mark_at(body, n) for n in numbers):
        reasons.update({k: FOOTNOTE for k in run})


@dataclass(frozen=True)
class Version:
    """One row of the old protocol's version history."""

    version: str
    date: str          # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    change: str


def history(texts: list[str]) -> list[Version]:
    """The rows of a version-history table (its paragraphs' texts, heading row first)."""
    out = []
    for t in texts:
        m = _VERSION.match(t.strip())
        if not m or _header(t):
            continue
        rest = t.strip()[m.end():]
        found = dates_in(rest)
        if not found:
            continue
        d = found[0]
        iso = d.date.isoformat()[: {"day": 10, "month": 7}.get(d.precision, 4)]
        change = " ".join((rest[: d.start] + " " + rest[d.end:]).split()).strip(" |,.-")
        out.append(Version(m.group(1), iso, change or "Adopted"))
    return out


def next_version(version: str) -> str:
    """The version a review adopts after ``version`` ("3.1" -> "4.0")."""
    head = version.split(".")[0]
    return f"{int(head) + 1}.0" if head.isdigit() else "1.0"
