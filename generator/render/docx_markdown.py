"""Clause bodies (CommonMark) -> python-docx paragraphs.

markdown-it-py parses a body into a flat token stream (kept as plain data between builds,
:mod:`.typography`); :class:`ClauseWriter` walks it and
maps each token type to python-docx calls through two dicts of rules keyed by token type
(block and inline), as markdown-it-py's own HTML renderer does. The first paragraph of a
body is the numbered clause (the Clause style carries the 1.1 numbering); later
paragraphs are indented Clause Text; ordered lists are Word list levels (a), (i) of the
same numbering; bullet lists use the bullet numbering; block quotes use the Quote style.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from . import oxml
from .typography import blocks

MONOSPACE = "Courier New"
CLAUSE_LEVEL = 1        # the Clause style's level in the protocol numbering
MAX_LEVEL = 8


@dataclass(frozen=True)
class ListNumbering:
    """The numbering definitions the writer uses (ids in numbering.xml)."""

    legal_abstract: int     # 1 / 1.1 / (a) / (i) ...
    legal_num: int
    bullet_num: int
    indent: int             # twips where clause text starts
    step: int               # twips each list level adds


@dataclass
class _List:
    ordered: bool
    ilvl: int
    num_id: int


@dataclass
class _State:
    lists: list[_List] = field(default_factory=list)
    item_paragraphs: list[int] = field(default_factory=list)  # paragraphs so far per item
    quotes: int = 0
    bold: int = 0
    italic: int = 0
    links: list = field(default_factory=list)
    used_levels: set[int] = field(default_factory=set)        # ordered levels counted
    numbered: bool = False                                    # clause number written


class ClauseWriter:
    """Appends clause bodies to a python-docx document (before its final section
    properties), one ``w:p`` per paragraph."""

    def __init__(self, document, numbering: ListNumbering, style_ids: dict[str, str]):
        self.d = document
        self.numbering = numbering
        self.ids = style_ids
        self.end = document.element.body.sectPr   # new paragraphs go before this
        self.p = None
        self.last = None                          # the last paragraph written
        self.state = _State()
        self.block_rules = {
            "paragraph_open": self._paragraph_open,
            "paragraph_close": self._paragraph_close,
            "heading_open": self._heading_open,
            "heading_close": self._heading_close,
            "inline": self._inline,
            "bullet_list_open": self._list_open,
            "ordered_list_open": self._list_open,
            "bullet_list_close": self._list_close,
            "ordered_list_close": self._list_close,
            "list_item_open": self._item_open,
            "list_item_close": self._item_close,
            "blockquote_open": self._quote_open,
            "blockquote_close": self._quote_close,
            "code_block": self._code,
            "fence": self._code,
            "html_block": self._code,
            "hr": self._ignore,
        }
        self.inline_rules = {
            "text": self._text,
            "softbreak": self._softbreak,
            "hardbreak": self._hardbreak,
            "strong_open": self._strong_open,
            "strong_close": self._strong_close,
            "em_open": self._em_open,
            "em_close": self._em_close,
            "link_open": self._link_open,
            "link_close": self._link_close,
            "code_inline": self._code_inline,
            "html_inline": self._text,
            "image": self._image,
        }

    def write_clause(self, body: str) -> None:
        """Write one clause: its first paragraph is numbered n.m by the Clause style."""
        self.state = _State()
        self.last = None
        for token in blocks(body):
            self.block_rules.get(token.type, self._ignore)(token)
        if not self.state.numbered:       # an empty body still takes its number
            self._new_paragraph()
        self.p = None

    def add(self, p):
        self.end.addprevious(p)
        self.p = self.last = p
        return p

    # ---- paragraphs
    def _new_paragraph(self):
        """A paragraph in the right style for where the walk is: the clause's numbered
        paragraph, a list item, a continuation inside an item, a quote, or clause text."""
        s = self.state
        n = self.numbering
        if not s.numbered:
            s.numbered = True
            s.used_levels.clear()
            return self.add(oxml.paragraph(self.ids["Clause"]))
        if s.quotes:
            left = n.indent + n.step * (len(s.lists) + s.quotes)
            return self.add(oxml.paragraph(self.ids["Quote"], indent=(left, 0)))
        if not s.lists:
            return self.add(oxml.paragraph(self.ids["Clause Text"]))
        current = s.lists[-1]
        left = n.indent + n.step * len(s.lists)
        first = s.item_paragraphs[-1] == 0
        s.item_paragraphs[-1] += 1
        if not first:                                  # a later paragraph of an item
            return self.add(oxml.paragraph(self.ids["Clause Text"], indent=(left, 0)))
        if current.ordered:          # a counted item restarts the levels below it
            s.used_levels.add(current.ilvl)
            s.used_levels.difference_update({x for x in s.used_levels if x > current.ilvl})
        return self.add(oxml.paragraph(self.ids["Clause List"],
                                       numbering=(current.num_id, current.ilvl),
                                       indent=(left, n.step)))

    def _paragraph_open(self, token) -> None:
        self._new_paragraph()

    def _paragraph_close(self, token) -> None:
        self.p = None

    def _heading_open(self, token) -> None:
        self._new_paragraph()
        self.state.bold += 1

    def _heading_close(self, token) -> None:
        self.state.bold -= 1
        self.p = None

    def _code(self, token) -> None:
        p = self._new_paragraph()
        oxml.run(token.content.rstrip("\n"), font=MONOSPACE, parent=p)
        self.p = None

    def _ignore(self, token) -> None:
        pass

    # ---- lists and quotes
    def _list_open(self, token) -> None:
        s = self.state
        n = self.numbering
        depth = len(s.lists) + 1
        if self.last is not None:          # keep a list's lead-in with its first item
            self.last.get_or_add_pPr().keepNext_val = True
        if token.type == "bullet_list_open":
            s.lists.append(_List(False, min(depth - 1, MAX_LEVEL), n.bullet_num))
            return
        ilvl = min(CLAUSE_LEVEL + depth, MAX_LEVEL)
        parent = next((x for x in reversed(s.lists) if x.ordered), None)
        num_id = parent.num_id if parent else n.legal_num
        start = int(token.attrGet("start") or 1)
        if ilvl in s.used_levels or start != 1:
            num_id = self._restart(ilvl, start)
        s.lists.append(_List(True, ilvl, num_id))

    def _restart(self, ilvl: int, start: int) -> int:
        """A new instance of the protocol numbering whose level ``ilvl`` starts again."""
        numbering = self.d.part.numbering_part.element
        return oxml.add_numbering_instance(numbering, self.numbering.legal_abstract,
                                           {ilvl: start})

    def _list_close(self, token) -> None:
        self.state.lists.pop()
        self.p = None

    def _item_open(self, token) -> None:
        self.state.item_paragraphs.append(0)

    def _item_close(self, token) -> None:
        self.state.item_paragraphs.pop()
        self.p = None

    def _quote_open(self, token) -> None:
        self.state.quotes += 1

    def _quote_close(self, token) -> None:
        self.state.quotes -= 1
        self.p = None

    # ---- inline content
    def _inline(self, token) -> None:
        if self.p is None:
            self._new_paragraph()
        for child in token.children or ():
            self.inline_rules.get(child.type, self._text)(child)

    def _run(self, text: str, font: str | None = None) -> None:
        s = self.state
        oxml.run(text, bold=s.bold > 0, italic=s.italic > 0, font=font,
                 style_id=self.ids["Hyperlink"] if s.links else None,
                 parent=s.links[-1] if s.links else self.p)

    def _text(self, token) -> None:
        if token.content:
            self._run(token.content)

    def _softbreak(self, token) -> None:
        self._run(" ")

    def _hardbreak(self, token) -> None:
        self._run("\n")

    def _strong_open(self, token) -> None:
        self.state.bold += 1

    def _strong_close(self, token) -> None:
        self.state.bold -= 1

    def _em_open(self, token) -> None:
        self.state.italic += 1

    def _em_close(self, token) -> None:
        self.state.italic -= 1

    def _link_open(self, token) -> None:
        href = str(token.attrGet("href") or "")
        if href.startswith("#"):
            link = oxml.hyperlink(self.p, anchor=href[1:])
        else:
            r_id = self.d.part.relate_to(href, RT.HYPERLINK, is_external=True)
            link = oxml.hyperlink(self.p, rel_id=r_id)
        self.state.links.append(link)

    def _link_close(self, token) -> None:
        self.state.links.pop()

    def _code_inline(self, token) -> None:
        self._run(token.content, font=MONOSPACE)

    def _image(self, token) -> None:
        alt = "".join(c.content for c in token.children or ())
        if alt:
            self._run(alt)
