"""Word tracked changes, written paragraph by paragraph, and the redline's finishing.

A paragraph's old and new text are compared word by word; each difference becomes a
real tracked change (``w:ins`` / ``w:del``, through :mod:`generator.render.oxml`), a
paragraph added or removed whole has its paragraph mark tracked too, and a number that
only moved is the one tracked change in its paragraph. Every redline is dated with the
newer document's adoption date, or the day it is built when that is a draft.
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import difflib
import re

from ..document import word_property
from .readback import Para, Protocol

DEFAULT_AUTHOR = "protocol-gen"
REDLINE_MARK = "Tracked changes: accept all to get the newer text."
_TOKEN = re.compile(r"\d+(?:\.\d+)+|\w+(?:['’]\w+)*|\s+|[^\w\s]")


@dataclass(frozen=True)
class ParaChange:
    """One paragraph of the redline: ``old`` and/or ``new``."""

    old: Para | None
    new: Para | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "same" if self.old == self.new else "changed"



_STYLES = {"title": "Title", "meta": "Subtitle", "section": "Heading 1", "part": "Heading 1",
           "subheading": "Heading 2", "clause": "Normal", "item": "List Paragraph",
           "bullet": "List Bullet", "text": "Normal"}


_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
                       "\u00ad": ""})


def _key(token: str) -> str:
    """A token as compared when typography does not count: quote marks and dashes."""
    return token.translate(_SAME)


def _segments(old: str, new: str, loose: bool = False) -> list[tuple[str, str, str]]:
    """Word-level differences as (op, old text, new text), op in equal / change;
    whitespace-only equal stretches between changes are folded into the change.
    ``loose``: quote marks, dashes and hyphenation ("dayto" / "day-to") are not
    differences (the new text is shown)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ka, kb = ([_key(t) for t in a], [_key(t) for t in b]) if loose else (a, b)
    ops = difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes()
    raw = [("equal" if op == "equal" else "change", "".join(a[i1:i2]), "".join(b[j1:j2]))
           for op, i1, i2, j1, j2 in ops]
    merged: list[list[str]] = []
    for k, (op, x, y) in enumerate(raw):
        between = 0 < k < len(raw) - 1 and op == "equal" and not x.strip()
        if (op == "change" or between) and merged and merged[-1][0] == "change":
            merged[-1][1] += x
            merged[-1][2] += y
        elif between:
            merged.append(["change", x, y])
        else:
            merged.append([op, x, y])
    if loose:
        merged = [["equal", x, y] if op == "change" and typographic_key(x) ==
                  typographic_key(y) else
                  [op, x, y] for op, x, y in merged]
    return [tuple(m) for m in merged]  # type: ignore[misc]


def typographic_key(text: str) -> str:
    """``text`` without spaces, hyphens, dashes and quote marks, in lower case: two texts
    with the same key differ only in typography and hyphenation."""
    return re.sub(r"[\s\-\u2010\u2011\u2013\u2014'\u2018\u2019\"\u201c\u201d\u00ad]+", "",
                  text.lower())


class Redliner:
    """Writes paragraphs whose differences are Word tracked changes."""

    def __init__(self, author: str, date: dt.date | None, loose: bool = False):
        import docx

        self.loose = loose          # typography and hyphenation are not differences
        self.document = docx.Document()
        self.author = author
        self.date = f"{date.isoformat()}T00:00:00Z" if date else None
        self.next_id = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _run(self, paragraph, text: str, kind: str | None) -> None:
        from ..render.oxml import track_run
        if not text:
            return
        run = paragraph.add_run(text)
        if kind:
            track_run(run._r, kind, self._id(), self.author, self.date)

    def paragraph(self, change: ParaChange) -> None:
        from ..render.oxml import track_paragraph_mark

        para = change.new or change.old
        paragraph = self.document.add_paragraph(style=_STYLES.get(para.style, "Normal"))
        if para.label or para.style == "item":
            from docx.shared import Cm
            depth = 2 if para.style == "item" else 1
            paragraph.paragraph_format.left_indent = Cm(1.25 * depth)
            paragraph.paragraph_format.first_line_indent = Cm(-1.25)
        status = change.status
        if status in ("added", "removed"):
            kind = "ins" if status == "added" else "del"
            self._run(paragraph, _prefix(para), kind)
            self._run(paragraph, para.text, kind)
            track_paragraph_mark(paragraph._p, kind, self._id(), self.author, self.date)
            return
        old, new = change.old, change.new
        before, after = _label(old), _label(new)
        if before == after:
            self._run(paragraph, _prefix(new), None)
        elif before and after:   # renumbered: only the number is a tracked change
            self._run(paragraph, before, "del")
            self._run(paragraph, after, "ins")
            self._run(paragraph, "\t", None)
        else:
            self._run(paragraph, _prefix(old), "del")
            self._run(paragraph, _prefix(new), "ins")
        for op, x, y in _segments(old.text, new.text, self.loose):
            if op == "equal":
                self._run(paragraph, y, None)
            else:
                self._run(paragraph, x, "del")
                self._run(paragraph, y, "ins")


def _label(para: Para) -> str:
    """The number as printed: '7.' for a section, '7.2', '(a)'."""
    if not para.label:
        return ""
    return f"{para.label}." if para.style == "section" else para.label


def _prefix(para: Para) -> str:
    return f"{_label(para)}\t" if para.label else ""


def finish_redline(document, new: Protocol, old_name: str, new_name: str,
                   author: str) -> bytes:
    """The redline's header and Word properties, saved as DOCX bytes dated with the
    newer document's date (never the clock)."""
    document.sections[0].header.paragraphs[0].text = \
        f"Redline: changes from {old_name} to {new_name}"
    props = document.core_properties
    title = new.units[0].paras[0].text if new.units else "Protocol"
    props.title = word_property(f"{title} (redline)")
    props.subject = word_property(f"Changes from {old_name} to {new_name}")
    props.author = props.last_modified_by = word_property(author)
    props.comments = REDLINE_MARK
    props.language = "en-GB"
    props.revision = 1
    when = redline_time(new)
    props.created = props.modified = when
    if new.version:
        props.version = word_property(new.version)
    from ..render.docx import save_deterministic
    return save_deterministic(document, when.date())


def redline_time(new: Protocol) -> dt.datetime:
    """The moment a redline is dated: an adopted document's adoption date; for a draft
    (or a document with no date), the day it is built: a draft's latest history entry is
    the earlier version's date, not the day of these changes."""
    day = new.date if new.date and not new.draft else dt.date.today()
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


