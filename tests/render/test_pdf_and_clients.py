"""The DOCX opened by real clients: LibreOffice converts every example council's DOCX to
PDF (all in one start) and pdftotext reads it back; pandoc reads the DOCX and its words
match the Markdown's. Also the PDF format itself, and its message when LibreOffice is
missing."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import PROFILES
from docx_checks import PROFILE_IDS, build_all, document_for, words


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, timeout=300
                          ).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("clients"), "md", "docx")


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    """Every DOCX converted by one LibreOffice run; returns stem -> PDF path."""
    from generator.render.pdf import docx_to_pdf_many
    folder = tmp_path_factory.mktemp("pdf")
    stems = list(built)
    out = docx_to_pdf_many([built[s]["docx"].read_bytes() for s in stems])
    paths = {}
    for stem, data in zip(stems, out):
        paths[stem] = folder / f"{stem}.pdf"
        paths[stem].write_bytes(data)
    return paths


def pdf_pages(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_libreoffice_pdf_pages_and_numbered_text(stem, pdfs, library):
    doc = document_for(stem, library)
    pages = pdf_pages(pdfs[stem])
    assert 4 <= pages <= 40
    text = run("pdftotext", "-layout", "-enc", "UTF-8", str(pdfs[stem]), "-")
    flat = " ".join(text.split())
    # the footer's fields were laid out: "Page N of M" on every page after the title page
    footer = [(int(a), int(b)) for a, b in re.findall(r"Page (\d+) of (\d+)", flat)]
    assert footer == [(n, pages) for n in range(2, pages + 1)]
    # the numbers LibreOffice draws from the Word numbering are the Document's numbers
    first = doc.sections[0]
    assert f"{first.number} {first.title}" in flat
    for clause in first.clauses[:3]:
        opening = " ".join(words_as_printed(clause.body)[:6])
        assert f"{clause.number} {opening}" in flat, clause.number
    for section in doc.sections:
        assert f"{section.number} {section.title}" in flat
        for clause in section.clauses:
            assert f"{clause.number} {words_as_printed(clause.body)[0]}" in flat, clause.number
    assert doc.meta.council_name in flat and doc.meta.status in flat


def words_as_printed(markdown: str) -> list[str]:
    """The first paragraph's words as a reader sees them (Markdown syntax removed)."""
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark").parseInline(markdown.split("\n\n")[0])[0].children
    text = "".join(t.content if t.type in ("text", "code_inline") else " "
                   if t.type == "softbreak" else "" for t in tokens)
    return text.split()


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_pdf_is_tagged_and_titled(stem, pdfs, library):
    info = run("pdfinfo", str(pdfs[stem]))
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert document_for(stem, library).meta.full_title in info


def split_tail(plain: str) -> tuple[str, str]:
    """The text before the version history (or the signature block), and the rest; the
    last such heading is used, so the contents list's entries never count."""
    lines = plain.splitlines()
    for heading in ("Version history", "Signed"):
        found = [i for i, line in enumerate(lines) if line.strip() == heading]
        if found:
            return "\n".join(lines[:found[-1]]), "\n".join(lines[found[-1]:])
    return plain, ""


@pytest.mark.parametrize("stem", PROFILE_IDS)
def test_pandoc_reads_the_same_words_as_the_markdown(stem, built, library):
    doc = document_for(stem, library)
    docx_body, docx_tail = split_tail(run("pandoc", "-f", "docx", "-t", "plain",
                                          "--wrap=none", str(built[stem]["docx"])))
    md_body, md_tail = split_tail(run("pandoc", "-f", "commonmark", "-t", "plain",
                                      "--wrap=none", str(built[stem]["md"])))
    from_docx, from_md = words(docx_body), words(md_body)
    # the DOCX has a contents list after its title page: its entries are the headings
    entries = []
    for section in doc.sections:
        entries += words(section.title)
        for clause in section.clauses:
            entries += words(clause.heading or "")
    entries += words("Version history") if doc.meta.history else []
    entries += words("Signed") if doc.meta.signatories else []
    at = from_docx.index("contents")
    assert from_docx[at + 1:at + 1 + len(entries)] == entries
    from_docx = from_docx[:at] + from_docx[at + 1 + len(entries):]
    # the title page and every section and clause: word for word the same
    assert from_docx == from_md
    # the history table and the signature block carry the same facts as the Markdown
    tail = words(docx_tail)
    for row in doc.meta.history:
        assert " ".join(words(row.change)) in " ".join(tail)
        assert row.version in docx_tail
    for role in doc.meta.signatories:
        assert " ".join(words(role)) in " ".join(tail)
    assert tail.count("date") >= len(doc.meta.signatories)
    assert bool(md_tail) == bool(docx_tail)


def test_pdf_format_writes_a_pdf(invoke, tmp_path):
    profile = PROFILES / "milcombe-parish-council.yaml"
    result = invoke("build", profile, "--out", tmp_path, "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / profile.stem / f"{profile.stem}-member-officer-protocol.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "Milcombe Parish Council" in run("pdftotext", str(pdf), "-")


def test_pdf_without_libreoffice_says_how_to_install(tmp_path, monkeypatch, capsys):
    from generator.cli import main
    from generator.errors import OutputError
    from generator.render.pdf import render_pdf
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OutputError) as error:
        render_pdf(b"PK")
    assert "sudo apt-get install libreoffice-writer-nogui" in str(error.value)
    profile = PROFILES / "milcombe-parish-council.yaml"
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(profile), "--out", str(tmp_path / "out"), "--format", "pdf",
              "--jobs", "1"])
    err = capsys.readouterr()
    assert exit_info.value.code == 1
    assert "install LibreOffice: sudo apt-get install libreoffice-writer-nogui" in \
        err.out + err.err
    assert f"{profile}: error: PDF output needs LibreOffice" in err.out + err.err
    assert "Traceback" not in err.out + err.err


def test_pdf_is_reproducible_and_dated_from_the_profile(invoke, tmp_path):
    import time
    profile = PROFILES / "milcombe-parish-council.yaml"
    pdfs = []
    for run in ("one", "two"):
        result = invoke("build", profile, "--out", tmp_path / run, "--format", "pdf")
        assert result.exit_code == 0, result.output
        pdfs.append((tmp_path / run / profile.stem /
                     f"{profile.stem}-member-officer-protocol.pdf").read_bytes())
        time.sleep(1.1)   # LibreOffice stamps the time to the second
    assert pdfs[0] == pdfs[1]
    pdf = tmp_path / "one" / profile.stem / f"{profile.stem}-member-officer-protocol.pdf"
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True,
                          check=True).stdout.decode()
    created = next(line for line in info.splitlines() if line.startswith("CreationDate:"))
    assert created.split()[1].startswith("2026-05-11T00:00:00")


def test_reproducible_keeps_lengths_and_replaces_clock_and_ids():
    import datetime as dt
    from generator.render.pdf import reproducible
    pdf = (b"%PDF-1.7\n/CreationDate(D:20261127224058Z')>>\ntrailer\n<</ID [ <"
           + b"AB" * 16 + b">\n<" + b"AB" * 16 + b"> ]\n/DocChecksum /" + b"CD" * 16 + b"\n>>")
    out = reproducible(pdf, dt.date(2025, 5, 12))
    assert len(out) == len(pdf)
    assert b"(D:20250512000000Z')" in out
    assert b"AB" * 16 not in out and b"CD" * 16 not in out
    assert reproducible(pdf, dt.date(2025, 5, 12)) == out
