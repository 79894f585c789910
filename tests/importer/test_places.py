"""The council's name looked up in the ONS list of places: its nation, and a principal
council's tier; nothing when the name is in both nations or in neither; a disagreement
with the text is not found, with both pieces of evidence shown."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from generator.importer.doubts import doubts
from generator.importer.places import council_place, places
from generator.importer.read import read_source
from generator.importer.recognise import NAME, recognise
from generator.importer.report import as_markdown
from generator.importer.run import audit_bytes
from generator.importer.structure import parse

BODY = ("1. Councillors and officers must treat each other with respect.\n"
        "2. Officers give impartial advice to all councillors.\n")


def council(title: str, more: str = ""):
    text = f"{title}\n\nMember/Officer Protocol\n\n{BODY}{more}"
    return recognise(parse(read_source(text.encode(), "protocol.txt").lines), "protocol.txt")


def said_by_name(fact) -> list[str]:
    return [e.phrase for e in fact.evidence if e.where == NAME]


@pytest.mark.parametrize("title, nation, tier", [
    ("BLAENAVON TOWN COUNCIL", "wales", "town"),              # a Welsh community
    ("St Asaph City Council", "wales", None),                 # "St." in the list
    ("Cylch y Garn Community Council", "wales", "community"),     # hyphens in the list
    ("Halstead Town Council", "england", "town"),             # an English parish
    ("Bagworth and Thornton Parish Council", "england", "parish"),      # "&" in the list
])
def test_a_local_councils_name_gives_its_nation(title, nation, tier):
    c = council(title)
    assert (c.value("nation"), c.value("tier")) == (nation, tier)
    assert said_by_name(c.facts["nation"])
    assert c.facts["nation"].confidence == "high"


@pytest.mark.parametrize("title, tier, nation, kind", [
    ("Wiltshire Council", "unitary", "england", "an English unitary council"),        # E06
    ("West Suffolk Council", "district", "england", "an English district council"),   # E07
    ("Bolton Council", "metropolitan", "england", "an English metropolitan borough"), # E08
    ("London Borough of Camden", "london_borough", "england", "a London borough"),    # E09
    ("Suffolk County Council", "county", "england", "an English county council"),     # E10
    ("Wrexham County Borough Council", "unitary", "wales",                            # W06
     "a Welsh county or county borough council"),
])
def test_a_principal_councils_name_gives_its_tier_and_nation(title, tier, nation, kind):
    c = council(title)
    assert (c.value("tier"), c.value("nation")) == (tier, nation)
    assert said_by_name(c.facts["tier"]) == [f"the name '{title}' is {kind} (ONS)"]


@pytest.mark.parametrize("title, calls, tier", [
    ("Wiltshire Council", "the County Council", "unitary"),
    ("Bolton Council", "the Borough Council", "metropolitan"),
    ("London Borough of Camden", "the Borough Council", "london_borough"),
])
def test_what_the_text_calls_the_council_agrees_with_its_kind(title, calls, tier):
    """A unitary calls itself 'the County Council', a metropolitan borough 'the Borough
    Council': neither contradicts the list."""
    c = council(title, f"3. The Chief Executive advises the Cabinet. {calls} meets six "
                "times a year.\n")
    assert c.value("tier") == tier
    assert any(calls in e.phrase for e in c.facts["tier"].evidence)
    assert said_by_name(c.facts["tier"])


@pytest.mark.parametrize("title", ["Overton Town Council", "Hope Town Council"])
def test_a_name_in_both_nations_gives_nothing(title):
    assert {n for n, _ in places()[title.split()[0].lower()]} == {"england", "wales"}
    assert council_place(title) is None
    c = council(title)
    assert c.value("nation") is None and not said_by_name(c.facts["nation"])
    assert doubts(c)["council.nation"].value is None


@pytest.mark.parametrize("title", ["Bryncoed Town Council", "Trewithick Town Council",
                                   "Cumbria County Council"])        # abolished in 2023
def test_a_name_not_in_the_list_gives_nothing(title):
    assert council_place(title) is None
    c = council(title)
    assert not said_by_name(c.facts["nation"]) and not said_by_name(c.facts["tier"])
    if "Town" in title:
        assert c.value("nation") is None


def test_a_name_and_a_text_that_disagree_are_not_found_with_both_shown():
    c = council("Halstead Town Council", "3. A complaint about a councillor goes to the "
                "Public Services Ombudsman for Wales.\n")
    nation = c.facts["nation"]
    assert nation.value is None and nation.confidence == "low"
    assert said_by_name(nation) == ["the name 'Halstead Town Council' is an English parish "
                                    "(ONS)"]
    assert any("Ombudsman for Wales" in e.phrase for e in nation.evidence)
    assert nation.note == ("the text points to wales, but the name 'Halstead Town Council' is "
                           "an English parish (ONS): choose england or wales")
    found = doubts(c)["council.nation"]
    assert found.value is None and len(found.evidence) == 2

    c = council("West Suffolk Council", "3. The Parish Clerk answers to this parish "
                "council.\n")
    tier = c.facts["tier"]
    assert tier.value is None and said_by_name(tier)
    assert any("Parish Clerk" in e.phrase for e in tier.evidence)
    assert tier.note == ("the text points to parish, but the name 'West Suffolk Council' is an "
                         "English district council (ONS): choose parish, town, community or "
                         "district, borough, county, unitary, metropolitan or london borough")


def test_the_audit_and_the_profile_say_where_the_nation_came_from(library, tmp_path):
    text = (ROOT / "clause_library" / "sources" / "halstead.txt").read_bytes()
    a = audit_bytes(text, "halstead.txt", library, today=dt.date(2026, 12, 6))
    said = "the name 'Halstead Town Council' is an English parish (ONS)"
    row = next(line for line in as_markdown(a).splitlines() if line.startswith("| nation"))
    assert row == f"| nation | england | high | {said} |"
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "generator", "import",
                           str(ROOT / "clause_library" / "sources" / "halstead.txt"),
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    profile = (out / "halstead-town-council.yaml").read_text(encoding="utf-8")
    assert f"nation: england  # high: {said}" in profile


def test_the_list_is_made_from_the_ons_files_by_one_script(tmp_path):
    files = {"parishes.json": {"\ufeffPAR25CD": "PAR25NM", "E04000001": "Blackrod",
                               "W04000760": "Blaenavon", "E43000001": "X, unparished area",
                               "E04000002": "Blackrod"},
             "districts.json": {"E07000245": "West Suffolk", "S12000033": "Aberdeen City",
                                "W06000006": "Wrexham"},
             "counties.json": {"E10000029": "Suffolk", "E10000006": "Cumbria"}}
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "places.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ons-places.py"),
                    *[str(tmp_path / n) for n in files], "--release", "a test release",
                    "--out", str(out)], check=True, capture_output=True, timeout=60)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "a test release" in lines[0] and "Office for National Statistics" in lines[0]
    assert "Open Government Licence v3.0" in lines[1]
    assert lines[2:] == ["name\tnation\tkind", "Blackrod\tengland\tparish",
                         "Blaenavon\twales\tcommunity", "Suffolk\tengland\tcounty",
                         "West Suffolk\tengland\tdistrict", "Wrexham\twales\tunitary"]
    shipped = (ROOT / "generator" / "importer" / "places.tsv").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in shipped.splitlines()[1]
