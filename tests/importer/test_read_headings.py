"""Headings read as a person reads them, in every shape and with nothing but the words to
go on (no bold, no heading style): a short line without a full stop before its own body
text is a heading, numbered or not, a question or a phrase in sentence case; a numbered
line ending in a colon leads into its items; a one-line provision and a list item stay
what they are."""
from __future__ import annotations

import html
import io

import docx
import pytest

from conftest import libreoffice_convert
from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse


def as_text(lines: list[str]) -> tuple[bytes, str]:
    return "\n\n".join(lines).encode(), "protocol.txt"


def as_word(lines: list[str]) -> tuple[bytes, str]:
    """Typed by hand: every line a plain paragraph in the body style, numbers typed."""
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), "protocol.docx"


def as_page(lines: list[str]) -> tuple[bytes, str]:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    return f"<html><body><main>{body}</main></body></html>".encode(), "protocol.html"


SHAPES = {"text": as_text, "word": as_word, "web": as_page, "pdf": None}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    """Each case's Word file exported to PDF by LibreOffice (one run for them all)."""
    folder = tmp_path_factory.mktemp("headings")
    for name, lines in CASES.items():
        (folder / f"{name}.docx").write_bytes(as_word(lines)[0])
    libreoffice_convert(sorted(folder.glob("*.docx")), "pdf", folder)
    return {name: (folder / f"{name}.pdf").read_bytes() for name in CASES}


def read(case: str, shape: str, pdfs: dict[str, bytes]):
    """The case written in the shape, read back; no word of it lost."""
    data, name = (pdfs[case], "protocol.pdf") if shape == "pdf" else \
        SHAPES[shape](CASES[case])
    source = read_source(data, name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, name)
    return structure


def headings(structure) -> list[tuple[str | None, str]]:
    return [(h.number, h.text) for h in structure.headings]


def provisions(structure) -> list[str]:
    return [p.text for p in structure.provisions]


OPENING = ["Thornbury Parish Council", "Member and Officer Protocol"]
CASES = {
    "a_sentence_case_heading_before_its_paragraphs": OPENING + [
        "Purpose",
        "This protocol guides councillors and the clerk in working together.",
        "What councillors and officers can expect of each other",
        "Councillors can expect the clerk to give timely and impartial advice.",
        "The clerk can expect councillors to respect professional judgement.",
    ],
    "a_numbered_heading_before_items_of_its_own": OPENING + [
        "4. Political groups",
        "4.1 The council has two political groups and the clerk serves both alike.",
        "4.2 Attending group meetings",
        "- a. Any group may ask the clerk to attend a meeting to give factual advice.",
        "b. The clerk may decline where attending would compromise impartiality.",
        "c. The clerk will tell the other group what advice was given.",
    ],
    "a_longer_numbered_title_heads_the_text_below_it": OPENING + [
        "3.4 Keeping the public and private roles of councillors and officers apart",
        "Officers must keep any private friendship with a councillor out of their work.",
    ],
    "a_question_heading_numbered_or_not": OPENING + [
        "Who can a councillor ask for advice?",
        "A councillor may ask the clerk for advice on any matter before the council.",
        "5. What happens when things go wrong?",
        "5.1 A councillor unhappy with the clerk's work raises it with the Chair.",
    ],
    "a_numbered_line_ending_in_a_colon_leads_into_its_items": OPENING + [
        "2. Reports",
        "2.1 Reports to groups:",
        "a. State the material facts and the options open to the council.",
        "b. Make no recommendation to a political group.",
    ],
    "a_one_line_provision_and_a_list_item_are_not_headings": OPENING + [
        "1. Roles",
        "1.1 Councillors set policy.",
        "1.2 The clerk carries it out.",
        "1.3 Councillors have three roles:",
        "To set the council's policy;",
        "To represent the council externally; and",
        "To speak for residents.",
        "1.4 Officers serve the whole council",
        "1.5 Councillors do not instruct officers on their own.",
    ],
    "a_lead_in_without_a_colon_keeps_its_items": OPENING + [
        "6. Support",
        "6.1 The clerk will help councillors",
        "a. prepare for meetings;",
        "b. find the council's papers.",
    ],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_sentence_case_heading_before_its_paragraphs(shape, pdfs):
    s = read("a_sentence_case_heading_before_its_paragraphs", shape, pdfs)
    assert headings(s) == [(None, "Purpose"),
                           (None, "What councillors and officers can expect of each other")]
    assert len(s.provisions) == 3
    assert s.provisions[1].heading == "What councillors and officers can expect of each other"


@pytest.mark.parametrize("shape", SHAPES)
def test_a_numbered_heading_before_items_of_its_own(shape, pdfs):
    s = read("a_numbered_heading_before_items_of_its_own", shape, pdfs)
    assert headings(s) == [("4", "Political groups"), ("4.2", "Attending group meetings")]
    assert "Attending group meetings" not in provisions(s)
    items = [p for p in s.provisions if p.heading == "Attending group meetings"]
    assert [p.ref for p in items] == ["4.2(a)", "4.2(b)", "4.2(c)"]   # each its own
    assert not any(p.items for p in items)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_longer_numbered_title_heads_the_text_below_it(shape, pdfs):
    s = read("a_longer_numbered_title_heads_the_text_below_it", shape, pdfs)
    assert headings(s) == [
        ("3.4", "Keeping the public and private roles of councillors and officers apart")]
    assert provisions(s) == [
        "Officers must keep any private friendship with a councillor out of their work."]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_question_heading_numbered_or_not(shape, pdfs):
    s = read("a_question_heading_numbered_or_not", shape, pdfs)
    assert headings(s) == [(None, "Who can a councillor ask for advice?"),
                           ("5", "What happens when things go wrong?")]
    assert len(s.provisions) == 2


@pytest.mark.parametrize("shape", SHAPES)
def test_a_numbered_line_ending_in_a_colon_leads_into_its_items(shape, pdfs):
    s = read("a_numbered_line_ending_in_a_colon_leads_into_its_items", shape, pdfs)
    assert headings(s) == [("2", "Reports")]
    (lead,) = s.provisions
    assert (lead.number, lead.text) == ("2.1", "Reports to groups:")
    assert [label for label, _ in lead.items] == ["a.", "b."]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_one_line_provision_and_a_list_item_are_not_headings(shape, pdfs):
    s = read("a_one_line_provision_and_a_list_item_are_not_headings", shape, pdfs)
    assert headings(s) == [("1", "Roles")]
    assert [p.number for p in s.provisions] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    roles = s.provisions[2]
    assert [t for _, t in roles.items] == ["To set the council's policy;",
                                           "To represent the council externally; and",
                                           "To speak for residents."]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_lead_in_without_a_colon_keeps_its_items(shape, pdfs):
    """Items that finish the line before them ("a. give ...") are its items: it is a
    lead-in missing its colon, not a heading."""
    s = read("a_lead_in_without_a_colon_keeps_its_items", shape, pdfs)
    assert headings(s) == [("6", "Support")]
    (lead,) = s.provisions
    assert lead.number == "6.1" and len(lead.items) == 2
