"""Items numbered 1, 2, 3 by Word's automatic "List Number" style, by a web page's ordered
list, or typed as a PDF prints them, stay items of the lead-in they complete; paragraphs
numbered in the document's own series never become items."""
from __future__ import annotations

import io

import docx

from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse

LEAD = "2.1 Committee chairs have particular responsibilities, which include:"
ITEMS = ["leading the committee's work programme;", "agreeing the agenda; and",
         "speaking for the committee on matters it has decided."]
LEAD2 = "A3 Information may be withheld where:"
ITEMS2 = ["it is personal information;", "it is privileged; or",
          "the Member has an interest in it."]


def _read(data: bytes, name: str):
    source = read_source(data, name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, name)
    return structure


def _items(structure, lead: str) -> list[str]:
    found = [p for p in structure.paragraphs if lead.split(" ", 1)[1] in p.text]
    assert len(found) == 1
    return [t for _, t in found[0].items]


def test_word_list_number_items_stay_with_their_lead_in():
    d = docx.Document()
    d.add_paragraph("2 Roles").runs[0].bold = True
    d.add_paragraph(LEAD)
    for text in ITEMS:
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("2.2 Officers serve the whole Council.")
    d.add_paragraph("Annex A - Requests for information").runs[0].bold = True
    d.add_paragraph(LEAD2)
    for text in ITEMS2:          # the same list continues: Word shows 4, 5, 6
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("A4 A Member who is refused may ask for a review.")
    out = io.BytesIO()
    d.save(out)
    structure = _read(out.getvalue(), "lists.docx")
    assert _items(structure, LEAD) == ITEMS
    assert _items(structure, LEAD2) == ITEMS2
    last = structure.provisions[-1]          # an annex's own number, not a list item's
    assert (last.number, last.text) == ("A4", "A Member who is refused may ask for a review.")


def test_an_ordered_list_of_a_web_page_after_a_lead_in():
    items = "".join(f"<li>{t}</li>" for t in ITEMS)
    page = (f"<html><body><main><h2>2 Roles</h2><p>{LEAD}</p><ol>{items}</ol>"
            "<p>2.2 Officers serve the whole Council.</p></main></body></html>").encode()
    structure = _read(page, "lists.html")
    assert _items(structure, LEAD) == ITEMS
    assert structure.provisions[-1].number == "2.2"


def test_typed_numbers_as_a_pdf_prints_them():
    text = "\n\n".join(["2 Roles", LEAD] + [f"{n}. {t}" for n, t in enumerate(ITEMS, 1)] +
                       ["2.2 Officers serve the whole Council."])
    structure = _read(text.encode(), "lists.txt")
    assert _items(structure, LEAD) == ITEMS


def test_paragraphs_numbered_in_the_documents_own_series_stay_paragraphs():
    text = "\n\n".join(["1 Roles", "1 The Council's rules are these:",
                        "2 members decide policy together at meetings.",
                        "3 Officers serve the whole Council.",
                        "3.1 The Clerk advises on the law:", "4 Meetings",
                        "4.1 Meetings are held in public."])
    structure = _read(text.encode(), "series.txt")
    numbers = [p.number for p in structure.paragraphs]
    assert numbers[:3] == ["1", "2", "3"]
    assert not any(p.items for p in structure.paragraphs)
