"""The publishing Markdown parser, and what it makes of the texts a DOCX is written from.

The parser is CommonMark with markdown-it-py's typographer set to smart quotes only, so
that the DOCX, HTML and PDF get typographic quotes and apostrophes (“ ” ‘ ’) while the
Markdown output keeps the plain characters a forge shows. Only the ``smartquotes`` rule
runs: the ``replacements`` rule would turn a lettered "(c)" into "©".

The DOCX renderer walks each clause body's token stream (:func:`blocks`,
:mod:`.docx_markdown`) and puts titles and headings through the typographer
(:func:`smart`). markdown-it-py is imported only when a text is parsed, and each result is
kept in a plain form (:class:`Token`: type, content, attributes and children; the
typographer's text as a string) that pickles without markdown-it-py.

A single build of a profile notes every parse its document needed
(:func:`generator.cache.noted`) and the cache of single builds (:mod:`generator.buildcache`)
keeps them with that profile's entry; the next build of the same profile, changed, starts
from them and parses only its texts that are new. Across many councils in one process each parse
is also kept in memory, bounded.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ..cache import noted


class Token(NamedTuple):
    """The parts of a markdown-it-py token the renderers read."""

    type: str
    content: str = ""
    attrs: tuple[tuple[str, str | int | float], ...] = ()
    children: tuple[Token, ...] | None = None

    def attrGet(self, name: str):     # noqa: N802 - markdown-it-py's name for it
        """The attribute ``name`` (as markdown-it-py's ``Token.attrGet``), else None."""
        return next((value for key, value in self.attrs if key == name), None)


def blocks(body: str) -> tuple[Token, ...]:
    """The token stream of a clause body (CommonMark with smart quotes)."""
    return noted("blocks", body, _parse_blocks)


def smart(text: str) -> str:
    """Plain text (a title, a heading) with typographic quotes and apostrophes."""
    if "'" not in text and '"' not in text:
        return text
    return noted("smart", text, _parse_smart)


@lru_cache(maxsize=1)
def markdown():
    """The one ``MarkdownIt`` parser the renderers share."""
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"html": False, "typographer": True,
                                     "quotes": "“”‘’"}).enable("smartquotes")


@lru_cache(maxsize=4096)
def _parse_blocks(body: str) -> tuple[Token, ...]:
    return tuple(map(_plain, markdown().parse(body)))


@lru_cache(maxsize=2048)
def _parse_smart(text: str) -> str:
    from ..library.templating import escape_markdown
    tokens = markdown().parseInline(escape_markdown(text))
    return "".join(child.content for token in tokens for child in (token.children or [])
                   if child.type == "text")


def _plain(token) -> Token:
    children = None if token.children is None else tuple(map(_plain, token.children))
    return Token(token.type, token.content, tuple(token.attrs.items()), children)
