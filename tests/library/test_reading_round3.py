"""A third reading at monitoring-officer standard (docs/review-round3.md): each fault it
found is pinned for every kind of council where the faulty words could appear, and for the
shipped examples."""
from __future__ import annotations

import pytest

from conftest import all_profiles

from generator.assemble import assemble
from generator.profile.load import load_profile
from generator.profile.matrix import kinds
from generator.render.markdown import render_markdown


def _label(profile) -> str:
    c = profile.council
    return (f"{c.nation}-{c.tier}-{c.governance}-"
            f"{'groups' if c.political_groups else 'no-groups'}"
            f"{'-independents' if c.independent_members else ''}")


@pytest.fixture(scope="module")
def walked(library):
    """(profile, one-line text) for every kind of council and practice setting, and for
    every shipped example."""
    out = [(p, _label(p)) for p in kinds()]
    out += [(load_profile(path)[0], path.stem) for path in all_profiles()]
    return [(profile, label, " ".join(render_markdown(assemble(profile, library)).split()))
            for profile, label in out]


def _failures(walked, check):
    found = {}
    for profile, label, text in walked:
        problems = list(check(profile, text))
        if problems:
            found.setdefault(label, problems)
    return found


def test_committees_are_named_only_where_the_council_has_them(walked):
    """Misfit: "under the direction and control of the Council and relevant committees" in a
    council whose profile has no committees (Cwmtawelan 3.1)."""
    def check(profile, text):
        if profile.context()["committees"] != "several" and "and relevant committees" in text:
            yield "relevant committees named without committees"
    assert not _failures(walked, check)


def test_an_elected_mayors_council_has_no_group_forming_an_administration(walked):
    """Misfit and repeated point: a group "forms an administration" where the Mayor
    appoints the executive, and senior officers' close work with it is said in section 3
    (Brackenford 7.2 beside 3.11)."""
    def check(profile, text):
        if profile.council.governance == "mayor_cabinet" and "forms an administration" in text:
            yield "an administration formed by a group"
    assert not _failures(walked, check)
    leader = [t for p, _, t in walked if p.council.governance == "leader_cabinet"
              and p.council.political_groups]
    assert leader and all("forms an administration" in t for t in leader)


@pytest.mark.parametrize("words, why", [
    ("can overlap;", "a semicolon before the list of where roles overlap"),
    ("albeit when possible", "'albeit' leading a clause with its own verb"),
    ("requests for statements, who", "'who' following 'statements'"),
    ("new applicants for housing;", "one list punctuated two ways"),
    ("Use of council resources", "'council' in lower case for this Council"),
    ("within 1 year", "'1 year' for 'a year'"),
])
def test_the_drafting_faults_found_are_gone_for_every_kind(walked, words, why):
    found = [label for _, label, text in walked if words in text]
    assert not found, f"{why}: {found[:5]}"


def test_the_fixed_sentences_read_as_intended(walked):
    texts = {label: text for _, label, text in walked}
    brackenford = texts["brackenford-borough-council"]
    assert ("can overlap: in evaluating performance of the Council and ensuring services "
            "are effectively delivered to the public, in responding") in brackenford
    assert ("Such discussions are usually confidential, but where possible relevant "
            "information will be shared") in brackenford
    assert ("requests for statements. They can help to make sure responses are factually "
            "accurate") in brackenford
    assert ("new applicants for housing, individuals claiming council tax support or the "
            "day-to-day monitoring of food businesses.") in brackenford
    assert "## 13. Use of Council resources" in brackenford or \
        "13. Use of Council resources" in brackenford
    assert ("under the direction and control of the Council. "
            in texts["cwmtawelan-community-council"])
    assert ("under the direction and control of the Council and relevant committees."
            in texts["milcombe-parish-council"])
    assert "The next review is due within a year of its adoption." \
        in texts["cwmtawelan-community-council"]
