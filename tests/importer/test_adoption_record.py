"""The old protocol's adoption record: the adopting body comes only from the sentence
saying who adopted this document (never from a body adopting or reviewing something
else), review periods written in words are read, and a paragraph that only records the
adoption and the review is the adoption record, never a provision of the new draft."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.importer import furniture
from generator.importer.dates import is_adoption_record, stated_dates
from generator.importer.read import read_source
from generator.importer.structure import parse

KESTER = ("The Council adopted this Code of Practice on 12 October 2022. The Audit and "
          "Standards Committee will review it within three years of that date.")
GREY = ("This Appendix was approved by the Council on 24 May 2023. The Standards Committee "
        "will review it every year and recommend any changes to the Council.")
STOW = ("This protocol was agreed by the Town Council on 5 November 2024. It will be "
        "reviewed each year at the Annual Meeting of the Town Council in May.")


def facts(*texts: str) -> dict[str, str]:
    found = stated_dates([(str(k), t) for k, t in enumerate(texts, 1)])
    return {k: f.value for k, (f, _) in found.items()}


def test_the_adopting_body_is_read_from_the_adoption_sentence_only():
    got = facts("Complaints are dealt with by the Monitoring Officer under the arrangements "
                "adopted by the Standards Committee.",
                "The Council adopted this Protocol on 22 January 2020.",
                "The Monitoring Officer will review it after three years.")
    assert got["adopted_by"] == "Council" and got["adopted"] == "2020-01-22"
    assert got["next_review"] == "2023-01"
    assert facts(STOW)["adopted_by"] == "Town Council"
    assert facts("Adopted by the Finance & Personnel Committee 19th January 2015")[
        "adopted_by"] == "Finance & Personnel Committee"


@pytest.mark.parametrize("text", [
    "Complaints are handled under the arrangements adopted by the Standards Committee.",
    "Work for the Clerk should be agreed at a meeting of the Council.",
    "The Council adopted its Whistleblowing Policy on 3 March 2020.",
    "The Code of Conduct was adopted by the Council in 2012 and this Protocol sits beside it.",
    "The Standards Committee will review this Protocol every year.",
])
def test_no_adopting_body_when_no_sentence_says_who_adopted_this_document(text):
    assert "adopted_by" not in facts(text)


@pytest.mark.parametrize("text, due", [
    (KESTER, "2025-10"),                    # within three years of that date
    (GREY, "2024-05"),                      # every year
    (STOW, "2025-05"),                      # each year ... in May
    ("Adopted by the Council on 4 June 2021. The Council will review it annually.",
     "2022-06"),
    ("This Protocol was adopted by the Council on 4 June 2021 and will be reviewed "
     "after two years.", "2023-06"),
    ("This Protocol was adopted by the Council on 4 June 2021. It will be reviewed within "
     "five years of its adoption.", "2026-06"),
])
def test_review_periods_in_words_give_the_next_review(text, due):
    assert facts(text)["next_review"] == due


def test_a_period_that_is_not_a_review_gives_no_next_review():
    assert "next_review" not in facts(
        "The Council adopted this Protocol on 22 January 2020.",
        "Officers keep these records for three years after the councillor leaves office.")


@pytest.mark.parametrize("text", [KESTER, GREY, STOW])
def test_an_adoption_and_review_paragraph_is_the_adoption_record(text):
    assert is_adoption_record(text)
    source = read_source(f"Anyvale Council\n\n1. Roles\n\n1.1 Officers advise the "
                         f"Council.\n\n2. Review\n\n2.1 {text}\n".encode(), "anyvale.txt")
    structure = parse(source.lines)
    record = [p for p in structure.paragraphs if p.reason == furniture.ADOPTION]
    assert [p.kind for p in record] == ["furniture"]
    assert [p.text for p in structure.provisions] == ["Officers advise the Council."]


@pytest.mark.parametrize("text", [
    # another policy adopted, not this Protocol
    "The Council adopted its Whistleblowing Policy on 3 March 2020. The Standards Committee "
    "will review it every year.",
    # a committee reviewing something else
    "The Standards Committee will review any complaint within three months. The Council "
    "adopted this Protocol on 22 January 2020.",
    # adoption followed by a provision
    "The Council adopted this Protocol on 22 January 2020. Officers must report any concern "
    "to the Monitoring Officer within three years.",
    "The Council adopted this Protocol on 22 January 2020. The Standards Committee will "
    "review it every year. Councillors must not instruct officers.",
])
def test_paragraphs_that_do_more_than_record_adoption_stay_provisions(text):
    assert not is_adoption_record(text)
    source = read_source(f"Anyvale Council\n\n1. Roles\n\n1.1 {text}\n".encode(),
                         "anyvale.txt")
    assert [p.text for p in parse(source.lines).provisions] == [text]


def test_a_committee_reviewing_something_else_stays_a_provision():
    text = ("The Standards Committee will review each complaint within three years of "
            "that date, and the Council adopted its Complaints Policy on 1 May 2019.")
    source = read_source(f"Anyvale Council\n\n1. Complaints\n\n1.1 {text}\n".encode(),
                         "anyvale.txt")
    assert [p.text for p in parse(source.lines).provisions] == [text]


def test_the_review_period_of_the_adoption_record_is_the_councils_answer(library):
    from generator.importer.audit import review_period
    from generator.importer.run import audit_bytes
    text = ("Anyvale District Council\n\nMember/Officer Protocol\n\n1. Roles\n\n"
            "1.1 Councillors and officers must treat each other with respect.\n\n"
            f"1.2 Officers give impartial advice to all councillors.\n\n2. Review\n\n"
            f"2.1 {KESTER}\n").encode()
    a = audit_bytes(text, "anyvale.txt", library, today=dt.date(2026, 12, 6))
    assert review_period(a)[0] == 3           # the record keeps its place as its ref
    assert a.council.dates["adopted_by"].value == "Council"
