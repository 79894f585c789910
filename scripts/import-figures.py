"""The import corpus's figures: each document of tests/fixtures/corpus/ (and the five source
protocols) in each shape a clerk brings, audited and imported, then built, and measured
against its truth. Writes docs/import-corpus.md. Usage, from the repository root:

    .venv/bin/python scripts/import-figures.py

Per document and shape: recognition of tier, nation, governance and political groups
(right, not found or wrong), the name (right, or taken from the file name), the dates found of those it states, sentences lost in reading and missing from the
build (and the list items left out as repeats of another paragraph), headings read as
provisions, the built protocol's words against its limit, and the points it makes in two
paragraphs ('added': one of them the library's, else the council's own paragraphs repeat
each other). The audit's date is fixed (BUILD_DATE) so the table is reproducible.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import datetime as dt
from pathlib import Path
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import corpus_shapes as shapes  # noqa: E402  (tests/corpus_shapes.py)

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
DOCS = ROOT / "docs" / "import-corpus.md"
BUILD_DATE = dt.date(2026, 12, 6)
FORMS = ("text", "typed.docx", "numbered.docx", "exported.pdf", "saved.html")
FACTS = ("tier", "nation", "governance")
LIMITS = {"local": 2800, "principal": 4500}


@dataclass
class Doc:
    key: str
    kind: str                 # written | source
    what: str
    blocks: list
    truth: dict
    text: bytes               # the "text" form


@dataclass
class Row:
    doc: str
    form: str
    recognised: dict = field(default_factory=dict)   # fact -> right | not found | wrong
    name: str = ""
    dates: tuple[int, int] = (0, 0)                   # found, stated
    missed_dates: list = field(default_factory=list)
    lost: list = field(default_factory=list)          # sentences not read
    unbuilt: list = field(default_factory=list)       # provisions missing from the build
    repeats: list = field(default_factory=list)       # items left out as repeats, accounted
    headings: list = field(default_factory=list)      # headings read as provisions
    furniture: list = field(default_factory=list)     # cover, contents, version history,
                                                      # footnotes read as provisions
    words: int | None = None
    limit: int = 0
    twice: list = field(default_factory=list)         # points made twice
    error: str = ""


def plain_text(blocks) -> str:
    """The structured text as a clerk's plain text file."""
    lines = []
    notes = 0
    for k, b in enumerate(blocks):
        number = f"{b.number} " if b.number else ""
        if b.kind in shapes.FURNITURE:
            notes += b.kind == "note"
            if b.kind == "contents" and (k == 0 or blocks[k - 1].kind != "contents"):
                lines.append("Contents")
            lines.append(shapes.furniture_text(b, notes))
        elif b.kind == "item":
            lines.append(("  " * (b.level - 1)) + "- " + b.text)
        else:
            lines.append(number + re.sub(r"\^(\d+)", r"\1", b.text))   # "Constitution1"
    return "\n\n".join(lines) + "\n"


def documents() -> list[Doc]:
    from generator.library.coverage import SOURCE_PROFILES
    table = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))
    out = []
    for key, truth in table["written"].items():
        blocks = shapes.parse((CORPUS / f"{key}.txt").read_text(encoding="utf-8"))
        out.append(Doc(key, "written", truth["what"], blocks, truth,
                       plain_text(blocks).encode("utf-8")))
    for key, extra in table["sources"].items():
        text = (ROOT / "clause_library" / "sources" / f"{key}.txt").read_text(encoding="utf-8")
        profile = yaml.safe_load((ROOT / "council_profiles" / SOURCE_PROFILES[key])
                                 .read_text(encoding="utf-8"))["council"]
        truth = {**profile, **extra, "what": "source protocol"}
        out.append(Doc(key, "source", "one of the five source protocols",
                       shapes.from_source(text), truth, text.encode("utf-8")))
    return out


def forms(docs: list[Doc], folder: Path) -> dict[tuple[str, str], tuple[bytes, str]]:
    """(document, form) -> (the file's bytes, its name); the PDFs made by one LibreOffice
    run over every document."""
    out = {}
    for d in docs:
        out[(d.key, "text")] = (d.text, f"{d.key}.txt")
        for form in ("typed.docx", "numbered.docx", "saved.html"):
            out[(d.key, form)] = (shapes.SHAPES[form](d.blocks), f"{d.key}-{form}")
        (folder / f"{d.key}-exported.docx").write_bytes(
            shapes.numbered_docx(d.blocks, bullets=True, header=True, hyphenate=True))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *[str(folder / f"{d.key}-exported.docx") for d in docs]],
                   check=True, capture_output=True, timeout=900)
    for d in docs:
        out[(d.key, "exported.pdf")] = ((folder / f"{d.key}-exported.pdf").read_bytes(),
                                        f"{d.key}-exported.pdf")
    return out


def norm(text: str) -> str:
    text = re.sub(r"^\s*footnote\s+\d+\.?\s*", "", text, flags=re.IGNORECASE)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def measure(d: Doc, form: str, data: bytes, name: str, library, work: Path) -> Row:
    from generator.errors import ProtocolGenError
    from generator.importer.run import audit_bytes, import_files
    row = Row(d.key, form)
    try:
        a = audit_bytes(data, name, library, today=BUILD_DATE)
    except ProtocolGenError as exc:
        row.error = f"not read: {exc}"
        return row
    for fact in (*FACTS, "political_groups"):
        got = a.council.value(fact)
        row.recognised[fact] = "not found" if got is None else \
            "right" if got == d.truth[fact] else f"wrong ({got})"
    got = a.council.value("name")
    row.name = ("right" if got == d.truth["name"] else "from the file" if got is None and
                a.council.name_from_file else f"wrong ({got})" if got else "not found")
    stated = {k: str(v) for k, v in (d.truth.get("dates") or {}).items()}
    found = 0
    for key, want in stated.items():
        fact = a.council.dates.get(key) or (a.council.dates.get("dated") if key == "adopted"
                                            else None)
        if fact is not None and str(fact.value) == want:
            found += 1
        else:
            row.missed_dates.append(f"{key} {want} (read {fact.value if fact else 'nothing'})")
    row.dates = (found, len(stated))
    s = a.structure
    read = norm(" ".join([*s.title, *(h.text for h in s.headings),
                          *(p.full_text for p in s.paragraphs)]))
    truth_blocks = shapes.truth(form, d.blocks) if form != "text" else d.blocks
    row.lost = [t for t in shapes.sentences(truth_blocks) if norm(t) not in read]
    heads = {norm(b.text) for b in d.blocks if b.kind == "heading"}
    row.headings = [p.text for p in s.provisions if norm(p.text) in heads]
    provisions = [norm(f"{p.number or ''} {p.full_text}") for p in s.provisions]
    row.furniture = [t for t in (b.text if b.kind == "note" else shapes.furniture_text(b)
                                 for b in d.blocks
                                 if b.kind in shapes.FURNITURE and b.kind != "contents")
                     if any(norm(t) in p for p in provisions)] + \
        [b.text for b in d.blocks if b.kind == "contents" and any(
            norm(f"{b.text} {b.number}") in p for p in provisions)]
    if not a.protocol_like:
        row.error = "not imported: does not look like a protocol"
        return row
    row.unbuilt, row.repeats, row.words, row.limit, row.twice, err = _build(
        a, d, work / f"{d.key}-{form.replace('.', '-')}", library, truth_blocks)
    row.error = err
    return row


def _build(a, d: Doc, folder: Path, library, blocks):
    """Import, choose what the import could not find (as the clerk would: the truth),
    assemble and measure the protocol."""
    from generator.importer.doubts import NOT_FOUND
    from generator.importer.run import import_files
    from generator.library.points import points_made_twice
    from generator.pipeline import check_profile
    from generator.render.markdown import render_markdown
    files = import_files(a, d.key, library)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    profile = folder / f"{d.key}.yaml"
    text = profile.read_text(encoding="utf-8")
    for k in ("tier", "nation", "governance", "political_groups"):
        value = d.truth[k] if not isinstance(d.truth[k], bool) else str(d.truth[k]).lower()
        text = text.replace(f'  {k}: "{NOT_FOUND}"', f"  {k}: {value}")
    profile.write_text(text, encoding="utf-8")
    checked = check_profile(profile, library, today=BUILD_DATE)
    errors = [p for p in checked.problems if p.severity == "error"]
    if checked.document is None or errors:
        return [], [], None, 0, [], "not built: " + "; ".join(p.message for p in errors[:2])
    md = render_markdown(checked.document)
    built = norm(md)
    # a list item making a point another paragraph makes is left out, and accounted for:
    # struck through in the redline with its reason (generator/review/lossless.py)
    repeats = [norm(t) for c in checked.document.clauses() for t in c.left_out]
    # (the item before one left out at a list's end ends as a last item does: "." for
    # "; and", a tracked change in the redline)
    blocks = [replace(b, text=shapes.plain(b.text)) for b in blocks]   # markers aside
    unbuilt = [b.text for b in blocks if b.kind in ("para", "item") and norm(b.text)
               not in built and norm(b.text) not in repeats and not (
                   b.kind == "item" and re.sub(r" (?:and|or)$", "", norm(b.text)) in built)]
    left_out = [b.text for b in blocks if b.kind == "item" and norm(b.text) not in built
                and norm(b.text) in repeats]
    local = checked.profile.local_council
    twice = sorted(f"{p} (added)" if any(not m_source(checked.document, m).startswith(
        "house") for m in made) else p for p, made in points_made_twice(
        checked.document).items() if len({m.clause for m in made}) > 1)
    return (unbuilt, left_out, len(md.split()), LIMITS["local" if local else "principal"],
            twice, "")


def m_source(doc, made) -> str:
    """The source of the clause that makes a point ('house ...': the council's words)."""
    return next(c.source for s in doc.sections for c in s.clauses if c.id == made.clause)


def figures(library=None) -> list[Row]:
    from generator.library.clauses import load_library
    library = library or load_library()
    docs = documents()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = forms(docs, work)
        for d in docs:
            for form in FORMS:
                data, name = made[(d.key, form)]
                rows.append(measure(d, form, data, name, library, work))
    return rows


def summary(rows: list[Row], docs: list[Doc]) -> dict[str, str]:
    kinds = {d.key: d.kind for d in docs}
    out = {}
    for kind in ("written", "source", "all"):
        mine = [r for r in rows if kind in (kinds[r.doc], "all")
                and not r.error.startswith("not read")]
        for fact in (*FACTS, "political_groups"):
            right = sum(r.recognised[fact] == "right" for r in mine)
            unknown = sum(r.recognised[fact] == "not found" for r in mine)
            wrong = len(mine) - right - unknown
            out[f"{kind} {fact}"] = (f"{right} right ({right / len(mine):.0%}), {unknown} not "
                                     f"found, {wrong} wrong, of {len(mine)}")
    return out


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[Row], docs: list[Doc]) -> str:
    lines = ["# The import corpus", "",
             "Protocols written for the tests in the shapes clerks bring (each council's "
             "text in `tests/fixtures/corpus/`, its truth in `corpus.yaml` there), and the "
             "five source protocols, each read as plain text, a Word file typed by hand, a "
             "Word file with automatic numbering, a PDF exported from Word (running header, "
             "page numbers, bullets, hyphenation) and a web page saved from the council's "
             "site (`tests/corpus_shapes.py`). The figures below are regenerated by "
             "`.venv/bin/python scripts/import-figures.py` (audits dated "
             f"{BUILD_DATE.isoformat()}); `tests/importer/test_corpus.py` holds them to the "
             "bar. A point made twice would be the council's own paragraphs repeating each "
             "other, or '(added)' a library clause repeating the council's; a list item "
             "making a point another of the council's paragraphs makes is left out of the "
             "build (a repeat left out: listed by the import, struck through in the "
             "redline with its reason).", "", "## The documents and their truth", "",
             "| document | what it is | tier | nation | governance | groups | dates stated |",
             "|---|---|---|---|---|---|---|"]
    for d in docs:
        t = d.truth
        dates = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in
                          (t.get("dates") or {}).items()) or "none"
        lines.append(f"| {d.key} | {_cell(d.what)} | {t['tier']} | {t['nation']} | "
                     f"{t['governance']} | {'yes' if t['political_groups'] else 'no'} | "
                     f"{_cell(dates)} |")
    lines += ["", "## Summary", ""]
    lines += [f"- {k}: {v}" for k, v in summary(rows, docs).items()]
    total = [r for r in rows if not r.error]
    lines += [f"- dates found: {sum(r.dates[0] for r in rows)} of "
              f"{sum(r.dates[1] for r in rows)} stated",
              f"- sentences lost in reading: {sum(len(r.lost) for r in rows)}; provisions "
              f"missing from the build: {sum(len(r.unbuilt) for r in rows)}; list items "
              f"left out as repeats of another paragraph (each struck through in the "
              f"redline with its reason): {sum(len(r.repeats) for r in rows)}",
              f"- headings read as provisions: {sum(len(r.headings) for r in rows)}",
              f"- cover, contents, version history or footnotes read as provisions: "
              f"{sum(len(r.furniture) for r in rows)}",
              f"- built protocols over their word limit: "
              f"{sum(r.words is not None and r.words > r.limit for r in total)} of "
              f"{sum(r.words is not None for r in total)}",
              f"- built protocols with a point made twice: {sum(bool(r.twice) for r in total)}",
              f"- not read, imported or built: {sum(bool(r.error) for r in rows)}", "",
              "## Each document in each shape", "",
              "| document | shape | tier | nation | governance | groups | name | dates | lost | "
              "not built | repeats left out | headings as provisions | furniture as "
              "provisions | words (limit) | points twice |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        words = f"{r.words} ({r.limit})" if r.words is not None else _cell(r.error or "-")
        lines.append(
            f"| {r.doc} | {r.form} | " + " | ".join(r.recognised.get(f, "-") for f in (
                *FACTS, "political_groups")) +
            f" | {r.name or '-'} | {r.dates[0]}/{r.dates[1]} | {len(r.lost)} | "
            f"{len(r.unbuilt)} | {len(r.repeats)} | {len(r.headings)} | "
            f"{len(r.furniture)} | {words} | "
            f"{_cell(', '.join(r.twice)) or 0} |")
    misses = [(r, x) for r in rows for x in r.missed_dates + [f"lost: {t}" for t in r.lost]
              + [f"not built: {t}" for t in r.unbuilt]
              + [f"furniture as a provision: {t}" for t in r.furniture]]
    if misses:
        lines += ["", "## What was missed", ""]
        lines += [f"- {r.doc} ({r.form}): {_cell(x)}" for r, x in misses]
    left = [(r, t) for r in rows for t in r.repeats]
    if left:
        lines += ["", "## List items left out as repeats", "",
                  "Each makes a point another paragraph of the same document makes; the "
                  "import lists it, and the redline strikes it through with its reason.", ""]
        lines += [f"- {r.doc} ({r.form}): {_cell(t)}" for r, t in left]
    return "\n".join(lines) + "\n"


def main() -> None:
    docs = documents()
    rows = figures()
    DOCS.write_text(markdown(rows, docs), encoding="utf-8")
    print(f"wrote {DOCS.relative_to(ROOT)}")
    for k, v in summary(rows, docs).items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
