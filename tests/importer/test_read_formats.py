"""Web pages and Word files as councils lay them out: lines broken with <br>, headings
typed in bold, tables, lists typed as paragraphs of their own."""
from __future__ import annotations

import io

import docx

from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse

PAGE = b"""<html><body><main>
<p><strong>Roles of Councillors</strong></p>
<p>1.1 Councillors have three roles:<br>To set policy;<br>To represent the council; and<br>
To act for residents.</p>
<p>Officers advise.<br/>They also implement decisions.</p>
<table><tr><th>Version</th><th>Date</th></tr><tr><td>1.0</td><td>May 2020</td></tr></table>
</main></body></html>"""


def read(data: bytes, name: str):
    source = read_source(data, name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, name)       # no word lost on the way
    return structure


def test_a_web_page_with_line_breaks_bold_headings_and_a_table():
    s = read(PAGE, "protocol.html")
    assert [h.text for h in s.headings] == ["Roles of Councillors"]
    roles, advise, implement, table = s.paragraphs
    assert roles.number == "1.1" and [t for _, t in roles.items] == [
        "To set policy;", "To represent the council; and", "To act for residents."]
    assert (advise.text, implement.text) == ("Officers advise.",
                                             "They also implement decisions.")
    assert table.text == "Version Date" and table.items == [("-", "1.0 May 2020")]


def test_a_word_file_typed_by_hand():
    d = docx.Document()
    d.add_paragraph().add_run("4.7 Blurring of Officers and Members public and private "
                              "roles").bold = True
    d.add_paragraph("Officers must keep their public role apart from any private one.")
    d.add_paragraph().add_run("Councillors").bold = True
    d.add_paragraph("2.2.1 Councillors have four main areas of responsibility:")
    for item in ("To determine council policy and provide leadership.",
                 "To monitor and review council performance.",
                 "To represent the council externally; and",
                 "To act as advocates for their constituents."):
        d.add_paragraph(item)
    d.add_paragraph("2.2.2 All Councillors have the same rights.")
    table = d.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Version", "Adopted"), ("1.0", "19th January 2015"))):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    s = read(buf.getvalue(), "protocol.docx")
    assert [(h.number, h.text) for h in s.headings] == [
        ("4.7", "Blurring of Officers and Members public and private roles"),
        (None, "Councillors")]
    first, roles, rights, table = s.paragraphs
    assert first.number is None and first.heading.startswith("Blurring")
    assert roles.number == "2.2.1" and len(roles.items) == 4     # the list kept together
    assert roles.items[2][1] == "To represent the council externally; and"
    assert rights.number == "2.2.2" and not rights.items
    assert table.table and table.items == [("-", "1.0 19th January 2015")]
