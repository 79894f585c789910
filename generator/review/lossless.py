"""Nothing of the council's protocol is lost in a redline by content: checked on every
one :mod:`generator.review.against` writes (``build --against``, and ``build --redline``
of an imported profile against its original).

Every sentence of the old protocol's provisions must be placed once (in the paragraph
that carries it, or struck through beside its neighbours), every sentence struck through
must have a comment saying why, and the redline as written, with every change rejected,
must hold every one of those sentences. Words are compared by their letters and digits
alone, so quote marks, dashes and hyphenation ("dayto", "day-to") never count as loss.
A failure raises :class:`~generator.errors.ProtocolGenError` naming the sentence.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import Problem, ProtocolGenError, clip

HINT = ("this is a fault in protocol-gen, not in the file: the redline was not written; "
        "report it with the file, and meanwhile compare the two documents by hand")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    """Letters and digits only, lower case."""
    return re.sub(r"[\W_]+", "", text.lower())


def rejected_text(docx: bytes) -> str:
    """The redline's text with every tracked change rejected (insertions dropped,
    deletions kept), one paragraph a line."""
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    out = []
    for p in root.iter(f"{_W}p"):
        out.append("".join(t.text or "" for t in p.iter(f"{_W}t", f"{_W}delText")
                           if not any(a.tag == f"{_W}ins" for a in t.iterancestors())))
    return "\n".join(out)


def _lost(sentence, where: str, name: str, why: str) -> ProtocolGenError:
    return ProtocolGenError(Problem(
        f"the sentence \u201c{clip(sentence.text, 100)}\u201d ({where}) {why}", file=name,
        hint=HINT))


def check_redline(old, rows, docx: bytes, name: str) -> None:
    """Raise unless every old sentence (``old``: :class:`~generator.review.against.
    OldSentence`) is placed in exactly one row, each one struck through has a comment,
    and rejecting every change in ``docx`` gives it back."""
    placed: dict[int, int] = {}
    for row in rows:
        for s in row.old:
            placed[id(s)] = placed.get(id(s), 0) + 1
        if row.new is None and not row.comment:
            s = row.old[0]
            raise _lost(s, s.where, name, "is struck through without a reason")
    back = squash(rejected_text(docx))
    for s in old:
        if placed.get(id(s), 0) != 1:
            raise _lost(s, s.where, name, "is neither in the new protocol nor struck "
                        "through in the redline" if id(s) not in placed else
                        "is placed twice in the redline")
        if squash(s.text) not in back:
            raise _lost(s, s.where, name, "does not come back when every change in the "
                        "redline is rejected")
