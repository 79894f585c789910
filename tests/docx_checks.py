"""Helpers the DOCX, HTML and PDF tests share: build every example council through the
CLI, read numbering the way Word does, and reduce texts to comparable words."""
from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from markdown_it import MarkdownIt

from click.testing import CliRunner
from docx.oxml.ns import qn

from conftest import PROFILES, all_profiles

MD = MarkdownIt("commonmark")

PROFILE_IDS = [p.stem for p in all_profiles()]


def build_all(out: Path, *formats: str) -> dict[str, dict[str, Path]]:
    """Run 'protocol-gen build council_profiles' into ``out``; returns, per profile stem,
    the path written for each format (checked to exist)."""
    from generator.cli import cli

    args = ["build", str(PROFILES), "--out", str(out), "--jobs", "1", "-q"]
    for fmt in formats:
        args += ["--format", fmt]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    files = {}
    for stem in PROFILE_IDS:
        files[stem] = {fmt: out / stem / f"{stem}-member-officer-protocol.{fmt}"
                       for fmt in formats}
        for path in files[stem].values():
            assert path.is_file(), path
    return files


def document_for(stem: str, library):
    """The Document the renderers were given for a profile."""
    from generator.assemble import assemble
    from generator.profile.load import load_profile
    profile, _ = load_profile(PROFILES / f"{stem}.yaml")
    return assemble(profile, library)


# ---- numbering as Word shows it ----------------------------------------------------

def _to_letters(n: int, upper: bool) -> str:
    text = ""
    while n:
        n, r = divmod(n - 1, 26)
        text = chr(ord("A" if upper else "a") + r) + text
    return text


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    return {"decimal": str(n), "lowerLetter": _to_letters(n, False),
            "upperLetter": _to_letters(n, True), "lowerRoman": _to_roman(n),
            "upperRoman": _to_roman(n).upper()}.get(fmt, "")


def _val(el, tag: str):
    child = el.find(qn(tag)) if el is not None else None
    return None if child is None else child.get(qn("w:val"))


def paragraph_numbering(paragraph, styles_by_id) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph: its own numPr, else its style's (following basedOn),
    None when unnumbered (numId 0)."""
    ppr = paragraph._p.pPr
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    style_id = paragraph._p.style
    ilvl = None
    while num_pr is None and style_id:
        style = styles_by_id.get(style_id)
        if style is None:
            break
        sppr = style.find(qn("w:pPr"))
        num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
        style_id = _val(style, "w:basedOn")
    if num_pr is None:
        return None
    num_id = int(_val(num_pr, "w:numId") or 0)
    ilvl = int(_val(num_pr, "w:ilvl") or 0)
    return (num_id, ilvl) if num_id else None


def word_labels(document) -> list[tuple[str, str, str]]:
    """Walk the body as Word does and return (label, style name, text) for every numbered
    paragraph: counters per abstract numbering, deeper levels restarting under a higher
    one, and a numbering instance's startOverride restarting its level when first used."""
    numbering = document.part.numbering_part.element
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    styles_by_id = {s.get(qn("w:styleId")): s
                    for s in document.styles.element.findall(qn("w:style"))}
    counters: dict[str, list[int]] = {}
    started: set[str] = set()
    out = []
    for paragraph in document.paragraphs:
        found = paragraph_numbering(paragraph, styles_by_id)
        if not found:
            continue
        num_id, ilvl = found
        num = nums[str(num_id)]
        abstract_id = _val(num, "w:abstractNumId")
        levels = {int(lvl.get(qn("w:ilvl"))): lvl
                  for lvl in abstracts[abstract_id].findall(qn("w:lvl"))}
        count = counters.setdefault(abstract_id, [0] * 9)
        override = None
        for o in num.findall(qn("w:lvlOverride")):
            if int(o.get(qn("w:ilvl"))) == ilvl and o.find(qn("w:startOverride")) is not None:
                override = int(_val(o, "w:startOverride"))
        if override is not None and str(num_id) not in started:
            started.add(str(num_id))
            count[ilvl] = override - 1
        count[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            count[deeper] = 0
        text = _val(levels[ilvl], "w:lvlText")
        for k in range(ilvl + 1):
            fmt = _val(levels[k], "w:numFmt")
            text = text.replace(f"%{k + 1}", _format(max(count[k], 1), fmt))
        out.append((text, paragraph.style.name, paragraph.text))
    return out


# ---- comparing texts ---------------------------------------------------------------

_MARKER = re.compile(r"^\(?(\d+(\.\d+)*|[a-z]|[ivxlc]+)[.)]$|^\(\w+\)$|^\d+(\.\d+)*$"
                     r"|^[-*\u2022]$")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, list markers or paragraph numbers, so that
    two renderings of the same document compare equal."""
    out = []
    for token in text.split():
        if _MARKER.match(token.lower()):
            continue
        word = re.sub(r"[^0-9a-z\u00c0-\u024f]+", "", token.lower())
        if word:
            out.append(word)
    return out


def md_text(markdown: str) -> str:
    """The text a reader sees in rendered Markdown (no markup, no escapes)."""
    parts = []
    for token in MD.parse(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        if token.type.endswith("_close"):
            parts.append("\n")
    return "".join(parts)


def docx_text(data: bytes) -> str:
    """Every paragraph's text in a DOCX: body, tables, headers and footers."""
    opened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in opened.paragraphs]
    for table in opened.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    for section in opened.sections:
        texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(texts)
