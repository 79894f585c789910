"""Document -> CommonMark text: one H1, numbered headings and paragraphs written out."""
from __future__ import annotations

from ..document import Document
from ..library.templating import escape_markdown as esc

SIGN_LINE = "." * 40


def render_markdown(doc: Document) -> str:
    """The whole protocol as one CommonMark string (ends with a newline)."""
    m = doc.meta
    out: list[str] = [f"# {esc(m.full_title)}"]
    facts = [f"Version {esc(m.version)}", esc(m.status)]
    if m.review_text:
        facts.append(esc(m.review_text))
    out.append(". ".join(facts) + ".")
    for section in doc.sections:
        out.append(f"## {section.number}. {esc(section.title)}")
        for clause in section.clauses:
            if clause.heading:
                out.append(f"### {clause.heading}")
            out.append(f"{clause.number} {clause.body}")
    if m.history:
        out.append("## Version history")
        out.append("\n".join(f"- Version {esc(h.version)}, "
                             f"{h.date_text if h.date else h.date_text.lower()}: "
                             f"{esc(h.change)}" for h in m.history))
    if m.signatories:
        out.append("## Signed")
        out.append("\n".join(f"- {esc(who)}: signed {SIGN_LINE} date {SIGN_LINE}"
                             for who in m.signatories))
    return "\n\n".join(out) + "\n"
