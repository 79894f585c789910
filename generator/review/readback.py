"""Generated protocols read back as text: Markdown, DOCX, or an assembled Document.

A protocol becomes a sequence of *units*: the front matter, each section heading, each
clause with its sub-heading, lists and further paragraphs, and the unnumbered parts
(version history, signatures). Each paragraph keeps its printed label (7, 7.2, (a))
apart from its words, so that a redline can tell renumbering from rewording.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import datetime as dt
import io
from pathlib import Path
import re
from typing import Callable

from ..document import MONTHS, Document, long_date
from ..errors import ProtocolGenError
from .parts import canonical

PROTOCOL_SUFFIXES = (".md", ".markdown", ".docx")
PROFILE_SUFFIXES = (".yaml", ".yml")

_CLAUSE = re.compile(r"^(?P<number>\d+\.\d+)\s+(?P<text>.*)$", re.DOTALL)
_SECTION = re.compile(r"^(?P<number>\d+)\.?\s+(?P<text>.*)$", re.DOTALL)
_VERSION = re.compile(r"\bVersion (?P<version>\S+?)\.?(?:\s|$)")
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
    draft: bool = False        # not yet adopted: ``date`` is then the latest history date

    @property
    def has_ids(self) -> bool:
        return any(u.id for u in self.units)

    def paragraphs(self) -> list[str]:
        """Every paragraph as printed, in order (what accepting all changes must give)."""
        return [p.display for u in self.units for p in u.paras]

    def describe(self) -> str:
        parts = [f"version {self.version}" if self.version else self.name]
        if self.draft:
            parts.append("(draft, not yet adopted)")
        elif self.date:
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
        if self.kind == "front" and not any(p.style == "title" for p in self.paras):
            self.paras.append(Para("title", text))   # after the council's name
        else:
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
        elif self.kind == "front" and any(p.style == "title" for p in self.paras):
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
    """A protocol this tool wrote as Markdown, read back unit by unit, with the typographic
    quotes its DOCX has (so that the two formats of one build read back alike)."""
    from ..render.typography import markdown

    tokens = markdown().parse(text)
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


class _WordNumbering:
    """Works out the numbers Word shows (7, 7.2, (a)) from the numbering definitions:
    one counter per list and level, deeper levels restarting when a level moves on."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.levels: dict[int, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[int, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                ilvl = int(override.get(qn("w:ilvl")))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(qn("w:val"))))
            self.levels[int(num.get(qn("w:numId")))] = levels

    def next(self, num_id: int, ilvl: int) -> tuple[str, str]:
        """(number format, label) of the next paragraph in list ``num_id`` at ``ilvl``."""
        levels = self.levels.get(num_id, {})
        fmt, text, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}", 1))
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if fmt in ("bullet", "none"):
            return fmt, ""

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt = levels.get(level, ("decimal", "", 1))[0]
            return _format_number(counts.get(level, levels.get(level, ("", "", 1))[2]),
                                  level_fmt)

        return fmt, re.sub(r"%(\d)", value, text)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _LETTERS[(n - 1) % 26] * (1 + (n - 1) // 26)
    if fmt == "upperLetter":
        return _format_number(n, "lowerLetter").upper()
    if fmt == "lowerRoman":
        return _ROMAN[n - 1] if 0 < n <= len(_ROMAN) else str(n)
    if fmt == "upperRoman":
        return _format_number(n, "lowerRoman").upper()
    return str(n)


def row_cells(row) -> list[str]:
    """A Word table row's cell texts, spaces collapsed, empty and merged (repeated) cells
    left out."""
    cells = (re.sub(r"\s+", " ", c.text).strip() for c in row.cells)
    return list(dict.fromkeys(c for c in cells if c))


def read_docx(data: bytes, name: str = "<docx>") -> Protocol:
    """A protocol this tool wrote as DOCX, read back paragraph by paragraph with
    python-docx. Word numbering (sections 1, clauses 1.1, items (a)) is not part of the
    text, so the numbers are worked out again from the numbering definitions."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any unreadable package
        raise ProtocolGenError(f"cannot read the DOCX file: {exc}", file=name,
                               hint="give a .docx file this tool wrote") from None
    numbering = _WordNumbering(document)
    b = _Builder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                text = " | ".join(row_cells(row))
                if text:
                    b.item(text)
            continue
        text = re.sub(r"\s+", " ", block.text).strip()
        style = (block.style.name if block.style is not None else "") or ""
        if not text or style.lower().startswith("toc"):
            continue
        numbered = _paragraph_numbering(block)
        fmt, label = numbering.next(*numbered) if numbered else (None, "")
        label = label.rstrip(".") if label and not label.startswith("(") else label
        if style == "Title":
            b.title(text)
        elif style == "Heading 1":
            b.heading(text, label)
        elif style.startswith("Heading"):
            b.subheading(text)
        elif label and _CLAUSE.match(f"{label} x"):
            b.paragraph(text, label)
        elif fmt == "bullet":
            b.item(text, bullet=True)
        elif label:
            b.item(text, label)
        else:
            b.paragraph(text, "")
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
    adopted = False
    front = units[0] if units and units[0].kind == "front" else None
    titles = [i for i, p in enumerate(front.paras) if p.style == "title"] if front else []
    if not titles:
        raise ProtocolGenError("this does not look like a protocol written by protocol-gen "
                               "(no title)", file=name,
                               hint="compare two protocols this tool wrote, or two profiles")
    if not any(u.kind == "section" for u in units):
        raise ProtocolGenError("this does not look like a protocol written by protocol-gen "
                               "(no numbered sections such as '1. Purpose and scope')",
                               file=name,
                               hint="compare two protocols this tool wrote, or two profiles")
    at = titles[0]
    title = front.paras[at].text
    if ": " in title:                       # Markdown: 'Council: Title'
        council = title.rpartition(": ")[0]
    elif at:                                # DOCX: the council's name, then the title
        council = front.paras[at - 1].text
    for para in front.paras[at + 1:]:
        version = version or (m.group("version") if (m := _VERSION.search(para.text))
                              else None)
        found = _ADOPTED.search(para.text)
        date = date or (_parse_long_date(found.group("date")) if found else None)
        adopted = adopted or found is not None
    if date is None:
        history = [d for u in units if u.kind == "part" for p in u.paras[1:]
                   if (d := _parse_long_date(p.text))]
        date = max(history) if history else None
    return Protocol(name, tuple(canonical(units, council)), council, version, date,
                    draft=not adopted)


def from_document(doc: Document, name: str = "<profile>") -> Protocol:
    """A protocol straight from an assembled Document: as its Markdown reads, with the
    clause and section ids attached (so clauses align by id)."""
    from ..render.markdown import render_markdown

    protocol = read_markdown(render_markdown(doc), name)
    ids = {c.number: c.id for c in doc.clauses()}
    ids.update({str(s.number): s.id for s in doc.sections})
    units = tuple(replace(u, id=ids.get(u.number)) if u.kind in ("section", "clause") else u
                  for u in protocol.units)
    meta = doc.meta
    dated = meta.adopted or max((h.date for h in meta.history if h.date), default=None)
    return Protocol(name, units, meta.council_name, meta.version, dated,
                    draft=meta.adopted is None)


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
