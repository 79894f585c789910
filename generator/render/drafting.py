"""The drafting copy: the protocol's DOCX with a Word comment on each clause naming its
source, why that wording was chosen and any editorial note (``build --drafting``)."""
from __future__ import annotations

import datetime as dt
import io

import docx

from ..document import Document
from ..errors import OutputError, Problem
from ..library.provenance import Report, comment_text
from .docx import render_docx, save_deterministic

COMMENT_AUTHOR = "protocol-gen"
COMMENT_INITIALS = "PG"
CLAUSE_STYLE = "Clause"


def drafting_copy(doc: Document, report: Report, *, rendered: bytes | None = None,
                  **options) -> bytes:
    """The protocol's DOCX (``rendered``, or made now by the same renderer with the same
    options) with a Word comment on each clause's numbered paragraph naming its source
    and any editorial note."""
    if rendered is None:
        rendered = render_docx(doc, **options)
    document = docx.Document(io.BytesIO(rendered))
    numbered = [p for p in document.paragraphs
                if p.style is not None and p.style.name == CLAUSE_STYLE]
    clauses = list(doc.clauses())
    if len(numbered) != len(clauses):
        raise OutputError(Problem(
            f"the drafting copy found {len(numbered)} numbered paragraphs for "
            f"{len(clauses)} clauses", hint="build without --drafting and report this"))
    when = dt.datetime.combine(doc.meta.date, dt.time(), tzinfo=dt.timezone.utc)
    for paragraph, clause in zip(numbered, clauses):
        info = report.clause(clause.id)
        runs = paragraph.runs or [paragraph.add_run("")]
        comment = document.add_comment(runs, text=comment_text(info) if info else
                                       clause.source, author=COMMENT_AUTHOR,
                                       initials=COMMENT_INITIALS)
        comment._comment_elm.date = when   # the document's date, not the clock
    return save_deterministic(document, doc.meta.date)
