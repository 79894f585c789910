"""Document -> one standalone, accessible HTML page for the council's website.

The page needs no script and no other file: the styles are in the page. It has the
document's language, one h1, headings in order (h2 sections, h3 clause headings), a
contents list linking to every section, the clause numbers written out, the version
history as a table with column headers, and the signatories. Clause bodies are rendered by
markdown-it-py with raw HTML disabled, so nothing in a profile can inject markup.
"""
from __future__ import annotations

from html import escape


from .typography import markdown, smart
from ..document import Clause, Document

LIST_TYPES = ("a", "i", "A", "1")   # ordered lists in clauses: (a), then (i), then (A)

CSS = """
body{margin:0;background:#fff;color:#1a1a1a;font:1.0625rem/1.6 Arial,Helvetica,sans-serif}
main,header.doc,footer.doc{max-width:46rem;margin:0 auto;padding:0 1.25rem}
header.doc{padding-top:2rem;border-bottom:2px solid #1f3864}
.council{font-size:1.25rem;font-weight:bold;color:#1f3864;margin:0}
h1{font-size:2rem;line-height:1.25;color:#1f3864;margin:.25rem 0 .75rem}
h2{font-size:1.375rem;color:#1f3864;margin:2rem 0 .5rem}
h3{font-size:1.125rem;color:#1f3864;margin:1.5rem 0 .25rem}
.facts{margin:0 0 1.25rem;padding:0;list-style:none}
nav ol{padding-left:0;list-style:none}
nav li{margin:.2rem 0}
nav li li{margin-left:2.5rem}
.n{display:inline-block;min-width:2.5rem;font-weight:bold}
.clause{position:relative;padding-left:3.25rem}
.clause>.num{position:absolute;left:0;font-weight:bold}
.clause>p:first-of-type{margin-top:.25rem}
.clause ol{padding-left:2.5rem}
ol[type=a]>li::marker{content:"(" counter(list-item,lower-alpha) ") "}
ol[type=i]>li::marker{content:"(" counter(list-item,lower-roman) ") "}
li{margin:.25rem 0}
a{color:#0b4f9c;text-decoration:underline}
a:focus{outline:3px solid #ffbf47;outline-offset:1px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #5a5a5a;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#eef1f6}
.signatures li{margin:1.25rem 0}
footer.doc{margin-top:2.5rem;padding:1rem 1.25rem 2rem;border-top:1px solid #5a5a5a;
font-size:.9375rem}
@media print{nav{display:none}a{color:inherit}}
""".strip()


def _section_id(number: int) -> str:
    return f"section-{number}"


def _clause_id(clause: Clause) -> str:
    return "paragraph-" + clause.number.replace(".", "-")


def _body(text: str) -> str:
    """A clause body as HTML, ordered lists lettered (a), (i) by their depth."""
    parser = markdown()
    tokens = parser.parse(text)
    depth = 0
    for token in tokens:
        if token.type == "ordered_list_open":
            token.attrSet("type", LIST_TYPES[min(depth, len(LIST_TYPES) - 1)])
        if token.type in ("ordered_list_open", "bullet_list_open"):
            depth += 1
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            depth -= 1
    return parser.renderer.render(tokens, parser.options, {})


def _clause(clause: Clause) -> list[str]:
    out = []
    if clause.heading:
        out.append(f"<h3>{escape(smart(clause.heading))}</h3>")
    out.append(f'<div class="clause" id="{_clause_id(clause)}">'
               f'<span class="num">{escape(clause.number)}</span>')
    out.append(_body(clause.body).rstrip("\n"))
    out.append("</div>")
    return out


def clause_html(clause: Clause) -> str:
    """One clause (its sub-heading, number and body) as the page shows it."""
    return "\n".join(_clause(clause))


def render_html(doc: Document) -> str:
    """The whole protocol as one HTML page (a string ending with a newline)."""
    m = doc.meta
    facts = [f"Version {m.version}", m.status] + ([m.review_text] if m.review_text else [])
    out = ["<!DOCTYPE html>", f'<html lang="{escape(m.language)}">', "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(smart(m.full_title))}</title>",
           f'<meta name="description" content="{escape(m.subject)}">',
           f'<meta name="author" content="{escape(m.council_name)}">',
           f'<meta name="keywords" content="{escape(m.keywords)}">',
           f"<style>\n{CSS}\n</style>", "</head>", "<body>",
           '<header class="doc">',
           f'<p class="council">{escape(smart(m.council_name))}</p>',
           f"<h1>{escape(smart(m.title))}</h1>",
           '<ul class="facts">' + "".join(f"<li>{escape(f)}</li>" for f in facts) + "</ul>",
           "</header>", "<main>"]
    out += _contents(doc)
    for section in doc.sections:
        out.append(f'<section aria-labelledby="{_section_id(section.number)}">')
        out.append(f'<h2 id="{_section_id(section.number)}"><span class="n">'
                   f'{section.number}</span> {escape(smart(section.title))}</h2>')
        for clause in section.clauses:
            out += _clause(clause)
        out.append("</section>")
    out += _history(doc)
    out += _signatures(doc)
    out += ["</main>", '<footer class="doc">',
            f"<p>{escape(smart(m.full_title))}. " + escape(smart(". ".join(facts))) + ".</p>",
            "</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _contents(doc: Document) -> list[str]:
    out = ['<nav aria-labelledby="contents">', '<h2 id="contents">Contents</h2>', "<ol>"]
    for section in doc.sections:
        out.append(f'<li><a href="#{_section_id(section.number)}"><span class="n">'
                   f"{section.number}</span> {escape(smart(section.title))}</a></li>")
    if doc.meta.history:
        out.append('<li><a href="#version-history">Version history</a></li>')
    if doc.meta.signatories:
        out.append('<li><a href="#signed">Signed</a></li>')
    out += ["</ol>", "</nav>"]
    return out


def _history(doc: Document) -> list[str]:
    rows = doc.meta.history
    if not rows:
        return []
    out = ['<section aria-labelledby="version-history">',
           '<h2 id="version-history">Version history</h2>', "<table>",
           "<caption>Versions of this protocol, oldest first</caption>",
           '<thead><tr><th scope="col">Version</th><th scope="col">Date</th>'
           '<th scope="col">Change</th></tr></thead>', "<tbody>"]
    for row in rows:
        out.append(f"<tr><td>{escape(row.version)}</td>"
                   + (f'<td><time datetime="{row.date.isoformat()}">{row.date_text}</time></td>'
                      if row.date else f"<td>{row.date_text}</td>")
                   + f"<td>{escape(smart(row.change))}</td></tr>")
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _signatures(doc: Document) -> list[str]:
    who = doc.meta.signatories
    if not who:
        return []
    items = "".join(f"<li><strong>{escape(role)}</strong>: signed "
                    f"{'.' * 30} date {'.' * 20}</li>" for role in who)
    return ['<section aria-labelledby="signed">', '<h2 id="signed">Signed</h2>',
            f'<ul class="signatures">{items}</ul>', "</section>"]
