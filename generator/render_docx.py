"""Document -> DOCX: an adoption-ready, accessible Word document.

The document is built with python-docx: built-in Title and Heading styles, a title page,
a table of contents field, the numbered sections and clauses, a version-history table
and a signature block, with the title, version and "Page N of M" in the header and
footer. Numbers are Word's own multi-level numbering (1, 1.1, (a)) attached to the
Heading 1 and Clause styles, so a paragraph inserted in Word renumbers the rest; the
numbers Word shows equal the Document's. Clause bodies are Markdown, walked as
markdown-it-py tokens (:mod:`generator.docx_markdown`).

The starting point is python-docx's default template restyled (Arial 11pt, A4), or a
council's own Word file (``reference_docx``), whose styles, fonts, margins and header
logo are kept, as pandoc's reference-doc does. The prepared starting document is made
once per process and template; the output bytes depend on the Document alone.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

from . import oxml
from .document import Document
from .docx_markdown import ClauseWriter, ListNumbering
from .errors import OutputError, Problem

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
        from . import cache
        return cache.remember("docx-base", _code_digest(), lambda: _prepare(None))
    return _prepare(reference)


def _code_digest() -> str:
    """What the default starting document depends on: the code that makes it, and the
    python-docx and lxml it is made with."""
    from lxml import etree

    from . import cache, docx_markdown
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
    ids = {name: d.styles[name].style_id for name in STYLE_NAMES}
    footer_tabs = tuple(int(stop.position.twips) for stop in
                        d.styles[FOOTER].paragraph_format.tab_stops)
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

def _style(d, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    """The named style, created (based on ``base``) when the template lacks it; returns
    (style, created)."""
    try:
        return d.styles[name], False
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
            style.base_style = d.styles[base]
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
    clause_id = d.styles[CLAUSE].style_id
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
        oxml.set_numbering(d.styles[name].element.get_or_add_pPr(), legal_num, ilvl)
    return ListNumbering(legal, legal_num, bullet_num, INDENT, LIST_STEP)


# ---- the document -------------------------------------------------------------------

class _Builder:
    """Writes one Document into a fresh copy of the prepared starting document."""

    def __init__(self, doc: Document, base: Base):
        self.doc = doc
        self.base = base
        self.d = docx.Document(io.BytesIO(base.data))
        self.end = self.d.element.body.sectPr
        self.ids = base.style_ids
        self.toc: list[tuple[int, str, str, str]] = []   # level, number, text, bookmark

    def build(self) -> "_Builder":
        self.language()
        self.properties()
        self.title_page()
        contents = self.add(TOC_HEADING, "Contents", page_break_before=True)
        self.sections()
        self.history()
        self.signatures()
        self.contents(contents)
        self.header_footer()
        return self

    # -- helpers
    def add(self, style: str, text: str = "", **options):
        """Append a paragraph in ``style`` holding ``text``; returns its ``w:p``."""
        p = oxml.paragraph(self.ids[style], **options)
        if text:
            oxml.run(text, parent=p)
        self.end.addprevious(p)
        return p

    def heading(self, text: str, style: str, number: str = "", numbered: bool = True,
                **options):
        """A Heading 1 or 2 with a bookmark, listed in the table of contents."""
        p = self.add(style, text, numbering=None if numbered else (0, 0), **options)
        name = f"_Toc{len(self.toc) + 1:06d}"
        oxml.bookmark(p, len(self.toc) + 1, name)
        self.toc.append((1 if style == HEADING1 else 2, number, text, name))
        return p

    # -- parts of the document
    def language(self) -> None:
        lang = self.doc.meta.language
        oxml.set_language(oxml.default_run_properties(self.d.styles.element), lang)
        oxml.theme_language(self.d.settings.element, lang)

    def properties(self) -> None:
        """Core properties from the Document (dates from the profile, never the clock)."""
        m = self.doc.meta
        core = self.d.core_properties
        for child in list(core._element):
            core._element.remove(child)
        when = dt.datetime.combine(m.date, dt.time(0, 0))
        core.title = m.full_title
        core.subject = m.subject
        core.author = m.council_name
        core.last_modified_by = m.council_name
        core.keywords = m.keywords
        core.language = m.language
        core.category = "Policy"
        core.version = m.version
        core.content_status = "Adopted" if m.adopted else "Draft"
        core.comments = " ".join(f"{fact}." for fact in _facts(m))
        core.created = when
        core.modified = when
        core.revision = 1
        app = self.d.part.package.part_related_by(RT.EXTENDED_PROPERTIES) \
            if _has_rel(self.d.part.package, RT.EXTENDED_PROPERTIES) else None
        if app is not None:
            app._blob = _app_xml(m.council_name)

    def title_page(self) -> None:
        m = self.doc.meta
        if self.base.logo:
            blob, width, height = self.base.logo
            p = self.add(COUNCIL_NAME)
            par = Paragraph(p, self.d._body)
            par.paragraph_format.space_before = Pt(0)
            par.paragraph_format.space_after = Pt(36)
            shape = par.add_run().add_picture(io.BytesIO(blob), width=width, height=height)
            shape._inline.docPr.set("descr", f"{m.council_name} logo")
        self.add(COUNCIL_NAME, m.council_name)
        self.add(TITLE, m.title)
        for fact in _facts(m):
            self.add(TITLE_DETAIL, fact)

    def contents(self, heading) -> None:
        """A TOC field whose shown result already lists the headings, each linked to its
        heading. Word rebuilds it with page numbers on opening (updateFields);
        LibreOffice shows the list as it is (it does not rebuild a TOC when it opens a
        file, so page numbers written here would be guesses)."""
        anchor = heading
        for index, (level, number, text, name) in enumerate(self.toc):
            p = oxml.paragraph(self.ids[TOC1 if level == 1 else TOC2])
            if index == 0:
                oxml.field_begin(p, TOC_INSTRUCTION)
            link = oxml.hyperlink(p, anchor=name)
            oxml.add_text(link, f"{number}\t{text}" if number else text)
            if index == len(self.toc) - 1:
                oxml.field_end(p)
            anchor.addnext(p)
            anchor = p

    def sections(self) -> None:
        writer = ClauseWriter(self.d, self.base.numbering, self.ids)
        for i, section in enumerate(self.doc.sections):
            self.heading(section.title, HEADING1, str(section.number),
                         page_break_before=i == 0)
            for clause in section.clauses:
                if clause.heading:
                    self.heading(clause.heading, HEADING2)
                writer.write_clause(clause.body)

    def history(self) -> None:
        """The version history as a table with a marked header row."""
        rows = self.doc.meta.history
        if not rows:
            return
        self.heading("Version history", HEADING1, numbered=False)
        table = self.d.add_table(rows=1 + len(rows), cols=3)
        table._tbl.tblStyle_val = self.ids[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        oxml.table_look(table)
        oxml.table_description(table, "Version history: the number, date and change "
                                      "of each version of this protocol")
        width = self.base.text_width
        widths = [Twips(width * 15 // 100), Twips(width * 25 // 100), Twips(width * 60 // 100)]
        table.autofit = False
        for column, w in zip(table.columns, widths):
            column.width = w
        oxml.mark_header_row(table.rows[0])
        values = [("Version", "Date", "Change")] + [
            (r.version, r.date_text, r.change) for r in rows]
        for i, (row, texts) in enumerate(zip(table.rows, values)):
            oxml.no_split_row(row)
            for cell, text, w in zip(row.cells, texts, widths):
                cell.width = w
                oxml.run(text, bold=i == 0, parent=cell.paragraphs[0]._p)
        for cell in table.rows[0].cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True

    def signatures(self) -> None:
        """Each signatory's title, then a line to sign and date (tab leaders, no typed
        dots, no empty paragraphs)."""
        who = self.doc.meta.signatories
        if not who:
            return
        self.heading("Signed", HEADING1, numbered=False)
        for role in who:
            self.add(SIGNATORY, role)
            self.add(SIGNATURE_LINE, "Signed\t\tDate\t")

    def header_footer(self) -> None:
        """Title in the header; version and 'Page N of M' in the footer; nothing on the
        title page."""
        m = self.doc.meta
        section = self.d.sections[0]
        section.different_first_page_header_footer = True
        for part in (section.first_page_header, section.first_page_footer):
            part.is_linked_to_previous = False
            _reset(part, self.ids[HEADER if part is section.first_page_header else FOOTER])
        section.header.is_linked_to_previous = False
        p = _reset(section.header, self.ids[HEADER])
        oxml.add_text(p, m.full_title)
        section.footer.is_linked_to_previous = False
        p = _reset(section.footer, self.ids[FOOTER])
        # the page number sits at the right margin whatever tabs a council's style has
        oxml.tab_stops(p, [("clear", pos) for pos in self.base.footer_tabs
                           if pos != self.base.text_width]
                       + [("right", self.base.text_width)])
        oxml.add_text(p, f"Version {m.version}\tPage ")
        oxml.add_field(p, "PAGE", "1")
        oxml.add_text(p, " of ")
        oxml.add_field(p, "NUMPAGES", "1")


def _facts(m) -> list[str]:
    """The title page's lines: version, adoption (or draft) and next review."""
    facts = [f"Version {m.version}", m.status]
    if m.review_text:
        facts.append(m.review_text)
    return facts


def _has_rel(package, reltype: str) -> bool:
    return any(rel.reltype == reltype for rel in package.rels.values())


def _reset(part, style_id: str):
    """Empty a header or footer down to one paragraph in the style; returns its w:p."""
    container = part._element
    for child in list(container):
        container.remove(child)
    p = oxml.paragraph(style_id)
    container.append(p)
    return p


def _app_xml(company: str) -> bytes:
    """Extended properties: no template name, statistics or editing time to go stale."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            '2006/docPropsVTypes"><Application>protocol-gen</Application>'
            "<DocSecurity>0</DocSecurity>"
            f"<Company>{html.escape(company, quote=False)}</Company>"
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")


# ---- deterministic bytes ------------------------------------------------------------

class _FixedDateZip:
    """The zip writer python-docx's package writer writes through, with every entry
    dated ``stamp`` and fixed permissions, so equal content gives equal bytes."""

    def __init__(self, stream, stamp: tuple[int, ...]):
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
        self.stamp = stamp

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 0
        self.zip.writestr(info, blob, compresslevel=6)

    def close(self) -> None:
        self.zip.close()


def save_deterministic(document, date: dt.date) -> bytes:
    """Save a python-docx document: [Content_Types].xml, the package relationships, then
    each part in the package's own (stable) order, all dated ``date`` (1980 at the
    earliest, the zip format's epoch)."""
    package = document.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    writer = _FixedDateZip(out, max(date, ZIP_EPOCH).timetuple()[:3] + (0, 0, 0))
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()


def check_reference_docx(path: str | Path) -> str:
    """Read a reference Word file once, up front; returns its absolute path. Raises
    OutputError naming the file and the fix when it is missing or not a Word file."""
    _base_for(path)
    return str(Path(path).resolve())


def render_docx(doc: Document, *, reference_docx: str | Path | None = None,
                **_options) -> bytes:
    """The DOCX bytes for ``doc``. ``reference_docx`` (else the profile's
    ``document.reference_docx``) names the council's own Word file to take styles from.
    Raises OutputError when that file is missing or is not a Word document."""
    base = _base_for(reference_docx or doc.meta.reference_docx)
    builder = _Builder(doc, base).build()
    return save_deterministic(builder.d, doc.meta.date)
