"""Document -> DOCX (placeholder: plain python-docx; replaced by the full renderer)."""
from __future__ import annotations

import io

from docx import Document as new_docx

from .document import Document


def render_docx(doc: Document, **options) -> bytes:
    d = new_docx()
    d.add_heading(doc.meta.full_title, 0)
    for s in doc.sections:
        d.add_heading(f"{s.number}. {s.title}", 1)
        for c in s.clauses:
            d.add_paragraph(f"{c.number} {c.body}")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
