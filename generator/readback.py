"""Generated protocols read back as text: Markdown, DOCX, or an assembled Document.

A protocol becomes a sequence of *units*: the front matter, each section heading, each
clause with its sub-heading, lists and further paragraphs, and the unnumbered parts
(version history, signatures). Each paragraph keeps its printed label (7, 7.2, (a))
apart from its words, so that a redline can tell renumbering from rewording.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .document import MONTHS, Document, long_date
from .errors import ProtocolGenError

PROTOCOL_SUFFIXES = (".md", ".markdown", ".docx")
PROFILE_SUFFIXES = (".yaml", ".yml")

_CLAUSE = re.compile(r"^(?P<number>\d+\.\d+)\s+(?P<text>.*)$", re.DOTALL)
_SECTION = re.compile(r"^(?P<number>\d+)\.?\s+(?P<text>.*)$", re.DOTALL)
_VERSION = re.compile(r"\bVersion (?P<version>.+?)\.(?:\s|$)")
_LONG_DATE = re.compile(r"\b(?P<day>\d{1,2}) (?P<month>" + "|".join(MONTHS) +
                        r") (?P<year>\d{4})\b")
_ADOPTED = re.compile(r"\bAdopted (?P<date>\d{1,2} \w+ \d{4})")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx")


# ---- the model ------------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    """One paragraph as a reader sees it: its printed label (a number, '(a)') and text."""

    style: str     # title, meta, section, part, subheading, clause, item, bullet, text
    text: str
    label: str = ""

    @property
    def display(self) -> str:
        if not self.label:
            return self.text
        return f"{self.label}. {self.text}" if self.style == "section" else \
            f"{self.label} {self.text}"


@dataclass(frozen=True)
class Unit:
    """A section heading, a clause (with everything printed under its number), the front
    matter, or an unnumbered part (version history, signatures)."""

    kind: str                  # front, section, clause, part
    paras: tuple[Para, ...]
    number: str | None = None
    id: str | None = None      # clause or section id, when read from a profile

    @property
    def title(self) -> str:
        """A short name for summaries: the id, a sub-heading, or the opening words."""
        if self.kind == "section":
            return self.paras[0].text
        if self.kind == "part":
            return self.paras[0].text
        heading = next((p.text for p in self.paras if p.style == "subheading"), None)
        words = next((p.text for p in self.paras if p.style == "clause"),
                     self.paras[0].text).split()
        opening = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
        name = self.id or heading
        return f"{name}: \"{opening}\"" if name else f"\"{opening}\""

    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass(frozen=True)
class Protocol:
    """A generated protocol read back as text."""

    name: str
    units: tuple[Unit, ...]
    council: str | None = None
    version: str | None = None
    date: dt.date | None = None

    @property
    def has_ids(self) -> bool:
        return any(u.id for u in self.units)

    def paragraphs(self) -> list[str]:
        """Every paragraph as printed, in order (what accepting all changes must give)."""
        return [p.display for u in self.units for p in u.paras]

    def describe(self) -> str:
        parts = [f"version {self.version}" if self.version else self.name]
        if self.date:
            parts.append(f"({long_date(self.date)})")
        return " ".join(parts)


# ---- reading ------------------------------------------------------------------------

class _Builder:
    """Collects paragraphs into units as a reader meets them."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.kind: str | None = None
        self.paras: list[Para] = []
        self.number: str | None = None
        self.waiting_for_number = False   # a sub-heading starts a clause before its number

    def close(self) -> None:
        if self.paras:
            self.units.append(Unit(self.kind or "front", tuple(self.paras), self.number))
        self.kind, self.paras, self.number = None, [], None
        self.waiting_for_number = False

    def start(self, kind: str, para: Para, number: str | None = None) -> None:
        self.close()
        self.kind, self.paras, self.number = kind, [para], number

    def title(self, text: str) -> None:
        self.start("front", Para("title", text))

    def heading(self, text: str, label: str | None = None) -> None:
        if label is None:
            m = _SECTION.match(text)
            if m:
                label, text = m.group("number"), m.group("text")
        if label:
            self.start("section", Para("section", text, label), label)
        else:
            self.start("part", Para("part", text))

    def subheading(self, text: str) -> None:
        self.start("clause", Para("subheading", text))
        self.waiting_for_number = True

    def paragraph(self, text: str, label: str | None = None) -> None:
        if label is None:
            m = _CLAUSE.match(text)
            if m:
                label, text = m.group("number"), m.group("text")
        if label:
            if self.waiting_for_number:
                self.paras.append(Para("clause", text, label))
                self.number = label
                self.waiting_for_number = False
            else:
                self.start("clause", Para("clause", text, label), label)
            return
        if self.kind is None:
            self.start("front", Para("text", text))
        elif self.kind == "front" and len(self.paras) == 1:
            self.paras.append(Para("meta", text))
        else:
            self.paras.append(Para("text", text))

    def item(self, text: str, label: str = "", bullet: bool = False) -> None:
        para = Para("bullet" if bullet else "item", text, label)
        if self.kind is None:
            self.start("front", para)
        else:
            self.paras.append(para)


def _label(ordered: bool, depth: int, index: int) -> str:
    if not ordered:
        return ""
    if depth % 2 == 1:
        return f"({_LETTERS[(index - 1) % 26] * (1 + (index - 1) // 26)})"
    return f"({_ROMAN[index - 1] if index <= len(_ROMAN) else index})"


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def read_markdown(text: str, name: str = "<markdown>") -> Protocol:
    """A protocol this tool wrote as Markdown, read back unit by unit."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    b = _Builder()
    lists: list[list] = []          # [ordered, next index] per open list
    item_paragraphs: list[int] = []  # paragraphs seen in each open list item
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if tok.type == "ordered_list_open" else 1
            lists.append([tok.type == "ordered_list_open", start])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open":
            item_paragraphs.append(0)
        elif tok.type == "list_item_close":
            item_paragraphs.pop()
            lists[-1][1] += 1
        elif tok.type == "inline":
            opener = tokens[i - 1]
            content = _inline_text(tok)
            if opener.type == "heading_open":
                level = int(opener.tag[1])
                if level == 1:
                    b.title(content)
                elif level == 2:
                    b.heading(content)
                else:
                    b.subheading(content)
            elif lists:
                ordered, index = lists[-1]
                first = item_paragraphs[-1] == 0
                item_paragraphs[-1] += 1
                b.item(content, _label(ordered, len(lists), index) if first else "",
                       bullet=not ordered and first)
            else:
                b.paragraph(content)
        elif tok.type in ("fence", "code_block") and tok.content.strip():
            b.paragraph(tok.content.strip())
    b.close()
    return _protocol(name, b.units)


def _paragraph_numbering(paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph's own or its style's numbering, or None."""
    from docx.oxml.ns import qn

    def num_pr_of(ppr):
        return None if ppr is None else ppr.find(qn("w:numPr"))

    found = num_pr_of(paragraph._p.pPr)
    style = paragraph.style
    while found is None and style is not None:
        found = num_pr_of(style.element.pPr)
        style = style.base_style
    if found is None:
        return None
    num_id = found.find(qn("w:numId"))
    ilvl = found.find(qn("w:ilvl"))
    num = int(num_id.get(qn("w:val"))) if num_id is not None else 0
    if num == 0:
        return None
    return num, int(ilvl.get(qn("w:val"))) if ilvl is not None else 0


def read_docx(data: bytes, name: str = "<docx>") -> Protocol:
    """A protocol this tool wrote as DOCX, read back paragraph by paragraph with
    python-docx. Word numbering (sections 1, clauses 1.1, items (a)) is worked out
    again from each paragraph's numbering level, since it is not part of the text."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any unreadable package
        raise ProtocolGenError(f"cannot read the DOCX file: {exc}", file=name,
                               hint="give a .docx file this tool wrote") from None
    b = _Builder()
    section = clause = 0
    items: dict[int, int] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                text = " | ".join(dict.fromkeys(c for c in cells if c))
                if text:
                    b.item(text)
            continue
        text = re.sub(r"\s+", " ", block.text).strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        numbering = _paragraph_numbering(block)
        level = numbering[1] if numbering else None
        if style == "Title":
            b.title(text)
        elif style.startswith("TOC") or style == "Table of Contents":
            continue
        elif style == "Heading 1":
            if numbering and not _SECTION.match(text):
                section, clause = section + 1, 0
                b.heading(text, str(section))
            else:
                b.heading(text)
                m = _SECTION.match(text)
                section, clause = (int(m.group("number")), 0) if m else (section, clause)
        elif style.startswith("Heading"):
            b.subheading(text)
        elif level == 1 or (level == 0 and section and not style.startswith("List")):
            if _CLAUSE.match(text):
                b.paragraph(text)
            else:
                clause += 1
                items.clear()
                b.paragraph(text, f"{section}.{clause}")
        elif level is not None and level >= 2 or (level is not None and
                                                  style.startswith("List Number")):
            depth = max(1, level - 1) if level >= 2 else 1
            for deeper in [k for k in items if k > depth]:
                del items[deeper]
            items[depth] = items.get(depth, 0) + 1
            b.item(text, _label(True, depth, items[depth]))
        elif style.startswith("List Bullet") or (level is not None):
            b.item(text, bullet=True)
        else:
            if _CLAUSE.match(text):
                items.clear()
            b.paragraph(text)
    b.close()
    props = document.core_properties
    protocol = _protocol(name, b.units)
    return replace(protocol, council=protocol.council or props.author or None,
                   version=protocol.version or props.version or None)


def _parse_long_date(text: str) -> dt.date | None:
    m = _LONG_DATE.search(text)
    if not m:
        return None
    return dt.date(int(m.group("year")), MONTHS.index(m.group("month")) + 1, int(m.group("day")))


def _protocol(name: str, units: list[Unit]) -> Protocol:
    """Fill in council, version and date from the front matter and history."""
    council = version = date = None
    front = next((u for u in units if u.kind == "front"), None)
    if front:
        title = front.paras[0].text
        if ": " in title:
            council = title.rpartition(": ")[0]
        for para in front.paras[1:]:
            version = version or (m.group("version") if (m := _VERSION.search(para.text))
                                  else None)
            adopted = _ADOPTED.search(para.text)
            date = date or (_parse_long_date(adopted.group("date")) if adopted else None)
    if date is None:
        history = [d for u in units if u.kind == "part" for p in u.paras[1:]
                   if (d := _parse_long_date(p.text))]
        date = max(history) if history else None
    if not units or units[0].paras[0].style != "title":
        raise ProtocolGenError("this does not look like a protocol written by protocol-gen "
                               "(no title)", file=name,
                               hint="compare two protocols this tool wrote, or two profiles")
    return Protocol(name, tuple(units), council, version, date)


def from_document(doc: Document, name: str = "<profile>") -> Protocol:
    """A protocol straight from an assembled Document: as its Markdown reads, with the
    clause and section ids attached (so clauses align by id)."""
    from .render_markdown import render_markdown

    protocol = read_markdown(render_markdown(doc), name)
    ids = {c.number: c.id for c in doc.clauses()}
    ids.update({str(s.number): s.id for s in doc.sections})
    units = tuple(replace(u, id=ids.get(u.number)) if u.kind in ("section", "clause") else u
                  for u in protocol.units)
    meta = doc.meta
    dated = meta.adopted or (max(h.date for h in meta.history) if meta.history else None)
    return Protocol(name, units, meta.council_name, meta.version, dated)


def load_protocol(path: Path | str, document_for: Callable[[Path], Document] | None = None
                  ) -> Protocol:
    """Read OLD or NEW for ``diff``: a generated .md or .docx, or a profile (.yaml) that
    ``document_for`` assembles."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PROFILE_SUFFIXES:
        if document_for is None:
            raise ProtocolGenError("a profile needs the clause library to be compared",
                                   file=str(path))
        return from_document(document_for(path), str(path))
    if suffix not in PROTOCOL_SUFFIXES:
        raise ProtocolGenError(f"cannot compare a '{suffix or path.name}' file",
                               file=str(path),
                               hint="give two protocols this tool wrote (.md or .docx) or "
                                    "two council profiles (.yaml)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProtocolGenError("no such file", file=str(path),
                               hint="check the name and folder") from None
    except OSError as exc:
        raise ProtocolGenError(f"cannot read the file: {exc.strerror}", file=str(path)) \
            from None
    if suffix == ".docx":
        return read_docx(data, str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolGenError("the Markdown file is not UTF-8 text", file=str(path),
                               hint="give a .md file this tool wrote") from None
    return read_markdown(text, str(path))
