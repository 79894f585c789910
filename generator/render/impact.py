"""The ``impact`` report (:class:`generator.review.impact.Impact`) as Markdown, HTML or JSON.

HTML is one self-contained page: a table whose columns sort when their heading is
pressed (a few lines of inline script, nothing fetched), readable without script.
"""
from __future__ import annotations

import html
import json

from ..document import long_date, month_text

REVIEW_WORDS = {"overdue": "Overdue", "due": "Due soon", "ok": "Not yet due",
                "none": "No date set"}


def _intro(result) -> str:
    o = result.options
    scope = []
    if o.law:
        scope.append(f"changes to '{o.law}' only")
    if o.since:
        scope.append(f"changes on or after {long_date(o.since)}")
    n, hit = len(result.councils), len(result.affected)
    overdue = sum(c.review == "overdue" for c in result.councils)
    return (f"{n} council{'s' if n != 1 else ''} as of {long_date(o.as_of)}: {hit} affected "
            f"by a change in the law since adoption, {overdue} with the review overdue"
            + (f" ({'; '.join(scope)})" if scope else "") + ".")


def _changes_text(council) -> list[str]:
    return [f"{h.name}, {long_date(h.date)} ({h.kind}): {h.change} Paragraph"
            f"{'s' if len(h.paragraphs) > 1 else ''} {', '.join(h.paragraphs)}."
            for h in council.hits]


def _adopted(council) -> str:
    if council.adopted:
        return long_date(council.adopted)
    if council.since:
        return f"Draft; last adopted {long_date(council.since)}"
    return "Not adopted"


def impact_markdown(result) -> str:
    from ..library.templating import escape_markdown as esc
    out = ["# Changes in the law and review dates", "", esc(_intro(result)), "",
           "| Council | Adopted | Next review | Review | Changes in the law since adoption |",
           "|---|---|---|---|---|"]
    for c in result.councils:
        if c.error:
            out.append(f"| {esc(c.stem)} | | | | Could not be read: {esc(c.error)} |")
            continue
        changes = "<br>".join(esc(t) for t in _changes_text(c)) or "None"
        out.append(f"| {esc(c.name)} | {esc(_adopted(c))} | "
                   f"{month_text(c.next_review) or '-'} | {REVIEW_WORDS[c.review]} | "
                   f"{changes} |")
    return "\n".join(out) + "\n"


def impact_json(result) -> str:
    o = result.options
    return json.dumps({"as_of": o.as_of.isoformat(),
                       "since": o.since.isoformat() if o.since else None, "law": o.law,
                       "councils": [c.as_json() for c in result.councils]},
                      indent=2, ensure_ascii=False) + "\n"


_SORT = """
document.querySelectorAll('th button').forEach(function (b, i) {
  b.addEventListener('click', function () {
    var body = document.querySelector('tbody'), rows = Array.from(body.rows);
    var up = b.getAttribute('aria-sort') !== 'ascending';
    document.querySelectorAll('th button').forEach(function (x) { x.removeAttribute('aria-sort'); });
    b.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    rows.sort(function (a, c) {
      var x = a.cells[i].dataset.sort, y = c.cells[i].dataset.sort;
      return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_STYLE = """
body { font-family: Arial, sans-serif; margin: 2em; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #8a8a8a; padding: .4em .6em; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
  cursor: pointer; text-decoration: underline; color: inherit; }
.overdue { background: #fde2e1; } .due { background: #fff4cc; }
"""


def impact_html(result) -> str:
    e = html.escape
    heads = ("Council", "Adopted", "Next review", "Review", "Changes in the law since adoption")
    rows = []
    order = {"overdue": "0", "due": "1", "ok": "2", "none": "3"}
    for c in result.councils:
        changes = "".join(f"<li>{e(t)}</li>" for t in _changes_text(c))
        cells = [(c.name or c.stem, e(c.name or c.stem)),
                 ((c.since or c.adopted or "").__str__(), e(_adopted(c))),
                 (c.next_review or "9999", e(month_text(c.next_review) or "-")),
                 (order[c.review], e(REVIEW_WORDS[c.review])),
                 (f"{9999 - len(c.hits):04d}", f"<ul>{changes}</ul>" if changes else
                  (e("Could not be read: " + c.error) if c.error else "None"))]
        tds = "".join(f'<td data-sort="{e(key)}">{value}</td>' for key, value in cells)
        rows.append(f'<tr class="{c.review}">{tds}</tr>')
    ths = "".join(f'<th scope="col"><button type="button">{e(h)}</button></th>'
                  for h in heads)
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Changes in the law and review dates</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
            "<h1>Changes in the law and review dates</h1>\n"
            f"<p>{e(_intro(result))} Press a column's heading to sort by it.</p>\n"
            f"<table>\n<thead><tr>{ths}</tr></thead>\n<tbody>\n" + "\n".join(rows) +
            f"\n</tbody>\n</table>\n</main>\n<script>{_SORT}</script>\n</body>\n</html>\n")


def render_impact(result, fmt: str) -> str:
    return {"md": impact_markdown, "html": impact_html, "json": impact_json}[fmt](result)
