"""The legislation register: what the clauses cite is registered, in force and used only in
the nation where it applies; docs/legal-basis.md is generated from it."""
from __future__ import annotations

import textwrap

from conftest import ROOT

from generator.library.clauses import load_library
from generator.library.register import check_register, read_register

LEGAL_BASIS = ROOT / "docs" / "legal-basis.md"


def _house(tmp_path, text: str, when: str | None = None, rests_on: str | None = None):
    folder = tmp_path / "house"
    folder.mkdir(parents=True)
    extra = (f"    when: {when}\n" if when else "")
    rests = (f"        rests_on: [{rests_on}]\n" if rests_on else "")
    (folder / "99-house.yaml").write_text(textwrap.dedent("""\
        id: house
        title: House rules
        order: 99
        clauses:
          - id: house.one
        """) + extra + "    variants:\n      - source: drafted\n        reason: a test\n"
        + rests + f"        text: >-\n          {text}\n", encoding="utf-8")
    return folder


def _problems(tmp_path, text, **kw):
    folder = _house(tmp_path, text, **kw)
    lib = load_library([ROOT / "clause_library", folder])
    return [p.message for p in check_register(lib, read_register([folder]))]


def test_the_shipped_library_keeps_to_the_register():
    lib = load_library()
    assert check_register(lib, read_register()) == []


def test_an_act_the_register_does_not_know_is_refused(tmp_path):
    found = _problems(tmp_path, "The Parish Pump Act 1887 applies.")
    assert any("'The Parish Pump Act 1887', which is not in the legislation register" in m
               for m in found), found


def test_welsh_law_in_a_clause_every_council_gets_is_refused(tmp_path):
    found = _problems(tmp_path, "Complaints go to the Public Services Ombudsman for Wales.")
    assert any("applies in Wales only" in m and "England" in m for m in found), found
    assert _problems(tmp_path / "w", "Complaints go to the Public Services Ombudsman for "
                     "Wales.", when='nation == "wales"') == []


def test_english_law_in_a_welsh_council_is_refused(tmp_path):
    (tmp_path / "a").mkdir()
    found = _problems(tmp_path / "a", "The Localism Act 2011 requires a code.")
    assert any("Localism Act 2011" in m and "Wales" in m for m in found), found


def test_revoked_law_is_refused(tmp_path):
    found = _problems(tmp_path, "Personal data is handled under the Data Protection Act 1998.")
    assert any("Data Protection Act 1998, which is revoked" in m for m in found), found
    found = _problems(tmp_path / "p", "The period of purdah starts six weeks before polling.")
    assert any("purdah" in m.lower() and "revoked" in m for m in found), found


def test_the_current_act_is_not_mistaken_for_the_old_one():
    register = read_register()
    cited = [e.id for e, _ in register.citations(
        "under the Data Protection Act 2018 and the UK GDPR")]
    assert cited == ["dpa2018", "ukgdpr"]
    assert [e.id for e, _ in register.citations("the Data Protection Act applies")] == ["dpa1998"]


def test_rests_on_must_name_a_register_entry(tmp_path):
    found = _problems(tmp_path, "One councillor cannot decide alone.", rests_on="lga1927")
    assert any("rests on 'lga1927'" in m for m in found), found
    (tmp_path / "ok").mkdir()
    assert _problems(tmp_path / "ok", "One councillor cannot decide alone.",
                     rests_on="lga1972") == []


def test_library_check_reports_a_register_problem(invoke, tmp_path):
    folder = _house(tmp_path, "Staff grievances follow the Employment Act 2002.")
    result = invoke("library", "check", "--library", str(folder))
    assert result.exit_code == 1
    assert "Employment Act 2002" in result.output and "legislation register" in result.output
    assert "Traceback" not in result.output


def test_every_register_entry_says_where_it_was_verified():
    for entry in read_register().entries:
        assert entry.applies and entry.cited_as and entry.checked, entry.id
        for provision in entry.provisions:
            assert provision.verified.strip(), (entry.id, provision.ref)


def test_legal_basis_page_is_current(invoke):
    result = invoke("library", "legal-basis")
    assert result.exit_code == 0, result.output
    assert LEGAL_BASIS.read_text(encoding="utf-8") == result.output, (
        "docs/legal-basis.md is out of date: run "
        "'protocol-gen library legal-basis -o docs/legal-basis.md'")
