"""Nothing of the council's protocol is lost between reading it and importing it.

Two checks, each raising a :class:`~generator.errors.ProtocolGenError` that names the
words lost (a fault of protocol-gen, never of the council's file):

- :func:`check_reading`: every word read from the file is in the title, a heading or a
  paragraph (with its number and items) of the structure found in it;
- :func:`check_import`: every provision's text and list items are in the house clauses
  the import writes (compared by their letters alone, template expressions aside: the
  clause files escape Markdown and renumber cross-references).

A list item the build leaves out because another paragraph makes its point is still in
the house clauses (marked with its points, :mod:`.ownpoints`); the build's redline
strikes it through with its reason. The redline's own check (every sentence kept or
struck through) is :mod:`generator.review.lossless`.
"""
from __future__ import annotations

from collections import Counter
import re

from ..errors import Problem, ProtocolGenError, clip

HINT = ("this is a fault in protocol-gen, not in the file: nothing was written; report it "
        "with the file, and meanwhile work from the original")
_WORD = re.compile(r"[^\W\d_]+")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)   # a renumbered cross-reference


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def check_reading(lines, structure, name: str) -> None:
    """Raise when a word of ``lines`` (read from the file) is in no part of
    ``structure`` (:func:`generator.importer.structure.parse`)."""
    found = Counter(w for t in structure.title for w in _words(t))
    found.update(w for h in structure.headings for w in _words(f"{h.number or ''} {h.text}"))
    for p in structure.paragraphs:
        found.update(_words(f"{p.number or ''} {p.full_text}"))
    from .structure import BULLET
    for line in lines:
        text = BULLET.sub("", line.text.strip())    # a bullet ("o", "-") is not a word
        for w in _words(f"{line.label} {text}"):
            if found[w] > 0:
                found[w] -= 1
                continue
            raise ProtocolGenError(Problem(
                f"reading lost words: \u201c{clip(line.text, 100)}\u201d is in no paragraph "
                "or heading that was read", file=name, hint=HINT))


def _letters(text: str) -> str:
    return "".join(_words(text))


def check_import(structure_paragraphs, clause_texts: list[str], name: str) -> None:
    """Raise when a provision (or one of its items) is in none of ``clause_texts``."""
    held = "\n".join(_letters(_JINJA.sub("", t)) for t in clause_texts)
    for p in structure_paragraphs:
        if p.kind != "provision":
            continue
        for text in [p.text] + [t for _, t in p.items]:
            letters = _letters(text)
            if letters and letters not in held:
                raise ProtocolGenError(Problem(
                    f"the import lost \u201c{clip(text, 100)}\u201d (paragraph {p.ref}): it "
                    "is in none of the house clauses", file=name, hint=HINT))
