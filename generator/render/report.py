"""The committee report (:class:`generator.review.report.Report`) as Markdown and DOCX.

Markdown: CommonMark, one H1, the report's facts as a table, numbered paragraphs written
out. DOCX: Word's built-in Title, Heading 1 and List Bullet styles, the facts as a table,
the document's properties and language set, saved with fixed dates like every other
DOCX the tool writes (:func:`generator.render.docx.save_deterministic`).
"""
from __future__ import annotations

import datetime as dt

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
    from docx.shared import Pt

    from .docx import save_deterministic
    from .oxml import set_language
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    set_language(normal.element.get_or_add_rPr(), report.language)
    d.add_paragraph(report.council, style="Title")
    d.add_paragraph(report.title, style="Subtitle")
    table = d.add_table(rows=0, cols=2)
    table.style = d.styles["Table Grid"]
    for key, value in report.facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(key).bold = True
        cells[1].paragraphs[0].add_run(value)
    for block in report.blocks:
        if block.kind == "heading":
            d.add_paragraph(f"{block.number}. {block.text}", style="Heading 1")
        elif block.kind == "para":
            p = d.add_paragraph(style="Normal")
            p.add_run(block.number + "\t").bold = True
            p.add_run(block.text)
            p.paragraph_format.left_indent = Pt(36)
            p.paragraph_format.first_line_indent = Pt(-36)
        elif block.kind == "bullets":
            for item in block.items:
                d.add_paragraph(item, style="List Bullet")
    props = d.core_properties
    props.title = word_property(f"{report.council}: {report.title}")
    props.subject = word_property(report.recommendation)
    props.author = props.last_modified_by = word_property(report.council)
    props.language = report.language
    props.revision = 1
    when = dt.datetime.combine(report.date, dt.time(), tzinfo=dt.timezone.utc)
    props.created = props.modified = when
    props.comments = "Committee report"
    return save_deterministic(d, report.date)


def render_report(report, fmt: str) -> bytes:
    """``fmt`` is md or docx."""
    if fmt == "md":
        return report_markdown(report).encode("utf-8")
    return report_docx(report)

