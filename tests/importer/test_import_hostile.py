"""Hostile and broken files: a clear message, or a report that says what it could not
read; never a traceback, never a hang. Run as real processes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
import pytest

from conftest import FIXTURES, ROOT, libreoffice_convert

GUARD = 300   # seconds before the test gives up on a process (a hang), never a timing check


def run(*args, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=GUARD,
                          env={"PATH": "/usr/bin:/bin", "PROTOCOLGEN_CACHE": ""})
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "internal error" not in proc.stderr
    return proc


def refused(proc, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "fix:" in proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, source_documents) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    # password-protected: LibreOffice's PDF export with an opening password
    locked = folder / "locked"
    subprocess.run(["soffice", "--headless",
                    f"-env:UserInstallation={(folder / '.lo').as_uri()}", "--convert-to",
                    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                    '"DocumentOpenPassword":{"type":"string","value":"parish"}}',
                    "--outdir", str(locked), str(source_documents["milcombe"]["docx"])],
                   check=True, capture_output=True, timeout=GUARD)
    # image only: a page of a real protocol rendered to a picture, put in a document alone
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1",
                    str(source_documents["milcombe"]["pdf"]), str(folder / "page")],
                   check=True, timeout=GUARD)
    scanned = docx.Document()
    scanned.add_picture(str(next(folder.glob("page*.png"))))
    scanned.save(folder / "scanned.docx")
    # 500 pages
    long = docx.Document()
    for n in range(500):
        p = long.add_paragraph(f"{n + 1}. Councillors and officers work together on page "
                               f"{n + 1} of this very long document.")
        p.add_run().add_break(WD_BREAK.PAGE)
    long.save(folder / "long.docx")
    libreoffice_convert([folder / "scanned.docx", folder / "long.docx"], "pdf", folder)
    return {"locked": locked / "milcombe.pdf", "scanned": folder / "scanned.pdf",
            "long": folder / "long.pdf"}


def test_a_password_protected_pdf(pdfs):
    refused(run("audit", pdfs["locked"]), "password")


def test_an_image_only_pdf(pdfs):
    refused(run("audit", pdfs["scanned"]), "no text", "scanned")


def test_a_500_page_pdf_is_read_in_part_and_says_so(pdfs, tmp_path):
    proc = run("audit", pdfs["long"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert any("pages were read" in n for n in report["not_read"])
    assert any(f["kind"] == "unreadable" for f in report["findings"])


def test_a_word_document_that_is_not_a_protocol(tmp_path):
    d = docx.Document()
    d.add_heading("Summer Fete 2026", 1)
    for text in ("The fete opens at noon on the village green, with a dog show at two.",
                 "Cakes for the cake stall should be brought to the tent by eleven.",
                 "Raffle tickets cost one pound each and the first prize is a hamper.",
                 "Parking is in the field behind the church, by kind permission.",
                 "Volunteers are needed to run the tombola and the coconut shy."):
        d.add_paragraph(text)
    d.save(tmp_path / "fete.docx")
    proc = run("audit", tmp_path / "fete.docx")
    assert proc.returncode == 0
    assert "does not look like a member/officer protocol" in proc.stdout
    refused(run("import", tmp_path / "fete.docx", "--out", tmp_path / "in"),
            "does not look like a member/officer protocol")
    assert not (tmp_path / "in").exists()


def test_a_word_style_based_on_itself_is_read_not_a_hang(tmp_path):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    d = docx.Document()
    first, second = d.styles.add_style("Body A", 1), d.styles.add_style("Body B", 1)
    for style, base in ((first, second), (second, first)):     # A on B, B on A
        based = OxmlElement("w:basedOn")
        based.set(qn("w:val"), base.style_id)
        style.element.append(based)
    text = "Officers must give impartial advice to every Councillor, whatever their party."
    d.add_paragraph(text, style="Body A")
    d.save(tmp_path / "loop.docx")
    proc = run("audit", tmp_path / "loop.docx")
    assert proc.returncode == 0, proc.stderr
    assert "1 paragraphs read" in proc.stdout


@pytest.mark.parametrize("name, data, words", [
    ("broken.docx", b"PK\x03\x04 this is not really a zip file", ("Word document",)),
    ("fake.pdf", b"%PDF-1.4\nnot a real pdf at all\n", ("PDF",)),
    ("notes.odt", b"anything", ("cannot read .odt",)),
    ("empty.txt", b"\n\n   \n", ("no text",)),
    ("dates.txt", b"May 2020\n", ("no paragraphs",)),
])
def test_broken_files_get_a_clear_message(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    refused(run("audit", path), *words)


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)        # sparse: 200 MB that take no disk
    refused(run("audit", path), "MB")


def test_html_that_is_only_navigation(tmp_path):
    page = tmp_path / "nav.html"
    page.write_text("<html><body><nav><ul><li><a href='/a'>Bins</a></li><li><a href='/b'>"
                    "Parking</a></li></ul></nav><footer>Contact us</footer></body></html>")
    refused(run("audit", page), "no text")


def test_the_fixture_web_page_names_what_was_left_out():
    proc = run("audit", FIXTURES / "importer" / "hartmoor-borough-council.html")
    assert proc.returncode == 0
    assert "site navigation" in proc.stdout


def test_a_text_of_millions_of_words_in_one_line_is_read_in_part(tmp_path):
    words = "councillors officers clerk meeting report shall the of and to".split()
    path = tmp_path / "endless.txt"
    path.write_text(" ".join(words[k % len(words)] for k in range(1_500_000)) + ".")
    proc = run("audit", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert any("words were read" in n for n in json.loads(proc.stdout)["not_read"])


def test_a_word_file_that_unpacks_to_gigabytes(tmp_path):
    import zipfile
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range(300):
                part.write(block)
    refused(run("audit", path), "unpacks")
