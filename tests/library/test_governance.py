"""Every governance model in the law's own terms, the profile options the text depends on,
the new clauses and the corrected citations: each finding of the review pinned for every
kind of council the matrix walks (its sampled options included) and for the examples."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, all_profiles

from generator.assemble import assemble
from generator.errors import ProfileError
from generator.profile.constants import ADOPTABLE_POLICIES
from generator.profile.load import load_profile, profile_from_text
from generator.profile.matrix import kinds
from generator.profile.model import Policies
from generator.render.markdown import render_markdown


def _text(profile, library) -> str:
    return " ".join(render_markdown(assemble(profile, library)).split())


def _label(profile) -> str:
    c, p = profile.council, profile.context()
    return (f"{c.nation}-{c.tier}-{c.governance}-{p['committees']}-"
            f"{'offices' if p['offices'] else 'no-offices'}-{profile.practices.sole_officer}")


@pytest.fixture(scope="module")
def walked(library):
    """(profile, context, Markdown text) for every kind of council, once per distinct text."""
    out, seen = [], set()
    for profile in kinds():
        text = _text(profile, library)
        if text in seen:
            continue
        seen.add(text)
        out.append((profile, profile.context(), text))
    return out


def _failures(walked, check) -> list[str]:
    return [f"{_label(p)}: {why}" for p, ctx, text in walked for why in check(p, ctx, text)]


def test_every_kind_names_its_executive_in_the_law_s_terms(walked):
    def check(profile, ctx, text):
        if not ctx["executive"]:
            return
        if "The Council takes its decisions at meetings" in text:
            yield "an executive council told that all decisions are taken at meetings"
        for phrase in ("Cabinet Portfolio Holders", "mayor and cabinet model"):
            if phrase in text:
                yield f"hard-coded {phrase!r}"
        if ctx["executive_members"] not in text:
            yield f"the executive's members are not called {ctx['executive_members']!r}"
        if ctx["executive_body"] != "Cabinet" and re.search(r"\bCabinet\b", text):
            yield "'Cabinet' used where the council's executive is called otherwise"
        if ctx["executive_body"] != "Executive" and "Council's Executive" in text:
            yield "'the Council's Executive' where the council calls it otherwise"
        if ctx["governance"] == "mayor_cabinet":
            section = "14" if ctx["nation"] == "wales" else "9E"
            if f"Executive functions are the {ctx['leader']}'s own" not in text or \
                    f"Local Government Act 2000, section {section})" not in text:
                yield "the mayor's executive functions are not stated with their section"
            if "section 5A" not in text:
                yield "nothing on the mayor and the statutory officers"
        regulation = "regulation 7" if ctx["nation"] == "wales" else "regulation 13"
        if "take individual decisions" not in text or regulation not in text:
            yield "individual decisions are not recorded under the nation's regulations"
    assert not _failures(walked, check)


def test_nothing_presumes_a_structure_the_council_does_not_have(walked):
    def check(profile, ctx, text):
        if ctx["local_council"] and re.search(r"administration|portfolio|executive arrange",
                                              text, re.I):
            yield "executive-model text in a local council"
        committee_chairs = re.search(r"chairs of (any )?committees|committee chairs|"
                                     r"chair of a committee", text)
        if ctx["committees"] != "several" and committee_chairs:
            yield f"committee chairs named with committees = {ctx['committees']}"
        if ctx["committees"] == "staffing" and f"chair of the {ctx['staffing_committee']}" \
                not in text:
            yield "the staffing committee's chair is not named"
        if not ctx["offices"] and "Council offices" in text:
            yield "council offices named where the council has none"
        if ctx["sole_officer"]:
            for phrase in ("Anyone, officers", "officers will have recourse",
                           "A breach by an officer", "Procedure for officers",
                           "instruct officers", "between Councillors and officers may",
                           "Councillors and officers raise a difference"):
                if phrase in text:
                    yield f"officers in the plural where the clerk is the only one: {phrase!r}"
        if " None" in text or "None " in text:
            yield "an unset value printed as None"
    assert not _failures(walked, check)


def test_policies_are_named_only_as_the_profile_says(walked):
    def check(profile, ctx, text):
        adopted = profile.adopted_policies()
        for key in ADOPTABLE_POLICIES:
            name = Policies.model_fields[key].default
            if key in adopted:
                continue
            named = list(re.finditer(re.escape(name) + r"(?!s)", text))   # not the Acas
            if profile.policies.missing == "leave_out" and named:      # Code's title
                yield f"{name} named though not adopted"
            if profile.policies.missing == "to_be_adopted":
                for found in named:
                    if not text[found.end():].startswith(" (to be adopted)"):
                        yield f"{name} named as adopted"
        if adopted == list(ADOPTABLE_POLICIES) and "(to be adopted)" in text:
            yield "a policy the council has adopted named as to be adopted"
    assert not _failures(walked, check)


def test_the_new_clauses_and_citations_hold_for_every_kind(walked):
    def check(profile, ctx, text):
        wales = ctx["nation"] == "wales"
        if "A breach of this Protocol by" not in text:
            yield "no clause on a breach of the Protocol"
        if not re.search(r"The next review is due|review this Protocol within", text) or \
                "reviewed regularly" in text:
            yield "no next-review date"
        if ctx["principal_council"]:
            if "Acas Code of Practice" not in text or "may appeal" not in text:
                yield "no grievance route following the Acas Code"
            if "regulatory decisions" not in text or "case officer" not in text:
                yield "nothing on lobbying in regulatory decisions"
            if "At common law, any" not in text:
                yield "the need-to-know right not put as common law"
            if not wales and "Regulations 2001, as amended" not in text:
                yield "the 2001 Standing Orders Regulations not cited as amended"
        elif "regulatory decisions" in text:
            yield "regulatory lobbying in a local council"
        if wales:
            if "multi-location meetings" not in text or "EWHC" in text:
                yield "Welsh meetings not under the 2021 Act"
            if "(England) Regulations 2012" in text:
                yield "England's executive regulations cited in Wales"
            if ctx["executive"] and "(Wales) Regulations 2001, regulations 10 and 11" not in text:
                yield "the Welsh executive access regulations not cited"
            if "county or county borough council" in text and " of " in \
                    ctx["monitoring_officer"]:
                yield "the principal council named twice in the complaint clause"
        else:
            if "present in person" not in text or "EWHC 1093 (Admin)" not in text:
                yield "England's in-person rule not stated"
            if "joins a meeting online" in text:
                yield "remote attendance suggested in England"
        if "sections 26, 40 and 40A" not in text or "as it comes into force" in text:
            yield "harassment not cited as the Equality Act stands"
    assert not _failures(walked, check)


@pytest.mark.parametrize("yaml, message", [
    ("council: {name: A, tier: parish}\npractices: {committees: none}\n"
     "roles: {staffing_committee: Staffing Committee}\n", "the council has no committees"),
    ("council: {name: A, tier: parish}\npractices: {committees: staffing}\n",
     "roles.staffing_committee does not name it"),
    ("council: {name: A, tier: borough, political_groups: true}\n"
     "practices: {committees: none}\n", "a principal council has several committees"),
    ("council: {name: A, tier: borough, political_groups: true}\n"
     "roles: {executive_member: Portfolio Holder}\n", "the council has no executive"),
    ("council: {name: A, tier: parish}\n"
     "adoption: {adopted: 2025-05-12, review_period: 1, next_review: 2027-05}\n",
     "more than the review period (1 year) after adoption"),
    ("council: {name: A, tier: parish}\nadoption: {review_period: 9}\n",
     "review_period: 9 is more than 5, the most allowed"),
    ("council: {name: A, tier: parish}\npolicies: {in_place: [dignity]}\n", "in_place"),
])
def test_contradictory_options_are_errors_with_a_reason(yaml, message):
    with pytest.raises(ProfileError) as caught:
        profile_from_text(yaml, "council.yaml")
    report = str(caught.value)
    assert message in report and "council.yaml:" in report, report


@pytest.mark.parametrize("adoption, expected", [
    ("{adopted: 2025-05-12}", "The next review is due in May 2026."),
    ("{adopted: 2025-05-12, review_period: 3}", "The next review is due in May 2028."),
    ("{adopted: 2025-05-12, next_review: 2025-11}", "The next review is due in November 2025."),
    ("{review_period: 2}", "The Council will review this Protocol within 2 years of its "
                           "adoption, and every 2 years after that."),
])
def test_a_next_review_is_always_stated(library, adoption, expected):
    profile = profile_from_text("council: {name: A Parish Council, tier: parish}\n"
                                f"adoption: {adoption}\n")
    markdown = render_markdown(assemble(profile, library))
    assert expected in " ".join(markdown.split())
    title_line = markdown.splitlines()[2]
    assert ("Next review" in title_line) == ("adopted" in adoption), title_line


def test_the_elected_mayor_example_uses_its_own_titles(library):
    profile, _ = load_profile(ROOT / "council_profiles" / "brackenford-borough-council.yaml")
    text = _text(profile, library)
    assert profile.council.governance == "mayor_cabinet"
    assert "The Council has a directly elected Mayor." in text
    assert "an Executive Member, a committee of the Executive or an officer" in text
    for wrong in ("Cabinet", "Portfolio Holder", "portfolio holder", "Leader"):
        assert not re.search(rf"\b{wrong}\b", text), wrong


@pytest.mark.parametrize("path", all_profiles(), ids=lambda p: p.stem)
def test_the_titles_a_profile_names_replace_the_defaults(path, library):
    """A title set in the profile is the one the text uses: the default never appears."""
    from generator.profile.constants import role_defaults
    profile, _ = load_profile(path)
    text = _text(profile, library)
    c = profile.council
    defaults = role_defaults(c.tier, c.governance)
    for key in ("head_officer", "leader", "executive_body", "executive_member",
                "standards_committee"):
        named, default = getattr(profile.roles, key), defaults[key]
        if named and default and default != named and default not in named:
            assert not re.search(rf"\b{re.escape(default)}\b", text), (key, default)


def test_a_review_counted_from_adoption_is_checked_too(tmp_path, invoke):
    path = tmp_path / "old.yaml"
    path.write_text("council: {name: A Parish Council, tier: parish}\nroles: {monitoring_officer: "
                    "Monitoring Officer of Vale District Council}\n"
                    "adoption: {adopted: 2019-05-12, review_period: 2}\n", encoding="utf-8")
    result = invoke("check", str(path))
    assert "the review date 2021-05 has passed" in result.output, result.output
