"""An existing protocol's bytes -> lines of text, each with what the format says of it.

Each format is read by a library made for it: python-docx for Word (its numbering worked
out as :mod:`generator.review.readback` does), poppler's ``pdftotext`` for PDF (run as a
separate process with a time and page limit), lxml.html for a web page (site navigation,
scripts and forms left out), and plain text for .md and .txt.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import io
import re
import shutil
import subprocess
from typing import Any

from ..errors import Problem, ProtocolGenError
from .unpack import MAX_PART, MAX_PARTS, MAX_UNZIPPED, check_package  # noqa: F401

MAX_BYTES = 20 * 1024 * 1024     # a protocol is a few hundred kilobytes; 20 MB is plenty
MAX_PAGES = 150                  # PDF pages read; a protocol runs to 10 or 20
PDF_SECONDS = 30                 # pdftotext is stopped after this
MAX_LINES = 20_000               # lines kept for analysis
MAX_WORDS = 25_000               # words kept for analysis (a long protocol has 10,000)
FORMATS = (".docx", ".pdf", ".html", ".htm", ".md", ".markdown", ".txt", ".text")


@dataclass(frozen=True)
class Line:
    """One paragraph of the source as the format gives it."""

    text: str
    label: str = ""            # a number the format holds apart from the text (Word lists)
    heading: bool | None = None  # True: the format marks it as a heading; None: unknown
    item: bool = False         # a list item (bulleted or lettered by the format)
    page: int = 1
    wrapped: bool = False      # its lines may be a paragraph broken across lines (PDF)
    row: bool = False          # a table row (its cells joined)
    whole: bool = False        # a whole paragraph as printed (PDF): never joined to another
    furniture: str = ""        # not a provision (a cover page, contents, ...): the reason


@dataclass
class Source:
    """What could be read, and what could not."""

    name: str
    kind: str
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what was left out and why
    # footnote numbers taken out of the text (superscript) -> the paragraph each marked
    footnote_marks: dict[str, str] = field(default_factory=dict)


def _error(name: str, message: str, hint: str) -> ProtocolGenError:
    return ProtocolGenError(Problem(message, file=name, hint=hint))


def read_source(data: bytes, name: str) -> Source:
    """Read an existing protocol. Raises ProtocolGenError (file, message, fix) when the
    file cannot be read at all; a file read in part says so in ``notes``."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if len(data) > MAX_BYTES:
        raise _error(name, f"the file is {len(data) // (1024 * 1024)} MB; a protocol is "
                     f"far smaller (the limit is {MAX_BYTES // (1024 * 1024)} MB)",
                     "give the protocol itself, not a bundle of documents")
    if suffix == ".docx" or data[:4] == b"PK\x03\x04" and suffix not in FORMATS:
        source = _read_docx(data, name)
    elif suffix == ".pdf" or data[:5] == b"%PDF-":
        source = _read_pdf(data, name)
    elif suffix in (".html", ".htm") or data.lstrip()[:15].lower().startswith(
            (b"<!doctype html", b"<html")):
        source = _read_html(data, name)
    elif suffix in (".md", ".markdown", ".txt", ".text", ""):
        source = Source(name, "markdown" if suffix in (".md", ".markdown") else "text",
                        [Line(t) for t in _decode(data).splitlines()])
    else:
        raise _error(name, f"cannot read {suffix} files",
                     "save the protocol as .docx, .pdf, .html, .md or .txt")
    words = 0
    for k, line in enumerate(source.lines):
        n = len(line.text.split())
        if words + n > MAX_WORDS:
            source.notes.append(f"only the first {MAX_WORDS:,} words were read: a protocol "
                                "is rarely half as long")
            kept = " ".join(line.text.split()[: MAX_WORDS - words])
            source.lines[k:] = [replace(line, text=kept)] if kept else []
            break
        words += n
    if len(source.lines) > MAX_LINES:
        source.notes.append(f"only the first {MAX_LINES} lines were read (the file has "
                            f"{len(source.lines)})")
        del source.lines[MAX_LINES:]
    from .furniture import mark
    mark(source)
    if not any(line.text.strip() for line in source.lines):
        raise _error(name, "no text could be read from the file" + (
            ": it may hold only scanned images of pages" if source.kind == "pdf" else ""),
            "give a file with the protocol's text (for a scanned PDF, run it through "
            "text recognition first, or ask for the Word version)")
    return source


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ---- Word ----------------------------------------------------------------------

def _read_docx(data: bytes, name: str) -> Source:
    import docx
    from docx.table import Table

    from ..review.readback import _WordNumbering, row_cells
    check_package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any unreadable package
        raise _error(name, "this is not a Word document python-docx can open (it may be "
                     "damaged, password-protected or another kind of file)",
                     "open it in Word or LibreOffice and save it again as .docx") from None
    numbering = _WordNumbering(document)
    styles = _styles(document)
    source = Source(name, "docx")
    marks: dict[str, str] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                text = " ".join(row_cells(row))
                if text:
                    source.lines.append(Line(text, item=True, row=True))
            continue
        found: list[str] = []
        text = re.sub(r"\s+", " ", _without_marks(block, found)).strip()
        style, style_numbering = styles.get(block._p.style, ("", None))
        if text and style.startswith("toc"):      # Word's own contents list
            from .furniture import CONTENTS
            source.lines += [Line(text, furniture=CONTENTS), Line("")]
            continue
        if not text:
            continue
        numbered = _own_numbering(block._p) or style_numbering
        fmt, label = numbering.next(*numbered) if numbered else (None, "")
        for n in found:
            marks.setdefault(n, f"{label} {text}".strip())
        heading = True if style.startswith(("heading", "title")) or _bold_title(
            block._p, text) else None
        source.lines.append(Line(text, label=label, heading=heading,
                                 item=fmt == "bullet" or style.startswith("list")))
        source.lines.append(Line(""))
    source.lines += _word_notes(document)
    source.footnote_marks = marks
    return source


def _word_notes(document) -> list[Line]:
    """Word's own footnotes and endnotes (footnotes.xml, endnotes.xml), numbered in
    order: not provisions, struck through in the redline with their reason."""
    from lxml import etree
    from .furniture import FOOTNOTE
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out: list[Line] = []
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/footnotes", "/endnotes")):
            continue
        root = etree.fromstring(rel.target_part.blob, etree.XMLParser(
            resolve_entities=False, no_network=True))
        notes = [n for n in root.iter(f"{w}footnote", f"{w}endnote")
                 if n.get(f"{w}type") in (None, "normal")]
        for k, note in enumerate(notes, 1):
            text = " ".join("".join(t.text or "" for t in note.iter(f"{w}t")).split())
            if text:
                out += [Line(f"{k} {text}", furniture=FOOTNOTE), Line("")]
    return out


def _without_marks(block, marks: list[str]) -> str:
    """A paragraph's text without footnote numbers typed in superscript ("Constitution1"),
    which go into ``marks``."""
    from docx.oxml.ns import qn
    runs = list(block._p.iter(qn("w:r")))
    sup = [r for r in runs if r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}") is not None
           and r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}").get(qn("w:val")) ==
           "superscript" and r.text.strip().isdigit()]
    if not sup:
        return block.text
    marks += [r.text.strip() for r in sup]
    return "".join(r.text for r in runs if r not in sup)


def _bold_title(p, text: str) -> bool:
    """A heading typed in bold body text: every run bold, a few words, no full stop."""
    from docx.oxml.ns import qn
    if len(text.split()) > 12 or text.endswith((".", ";", ",", ":")):
        return False
    runs = [r for r in p.iterchildren(qn("w:r")) if r.findtext(qn("w:t"))]
    for r in runs:
        b = r.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if b is None or b.get(qn("w:val")) in ("0", "false"):
            return False
    return bool(runs)


def _num_pr(ppr) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph's or a style's numbering properties, or None."""
    from docx.oxml.ns import qn
    found = None if ppr is None else ppr.find(qn("w:numPr"))
    if found is None:
        return None
    num_id, ilvl = found.find(qn("w:numId")), found.find(qn("w:ilvl"))
    num = int(num_id.get(qn("w:val"))) if num_id is not None else 0
    return (num, int(ilvl.get(qn("w:val"))) if ilvl is not None else 0) if num else None


def _own_numbering(p) -> tuple[int, int] | None:
    return _num_pr(p.pPr)


def _styles(document) -> dict[str | None, tuple[str, tuple[int, int] | None]]:
    """Style id -> (lower-case name, its numbering or its base style's), read once
    (python-docx looks a paragraph's style up anew each time it is asked, and a base
    style by searching every style). A chain of base styles ends where it loops."""
    out: dict[str | None, tuple[str, tuple[int, int] | None]] = {}
    default = ""
    from docx.styles.style import StyleFactory
    by_id: dict[str | None, Any] = {}
    for element in document.styles.element.style_lst:
        by_id.setdefault(element.styleId, element)       # the first, as python-docx's
    for style in document.styles:
        try:
            numbered, base, seen = None, style, set()
            while numbered is None and base is not None and base.element not in seen:
                seen.add(base.element)
                numbered = _num_pr(base.element.pPr)
                type(base).base_style       # AttributeError, as python-docx: a numbering
                based = base.element.basedOn    # style has no base style (and is left out)
                found = None if based is None else by_id.get(based.val)
                base = None if found is None else StyleFactory(found)
            out[style.style_id] = ((style.name or "").lower(), numbered)
            if getattr(style.element, "default", False) and style.type == 1:
                default = style.style_id
        except (AttributeError, ValueError, KeyError):
            continue
    out[None] = out.get(default, ("normal", None))
    return out


# ---- PDF -----------------------------------------------------------------------

def _read_pdf(data: bytes, name: str) -> Source:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise _error(name, "reading a PDF needs poppler's pdftotext, which is not installed",
                     "install it (Debian: apt-get install poppler-utils), or give the "
                     "protocol as .docx or .txt")
    try:
        run = subprocess.run([exe, "-enc", "UTF-8", "-bbox-layout", "-f", "1", "-l",
                              str(MAX_PAGES), "-", "-"], input=data, capture_output=True,
                             timeout=PDF_SECONDS)
    except subprocess.TimeoutExpired:
        raise _error(name, f"reading the PDF took more than {PDF_SECONDS} seconds and was "
                     "stopped", "give the protocol as .docx or .txt, or a smaller PDF") from None
    err = run.stderr.decode("utf-8", "replace")
    if run.returncode != 0:
        if "password" in err.lower() or "encrypt" in err.lower():
            raise _error(name, "the PDF is protected by a password, so its text cannot be "
                         "read", "save an unprotected copy (or the Word version) and "
                         "audit that")
        raise _error(name, "this PDF cannot be read" + (f" ({err.strip().splitlines()[0]})"
                                                         if err.strip() else ""),
                     "open it and save it again as PDF, or give the .docx version")
    from . import pdf
    pages = pdf.printed_lines(run.stdout.decode("utf-8", "replace"))
    source = Source(name, "pdf")
    if len(pages) >= MAX_PAGES:
        source.notes.append(f"only the first {MAX_PAGES} pages were read: a protocol "
                            "is rarely longer than 20")
    for text, page, larger in pdf.paragraphs(pdf.body_lines(pages)):
        source.lines.append(Line(text, page=page, heading=True if larger and len(
            text.split()) <= 12 else None, whole=True))
        source.lines.append(Line("", page=page))
    return source


# ---- HTML ----------------------------------------------------------------------

_BREAK = "\u2028"


def _all_bold(el) -> bool:
    """A paragraph whose words are all in <strong> or <b>, short and without a full
    stop: a heading typed in bold."""
    text = " ".join(el.text_content().split())
    if el.tag != "p" or not text or len(text.split()) > 12 or text.endswith(
            (".", ";", ",", ":")) or (el.text or "").strip():
        return False
    children = [c for c in el if isinstance(c.tag, str) and c.tag != "br"]
    return bool(children) and all(c.tag in ("strong", "b") and not (c.tail or "").strip(
        _BREAK + " \n\t") for c in children)

_SKIP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript",
              "iframe", "svg", "button", "select", "template")
_SKIP_WORDS = re.compile(r"\b(?:nav|navbar|menu|breadcrumbs?|cookies?|banner|sidebar|"
                         r"footer|header|skip-link|social|share|search)\b", re.IGNORECASE)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote",
           "pre", "caption")
_LOOSE = ("div", "section", "article", "td")   # text straight inside these is read too


def _read_html(data: bytes, name: str) -> Source:
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        raise _error(name, "this web page cannot be read", "save the page again from the "
                     "browser (File > Save as, web page HTML only)") from None
    source = Source(name, "html")
    skipped = 0
    for el in list(root.iter(*_SKIP_TAGS)):
        skipped += 1
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
        if marks and _SKIP_WORDS.search(marks) and el.tag not in ("html", "body", "main",
                                                                   "article"):
            skipped += 1
            el.drop_tree()
    main = root.find(".//main") if root.find(".//main") is not None else root.find(
        ".//article")
    body = main if main is not None else (root.body if root.body is not None else root)
    marked = []
    for sup in list(body.iter("sup")):      # a footnote's number ("Constitution<sup>1")
        if sup.text_content().strip().isdigit() and sup.getparent() is not None:
            block = next((a for a in sup.iterancestors() if a.tag in _BLOCKS), None)
            marked.append((sup.text_content().strip(), block))
            sup.drop_tree()
    source.footnote_marks = {n: " ".join(b.text_content().split()) if b is not None else ""
                             for n, b in reversed(marked)}
    for br in body.iter("br"):
        br.tail = _BREAK + (br.tail or "")      # a line break: the words stay apart
    for el in body.iter(*_BLOCKS, *_LOOSE):
        if el.tag in _LOOSE and (any(isinstance(d.tag, str) and d.tag in _BLOCKS + _LOOSE
                                     for d in el.iterdescendants())
                                 or any(a.tag in _BLOCKS for a in el.iterancestors())):
            continue     # a container: its paragraphs are read one by one
        if any(a.tag in _BLOCKS for a in el.iterancestors()) and el.tag != "tr":
            continue     # a paragraph inside a list item is read with the item
        text = el.text_content()
        if el.tag == "tr":
            text = " ".join(c.text_content() for c in el.iterchildren("td", "th"))
        pieces = [re.sub(r"\s+", " ", t).strip() for t in text.split(_BREAK)]
        pieces = [t for t in pieces if t] if el.tag in ("p", "div", "td", "section",
                                                          "article") else \
            [" ".join(t for t in pieces if t)]
        if not pieces or not pieces[0]:
            continue
        if len(pieces) > 1:       # lines broken with <br>: each a paragraph of its own
            for t in pieces:
                source.lines += [Line(t), Line("")]
            continue
        text = pieces[0]
        label = ""
        if el.tag == "li" and el.getparent() is not None and el.getparent().tag == "ol":
            items = [c for c in el.getparent().iterchildren("li")]
            start = int(el.getparent().get("start", "1") or 1) if (
                el.getparent().get("start", "1") or "1").isdigit() else 1
            label = f"{start + items.index(el)}."
        heading = el.tag[0] == "h" and el.tag[1:].isdigit() or _all_bold(el) or None
        source.lines.append(Line(text, label=label, heading=heading,
                                 item=el.tag in ("li", "tr"), row=el.tag == "tr"))
        source.lines.append(Line(""))
    if skipped:
        source.notes.append(f"{skipped} parts of the page that are site navigation, menus, "
                            "scripts or forms were left out")
    return source
