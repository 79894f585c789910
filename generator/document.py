"""The Document model every renderer shares.

:func:`generator.assemble.assemble` builds it; renderers only read it. Clause bodies
are Markdown (CommonMark) with their numbers and cross-references already resolved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(value: dt.date | None) -> str:
    """12 May 2025 (British style, no leading zero)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def month_text(value: str | None) -> str:
    """'2026-05' or '2026-05-12' -> 'May 2026' or '12 May 2026'."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return long_date(dt.date(*parts))
    return f"{MONTHS[parts[1] - 1]} {parts[0]}"


@dataclass(frozen=True)
class Clause:
    """One numbered paragraph."""

    id: str
    number: str           # "7.2"
    body: str             # Markdown; the first block is the numbered paragraph
    source: str           # "milcombe 4.2", "drafted"
    heading: str | None = None   # an unnumbered sub-heading printed before the clause
    note: str | None = None      # editorial note (corrections to the source)
    points: tuple[tuple[str, str | None], ...] = ()   # (point id, the list item making it)
    left_out: tuple[str, ...] = ()   # list items whose points other paragraphs make
    left_out_points: tuple[tuple[str, ...], ...] = ()   # the points of each of those


@dataclass(frozen=True)
class Section:
    """A numbered section (level-1 heading) and its clauses."""

    id: str
    number: int
    title: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class HistoryRow:
    version: str
    date: dt.date | None     # None: the current draft, not yet adopted
    change: str

    @property
    def date_text(self) -> str:
        return long_date(self.date) if self.date else "Not yet adopted"


WORD_PROPERTY_MAX = 255     # characters in one of a Word document's properties


def word_property(text: str) -> str:
    """``text`` as a Word document property can hold it: whole when it fits in 255
    characters, else cut at a word and ended with '…'."""
    if len(text) <= WORD_PROPERTY_MAX:
        return text
    cut = text[:WORD_PROPERTY_MAX - 1]
    space = cut.rfind(" ")
    if space > WORD_PROPERTY_MAX - 60:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class Metadata:
    """What the title page, properties, history table and signature block show."""

    council_name: str
    title: str
    version: str
    adopted: dt.date | None
    minute: str | None
    next_review: str | None
    signatories: tuple[str, ...]
    history: tuple[HistoryRow, ...]
    language: str = "en-GB"
    reference_docx: str | None = None

    @property
    def full_title(self) -> str:
        return f"{self.council_name}: {self.title}"

    @property
    def status(self) -> str:
        """'Adopted 12 May 2025 (minute 25/041)' or 'Draft for adoption'."""
        if not self.adopted:
            return "Draft for adoption"
        text = f"Adopted {long_date(self.adopted)}"
        return text + (f" (minute {self.minute})" if self.minute else "")

    @property
    def review_text(self) -> str:
        return f"Next review {month_text(self.next_review)}" if self.next_review else ""

    @property
    def subject(self) -> str:
        return ("How councillors and officers of " + self.council_name +
                " work together")

    @property
    def keywords(self) -> str:
        return "member officer protocol; councillors; officers; governance; " + self.council_name

    def _whole_properties(self) -> dict[str, str]:
        facts = [f"Version {self.version}", self.status]
        if self.review_text:
            facts.append(self.review_text)
        return {"title": self.full_title, "subject": self.subject,
                "author": self.council_name, "keywords": self.keywords,
                "version": self.version, "comments": " ".join(f"{f}." for f in facts)}

    def word_properties(self) -> dict[str, str]:
        """The Word document's properties, each as Word can hold it (at most 255
        characters: longer text is shortened, see :func:`word_property`)."""
        return {name: word_property(text) for name, text in self._whole_properties().items()}

    def shortened_properties(self) -> list[str]:
        """The Word properties too long to hold whole, by name."""
        return [name for name, text in self._whole_properties().items()
                if word_property(text) != text]

    @property
    def date(self) -> dt.date:
        """The document's own date: adoption, else the newest history entry, else a fixed
        epoch (never the clock)."""
        if self.adopted:
            return self.adopted
        dated = [h.date for h in self.history if h.date]
        if dated:
            return max(dated)
        return dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Decision:
    """Why a section or clause is in the document or not (for ``explain``)."""

    kind: str              # "section" or "clause"
    id: str
    included: bool
    reason: str
    number: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Document:
    meta: Metadata
    sections: tuple[Section, ...]
    decisions: tuple[Decision, ...] = field(default=())

    def clauses(self):
        for section in self.sections:
            yield from section.clauses
