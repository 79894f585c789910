"""A protocol's length against what a council will read: at most 2,800 words for a
parish, town or community council and 4,500 for a principal council. Over the limit,
a warning says by how much and names the longest paragraphs to cut, the council's own
(an import's house wording) first, since the library's each make a point once."""
from __future__ import annotations

from .document import Document
from .errors import Problem

LOCAL_LIMIT = 2800        # words, a parish, town or community council's protocol
PRINCIPAL_LIMIT = 4500    # words, a principal council's
NAMED = 5                 # paragraphs named in the warning


def words(doc: Document) -> int:
    """The words of the protocol's sections: headings and paragraphs."""
    return sum(len(s.title.split()) + sum(len(c.body.split()) for c in s.clauses)
               for s in doc.sections)


def length_warnings(doc: Document, local: bool, file: str | None = None) -> list[Problem]:
    """A warning when the protocol is longer than its limit, naming what to cut."""
    limit = LOCAL_LIMIT if local else PRINCIPAL_LIMIT
    count = words(doc)
    if count <= limit:
        return []
    clauses = [c for s in doc.sections for c in s.clauses]
    own = sorted((c for c in clauses if c.source.startswith("house")),
                 key=lambda c: -len(c.body.split()))
    rest = sorted((c for c in clauses if not c.source.startswith("house")),
                  key=lambda c: -len(c.body.split()))
    named = [f"{c.number} ({len(c.body.split())} words"
             f"{', your ' + c.source[len('house '):] if c.source.startswith('house') else ''})"
             for c in (own + rest)[:NAMED]]
    kind = "a parish, town or community council's" if local else "a principal council's"
    return [Problem(f"the protocol has about {count:,} words, {count - limit:,} more than "
                    f"the {limit:,} {kind} protocol should have to be read in full",
                    file=file, field="drafting.exclude", severity="warning",
                    hint="shorten or merge the longest paragraphs: " + ", ".join(named) +
                    "; or leave library clauses out with drafting.exclude")]
