"""A PDF's words, with where they sit on the page -> its paragraphs as a reader sees them.

poppler's ``pdftotext -bbox-layout`` (a separate process, stopped after a time and a page
limit) gives each word with its box. From the boxes:

- a page set in two columns is read down one column, then the other;
- words at the same height are one printed line (a bullet and its text are often apart);
- a line repeated at the top or bottom of most pages (a running header or footer) and a
  page number are left out;
- a line ends its paragraph when the next line's first word would have fitted on it (the
  writer pressed Enter), when it is a justified line short of the margin, or a title
  that ends with the council's name or stands above a date, when the space below it is wider than the text's
  line spacing,
  when the type size changes, or when it ends a sentence and the next starts a numbered
  or bulleted item; otherwise the next line, even on the next page, continues it;
- a word broken at the line's end ("effec-" / "tiveness") is joined without its hyphen,
  unless the document spells it with one elsewhere, or never whole while it prints both
  halves as words of their own, the second not a suffix ("day-" / "to-day"), or it starts like a compound ("co-");
  ligatures (ﬁ, ﬂ) and soft hyphens are written out as letters.
"""
from __future__ import annotations

from dataclasses import dataclass
import html
import re
import statistics

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
             "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": ""}
BULLETS = {"\uf0b7": "\u2022", "\uf0a7": "\u25aa", "\uf076": "\u2022", "\uf0d8": "\u2022",
           "\uf0fc": "\u2022", "\u25cf": "\u2022"}
_CHARS = str.maketrans({**LIGATURES, **BULLETS})
# a compound whose hyphen stays when it falls at a line's end
COMPOUND_STARTS = frozenset("day co self non well cross one two three four".split())
SUFFIXES = frozenset("""less ness ment ments ship ships able ible ful ing ings ed er ers est
ity ion ions al ally ly ous ive age ant ent ance ence""".split())
_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.DOTALL)
_LINE = re.compile(r"<line\b[^>]*>(.*?)</line>", re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>", re.DOTALL)
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+(?:of|/)\s+\d{1,4})?$", re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-z]\)|\(?[ivx]{1,5}\)|[a-z]\.|"
                         r"[\u2022\u25aa\u25e6\u2013\u2212\u00b7\u27a2\u25ba-])(?:\s|$)")
# a number glued to its text ("10.The", "7.3Officers") or after a capital ("P7.1.1")
_GLUED_START = re.compile(r"^(?:[A-Z]{1,2}\.?)?\d{1,3}(?:\.\d{1,3})*\.?(?=[A-Z][a-z]|[AI]\s)|"
                          r"^[A-Z]{1,2}\.?\d{1,3}(?:\.\d{1,3})*\.?\s+[A-Z]")
_CLOSED = (".", ":", ";", "!", "?")
_NAME_END = re.compile(r"\b(?:council|cyngor \w+|(?:borough|city|county|district) of "
                       r"\w+)$", re.IGNORECASE)         # a title naming the council
_DATE_LINE = re.compile(r"^(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:january|february|march|april|may|"
                        r"june|july|august|september|october|november|december)\s+\d{4}$",
                        re.IGNORECASE)


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class PrintedLine:
    """One printed line: its words left to right."""

    words: list[Word]
    page: int
    column: int = 0             # 1: the right column of a page set in two columns

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.y1 - w.y0 for w in self.words)


def printed_lines(bbox_xhtml: str) -> list[list[PrintedLine]]:
    """Each page's printed lines, top to bottom, from ``pdftotext -bbox-layout``."""
    pages = []
    for number, page in enumerate(_PAGE.findall(bbox_xhtml), 1):
        lines: list[PrintedLine] = []
        for raw in _LINE.findall(page):
            words = [Word(float(a), float(b), float(c), float(d),
                          html.unescape(t).translate(_CHARS))
                     for a, b, c, d, t in _WORD.findall(raw)]
            words = [w for w in words if w.text.strip()]
            if words:
                lines.append(PrintedLine(words, number))
        pages.append(_in_columns(lines))
    return pages


def _in_columns(lines: list[PrintedLine]) -> list[PrintedLine]:
    """The page's lines in reading order: a page set in two columns (many lines starting
    right of the middle, many ending left of it) is read down the left column, then down
    the right, so that no printed line joins the line beside it in the other column."""
    if len(lines) < 10:
        return _same_height(lines)
    left, right = min(l.x0 for l in lines), max(l.x1 for l in lines)
    middle = (left + right) / 2
    starts_right = [l for l in lines if l.x0 > middle]
    ends_left = [l for l in lines if l.x1 < middle]
    if len(starts_right) < max(5, 0.3 * len(lines)) or len(ends_left) < 5:
        return _same_height(lines)
    top, bottom = min(l.y0 for l in starts_right), max(l.y1 for l in starts_right)
    head = [l for l in lines if l.y1 <= top and l.x0 <= middle]     # the title block
    foot = [l for l in lines if l.y0 >= bottom and l.x0 <= middle]  # footer, page number
    first = [l for l in lines if l.x0 <= middle and top < l.y1 and l.y0 < bottom]
    second = _same_height(starts_right)
    for line in second:
        line.column = 1
    return [*_same_height(head), *_same_height(first), *second, *_same_height(foot)]


def _same_height(lines: list[PrintedLine]) -> list[PrintedLine]:
    """Lines whose boxes share most of their height are one printed line (a bullet and
    its text, a number and its paragraph, printed apart)."""
    out: list[PrintedLine] = []
    for line in sorted(lines, key=lambda l: (round(l.y0, 0), l.x0)):
        for other in out[-3:]:
            overlap = min(other.y1, line.y1) - max(other.y0, line.y0)
            if overlap > 0.6 * min(other.y1 - other.y0, line.y1 - line.y0):
                other.words = sorted(other.words + line.words, key=lambda w: w.x0)
                break
        else:
            out.append(line)
    return out


def running_lines(pages: list[list[PrintedLine]]) -> set[str]:
    """The text (digits as #) of lines at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        edge = {re.sub(r"\d+", "#", line.text) for line in lines[:2] + lines[-2:]}
        for key in edge if len(lines) > 2 else ():
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}


def body_lines(pages: list[list[PrintedLine]]) -> list[PrintedLine]:
    """The printed lines without running headers, footers and page numbers."""
    running = running_lines(pages)
    out = []
    for lines in pages:
        edge = {id(l) for l in lines[:2] + lines[-2:]}
        for line in lines:
            if id(line) in edge and (re.sub(r"\d+", "#", line.text) in running or
                                     PAGE_NUMBER.match(line.text)):
                continue
            out.append(line)
    return out


def paragraphs(lines: list[PrintedLine]) -> list[tuple[str, int, bool]]:
    """(text, page, larger than the body text) of each paragraph, in order."""
    if not lines:
        return []
    rights = {c: _percentile([l.x1 for l in lines if l.column == c], 0.9)
              for c in {l.column for l in lines}}       # each column's own margin
    body_size = statistics.median(l.size for l in lines)
    justified = sum(l.x1 >= rights[l.column] - 2 for l in lines) > 0.4 * len(lines)
    vocabulary = _vocabulary(lines)
    out: list[list] = []
    previous = None
    for line in lines:
        big = previous is not None and previous.size > body_size * 1.12
        if previous is None or _ends_paragraph(previous, line, rights[previous.column],
                                               justified and previous.size < body_size * 1.05) \
                or big and (bool(_DATE_LINE.match(line.text)) or       # "August 2019"
                            bool(_NAME_END.search(out[-1][0]) and line.text[:1].isupper())):
            out.append([line.text, line.page, line.size > body_size * 1.12])
        else:
            out[-1][0] = _join(out[-1][0], line.text, vocabulary)
        previous = line
    return [(t, p, big) for t, p, big in out]


def _ends_paragraph(a: PrintedLine, b: PrintedLine, right: float, justified: bool) -> bool:
    text = a.text.rstrip()
    if _broken_word(text) and b.text[:1].isalpha():
        return False
    first = b.words[0]
    space = max(2.0, (first.x1 - first.x0) * 0.1)
    if a.x1 + space + (first.x1 - first.x0) < right - 2:
        return True                                 # the next word would have fitted
    if justified and a.x1 < right - 3:
        return True                                 # a justified paragraph's last line
    #                                                 (``justified``: body text, justified)
    if abs(a.size - b.size) > 0.12 * max(a.size, b.size):
        return True                                 # the type size changes
    if a.page == b.page and b.y0 - a.y1 > 0.45 * a.size:
        return True                                 # space between paragraphs
    sentence_ends = text.endswith(_CLOSED)
    if sentence_ends and a.page != b.page and b.text[:1].isupper() and a.x1 < right - 3:
        return True                                 # a short last line before the page end
    return sentence_ends and bool(_ITEM_START.match(b.text) or _GLUED_START.match(b.text))


def _broken_word(text: str) -> bool:
    return bool(re.search(r"[A-Za-z][-\u2010]$", text))


def _join(before: str, after: str, vocabulary: set[str]) -> str:
    """``after`` continues ``before``: a word broken at the line's end is joined."""
    if not _broken_word(before) or not after[:1].isalpha():
        return f"{before} {after}"
    head = re.search(r"([\w'-]*\w)[-\u2010]$", before)
    tail = re.match(r"[\w'-]+", after)
    left, right = (head.group(1) if head else ""), (tail.group(0) if tail else "")
    whole = (left + right).lower()
    hyphened = f"{left}-{right}".lower()
    both = (left.lower() in vocabulary and right.lower() in vocabulary and len(left) > 2
            and right.lower() not in SUFFIXES)
    keep = hyphened in vocabulary or whole not in vocabulary and (
        both or left.lower() in COMPOUND_STARTS or "-" in left or
        after[:1].isupper() and not left.isupper())      # "Anglo-" / "Saxon", not "MIL-"
    return (before[:-1] + "-" if keep else before[:-1]) + after


def _vocabulary(lines: list[PrintedLine]) -> set[str]:
    """The words the document spells whole on a line (not broken at its end)."""
    out: set[str] = set()
    for line in lines:
        words = line.words[:-1] if _broken_word(line.text) else line.words
        for w in words[1:] if words and words[0].text[:1].islower() else words:
            out.add(w.text.strip(".,;:!?()\"'\u2018\u2019\u201c\u201d").lower())
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]
