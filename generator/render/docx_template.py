"""The prepared starting document for the DOCX renderer: python-docx's default template
restyled (Arial 11pt, A4), or a council's own Word file (``reference_docx``) whose styles,
fonts, margins and header logo are kept; the styles and the multi-level numbering every
protocol uses. Made once per process and template (and kept in the per-user cache).
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from functools import lru_cache
import io
from pathlib import Path
from stat import S_ISREG
import zipfile

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from . import oxml
from ..errors import OutputError, Problem
from .docx_markdown import ListNumbering

FONT = "Arial"
INK = RGBColor(0x1A, 0x1A, 0x1A)        # body text: near black
ACCENT = RGBColor(0x1F, 0x38, 0x64)     # headings: dark navy (contrast 12:1 on white)
MUTED = RGBColor(0x40, 0x40, 0x40)      # header and footer (contrast 10:1)

INDENT = 720        # twips: where clause text starts (1.27 cm)
LIST_STEP = 576     # twips: each list level indents this much more (1 cm)

# style names (the first six are Word's built-in names)
TITLE, HEADING1, HEADING2, TOC_HEADING = "Title", "Heading 1", "Heading 2", "TOC Heading"
TOC1, TOC2, HEADER, FOOTER = "toc 1", "toc 2", "Header", "Footer"
CLAUSE, CLAUSE_TEXT, CLAUSE_LIST, QUOTE = "Clause", "Clause Text", "Clause List", "Quote"
COUNCIL_NAME, TITLE_DETAIL = "Council Name", "Title Page Detail"
SIGNATORY, SIGNATURE_LINE = "Signatory", "Signature Line"
TABLE_STYLE, HYPERLINK = "Table Grid", "Hyperlink"

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
STYLE_NAMES = (TITLE, HEADING1, HEADING2, TOC_HEADING, TOC1, TOC2, CLAUSE, CLAUSE_TEXT,
               CLAUSE_LIST, QUOTE,
               COUNCIL_NAME, TITLE_DETAIL, SIGNATORY, SIGNATURE_LINE, HEADER, FOOTER,
               HYPERLINK, TABLE_STYLE)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
ZIP_EPOCH = dt.date(1980, 1, 1)


# ---- the prepared starting document ------------------------------------------------

@dataclass(frozen=True)
class Base:
    """A restyled, empty starting document (as DOCX bytes) and what the builder needs to
    know about it."""

    data: bytes
    numbering: ListNumbering
    text_width: int                     # twips between the margins
    logo: tuple[bytes, int, int] | None  # image bytes, width and height (EMU)
    own_styles: bool                    # True when the styles are the council's own
    style_ids: dict[str, str]           # style name -> style id in this template
    footer_tabs: tuple[int, ...]        # the Footer style's own tab stops (cleared)


@lru_cache(maxsize=1)
def _default_template() -> bytes:
    """python-docx's default template, read once per process."""
    from docx.api import _default_docx_path
    return Path(_default_docx_path()).read_bytes()


MAX_REFERENCE_BYTES = 20 * 1024 * 1024        # a Word template with a logo is far smaller
MAX_REFERENCE_UNPACKED = 200 * 1024 * 1024    # what its parts may unpack to (zip bombs)


def _base_for(reference: str | Path | None) -> Base:
    if reference is None:
        return _prepared(None, 0, 0)
    path = Path(reference)
    try:
        stat = path.stat()
    except OSError:
        raise OutputError(Problem(
            "the reference Word file does not exist", file=str(path), field="reference_docx",
            hint="check the path given to --reference-docx, or document.reference_docx in "
                 "the profile (a path relative to the profile file); leave it out to use "
                 "the built-in styles")) from None
    if not S_ISREG(stat.st_mode) or stat.st_size > MAX_REFERENCE_BYTES:
        raise OutputError(Problem(
            "the reference Word file is not a regular file" if not S_ISREG(stat.st_mode) else
            f"the reference Word file is {stat.st_size:,} bytes; the most allowed is "
            f"{MAX_REFERENCE_BYTES:,}", file=str(path), field="reference_docx",
            hint="name the council's .docx template itself"))
    return _prepared(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _prepared(reference: str | None, _mtime: int, _size: int) -> Base:
    """Build the starting document once per template (keyed by path, time and size). The
    default one is also kept between runs, in the cache (see :mod:`generator.cache`)."""
    if reference is None:
        from .. import cache
        return cache.remember("docx-base", _code_digest(), lambda: _prepare(None))
    return _prepare(reference)


def _code_digest() -> str:
    """What the default starting document depends on: the code that makes it, and the
    python-docx and lxml it is made with."""
    from lxml import etree

    from . import docx_markdown
    from .. import cache
    return cache.digest(docx.__version__, str(etree.LXML_VERSION), _default_template(),
                        cache.source_of(__file__, oxml.__file__, docx_markdown.__file__))


PAGE_DEFAULTS = {
    "page_width": Cm(21), "page_height": Cm(29.7),
    "left_margin": Cm(2.5), "right_margin": Cm(2.5),
    "top_margin": Cm(2.5), "bottom_margin": Cm(2.5),
    "header_distance": Cm(1.25), "footer_distance": Cm(1.25),
}


def _prepare(reference: str | None) -> Base:
    """The restyled, empty starting document for a template (None: the default one)."""
    if reference is None:
        d = docx.Document(io.BytesIO(_default_template()))
        _slim_default_template(d)
        logo = None
    else:
        d = _open_reference(Path(reference))
        logo = _header_logo(d)
    own = reference is not None
    _clear_body(d)
    section = d.sections[0]
    if not own:
        section.orientation = WD_ORIENT.PORTRAIT
    for name, value in PAGE_DEFAULTS.items():
        # a council's template keeps its own page; what it leaves unset (pandoc's
        # reference.docx sets no page size at all) takes the A4 default
        if not own or getattr(section, name) is None:
            setattr(section, name, value)
    text_width = int((section.page_width - section.left_margin - section.right_margin)
                     / 635)
    _setup_styles(d, own, text_width)
    numbering = _setup_numbering(d)
    settings = d.settings.element
    oxml.update_fields_on_open(settings)
    d.settings.odd_and_even_pages_header_footer = False
    oxml.remove_children(settings, "w:rsids", "w:attachedTemplate", "w:documentProtection",
                         "w:writeProtection", "w:trackRevisions")
    ids = {name: _named(d, name).style_id for name in STYLE_NAMES}
    footer_tabs = tuple(int(stop.position.twips) for stop in
                        _named(d, FOOTER).paragraph_format.tab_stops)
    buf = io.BytesIO()
    d.save(buf)
    return Base(buf.getvalue(), numbering, text_width, logo, own, ids, footer_tabs)


def _open_reference(path: Path):
    """The council's Word file, read as a document (a .dotx template is accepted)."""
    hint = ("give a Word document saved as .docx (or a .dotx template); open the file in "
            "Word or LibreOffice and 'Save As' Word Document if it is a .doc or .odt")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutputError(Problem(f"cannot read the reference Word file: {exc.strerror}",
                                  file=str(path), field="reference_docx", hint=hint)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(part.file_size for part in package.infolist())
    except (zipfile.BadZipFile, ValueError):
        unpacked = 0        # not a zip at all: python-docx says so below
    if unpacked > MAX_REFERENCE_UNPACKED:
        raise OutputError(Problem(f"the reference Word file unpacks to {unpacked:,} bytes; "
                                  f"the most allowed is {MAX_REFERENCE_UNPACKED:,}",
                                  file=str(path), field="reference_docx", hint=hint))
    try:
        return docx.Document(io.BytesIO(_template_as_document(data)))
    except Exception as exc:  # noqa: BLE001 - any failure to parse means "not a docx"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise OutputError(Problem(f"the reference file is not a Word .docx file ({reason})",
                                  file=str(path), field="reference_docx", hint=hint)) from None


def _template_as_document(data: bytes) -> bytes:
    """A .dotx differs from a .docx only in its main part's content type: swap it."""
    template = b"wordprocessingml.template.main+xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            types = zin.read("[Content_Types].xml")
            if template not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    blob = zin.read(info)
                    if info.filename == "[Content_Types].xml":
                        blob = types.replace(template, b"wordprocessingml.document.main+xml")
                    zout.writestr(info, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data


def _slim_default_template(d) -> None:
    """Drop the default template's leftovers: a blank thumbnail, custom XML, the legacy
    styles copy, and a hundred unused table styles."""
    _drop_rels(d.part.rels, (RT.CUSTOM_XML, STYLES_WITH_EFFECTS))
    keep = {"Normal Table", TABLE_STYLE}
    for style in list(d.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            style.element.getparent().remove(style.element)


def _drop_rels(rels, types: tuple[str, ...]) -> None:
    for r_id, rel in list(rels.items()):
        if rel.reltype in types:
            del rels[r_id]


def _clear_body(d) -> None:
    """Remove the body's content (keeping the last section's page settings), empty the
    headers and footers (each document writes its own), and drop the images and links
    only that content used."""
    d.element.body.clear_content()
    _drop_unused(d.part)
    _drop_rels(d.part.package.rels, (RT.THUMBNAIL,))   # a picture of the old first page
    section = d.sections[0]
    for part in (section.header, section.footer, section.first_page_header,
                 section.first_page_footer, section.even_page_header,
                 section.even_page_footer):
        if not part.is_linked_to_previous:
            container = part._element
            for child in list(container):
                container.remove(child)
            container.append(oxml.paragraph())
            _drop_unused(part.part)


def _drop_unused(part) -> None:
    content = (RT.IMAGE, RT.HYPERLINK, RT.CHART, RT.OLE_OBJECT, RT.PACKAGE, RT.DIAGRAM_DATA,
               RT.DIAGRAM_LAYOUT, RT.DIAGRAM_QUICK_STYLE, RT.DIAGRAM_COLORS)
    for r_id, rel in list(part.rels.items()):
        if rel.reltype in content and part._rel_ref_count(r_id) == 0:
            del part.rels[r_id]


def _header_logo(d) -> tuple[bytes, int, int] | None:
    """The first picture in the reference's headers, with its size."""
    for section in d.sections:
        for header in (section.first_page_header, section.header):
            if header.is_linked_to_previous:
                continue
            for blip in header._element.iter(qn("a:blip")):
                r_id = blip.get(qn("r:embed"))
                drawing = next(a for a in blip.iterancestors()
                               if a.tag in (qn("wp:inline"), qn("wp:anchor")))
                extent = drawing.find(qn("wp:extent"))
                try:
                    blob = header.part.related_parts[r_id].blob
                except KeyError:
                    continue
                return blob, int(extent.get("cx")), int(extent.get("cy"))
    return None


# ---- styles -----------------------------------------------------------------------

def _named(d, name: str):
    """The style called ``name`` (Word's UI name), looked up by name only: python-docx's
    ``styles[name]`` falls back to the style id with a warning, which a template saved by
    LibreOffice (ids that equal other styles' names) would print."""
    element = d.styles.element.get_by_name(BabelFish.ui2internal(name))
    if element is None:
        raise KeyError(name)
    return StyleFactory(element)


def _style(d, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    """The named style, created (based on ``base``) when the template lacks it; returns
    (style, created)."""
    try:
        return _named(d, name), False
    except KeyError:
        # a template may spell a built-in style's name differently (pandoc's
        # reference.docx has 'Heading 1' where Word writes 'heading 1'): use that style,
        # under Word's spelling, rather than add a second one with the same id
        wanted = BabelFish.ui2internal(name)
        for style in d.styles:
            if style.type == kind and (style.element.name_val or "").lower() == \
                    wanted.lower():
                style.element.name_val = wanted
                return style, False
        style = d.styles.add_style(name, kind)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = _named(d, base)
        style.quick_style = True
        return style, True


def _look(style, *, size=None, bold=None, italic=None, color=None, font=None,
          before=None, after=None, keep_next=None, left=None, hanging=None):
    """Apply character and paragraph formatting to a style."""
    f = style.font
    if font:
        oxml.set_fonts(style.element.get_or_add_rPr(), font)
    if size is not None:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if color is not None:
        f.color.rgb = color
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    p = style.paragraph_format
    if before is not None:
        p.space_before = Pt(before)
    if after is not None:
        p.space_after = Pt(after)
    if keep_next is not None:
        p.keep_with_next = keep_next
    if left is not None:
        p.left_indent = Twips(left)
    if hanging is not None:
        p.first_line_indent = Twips(-hanging)


def _setup_styles(d, own: bool, text_width: int) -> None:
    """Our look on the default template; on a council's template, only the styles it
    lacks are given our look (theirs are kept as they are)."""
    styles = d.styles

    def ensure(name, kind=WD_STYLE_TYPE.PARAGRAPH, base="Normal", **look):
        style, created = _style(d, name, kind, base)
        if created or not own:
            _look(style, **look)
        return style, created

    if not own:
        defaults = oxml.default_run_properties(styles.element)
        oxml.set_fonts(defaults, FONT)
        normal = styles["Normal"]
        _look(normal, font=FONT, size=11, color=INK, after=6)
        normal.paragraph_format.line_spacing = 1.15
        normal.paragraph_format.widow_control = True
        title = styles[TITLE]
        oxml.remove_children(title.element.get_or_add_pPr(), "w:pBdr", "w:contextualSpacing")
        oxml.remove_children(title.element.get_or_add_rPr(), "w:spacing", "w:kern")
        _look(title, font=FONT, size=28, bold=True, color=ACCENT, before=6, after=18)
        title.paragraph_format.line_spacing = 1.0
        oxml.bottom_border(title.element.get_or_add_pPr(), "1F3864", size=12, space=8)
    heading1, _ = ensure(HEADING1, font=None if own else FONT, size=14, bold=True,
                         color=ACCENT, before=18, after=0, keep_next=True)
    heading2, _ = ensure(HEADING2, font=None if own else FONT, size=12, bold=True,
                         color=ACCENT, before=12, after=0, keep_next=True)
    for style, level in ((heading1, 0), (heading2, 1)):
        style.paragraph_format.keep_together = True
        outline = style.element.get_or_add_pPr()
        oxml.replace_child(outline, oxml.element("w:outlineLvl", val=level),
                           ("w:divId", "w:cnfStyle", "w:rPrChange", "w:sectPr", "w:pPrChange"))
        oxml.clear_numbering(outline)
    toc_heading, _ = ensure(TOC_HEADING, base=HEADING1, font=None if own else FONT, size=14,
                            bold=True, color=ACCENT, before=0, after=12)
    oxml.suppress_numbering(toc_heading.element.get_or_add_pPr())
    # clause text is spaced above only, so a list sits under its lead-in and the next
    # clause is always 6pt below whatever came before
    ensure(CLAUSE, before=6, after=0)
    ensure(CLAUSE_TEXT, left=INDENT, before=6, after=0)
    ensure(CLAUSE_LIST, base=CLAUSE_TEXT, before=3, after=0)
    ensure(QUOTE, left=INDENT + LIST_STEP, italic=True, before=6, after=0)
    for name, left, hanging in ((TOC1, INDENT, INDENT), (TOC2, INDENT, 0)):
        toc, created = ensure(name, before=3 if name == TOC1 else 0, after=3,
                              left=left, hanging=hanging)
        if created or not own:
            stops = toc.paragraph_format.tab_stops
            stops.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    ensure(COUNCIL_NAME, size=16, bold=True, color=ACCENT, before=96, after=6)
    ensure(TITLE_DETAIL, size=12, after=4)
    ensure(SIGNATORY, bold=True, before=18, after=6, keep_next=True)
    signature, created = ensure(SIGNATURE_LINE, before=12, after=6, keep_next=True)
    if created or not own:
        stops = signature.paragraph_format.tab_stops
        stops.add_tab_stop(Twips(text_width * 6 // 10), WD_TAB_ALIGNMENT.LEFT,
                           WD_TAB_LEADER.DOTS)
        stops.add_tab_stop(Twips(text_width * 7 // 10), WD_TAB_ALIGNMENT.LEFT)
        stops.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS)
    for name in (HEADER, FOOTER):
        style, created = ensure(name, size=9, color=MUTED)
        if created or not own:
            stops = style.paragraph_format.tab_stops
            for stop in list(stops):
                stops._pPr.tabs.remove(stop._tab)
            stops.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.RIGHT)
    link, created = _style(d, HYPERLINK, WD_STYLE_TYPE.CHARACTER, None)
    if created:
        link.font.underline = True
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    _style(d, TABLE_STYLE, WD_STYLE_TYPE.TABLE, None)


# ---- numbering ----------------------------------------------------------------------

def _numbering_element(d):
    try:
        return d.part.numbering_part.element
    except NotImplementedError:
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                             parse_xml(f"<w:numbering {nsdecls('w')}/>"), d.part.package)
        d.part.relate_to(part, RT.NUMBERING)
        return part.element


def _setup_numbering(d) -> ListNumbering:
    """One multi-level numbering (1 / 1.1 / (a) / (i) ...) linked to Heading 1 and Clause,
    and one for bullets."""
    numbering = _numbering_element(d)
    heading_id = d.styles[HEADING1].style_id
    clause_id = _named(d, CLAUSE).style_id
    formats = [("lowerLetter", "(%{n})"), ("lowerRoman", "(%{n})"), ("upperLetter", "(%{n})"),
               ("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."),
               ("decimal", "%{n}.")]
    levels = [oxml.level(0, "decimal", "%1", INDENT, INDENT, style_id=heading_id),
              oxml.level(1, "decimal", "%1.%2", INDENT, INDENT, style_id=clause_id)]
    for ilvl, (fmt, text) in enumerate(formats, start=2):
        levels.append(oxml.level(ilvl, fmt, text.format(n=ilvl + 1),
                                 INDENT + LIST_STEP * (ilvl - 1), LIST_STEP))
    legal = oxml.add_abstract_numbering(numbering, levels, name="Protocol numbering")
    legal_num = oxml.add_numbering_instance(numbering, legal)
    bullets = ["\u2022", "\u2013", "\u25aa"] * 3
    bullet_levels = [oxml.level(i, "bullet", bullets[i], INDENT + LIST_STEP * (i + 1),
                                LIST_STEP, font=FONT) for i in range(9)]
    bullet = oxml.add_abstract_numbering(numbering, bullet_levels, multilevel=False,
                                         name="Protocol bullets")
    bullet_num = oxml.add_numbering_instance(numbering, bullet)
    for name, ilvl in ((HEADING1, 0), (CLAUSE, 1)):
        oxml.set_numbering(_named(d, name).element.get_or_add_pPr(), legal_num, ilvl)
    return ListNumbering(legal, legal_num, bullet_num, INDENT, LIST_STEP)
