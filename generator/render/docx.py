"""Document -> DOCX: an adoption-ready, accessible Word document.

The document is built with python-docx: built-in Title and Heading styles, a title page,
a table of contents field, the numbered sections and clauses, a version-history table
and a signature block, with the title, version and "Page N of M" in the header and
footer. Numbers are Word's own multi-level numbering (1, 1.1, (a)) attached to the
Heading 1 and Clause styles, so a paragraph inserted in Word renumbers the rest; the
numbers Word shows equal the Document's. Clause bodies are Markdown, walked as
markdown-it-py tokens (:mod:`generator.render.docx_markdown`).

The starting point is python-docx's default template restyled (Arial 11pt, A4), or a
council's own Word file (``reference_docx``), whose styles, fonts, margins and header
logo are kept, as pandoc's reference-doc does. The prepared starting document is made
once per process and template; the output bytes depend on the Document alone.
"""
from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
import zipfile

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

from . import oxml
from ..document import Document
from .docx_markdown import ClauseWriter
from .typography import smart
from .docx_template import (COUNCIL_NAME, FOOTER, HEADER, HEADING1, HEADING2, SIGNATORY,
                            SIGNATURE_LINE, TABLE_STYLE, TITLE, TITLE_DETAIL, TOC1, TOC2,
                            TOC_HEADING, TOC_INSTRUCTION, ZIP_EPOCH, Base, _base_for)

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
            oxml.run(smart(text), parent=p)
        self.end.addprevious(p)
        return p

    def heading(self, text: str, style: str, number: str = "", numbered: bool = True,
                **options):
        """A Heading 1 or 2 with a bookmark, listed in the table of contents."""
        p = self.add(style, text, numbering=None if numbered else (0, 0), **options)
        name = f"_Toc{len(self.toc) + 1:06d}"
        oxml.bookmark(p, len(self.toc) + 1, name)
        self.toc.append((1 if style == HEADING1 else 2, number, smart(text), name))
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
                oxml.run(smart(text), bold=i == 0, parent=cell.paragraphs[0]._p)
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
