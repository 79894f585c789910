"""The import corpus (tests/fixtures/corpus/ and the five source protocols), each document
in each shape clerks bring, held to the bar: recognition never wrong, right on at least 90%
of all the documents in all their shapes (the source protocols as well as those written for
every kind of council) and 'not found' on the rest; the dates each states found; the
imported protocol built within its word limit with no point made twice; no heading read
as a provision. The same figures are docs/import-corpus.md (scripts/import-figures.py)."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT

RIGHT_SHARE = 0.9


def _script():
    spec = importlib.util.spec_from_file_location("import_figures",
                                                  ROOT / "scripts" / "import-figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_figures"] = module        # (its dataclasses look themselves up)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(library):
    figures = _script()
    docs = figures.documents()
    return figures, docs, figures.figures(library)


def test_the_corpus_has_every_kind_of_council(corpus):
    _, docs, _ = corpus
    written = [d.truth for d in docs if d.kind == "written"]
    kinds = {(t["tier"], t["nation"], t["governance"]) for t in written}
    assert ("unitary", "wales", "leader_cabinet") in kinds        # a Welsh county borough
    assert any(g == "mayor_cabinet" for _, _, g in kinds)
    assert ("district", "england", "committee") in kinds
    assert ("community", "wales", "committee") in kinds
    assert ("county", "england", "leader_cabinet") in kinds
    assert ("parish", "england", "committee") in kinds
    assert any("calls itself a parish" in d.what for d in docs)


def test_recognition_is_right_or_says_it_does_not_know(corpus):
    figures, docs, rows = corpus
    kind = {d.key: d.kind for d in docs}
    for row in rows:
        assert not row.error.startswith("not read"), (row.doc, row.form, row.error)
        for fact, verdict in row.recognised.items():
            assert verdict in ("right", "not found"), (row.doc, row.form, fact, verdict)
        assert not row.name.startswith("wrong"), (row.doc, row.form, row.name)
    written = [r for r in rows if kind[r.doc] == "written"]
    for fact in figures.FACTS:
        for mine in (rows, written):
            right = sum(r.recognised[fact] == "right" for r in mine)
            assert right >= RIGHT_SHARE * len(mine), (fact, figures.summary(rows, docs))


def test_dates_are_found_where_the_document_states_them(corpus):
    _, _, rows = corpus
    missed = [(r.doc, r.form, m) for r in rows for m in r.missed_dates]
    assert not missed


def test_imported_protocols_are_built_within_their_limits_with_no_point_twice(corpus):
    _, _, rows = corpus
    for row in rows:
        assert not row.error, (row.doc, row.form, row.error)
        assert row.words is not None and row.words <= row.limit, (row.doc, row.form,
                                                                   row.words)
        # neither a library clause nor the council's own paragraphs make a point again
        assert not row.twice, (row.doc, row.form, row.twice)


def test_no_heading_is_read_as_a_provision(corpus):
    """Every heading of the council's document, in every shape, is read as a heading,
    never printed as a clause."""
    _, _, rows = corpus
    for row in rows:
        assert not row.headings, (row.doc, row.form, row.headings)


def test_no_sentence_is_lost(corpus):
    """Every paragraph and list item of the council's document, in every shape, is read
    and carried into the built protocol."""
    _, _, rows = corpus
    for row in rows:
        assert not row.lost, (row.doc, row.form, row.lost)
        assert not row.unbuilt, (row.doc, row.form, row.unbuilt)


def test_no_cover_contents_version_history_or_footnote_is_read_as_a_provision(corpus):
    """The corpus has a cover page with a contents list, and a version-history table with
    footnotes (tests/corpus_shapes.py): in no shape are they provisions."""
    _, docs, rows = corpus
    assert {b.kind for d in docs for b in d.blocks} >= {"cover", "contents", "version",
                                                         "note"}
    for row in rows:
        assert not row.furniture, (row.doc, row.form, row.furniture)
