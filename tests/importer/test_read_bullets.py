"""Bullets typed as text: Word's Courier "o" bullet pasted as "o<tab>", the Symbol font's
private-use bullet, dashes and stars, each read as a list item of its lead-in, while a
sentence that starts with the letter "o" stays whole."""
from __future__ import annotations

import io

import docx
from docx.shared import Cm
import pytest

from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse

ITEMS = ["prepares the agenda and keeps the minutes;",
         "looks after the Council's money; and",
         "carries out the Council's decisions."]


def _word(bullet: str) -> bytes:
    d = docx.Document()
    d.add_paragraph("The Clerk").runs[0].bold = True
    d.add_paragraph("The Clerk is the Council's Proper Officer. The Clerk:")
    for text in ITEMS:
        p = d.add_paragraph(f"{bullet}\t{text}")
        p.paragraph_format.left_indent = Cm(1.25)
        p.paragraph_format.first_line_indent = Cm(-0.6)
    d.add_paragraph("The Clerk takes instructions only from the Council as a body.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.parametrize("bullet", ["o", "-", "*", "\u2013", "\u00b7", "\u25aa", "\uf0b7"])
def test_a_typed_bullet_is_a_list_item_of_its_lead_in(bullet):
    source = read_source(_word(bullet), "bullets.docx")
    structure = parse(source.lines)
    check_reading(source.lines, structure, "bullets.docx")      # no word lost
    lead = next(p for p in structure.paragraphs if p.text.endswith("The Clerk:"))
    assert [t for _, t in lead.items] == ITEMS
    assert len(structure.paragraphs) == 2


def test_a_sentence_starting_with_the_letter_o_is_not_a_bullet():
    text = ("1 Meetings\n\n1.1 Meetings start at seven:\n\n"
            "o'clock meetings are rare.\n\n"
            "of the members present, the chair speaks first.\n\n"
            "O Councillors, hear this.\n")
    source = read_source(text.encode(), "o.txt")
    structure = parse(source.lines)
    check_reading(source.lines, structure, "o.txt")
    held = " ".join(p.full_text for p in structure.paragraphs)
    assert "o'clock meetings are rare." in held
    assert "of the members present" in held
    assert "O Councillors, hear this." in held
