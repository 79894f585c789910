"""Paragraph numbers of other shapes than "1.2": after a capital ("P7.1.1", "B.2.3",
"A1") and glued to their text ("10.Councillors", "P7.7.3Officers"), read as the number in
a text file, a web page, a Word file and a PDF; a sentence opening with a reference, a
time, a quantity or a sum of money keeps its words."""
from __future__ import annotations

import io

import docx

from generator.importer.accounted import check_reading
from generator.importer.read import read_source
from generator.importer.structure import parse
from test_read_pdf import document, read as read_pdf, words

NUMBERED = [
    ("P7.1.1 This Appendix sets out how Councillors and officers work together.",
     "P7.1.1", "This Appendix sets out how Councillors and officers work together."),
    ("P7.1.2Officers must give the same advice to every Councillor.",
     "P7.1.2", "Officers must give the same advice to every Councillor."),
    ("P7.1.3A Councillor may ask the Monitoring Officer for a ruling.",
     "P7.1.3", "A Councillor may ask the Monitoring Officer for a ruling."),
    ("B.2.3 The Clerk will keep the minutes.", "B.2.3", "The Clerk will keep the minutes."),
    ("A1 The Council meets every month.", "A1", "The Council meets every month."),
    ("10.Councillors will copy the Clerk into their emails.", "10",
     "Councillors will copy the Clerk into their emails."),
    ("11.A councillor must not instruct the Clerk.", "11",
     "A councillor must not instruct the Clerk."),
]
WORDS = [
    "A1 grant funding is paid to the Council each April.",
    "5.30pm is the time the office closes.",
    "2.5 hours of training are offered each year.",
    "10 per cent of the budget is held in reserve.",
]
MONEY = "\u00a31.50 is the charge for a copy of the minutes."


def read(data: bytes, name: str):
    source = read_source(data, name)
    structure = parse(source.lines)
    check_reading(source.lines, structure, name)       # no word lost on the way
    return structure


def numbers_and_texts(structure) -> list[tuple[str | None, str]]:
    return [(p.number, p.text) for p in structure.paragraphs]


def expected() -> list[tuple[str | None, str]]:
    return [(n, t) for _, n, t in NUMBERED] + [(None, w) for w in WORDS + [MONEY]]


def lines() -> list[str]:
    return [line for line, _, _ in NUMBERED] + WORDS + [MONEY]


def test_numbers_in_a_text_file():
    text = "\n\n".join(lines()) + "\n"
    assert numbers_and_texts(read(text.encode("utf-8"), "protocol.txt")) == expected()


def test_numbers_on_a_web_page():
    page_ = "<html><head><meta charset=\"utf-8\"></head><body><main>" + "".join(f"<p>{t}</p>" for t in lines()) + \
        "</main></body></html>"
    assert numbers_and_texts(read(page_.encode("utf-8"), "protocol.html")) == expected()


def test_numbers_typed_in_a_word_file():
    d = docx.Document()
    for text in lines():
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    assert numbers_and_texts(read(buf.getvalue(), "protocol.docx")) == expected()


def test_numbers_glued_to_their_text_in_a_pdf_start_paragraphs_of_their_own():
    """Each line runs to the right margin, so only the number shows a new paragraph; a
    time after a full stop does not."""
    body = [words(t, 100 + 15 * k, full=True) for k, t in enumerate((
        "13.The Clerk will not take sides in any disagreement at all.",
        "14.If the Clerk believes that a proposed decision would be unlawful,",
        "the Clerk will say so to the Council before the decision is taken.",
        "P7.3.1The Council has three political groups of different sizes.",
        "P7.3.2A Cabinet Member may take decisions within the scheme only.",
        "A1 grant funding is paid to the Council by the county each April.",
        "5.30pm is the time at which the office closes on every weekday.",
        "P7.3.3 Officers will respect the confidentiality of such talks."))]
    body.append(words("That is all.", 220))
    got = [t for t, _, _ in read_pdf(document(body))]
    assert got == [
        "13.The Clerk will not take sides in any disagreement at all.",
        "14.If the Clerk believes that a proposed decision would be unlawful, the Clerk "
        "will say so to the Council before the decision is taken.",
        "P7.3.1The Council has three political groups of different sizes.",
        "P7.3.2A Cabinet Member may take decisions within the scheme only. A1 grant "
        "funding is paid to the Council by the county each April. 5.30pm is the time at "
        "which the office closes on every weekday.",
        "P7.3.3 Officers will respect the confidentiality of such talks. That is all."]
