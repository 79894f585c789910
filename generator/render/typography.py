"""The publishing Markdown parser: CommonMark with markdown-it-py's typographer set to
smart quotes only, so that the DOCX, HTML and PDF get typographic quotes and apostrophes
(“ ” ‘ ’) while the Markdown output keeps the plain characters a forge shows.

Only the ``smartquotes`` rule runs: the ``replacements`` rule would turn a lettered "(c)"
into "©".
"""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from ..library.templating import escape_markdown

MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": True,
                                     "quotes": "“”‘’"}).enable("smartquotes")


@lru_cache(maxsize=2048)
def smart(text: str) -> str:
    """Plain text (a title, a heading) with typographic quotes and apostrophes."""
    if "'" not in text and '"' not in text:
        return text
    tokens = MARKDOWN.parseInline(escape_markdown(text))
    return "".join(child.content for token in tokens for child in (token.children or [])
                   if child.type == "text")
