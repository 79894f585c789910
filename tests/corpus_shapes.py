"""Test documents in the shapes clerks bring: one protocol, given as structured text,
laid out as a Word file typed by hand, a Word file with automatic multi-level numbering, a
PDF exported from Word by LibreOffice, and a web page saved from a council's site.

The structured text, one block a line (blank lines ignored)::

    TITLE: Blaenavon Town Council          a title line (as many as the document has)
    # 1 Roles of Councillors               a heading; the number is optional
    ## 2.2 Chairs                          a subheading
    2.1 The respective roles ...           a numbered paragraph
    Officers are responsible to ...        an unnumbered paragraph
    - To represent the council; and        a list item of the paragraph before it
    -- a second-level item                 a list item inside the item before it
    ADOPTED: Adopted by the Finance ...    an adoption line (after the body)
    COVER: Document | Policy TC/07         a row of the cover page's table
    COVER: Saltmere Town Council, Quay St  a line of the cover page (an address)
    CONTENTS: Introduction | 2             an entry of the contents list, and its page
    VERSION: 1.0 | May 2017 | First ...    a row of the version-history table
    NOTE: Localism Act 2011, section 28.   a footnote, typed at the end ("^1" marks it
                                           in a paragraph: superscript in Word and HTML)

:func:`from_source` turns one of the library's source texts (``clause_library/sources``)
into blocks. :func:`sentences` gives the sentences every shape must keep (the truth the
tests compare with), and :data:`SHAPES` maps a shape's name to the function that writes
it (each returns the file's bytes; ``exported.pdf`` needs LibreOffice).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
import html
import io
from pathlib import Path
import re
import subprocess
import tempfile

__all__ = ["Block", "parse", "from_source", "sentences", "typed_endings", "typed_docx",
           "numbered_docx", "exported_pdf", "saved_web_page", "SHAPES", "write_shapes"]

RUNNING_HEADER = "Member/Officer Protocol"


@dataclass(frozen=True)
class Block:
    """One line of a protocol: kind is title, heading, para, item or adoption."""

    kind: str
    text: str
    number: str = ""
    level: int = 1          # headings: 1 or 2; items: 1 or 2


_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")


def parse(text: str) -> list[Block]:
    """Blocks of the structured text described in the module docstring."""
    out: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("TITLE:"):
            out.append(Block("title", line[6:].strip()))
        elif line.startswith("ADOPTED:"):
            out.append(Block("adoption", line[8:].strip()))
        elif line.split(":", 1)[0] in ("COVER", "VERSION", "NOTE"):
            kind, _, rest = line.partition(":")
            out.append(Block(kind.lower(), rest.strip()))
        elif line.startswith("CONTENTS:"):
            entry, _, page = line[9:].rpartition("|")
            out.append(Block("contents", entry.strip(), page.strip()))
        elif line.startswith("#"):
            level = 2 if line.startswith("##") else 1
            rest = line.lstrip("#").strip()
            m = _NUMBER.match(rest)
            out.append(Block("heading", rest[m.end():] if m else rest,
                             m.group(1) if m else "", level))
        elif line.startswith("-"):
            level = 2 if line.startswith("--") else 1
            out.append(Block("item", line.lstrip("-").strip(), "", level))
        else:
            m = _NUMBER.match(line)
            out.append(Block("para", line[m.end():] if m else line,
                             m.group(1) if m else ""))
    return out


def from_source(text: str) -> list[Block]:
    """Blocks of a source protocol as the library keeps it (Markdown-ish text): short
    unpunctuated lines are headings, '- ' and lettered lines items, numbered lines
    paragraphs, the lines about the council before the body its title, and the dates and
    names after the body its adoption lines."""
    out: list[Block] = []
    body = False
    for raw in text.splitlines():
        line = re.sub(r"\*\*|__", "", raw).strip()
        if not line:
            continue
        item = line.startswith(("- ", "\u2022 "))
        if item:
            line = line[2:].strip()
        m = _NUMBER.match(line)
        number, rest = (m.group(1), line[m.end():]) if m else ("", line)
        lettered = _LETTERED.match(rest) if not number else None
        if lettered:
            item, rest = True, rest[lettered.end():]
        if item and number:
            item = False              # "- 1.1 text": a numbered paragraph typed as a bullet
        short = len(rest.split()) <= 12 and not rest.rstrip().endswith((".", ";", ":", ","))
        if item:
            out.append(Block("item", rest))
        elif body and short and not number and (_is_date(rest) or out[-1].kind == "adoption"):
            out.append(Block("adoption", rest))
        elif not body and not number and (_is_date(rest) or short and re.search(
                r"council|protocol|policy", rest, re.IGNORECASE)):
            out.append(Block("title", rest))
        elif short:
            out.append(Block("heading", rest, number, 2 if "." in number else 1))
            body = True
        else:
            out.append(Block("para", rest, number))
            body = True
    return out


_LETTERED = re.compile(r"^(?:\(?[a-z]\)|[a-z]\.)\s+")


def _is_date(text: str) -> bool:
    return bool(re.search(r"\b(?:19|20)\d\d\b", text)) and len(text.split()) <= 6


def typed_endings(blocks: list[Block]) -> list[Block]:
    """The list items as a clerk types them: each ends ';', the last but one '; and',
    the last '.'."""
    out = list(blocks)
    k = 0
    while k < len(out):
        if out[k].kind != "item":
            k += 1
            continue
        end = k
        while end < len(out) and out[end].kind == "item":
            end += 1
        run = [j for j in range(k, end) if out[j].level == 1]
        for n, j in enumerate(run):
            core = out[j].text.rstrip(" .;,").removesuffix("; and").removesuffix(" and")
            tail = "." if n == len(run) - 1 else "; and" if n == len(run) - 2 else ";"
            out[j] = replace(out[j], text=core + tail)
        k = end
    return out


def sentences(blocks: list[Block]) -> list[str]:
    """The provisions' text a reading must keep: every paragraph and item (headings and
    title lines are not provisions), footnote markers aside."""
    return [plain(b.text) for b in blocks if b.kind in ("para", "item", "adoption")]


FURNITURE = ("cover", "contents", "version", "note")
_MARK = re.compile(r"\^(\d+)")


def plain(text: str) -> str:
    """A block's text without its footnote markers."""
    return _MARK.sub("", text)


def furniture_text(b: Block, n: int = 0) -> str:
    """A furniture block as a line of text: table cells apart, a contents entry with
    its page after dot leaders, a footnote with its number (``n``)."""
    if b.kind == "contents":
        return f"{b.text} {'.' * 12} {b.number}"
    if b.kind == "note":
        return f"{n} {b.text}"
    return " ".join(c.strip() for c in b.text.split("|"))


def _add_text(p, text: str, **font) -> None:
    """Runs of ``text`` in Word paragraph ``p``, footnote markers in superscript."""
    for k, part in enumerate(_MARK.split(text)):
        if part:
            run = p.add_run(part)
            run.font.superscript = bool(k % 2) or None
            for key, value in font.items():
                setattr(run.font, key, value)


def _word_furniture(d, blocks: list[Block], k: int) -> None:
    """Block ``k`` of the furniture in Word: a table for a run of cover or version rows,
    a contents entry with a dot leader to its page, a footnote in small type."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt
    b = blocks[k]
    first = k == 0 or blocks[k - 1].kind != b.kind
    if b.kind in ("cover", "version") and "|" in b.text:
        if first:
            run = [x for x in blocks[k:]]
            run = run[: next((j for j, x in enumerate(run) if x.kind != b.kind or
                              "|" not in x.text), len(run))]
            cells = [[c.strip() for c in x.text.split("|")] for x in run]
            table = d.add_table(rows=len(cells), cols=max(len(c) for c in cells))
            table.style = "Table Grid"
            for r, row in enumerate(cells):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        return
    if b.kind == "contents":
        if first:
            d.add_paragraph("Contents").runs[0].bold = True
        p = d.add_paragraph(f"{b.text}\t{b.number}")
        p.paragraph_format.tab_stops.add_tab_stop(Cm(15), WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)
        return
    if b.kind == "note":
        n = sum(x.kind == "note" for x in blocks[: k + 1])
        _add_text(d.add_paragraph(), f"{n} {b.text}", size=Pt(8))
        return
    d.add_paragraph(b.text)


# ---- Word typed by hand ---------------------------------------------------------------

def _letter(n: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[n % 26]


def typed_docx(blocks: list[Block], letters: bool = False) -> bytes:
    """Numbers typed, headings in bold body text, list items as separate paragraphs,
    indented, with no mark at the first level (or typed letters, ``letters``) and a
    typed dash at the second."""
    import docx
    from docx.shared import Cm

    d = docx.Document()
    n_item = 0
    for k, b in enumerate(blocks):
        if b.kind in FURNITURE:
            _word_furniture(d, blocks, k)
            continue
        p = d.add_paragraph()
        if b.kind == "title":
            p.add_run(b.text).bold = True
        elif b.kind == "heading":
            p.add_run(f"{b.number} {b.text}".strip() if b.level == 1 or not b.number
                      else f"{b.number}\t{b.text}").bold = True
        elif b.kind == "item":
            p.paragraph_format.left_indent = Cm(1.25 * (b.level + 1))
            p.paragraph_format.first_line_indent = Cm(-0.75)
            label = (f"{_letter(n_item)})\t" if letters else "") if b.level == 1 else "-\t"
            n_item += b.level == 1
            _add_text(p, f"{label}{b.text}")
            continue
        else:
            _add_text(p, f"{b.number}\t{b.text}" if b.number else b.text)
        n_item = 0
    return _save(d)


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---- Word with automatic numbering -----------------------------------------------------

def numbered_docx(blocks: list[Block], *, bullets: bool = False, header: bool = False,
                  hyphenate: bool = False) -> bytes:
    """Headings in Heading 1/2, paragraphs and lettered items numbered by Word's own
    multi-level numbering (1 / 1.1 / (a) / (i), in numbering.xml); the numbers are not
    in the text. ``bullets``: items as a bulleted list instead; ``header``: a running
    header and a page-number footer; ``hyphenate``: automatic hyphenation on."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from generator.render import oxml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    legal = oxml.add_abstract_numbering(numbering, [
        oxml.level(0, "decimal", "%1.", 567, 567),
        oxml.level(1, "decimal", "%1.%2", 567, 567),
        oxml.level(2, "decimal", "%1.%2.%3", 851, 851),
        oxml.level(3, "lowerLetter", "(%4)", 1134, 567),
        oxml.level(4, "lowerRoman", "(%5)", 1701, 567)], name="Protocol")
    legal_num = oxml.add_numbering_instance(numbering, legal)
    dots = oxml.add_abstract_numbering(numbering, [
        oxml.level(i, "bullet", "\u2022", 1134 + 567 * i, 567) for i in range(2)],
        multilevel=False, name="Bullets")
    bullet_num = oxml.add_numbering_instance(numbering, dots)
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if hyphenate:
        section.left_margin = section.right_margin = Cm(5.5)    # narrow: more line ends
        settings = d.settings.element
        settings.append(oxml.element("w:autoHyphenation", val="true"))
        d.styles["Normal"].font.size = Pt(11)
        oxml.set_language(d.styles["Normal"].element.get_or_add_rPr(), "en-GB")
    if header:
        section.header.paragraphs[0].text = RUNNING_HEADER
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        oxml.add_field(footer._p, "PAGE", "1")
    for k, b in enumerate(blocks):
        if b.kind in FURNITURE:
            _word_furniture(d, blocks, k)
            continue
        if b.kind == "title":
            d.add_paragraph(b.text, style="Title")
            continue
        depth = b.number.count(".")          # 2 -> level 0; 2.2 -> 1; 2.2.1 -> 2
        if b.kind == "heading":
            p = d.add_paragraph(b.text, style=f"Heading {min(depth + 1, 3)}")
            if b.number:
                oxml.set_numbering(p._p.get_or_add_pPr(), legal_num, depth)
            continue
        p = d.add_paragraph()
        _add_text(p, b.text)
        if hyphenate:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        ppr = p._p.get_or_add_pPr()
        if b.kind == "item":
            oxml.set_numbering(ppr, bullet_num if bullets else legal_num,
                               b.level - 1 if bullets else b.level + 2)
        elif b.kind == "para" and b.number:
            oxml.set_numbering(ppr, legal_num, depth)
    return _save(d)


# ---- PDF exported from Word -----------------------------------------------------------

def exported_pdf(blocks: list[Block]) -> bytes:
    """The automatically numbered Word file, with a running header, page numbers,
    bulleted lists and hyphenation, exported to PDF by LibreOffice."""
    data = numbered_docx(blocks, bullets=True, header=True, hyphenate=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "protocol.docx").write_bytes(data)
        subprocess.run(["soffice", "--headless",
                        f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(folder),
                        str(folder / "protocol.docx")],
                       check=True, capture_output=True, timeout=600)
        return (folder / "protocol.pdf").read_bytes()


# ---- a web page saved from a council's site -------------------------------------------

def saved_web_page(blocks: list[Block], council: str = "Our Council") -> bytes:
    """A council website's page: navigation, a cookie banner, breadcrumbs and a footer
    around the protocol, with <h2>/<h3> headings, <p> paragraphs and <ul> lists."""
    def e(text: str) -> str:
        return _MARK.sub(r'<sup><a href="#fn\1">\1</a></sup>', html.escape(text))
    body: list[str] = []
    open_list = 0
    notes = 0
    for k, b in enumerate(blocks):
        if b.kind in FURNITURE:
            first = k == 0 or blocks[k - 1].kind != b.kind
            last = k + 1 == len(blocks) or blocks[k + 1].kind != b.kind
            if b.kind == "note":
                notes += 1
                body += ['<div class="footnotes">'] * first + [
                    f'<p id="fn{notes}"><small>{notes} {e(b.text)}</small></p>'] + \
                    ["</div>"] * last
            elif "|" in b.text:
                cells = "".join(f"<td>{e(c.strip())}</td>" for c in b.text.split("|"))
                body += ["<table>"] * first + [f"<tr>{cells}</tr>"] + ["</table>"] * last
            elif b.kind == "cover":
                body.append(f'<p class="address">{e(b.text)}</p>')
            continue          # a web page has no contents list with page numbers
        if b.kind == "item":
            while open_list < b.level:
                body.append("<ul>")
                open_list += 1
            while open_list > b.level:
                body.append("</ul>")
                open_list -= 1
            body.append(f"<li>{e(b.text)}</li>")
            continue
        while open_list:
            body.append("</ul>")
            open_list -= 1
        number = f"{b.number} " if b.number else ""
        if b.kind == "title":
            body.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "heading":
            body.append(f"<h{b.level + 1}>{e(number + b.text)}</h{b.level + 1}>")
        else:
            body.append(f"<p>{e(number + b.text)}</p>")
    while open_list:
        body.append("</ul>")
        open_list -= 1
    page = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{e(council)} - Member/Officer
Protocol</title><script>window.dataLayer = [];</script></head>
<body>
<div class="cookie-banner" id="cookies"><p>We use cookies to make this site work.</p>
<button>Accept all cookies</button></div>
<a class="skip-link" href="#content">Skip to main content</a>
<header><p>{e(council)}</p><nav><ul><li><a href="/bins">Bins and recycling</a></li>
<li><a href="/council">Your council</a></li><li><a href="/contact">Contact us</a></li>
</ul></nav></header>
<ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/council">Your council</a>
</li><li>Policies</li></ol>
<main id="content">
{chr(10).join(body)}
</main>
<aside class="sidebar"><h2>Related documents</h2><ul><li><a href="/standing-orders">Standing
orders</a></li></ul></aside>
<footer><p>&copy; {e(council)}. All rights reserved.</p><ul><li><a href="/privacy">Privacy
</a></li><li><a href="/accessibility">Accessibility statement</a></li></ul></footer>
</body></html>
"""
    return page.encode("utf-8")


SHAPES = {
    "typed.docx": lambda blocks: typed_docx(typed_endings(blocks)),
    "numbered.docx": numbered_docx,
    "exported.pdf": exported_pdf,
    "saved.html": saved_web_page,
}


def truth(shape: str, blocks: list[Block]) -> list[Block]:
    """The blocks as the shape lays them out (typed Word files end their items ';')."""
    return typed_endings(blocks) if shape == "typed.docx" else blocks


def write_shapes(blocks: list[Block], folder: Path, stem: str,
                 shapes: tuple[str, ...] = tuple(SHAPES)) -> dict[str, Path]:
    """Each shape written as ``folder/<stem>-<shape>``: {shape: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for shape in shapes:
        path = folder / f"{stem}-{shape}"
        path.write_bytes(SHAPES[shape](blocks))
        out[shape] = path
    return out
