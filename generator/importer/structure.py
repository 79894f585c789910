"""Lines of an existing protocol -> its headings and numbered paragraphs.

Numbering styles recognised at the start of a line: 1. / 1.1 / 1.1.1 (with or without a
final dot), (a) a) a. (i) i) i., bullets (- * • and the like), "Footnote 1.", and the
labels Word or a web page hold apart from the text. A short line without closing
punctuation is a heading, numbered or not, when the format marks it so, when it is in
capitals, when it is very short, or when its own body text follows it (a paragraph, or
items starting with a capital): "4.7 Blurring of Officers and Members public and private
roles", "What councillors and officers can expect of each other", "Who do I ask?". Never
one that ends as a list item does ("; and"), a numbered lead-in ending in a colon ("4.2
Reports:"), a line left open ("Councillors will") or one followed by the next paragraph
at its own level ("2.4" then "2.5"): those are provisions. Lettered,
roman and bulleted items belong to the paragraph they follow, and so do unmarked
paragraphs after a lead-in ending in a colon, or after items ending "; and" or as they
start ("To ..."): a list typed as paragraphs of their own. A table after a paragraph
is one of its own: its first row, the other rows as its items. Each paragraph keeps its
number as the document shows it; numbering that restarts (on each page, in each
section) is kept too, and the paragraph's ``ref`` tells repeats apart. Short lines of
dates and titles (a title page, "For review June 2022") are kept apart as ``meta``: they
tell the review date, they are not provisions.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import re

from .read import Line

MAX_HEADING_WORDS = 12

# "o" is the bullet Word's Courier list becomes when typed or pasted ("o<tab>text"); the
# private-use characters are Symbol and Wingdings bullets pasted as text.
BULLET = re.compile("^(?:[-*\u2022\u2013\u00b7\u25aa\u25cf\u25e6\u25a0\u25a1"
                    "\u27a2\u25ba\u2023\u2043\uf0b7\uf0a7\uf0d8\uf076\uf0fc]"
                    r"|o(?=\s+[\w\u2018\u201c\"'(]))\s+")
_BULLET = BULLET
_DECIMAL = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4})(?:\.(?!\d)|\))?(?:\s+|$)")
# "P7.1.1", "B.2.3", "A1" (an appendix's or schedule's numbers): a capital before the
# digits, followed by a capital (so "A1 grant" and "M25 traffic" stay words).
_PREFIXED = re.compile(r"^([A-Z]{1,2}\.?\d{1,3}(?:\.\d{1,3}){0,4})\.?"
                       r"(?:\s+|(?=[A-Z][a-z]|[AI]\s+[A-Za-z]))(?=[A-Z\u2018\u201c\"'(])")
# "10.Councillors", "7.3Officers", "P7.3.2A Member": a number glued to its text (a PDF's
# automatic numbering); "5.30pm", "2.5Mb" and "£1.50" stay text
_GLUED = re.compile(r"^(?:(\d{1,3}(?:\.\d{1,3}){0,4})\.(?=[A-Z][a-z]|[AI]\s+[A-Za-z])|"
                    r"(\d{1,3}(?:\.\d{1,3}){1,4})(?=[A-Z][a-z]{2}))")
# "2.5 hours", "10 per cent", "5 pm": a quantity opening a sentence, not a number
_QUANTITY = re.compile(r"^\d+(?:\.\d+)?\s*(?:%|(?:per|am|pm|a\.m|p\.m|hours?|days?|weeks?|"
                       r"months?|years?|minutes?|miles?)\b)")
_PAREN = re.compile(r"^\(([a-z]|[ivxl]{1,6}|[A-Z]|\d{1,2})\)\s*")
_LETTER = re.compile(r"^([a-z]|[ivxl]{1,6}|[A-Z])[.)]\s+")
_FOOTNOTE = re.compile(r"^(footnote\s+\d+)\.?\s+", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_CLOSING = (".", ";", ":", ",", "!")
_DATE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|"
                   r"october|november|december)\s+\d{4}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|"
                   r"\b(?:19|20)\d{2}\b", re.IGNORECASE)
_ROMAN = set("ivxl")


@dataclass
class Paragraph:
    """One numbered (or unnumbered) paragraph with the items that belong to it."""

    index: int
    number: str | None          # as the document shows it: "2.2", "16", "(a)", None
    text: str                   # its own text, without the number
    heading: str = ""           # the heading it sits under
    section: str | None = None  # the number of that heading, if it has one
    page: int = 1
    items: list[tuple[str, str]] = field(default_factory=list)   # (label, text)
    ref: str = ""               # unique: the number, or where it sits
    kind: str = "provision"     # provision | meta | furniture (:mod:`.furniture`)
    table: bool = False         # a table: its first row, the others as its items
    reason: str = ""            # furniture: why it is not a provision of the new draft

    @property
    def full_text(self) -> str:
        """Its text with its items, one a line."""
        return "\n".join([self.text] + [f"{label} {t}".strip() for label, t in self.items])

    @property
    def words(self) -> int:
        return len(self.full_text.split())


@dataclass
class Heading:
    number: str | None
    text: str
    index: int        # the index of the first paragraph after it


@dataclass
class Structure:
    title: list[str]            # the lines before the first heading or paragraph
    headings: list[Heading]
    paragraphs: list[Paragraph]

    @property
    def provisions(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "provision"]


def _blocks(lines: list[Line]) -> list[Line]:
    """Join the lines of one paragraph: a wrapped line (PDF) continues the one before
    unless it starts a new numbered or listed item; a text line continues the one before
    when that ends open and it starts in lower case."""
    out: list[Line] = []
    open_block = False
    for line in lines:
        t = _MD_HEADING.sub("", line.text.replace("**", "").replace("__", "")).strip()
        if not t:
            open_block = False
            continue
        starts_item = bool(line.label or line.item or _marker(t)[0] is not None or
                           _BULLET.match(t))
        prev = out[-1] if out else None
        if line.furniture or prev is not None and prev.furniture:
            out.append(replace(line, text=t))
            open_block = False
            continue
        if prev is not None and not starts_item and not line.label and not prev.heading \
                and not line.whole:
            joined = f"{prev.text} {t}"
            ends_open = not prev.text.rstrip().endswith(_CLOSING + ("?",))
            if (line.wrapped and open_block or
                    (not line.wrapped and ends_open and t[:1].islower() and
                     _marker(prev.text)[0] is None)):
                out[-1] = replace(prev, text=joined)
                continue
        out.append(replace(line, text=t))
        open_block = line.wrapped
    return out


def _marker(text: str) -> tuple[str | None, str, str]:
    """(number as shown, kind, rest): kind is 'decimal', 'letter', 'bullet', 'footnote'."""
    m = _FOOTNOTE.match(text)
    if m:
        return m.group(1), "footnote", text[m.end():]
    m = _DECIMAL.match(text)
    if m and not re.match(r"^\d{4}\b", text) and not _QUANTITY.match(text):
        return m.group(1), "decimal", text[m.end():]
    m = _PREFIXED.match(text) or _GLUED.match(text)
    if m:
        return m.group(1) or m.group(2), "decimal", text[m.end():]
    m = _PAREN.match(text)
    if m:
        return f"({m.group(1)})", "letter", text[m.end():]
    m = _LETTER.match(text)
    if m and (len(m.group(1)) == 1 or set(m.group(1)) <= _ROMAN):
        return m.group(0).strip(), "letter", text[m.end():]
    m = _BULLET.match(text)
    if m:
        return None, "bullet", text[m.end():]
    return None, "", text


_OPEN_END = re.compile(r"(?:[;,:]|\b(?:and|or|but|nor|of|the|a|an|to|in|for|with|by))\W*$",
                       re.IGNORECASE)
_ITEM_END = re.compile(r"(?:[;,]|;\s*(?:and|or)|\b(?:and|or))\s*$", re.IGNORECASE)


def _is_heading(text: str, kind: str, number: str | None, line: Line,
                following: Line | None = None) -> bool:
    """Whether a line is a heading: marked so by the format; in capitals; or a short line
    without closing punctuation (a title, a question or a phrase in sentence case) that
    stands alone or before its own body text. Never a line ending as a list item does, a
    numbered lead-in ending in a colon, nor a line left open ("Councillors will")."""
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or _ITEM_END.search(text):
        return False              # "To represent the council externally; and" is an item
    if number and kind == "decimal" and text.rstrip().endswith(":"):
        return False              # "4.2 Reports:" leads into its items
    if line.heading:
        return True
    if _OPEN_END.search(text):
        return False
    if kind in ("letter", "bullet", "footnote") or line.item:
        return False
    if text.rstrip().endswith(_CLOSING):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return True
    if not text[:1].isupper() or _DATE.search(text):
        return False
    if _before_its_body(number, following):
        return True               # "What councillors and officers can expect of each other"
    after = _next(following)
    if number and "." in number.strip(".") and after[1] == "decimal" and \
            not after[0].startswith(number.strip(".") + "."):
        return False              # "2.4 Officers serve the whole council" before 2.5
    if after[1] in ("letter", "bullet") and after[2].strip()[:1].islower():
        return False              # "6.1 The clerk will help councillors" "a. prepare ..."
    if text.rstrip().endswith("?"):
        return number is None and len(words) <= 10
    return len(words) <= 8 and not (number and "." in number.strip(".") and len(words) > 6)


def _before_its_body(number: str | None, following: Line | None) -> bool:
    """Whether the line after a heading-like line is body text it heads: a provision
    (ending as a sentence does, or longer than a heading) or an item starting with a
    capital, and, after a numbered line, never the next paragraph at its own level
    ("2.4" then "2.5") but one numbered beneath it or not numbered at all."""
    if following is None or following.heading or following.row:
        return False
    number_after, kind, rest = _next(following)
    if not rest:
        return False
    if kind in ("letter", "bullet"):
        return rest[:1].isupper() or rest[:1].isdigit()   # "a. act ..." completes a lead-in
    if number and number_after and not number_after.startswith(number.strip(".") + "."):
        return False
    return rest.rstrip().endswith(_CLOSING + ("?",)) and len(rest.split()) > 3 or \
        len(rest.split()) > MAX_HEADING_WORDS


def _next(line: Line | None) -> tuple[str | None, str, str]:
    """(number, kind, text) of the line after a heading-like one, its label counted."""
    if line is None:
        return None, "", ""
    number, kind, rest = _marker(line.label or line.text)
    if line.label:
        rest = line.text
    elif kind == "bullet" and _marker(rest)[1] in ("decimal", "letter", "footnote"):
        number, kind, rest = _marker(rest)        # "- a. Any group ..."
    if line.item and kind == "":
        kind = "bullet"
    return number, kind, rest.strip()


def _is_meta(text: str) -> bool:
    """A date line, a version line or a review note, not a provision."""
    words = text.split()
    if len(words) <= 4 and re.search(r"\b(?:signed|signature|date|dated|name|position)\W*$",
                                     text, re.IGNORECASE):
        return True      # a signature block
    return len(words) <= 8 and bool(_DATE.search(text)) or bool(
        re.match(r"^(?:version|v)\s*\d", text, re.IGNORECASE)) and len(words) <= 8


def parse(lines: list[Line]) -> Structure:
    """Headings and paragraphs of a protocol's lines."""
    title: list[str] = []
    headings: list[Heading] = []
    paras: list[Paragraph] = []
    heading, section = "", None
    current: Paragraph | None = None
    started = loose = False
    blocks = _blocks(lines)
    for at, line in enumerate(blocks):
        label = line.label.strip()
        text = line.text
        if line.furniture:          # a cover page, contents, footnote: not a provision
            paras.append(Paragraph(len(paras), None, f"{label} {text}".strip(), heading,
                                   section, line.page, kind="furniture",
                                   reason=line.furniture))
            current = None
            continue
        # a bullet before a number ("- 1.1 This protocol ...") is the number's
        bullet = _BULLET.match(text)
        if bullet and _marker(text[bullet.end():])[1] in ("decimal", "letter", "footnote"):
            text = text[bullet.end():]
        number, kind, rest = _marker(text)
        if line.row:
            number, kind, rest = None, "bullet", text     # a table row: its cells as they are
        if label:
            if number is None or kind == "bullet":
                number, kind, rest = label.rstrip("."), (
                    "letter" if re.search(r"[a-zA-Z]", label) else "decimal"), text
        if kind == "bullet" and not label:
            rest = rest
        elif line.item and kind == "":
            kind = "bullet"
        rest = rest.strip()
        if not rest and number and kind == "decimal":
            continue     # a number on a line of its own: the next line carries the text
        if not rest:
            continue
        if paras and paras[-1].kind == "meta" and number is None and kind == "" and \
                len(rest.split()) <= 6 and not rest.rstrip().endswith(_CLOSING):
            paras.append(Paragraph(len(paras), None, rest, heading, section, line.page,
                                   kind="meta"))     # a signature block: name, post
            continue
        if kind == "" and number is None and current is not None and \
                current.kind == "provision" and _continues_list(current, rest):
            current.items.append(("-", rest))   # a list typed as paragraphs of their own
            continue
        if kind == "decimal" and current is not None and current.kind == "provision" and \
                _numbered_item(current, number, rest, line):
            current.items.append((f"{number}.", rest))   # Word's "List Number" after a lead-in
            continue
        following = blocks[at + 1] if at + 1 < len(blocks) else None
        if _is_heading(rest, kind, number, line, following):
            if not started and not headings and number is None:
                title.append(rest)
                if len(title) > 8:       # no title is that long: these are headings
                    headings.append(Heading(None, title.pop(), len(paras)))
                continue
            heading, section = rest, number
            headings.append(Heading(number, rest, len(paras)))
            current = None
            started = True
            continue
        if line.row and not (current is not None and (current.table or re.search(
                r":\s*$", current.text))):
            p = Paragraph(len(paras), None, rest, heading, section, line.page, table=True)
            paras.append(p)               # a table's first row: its heading row
            current, started, loose = p, True, False
            continue
        if kind in ("letter", "bullet") and current is not None and \
                current.kind == "provision" and not (
                    loose and _style(number) == _style(current.number)):
            current.items.append((number or "-", rest))
            continue
        if not started and _is_meta(rest) and number is None:
            title.append(rest)
            continue
        if not started and not headings and title and not _about_the_document(title[-1]):
            headings.append(Heading(None, title.pop(), len(paras)))   # "Introduction"
            heading = headings[-1].text
        p = Paragraph(len(paras), number, rest, heading, section, line.page)
        if kind in ("letter", "bullet"):
            p.number = number
        if number is None and _is_meta(rest):
            p.kind = "meta"
        paras.append(p)
        current = p if p.kind == "provision" else None
        # items straight under a heading, with no lead-in: each a paragraph of its own
        loose = kind in ("letter", "bullet")
        started = True
    _give_refs(paras)
    return Structure(title, headings, paras)


def _style(number: str | None) -> str:
    """A list label's style: "(a)" and "(b)" alike, "a." apart from both; a bullet "-"."""
    return re.sub(r"[A-Z]+", "A", re.sub(r"[a-z]+", "a", re.sub(r"\d+", "1", number or "-")))


def _continues_list(current: Paragraph, text: str) -> bool:
    """Whether an unmarked paragraph is the next item of ``current``'s list: the lead-in
    ends with a colon, or the items so far end as list items do ("; and"), or it starts
    as they do with a word that starts list items ("To ...", "That ...", "Providing ...")."""
    lead = current.items[-1][1] if current.items else current.text
    if _marker(text)[0] is not None or len(text.split()) > 150:
        return False
    opened = bool(re.search(r":\s*[-\u2013]?\s*$", lead))
    if _ITEM_END.search(text) and (opened or current.items) or \
            current.items and _ITEM_END.search(lead):
        return True          # "...; and", or after an item that ends so
    short = len(text.split()) <= 40 and len(re.findall(r"[.!?](?:\s|$)", text.rstrip())) <= 1
    if not short:
        return False
    if opened:
        return True
    first = text.split()[0].lower()
    return bool(current.items) and first == lead.split()[0].lower() and (
        first in ("to", "that", "not") or first.endswith("ing"))


def _numbered_item(current: Paragraph, number: str | None, text: str, line: Line) -> bool:
    """Whether a paragraph numbered 1, 2, 3 (Word's automatic "List Number", an ordered
    list of a web page, or those numbers as a PDF prints them) is an item of ``current``:
    it follows a lead-in ending with a colon, or the items before it count up to it, and
    the lead-in is not numbered in the same series ("2.1", "A3" or none, never "3")."""
    if not number or not re.fullmatch(r"\d{1,2}", number) or \
            current.number and re.fullmatch(r"\d{1,3}\.?", current.number):
        return False
    if current.items:
        last = current.items[-1][0].rstrip(".")
        return last.isdigit() and int(number) == int(last) + 1
    return bool(re.search(r":\s*$", current.text)) and (line.item or text[:1].islower())


def _about_the_document(text: str) -> bool:
    """A title line: the council, the document's name, a date or a version."""
    return bool(re.search(r"\bcouncil\b|protocol|policy|relations|code of|guidance|"
                          r"members?\s*(?:/|and)\s*officers?", text, re.IGNORECASE)) or \
        _is_meta(text)


def _give_refs(paras: list[Paragraph]) -> None:
    """Each paragraph's unique reference: its number; a repeated number with its page
    (or its place); an unnumbered one after the last number or heading."""
    seen: dict[str, int] = {}
    last_number, since = None, 0
    last_heading = None
    for p in paras:
        if p.heading != last_heading:
            last_heading, last_number, since = p.heading, None, 0
        if p.number:
            ref = p.number
            if p.section and re.fullmatch(r"\(?[a-zA-Z]{1,6}[.)]?", p.number):
                ref = f"{p.section.rstrip('.')}({p.number.strip('().')})"   # 4.3(a)
            last_number, since = ref, 0
        else:
            since += 1
            if last_number:
                ref = f"{last_number} ¶{since + 1}"
            elif p.heading:
                ref = f'"{p.heading}" ¶{since}'
            else:
                ref = f"¶{since}"
        n = seen.get(ref, 0) + 1
        seen[ref] = n
        if n > 1:
            under = f'{ref} under "{p.heading}"' if p.heading else None
            ref = f"{ref} (page {p.page})" if p.page > 1 and f"{ref} (page {p.page})" \
                not in seen else under if under and under not in seen \
                else f"{ref} ({_ordinal(n)})"
            seen[ref] = 1
        p.ref = ref


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
