"""A PDF's printed lines -> paragraphs (generator/importer/pdf.py), from word boxes laid
out here as pdftotext -bbox-layout gives them: page breaks, running headers, page
numbers, bullets printed apart, hyphenation, ligatures and soft hyphens."""
from __future__ import annotations

from generator.importer import pdf
from generator.importer.read import Line
from generator.importer.structure import parse

LEFT, RIGHT = 72.0, 500.0


def words(text: str, y: float, *, size: float = 11.0, x: float = LEFT,
          full: bool = False) -> str:
    """A <line> of word boxes; ``full``: spaced out to the right margin (justified)."""
    parts = text.split()
    widths = [len(w) * size * 0.5 for w in parts]
    gap = size * 0.3
    if full and len(parts) > 1:
        gap = (RIGHT - x - sum(widths)) / (len(parts) - 1)
    out, at = [], x
    for w, width in zip(parts, widths):
        out.append(f'<word xMin="{at:.3f}" yMin="{y:.3f}" xMax="{at + width:.3f}" '
                   f'yMax="{y + size * 1.3:.3f}">{w}</word>')
        at += width + gap
    return f'<line xMin="{x}" yMin="{y}" xMax="{at}" yMax="{y + size * 1.3}">' + \
        "".join(out) + "</line>"


def document(*pages: list[str]) -> str:
    body = "".join(f'<page width="595" height="842"><flow><block>{"".join(lines)}'
                   "</block></flow></page>" for lines in pages)
    return f"<html><body><doc>{body}</doc></body></html>"


def page(n: int, *body: str) -> list[str]:
    """A page with a running header, the ``body`` lines and a page number."""
    return [words("Member/Officer Protocol of Anyshire Parish Council", 30),
            *body, words(f"Page {n} of 3", 800)]


def read(xhtml: str) -> list[tuple[str, int, bool]]:
    return pdf.paragraphs(pdf.body_lines(pdf.printed_lines(xhtml)))


def lines_of(paragraphs) -> list[Line]:
    out = []
    for text, number, big in paragraphs:
        out += [Line(text, page=number, heading=True if big else None, whole=True),
                Line("")]
    return out


def test_a_paragraph_split_by_a_page_break_and_a_running_header_reads_straight_on():
    first = page(1, words("2.1 Officers will give Councillors the advice and information",
                          100, full=True),
                 words("they need to carry out their role, and will do so impartially and",
                       115, full=True))
    second = page(2, words("without regard to any political group.", 60),
                  words("2.2 Councillors will respect the impartiality of officers.", 90))
    third = page(3, words("2.3 Nothing in this Protocol affects the Code of Conduct.", 60))
    got = read(document(first, second, third))
    texts = [t for t, _, _ in got]
    assert texts == [
        "2.1 Officers will give Councillors the advice and information they need to carry "
        "out their role, and will do so impartially and without regard to any political "
        "group.",
        "2.2 Councillors will respect the impartiality of officers.",
        "2.3 Nothing in this Protocol affects the Code of Conduct."]


def test_hyphenation_ligatures_and_soft_hyphens_are_undone():
    xhtml = document(
        [words("The Clerk is responsible for the day-", 100, full=True),
         words("to-day running of the Council and for its effec-", 115, full=True),
         words("tiveness; councillors do not give instructions on day-to-day matters", 130,
               full=True),
         words("or on staff\u00ad\u00ading, and the ofﬁcers' ﬂexible co-", 145, full=True),
         words("operation is welcomed.", 160)])
    [(text, _, _)] = read(xhtml)
    assert text == ("The Clerk is responsible for the day-to-day running of the Council and "
                    "for its effectiveness; councillors do not give instructions on "
                    "day-to-day matters or on staffing, and the officers' flexible "
                    "co-operation is welcomed.")


def test_a_bullet_printed_apart_stays_with_its_item_and_the_item_with_its_lead_in():
    bullet = ('<line xMin="90" yMin="130" xMax="96" yMax="144"><word xMin="90" yMin="130" '
              'xMax="96" yMax="144">\uf0b7</word></line>')
    xhtml = document(
        [words("3.1 Councillors can expect from officers:", 100),
         bullet, words("a commitment to the Council as a whole;", 130, x=110),
         words("courtesy and respect; and", 160, x=110).replace("<line", "<line", 1),
         words("timely replies.", 190, x=110),
         words("3.2 Officers can expect courtesy from Councillors.", 220)])
    paragraphs = read(xhtml)
    assert paragraphs[1][0] == "\u2022 a commitment to the Council as a whole;"
    structure = parse(lines_of(paragraphs))
    [lead, after] = structure.paragraphs
    assert lead.number == "3.1" and after.number == "3.2"
    assert [t for _, t in lead.items] == ["a commitment to the Council as a whole;",
                                          "courtesy and respect; and", "timely replies."]


def test_a_heading_in_larger_type_is_a_heading_not_a_clause():
    xhtml = document(
        [words("4.7 Blurring of Officers and Members public and private roles", 80,
               size=14),
         words("Officers must keep their public role apart from any private one.", 110),
         words("4.8 Officers will not take part in political campaigns.", 140),
         words("4.9 Councillors will not ask them to.", 170)])
    structure = parse(lines_of(read(xhtml)))
    assert [h.text for h in structure.headings] == [
        "Blurring of Officers and Members public and private roles"]
    assert [p.text for p in structure.paragraphs][0] == \
        "Officers must keep their public role apart from any private one."


def test_a_numbered_heading_in_body_text_heads_the_text_below_it():
    lines = [Line(t) for t in (
        "4.7 Blurring of Officers and Members public and private roles", "",
        "Officers must keep their public role apart from any private one.", "",
        "4.8 The Chief Executive will decide any question under this Protocol", "",
        "4.9 Officers will report breaches to the Monitoring Officer.")]
    structure = parse(lines)
    assert [h.number for h in structure.headings] == ["4.7"]
    assert [p.number for p in structure.paragraphs] == [None, "4.8", "4.9"]


def test_a_page_in_two_columns_is_read_down_each_column():
    """Each line of the left column would otherwise join the line beside it in the right
    column: the page is read down the left column, then the right, each column with its
    own right margin, and the page number stays at the page's end."""
    left = ["1.1 The Council works best when its", "councillors and its officers trust",
            "and respect one another.", "1.2 Officers serve the whole Council",
            "and give advice without fear", "or favour to every Member."]
    right = ["2.1 Members set the policy of the", "Council and officers carry it out",
             "in line with that policy.", "2.2 Concerns about an officer go to",
             "the Chief Executive, who will look", "into them promptly."]
    body = [words("Anyshire District Council: Code of Practice", 40)]
    for k, (a, b) in enumerate(zip(left, right)):
        y = 80 + k * 15
        body.append(words(a, y, x=LEFT) + words(b, y, x=320.0))
    body += [words(f"{a} more", 200 + k * 15, x=LEFT) + words(f"{b} too", 200 + k * 15,
                                                              x=320.0)
             for k, (a, b) in enumerate(zip(["Text of", "the left"], ["text of", "the right"]))]
    html = document(body + [words("Page 1", 800, x=280.0)])
    lines = pdf.body_lines(pdf.printed_lines(html))
    texts = [t for t, _, _ in pdf.paragraphs(lines)]
    joined = " ".join(texts)
    assert " ".join(left) in joined and " ".join(right) in joined    # each column in order
    for text in texts:                                  # no line joined to its neighbour
        assert not (any(a in text for a in left) and any(b in text for b in right)), text
    assert texts.index(next(t for t in texts if t.startswith("1.2"))) < \
        texts.index(next(t for t in texts if t.startswith("2.1")))
    assert not any("Page 1" in t for t in texts)


def test_a_page_in_one_column_with_a_few_lines_on_the_right_stays_one_column():
    body = [words(f"{k}. A provision of the Protocol that runs across the page and on.", 80 +
                  k * 15) for k in range(1, 12)]
    body += [words("Signed", 300) + words("Dated 1 May 2024", 300, x=360.0)]
    texts = [t for t, _, _ in pdf.paragraphs(pdf.body_lines(pdf.printed_lines(
        document(body))))]
    assert "Signed Dated 1 May 2024" in texts
