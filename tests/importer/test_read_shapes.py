"""The five source protocols in each shape clerks bring (tests/corpus_shapes.py) are read
as a person reads them: no sentence lost or split, no heading read as a provision, every
list item with its lead-in."""
from __future__ import annotations

import re
import zipfile

import pytest

from conftest import ROOT
import corpus_shapes as shapes
from generator.importer.read import read_source
from generator.importer.structure import parse

KEYS = ("anytown", "blaenavon", "halstead", "milcombe", "west-suffolk")
READ_SHAPES = ("typed.docx", "numbered.docx", "exported.pdf", "saved.html")


def squash(text: str) -> str:
    """Letters and digits only: quote marks, dashes, hyphens and spacing aside."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shapes")
    out = {}
    for key in KEYS:
        blocks = shapes.from_source((ROOT / "clause_library" / "sources" / f"{key}.txt")
                                    .read_text(encoding="utf-8"))
        out[key] = (blocks, shapes.write_shapes(blocks, folder, key, READ_SHAPES))
    return out


def read(path):
    return parse(read_source(path.read_bytes(), path.name).lines)


@pytest.mark.parametrize("shape", READ_SHAPES)
@pytest.mark.parametrize("key", KEYS)
def test_every_sentence_heading_and_list_item_as_the_document_has_it(corpus, key, shape):
    blocks, paths = corpus[key]
    blocks = shapes.truth(shape, blocks)
    structure = read(paths[shape])
    provisions = [squash(f"{p.number or ''} {p.full_text}") for p in structure.paragraphs]
    headings = {squash(h.text) for h in structure.headings}
    at = [0]

    def home(text: str) -> int:
        """The paragraph that holds ``text``, in reading order."""
        found = [k for k, p in enumerate(provisions) if squash(text) in p and k >= at[0]]
        assert found, f"lost or split: {text!r}"
        at[0] = found[0]
        return found[0]

    lead_in = None
    for b in blocks:
        if b.kind in ("para", "adoption"):
            lead_in = home(b.text)
        elif b.kind == "item":
            where = home(b.text)
            if lead_in is not None:
                assert where == lead_in, f"{b.text!r} is not with its lead-in"
        elif b.kind == "heading":
            assert squash(b.text) in headings, f"heading not read as one: {b.text!r}"
            assert squash(b.text) not in {squash(p.text) for p in structure.paragraphs}, \
                f"heading read as a provision: {b.text!r}"
            lead_in = None


def test_the_shapes_are_what_they_say(corpus):
    blocks, paths = corpus["blaenavon"]
    with zipfile.ZipFile(paths["numbered.docx"]) as z:
        numbering = z.read("word/numbering.xml").decode()
        body = z.read("word/document.xml").decode()
    assert "%1.%2.%3" in numbering and "<w:numPr>" in body
    assert "2.2.1" not in body                # Word's numbers, not typed ones
    with zipfile.ZipFile(paths["typed.docx"]) as z:
        body = z.read("word/document.xml").decode()
    assert "<w:numPr>" not in body and "2.2.1" in body and "; and" in body
    assert "To represent the council externally; and" in body     # no mark before it
    page = paths["saved.html"].read_text()
    assert "cookie" in page and "<nav>" in page and "<footer>" in page


def words(text: str) -> str:
    return " ".join(re.findall(r"[\w'’]+(?:-[\w'’]+)*", text.replace("’", "'")))


@pytest.mark.parametrize("key", KEYS)
def test_a_pdf_reads_as_the_words_were_written(corpus, key):
    """Words hyphenated at a line's end are whole again ("effectiveness", never
    "effec- tiveness" nor "effec-tiveness"), compounds keep their hyphen ("day-to-day"),
    and a paragraph split by a page break or a running header reads straight on."""
    blocks, paths = corpus[key]
    read_text = [words(f"{p.number or ''} {p.full_text}")
                 for p in read(paths["exported.pdf"]).paragraphs]
    missing = [b.text for b in blocks if b.kind in ("para", "item") and
               not any(words(b.text) in t for t in read_text)]
    assert not missing, missing
