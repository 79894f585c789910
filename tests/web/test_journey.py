"""The clerk's journey, in one go, in Debian's Chromium against ``protocol-gen serve``: a new
council; the import of the council's current Word protocol (about 3 MB, with its crest);
the values the import was unsure of confirmed; a wording chosen after reading it beside
the others; the protocol downloaded and opened with python-docx. Screenshots at 1280 px
and 390 px are taken on the way."""
from __future__ import annotations

from pathlib import Path
import re
import struct
import subprocess
import zlib

from docx import Document as WordDocument
from docx.shared import Cm
from playwright.sync_api import expect

from conftest import ROOT


def _noise_png(path: Path, side: int = 1000) -> None:
    """A PNG of random pixels (it does not compress: about 3 MB), written by hand."""
    import os
    rows = b"".join(b"\x00" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" +
                     chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) +
                     chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def _word_protocol(tmp: Path) -> Path:
    """A town council's protocol as Word makes it: headings, numbered paragraphs and the
    council's crest on the first page."""
    text = (ROOT / "clause_library" / "sources" / "halstead.txt").read_text(encoding="utf-8")
    source = tmp / "ours.md"
    source.write_text(text.replace("Halstead", "Oakbridge"), encoding="utf-8")
    word = tmp / "Oakbridge protocol 2021.docx"
    subprocess.run(["pandoc", str(source), "-f", "markdown", "-o", str(word)], check=True,
                   timeout=120)
    crest = tmp / "crest.png"
    _noise_png(crest)
    doc = WordDocument(str(word))
    doc.paragraphs[0].insert_paragraph_before().add_run().add_picture(str(crest),
                                                                      width=Cm(3))
    doc.save(str(word))
    return word


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def test_the_clerks_journey(page, web_server, web_folder, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()

    def shot(name: str) -> None:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=shots / f"{name}-{width}.png")
        page.set_viewport_size({"width": 1280, "height": 900})

    # 1. a new council, from the questions
    page.goto(web_server + "/")
    page.get_by_role("link", name="Add a council").first.click()
    page.get_by_label("What is the council's name?").fill("Little Snoring Parish Council")
    page.get_by_label("What is the council's name?").press("Tab")
    expect(page.get_by_label("What is the clerk's title?")).to_have_value("Parish Clerk")
    expect(page.get_by_label("What kind of council is it?")).to_have_value("parish")
    page.get_by_role("button", name="Add the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Little Snoring Parish Council")
    assert (web_folder / "little-snoring-parish-council.yaml").is_file()

    # 2. another council, from its current Word protocol of about 3 MB
    word = _word_protocol(tmp_path)
    assert 2_800_000 < word.stat().st_size < 4_000_000
    page.get_by_role("link", name="Add a council").first.click()
    page.get_by_label("The council's current protocol").set_input_files(str(word))
    page.get_by_role("button", name="Import it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oakbridge Town Council",
                                                               timeout=60_000)
    expect(page.get_by_role("status")).to_contain_text("Please check")
    shot("import-doubts")

    # 3. the doubtful values, shown beside their fields, confirmed (or answered)
    doubts = page.locator(".field .please-check")
    assert doubts.count() >= 1
    expect(doubts.first).to_contain_text("Please check:")
    page.get_by_role("link", name="Download the protocol").first.click()
    expect(page.locator("#doubts")).to_contain_text("Please check")      # not yet
    page.go_back()
    nation = page.locator("#f-council-nation")
    if nation.input_value().startswith("not found"):
        nation.select_option("england")
    for box in page.locator(".please-check input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator(".please-check")).to_have_count(0)
    profile = (web_folder / "oakbridge-town-council.yaml").read_text()
    assert not re.search(r"#\s*Please check:|:\s*\"?not found: choose", profile)

    # 4. a wording chosen after reading it beside the others
    page.get_by_role("link", name="Choose wordings and paragraphs").click()
    wordings = page.locator("details.wordings").first
    wordings.locator("summary").click()
    other = wordings.locator(".wording:not(.current)").first
    chosen = other.locator(".wording-text").inner_text()
    shot("wordings")
    clause_id = wordings.get_attribute("id").removeprefix("wordings-")
    other.get_by_role("button", name="Use this wording").click()
    row = page.locator(f"[id='c-{clause_id}']")
    expect(row.locator(".clause-text")).to_have_text(re.compile(re.escape(
        chosen.split("\n")[-1].strip()[:60])))
    expect(page.locator(f"[id='wordings-sum-{clause_id}']")).to_be_focused()   # stayed
    assert clause_id in (web_folder / "oakbridge-town-council.yaml").read_text()

    # 5. the protocol downloaded, and read back from the DOCX
    page.get_by_role("link", name="Download the protocol").first.click()
    shot("download")
    with page.expect_download() as info:
        page.get_by_role("link", name="Word document (DOCX)").click()
    docx = tmp_path / "oakbridge.docx"
    info.value.save_as(docx)
    text = _plain("\n".join(p.text for p in WordDocument(str(docx)).paragraphs))
    assert "Oakbridge Town Council" in text
    longest = max(chosen.split("\n"), key=len)
    assert _plain(longest)[-80:] in text
    assert len(list(shots.glob("*.png"))) == 6
