"""The committee report (:class:`generator.review.report.Report`) as Markdown and DOCX.

Markdown: CommonMark, one H1, the report's facts as a table, numbered paragraphs written
out. DOCX: written into the same prepared starting document as the protocol
(:mod:`generator.render.docx_template`, so a council's own Word template styles its report
too): Title and Heading 1, the facts as a table with its header cells marked, bullet lists
with Word's own list numbering, the document's properties and language set, and saved with
fixed dates like every DOCX the tool writes.
"""
from __future__ import annotations

import datetime as dt
import io

from ..document import word_property


def report_markdown(report) -> str:
    from ..library.templating import escape_markdown as esc
    out = [f"# {esc(report.council)}: {esc(report.title)}", "",
           "| | |", "|---|---|"]
    out += [f"| {esc(k)} | {esc(v)} |" for k, v in report.facts]
    out.append("")
    for block in report.blocks:
        if block.kind == "heading":
            out += [f"## {block.number}. {esc(block.text)}", ""]
        elif block.kind == "para":
            out += [f"{block.number} {esc(block.text)}", ""]
        elif block.kind == "bullets":
            out += [f"- {esc(item)}" for item in block.items] + [""]
    return "\n".join(out).rstrip() + "\n"


def report_docx(report) -> bytes:
    import docx

    from . import oxml
    from .docx import save_deterministic
    from .docx_template import _base_for
    base = _base_for(report.reference_docx)
    d = docx.Document(io.BytesIO(base.data))
    ids, end = base.style_ids, d.element.body.sectPr
    indent, step = base.numbering.indent, base.numbering.step

    def add(text: str, style: str | None = None, *, lead: str = "", numbering=None,
            hanging: tuple[int, int] | None = None):
        p = oxml.paragraph(ids.get(style) if style else None, numbering=numbering,
                           indent=hanging)
        if lead:
            oxml.run(lead + "\t", bold=True, parent=p)
        oxml.run(text, parent=p)
        end.addprevious(p)
        return p

    oxml.set_language(oxml.default_run_properties(d.styles.element), report.language)
    oxml.theme_language(d.settings.element, report.language)
    add(report.council, "Council Name")
    add(report.title, "Title")
    table = d.add_table(rows=0, cols=2)
    table._tbl.tblPr.style = ids.get("Table Grid", "TableGrid")
    for key, value in report.facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(key).bold = True
        cells[1].paragraphs[0].add_run(value)
    oxml.table_description(table, "The meeting, date, author and subject of the report")
    for block in report.blocks:
        if block.kind == "heading":       # numbered as the Markdown is, not by the style
            oxml.suppress_numbering(add(f"{block.number}. {block.text}",
                                        "Heading 1").get_or_add_pPr())
        elif block.kind == "para":
            add(block.text, lead=block.number, hanging=(indent, indent))
        elif block.kind == "bullets":
            for item in block.items:
                add(item, numbering=(base.numbering.bullet_num, 0),
                    hanging=(indent + step, step))
    props = d.core_properties
    for child in list(props._element):
        props._element.remove(child)
    props.title = word_property(f"{report.council}: {report.title}")
    props.subject = word_property(report.recommendation)
    props.author = props.last_modified_by = word_property(report.council)
    props.language = report.language
    props.revision = 1
    when = dt.datetime.combine(report.date, dt.time())
    props.created = props.modified = when
    props.comments = "Committee report"
    return save_deterministic(d, report.date)


def render_report(report, fmt: str) -> bytes:
    """``fmt`` is md or docx."""
    if fmt == "md":
        return report_markdown(report).encode("utf-8")
    return report_docx(report)
