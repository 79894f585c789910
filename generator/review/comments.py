"""The redline's comments, in words a committee reads, about this council's document only.

Each comment starts with what happened, then why, in plain words:

- ``Added: ...`` a paragraph the old protocol did not have (the law it sets out, or a topic
  the old protocol did not cover);
- ``Reworded for clarity.`` or ``Reworded: <why>`` a paragraph that carries old words
  (``Reworded: only the numbers ...`` when only its cross-references were renumbered);
- ``Left out: <why>`` an old sentence the new protocol does not carry.

The reasons come from what is known of the old sentence itself: the law it cites (the
legislation register's status: "the Standards Board for England, which is no longer in
force (abolished 31 March 2012)"), a kind of line the new protocol sets out its own way
(dates, signatures, names), a point the new protocol makes once elsewhere, or a point
that does not apply to this council. Never the library's own vocabulary (sources,
variants, profiles, notes on its seed protocols).

:class:`ContentSummary` is the ``-redline-summary.md``, laid out for people and for a
program (a committee report counts its lines), in this fixed shape::

    # Changes from <old file> to <new protocol>

    Paragraphs of the new protocol compared with the sentences of the old one (kept word
    for word: K; reworded: R; added: A; left out: L). Each item says why.

    ## Reworded
    - <new paragraph number>: Reworded for clarity. [Left out: “<quote>” (<old number>): <why>.]
    ## Added
    - <new paragraph number>: Added: <why>.
    ## Left out
    - <number of the new paragraph it now follows>: Left out: “<quote>” (<old number>): <why>.

R, A and L are the numbers of lines under each heading (a heading with none is left
out, and so is its count); K counts the new paragraphs that keep old sentences word for
word. Each line is one paragraph of the new protocol, named by its number as printed.
"""
from __future__ import annotations

from dataclasses import dataclass
import re

from .changes import LAW_KINDS

ADDED = "Added: "
REWORDED = "Reworded for clarity."
RENUMBERED = ("Reworded: only the numbers of the paragraphs it refers to, which follow the "
              "new numbering.")
LEFT_OUT = "Left out: "
NO_REASON = ("the new protocol does not carry this sentence; check whether the Council "
             "still wants it")

# the reasons the library records for leaving a source's sentence out, in plain words
_KINDS = (
    (r"date of the source|adoption date", "the old document's date; the new protocol "
     "carries its own adoption date"),
    (r"review date", "the old review date; the new protocol sets its own"),
    (r"signature|signatory", "a signature line; the new protocol has its own signature "
     "block"),
    (r"named person", "a person's name; the new protocol names posts, not people"),
    (r"repetition|repeats|already says|said in .* places|dealt with once|made once",
     "the new protocol makes this point once, elsewhere"),
    (r"only officer|sole clerk|one employee|junior staff|seniority",
     "it does not fit a council whose Clerk is its only officer"),
    (r"revoked|repealed|abolished|wrong law|model code", "the law it states has changed"),
    (r"practice of that council|no profile option", "it describes an arrangement the new "
     "protocol does not assume the Council has"),
)


_REFERENCE = re.compile(r"\b(paragraphs?|paras?\.?|sections?|clauses?|parts?)\s+"
                        r"\d+(?:\.\d+)*(?:\s*(?:,|and|or|to|-|\u2013)\s*\d+(?:\.\d+)*)*",
                        re.IGNORECASE)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def renumbered(old: str, new: str) -> bool:
    """Whether ``new`` differs from ``old`` only in the numbers its cross-references
    give ('see paragraph 6.4' become 'see paragraph 8.9')."""
    def bare(text: str) -> str:
        return " ".join(_REFERENCE.sub(r"\1 #", text.translate(_QUOTES)).split()).lower()
    return old != new and bare(old) == bare(new)


def plain(reason: str) -> str:
    """A library reason for leaving a sentence out, said for a committee."""
    wrong = re.match(r"wrong law; ([^;]+)", reason)
    if wrong:
        return wrong.group(1)       # "it quotes the 2007 model code ..., revoked in 2012"
    for pattern, said in _KINDS:
        if re.search(pattern, reason, re.IGNORECASE):
            return said
    return NO_REASON


def of_sentence(text: str) -> str:
    """What kind of line an old sentence is, when that says why it goes: a review date,
    a date, a signature line; or ''."""
    if re.search(r"\b(?:19|20)\d\d\b", text) and len(text.split()) <= 16:
        if re.search(r"\breview", text, re.IGNORECASE):
            return "the old review date; the new protocol sets its own"
        if re.search(r"\b(?:adopted|approved|dated?|version)\b", text, re.IGNORECASE) or \
                len(text.split()) <= 4:
            return "the old document's date; the new protocol carries its own adoption date"
    if re.search(r"\bsign(?:ed|ature)\b", text, re.IGNORECASE) and len(text.split()) <= 6:
        return "a signature line; the new protocol has its own signature block"
    return ""


def law(text: str, register, nation: str | None) -> str:
    """What is wrong with the law ``text`` cites, in plain words, or ''."""
    if register is None:
        return ""
    for entry, _ in register.citations(text):
        if nation and nation not in entry.applies:
            if entry.revoked:
                continue
            where = " and ".join(n.title() for n in entry.applies)
            return f"it cites {entry.name}, which applies in {where} only"
        if entry.revoked:
            status = re.sub(r"^revoked\s*", "", entry.status).strip(" ()")
            return f"it cites {entry.name}, which is no longer in force" + (
                f" ({status})" if status else "")
    return ""


def repeated(numbers: list[str], points: str) -> str:
    """Why a list item is left out: another paragraph makes its point."""
    where = " and ".join(numbers)
    return f"paragraph{'s' if len(numbers) > 1 else ''} {where} already " \
        f"say{'' if len(numbers) > 1 else 's'} this ({points})"


def left_out_clause(reason: str) -> str:
    """Why the point is not in this council's protocol (an ``explain`` reason)."""
    if "exclude" in reason:
        return "the Council chose to leave this point out"
    return "it does not apply to this Council"


def added(section_new: bool, section_title: str, text: str, register) -> str:
    """Why a paragraph is new."""
    if register is not None:
        entries = [e for e, _ in register.citations(text) if not e.revoked]
        law = [e.name for e in entries if e.kind in LAW_KINDS]
        others = [e.name for e in entries if e.kind not in LAW_KINDS]
        if law:
            return ADDED + "it sets out what the law says (" + \
                ", ".join(dict.fromkeys(law)) + ")."
        if others:
            return ADDED + "it follows current codes and guidance (" + \
                ", ".join(dict.fromkeys(others)) + ")."
    if section_new and section_title:
        return ADDED + f"the old protocol did not cover {section_title.lower()}."
    return ADDED + "a point the old protocol did not make."


def quote(text: str, width: int = 12) -> str:
    words = text.split()
    return "\u201c" + " ".join(words[:width]) + (" \u2026" if len(words) > width else "") \
        + "\u201d"


@dataclass(frozen=True)
class ContentSummary:
    """What changed, paragraph by paragraph, with the reasons (the redline's comments);
    its Markdown is laid out as the module docstring says."""

    old: str
    new: str
    rows: tuple

    GROUPS = (("changed", "Reworded"), ("added", "Added"), ("removed", "Left out"))

    def _items(self, status: str) -> list[str]:
        """One line per paragraph: the comments of its rows of ``status``, joined."""
        said: dict[str, list[str]] = {}
        for row in self.rows:
            if row.status == status and row.comment:
                said.setdefault(_row_name(row), []).append(row.comment)
        return [f"{where}: {' '.join(c)}" if where else " ".join(c)
                for where, c in said.items()]

    @property
    def unchanged(self) -> bool:
        return not any(r.status in ("changed", "added", "removed") for r in self.rows)

    def counts(self) -> str:
        """'kept word for word: 3; reworded: 12; added: 9; left out: 3' (one line): the
        numbers of paragraphs listed under each heading."""
        kept = sum(r.status == "same" for r in self.rows)
        parts = [f"{label.lower()}: {n}" for key, label in self.GROUPS
                 if (n := len(self._items(key)))]
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


def _row_name(row) -> str:
    """The number of the new paragraph a row belongs to, as printed ('7.2')."""
    unit = row.unit
    if unit is not None and unit.kind == "clause" and unit.number:
        return unit.number
    if row.new is not None and row.new.label:
        return row.new.label
    return unit.number or "" if unit is not None else ""
