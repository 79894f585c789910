"""`protocol-gen init`: the interview writes a commented profile that check and build accept."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.profile.interview import QUESTIONS, AnswerError, guess_tier, parse_date, slug, start


def answers_for(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# A parish: name, tier (suggested from the name), groups, independents, clerk, chair,
# monitoring officer's council, staffing committee, committees, offices, staff policies,
# what to say of one not adopted, version, a bad date then a good one, minute, years between
# reviews, review month.
PARISH_ANSWERS = answers_for(
    "Milcombe Parish Council", "", "yes", "no", "Clerk to the Council", "Chairman",
    "Cherwell District Council", "", "", "", "", "", "1.0", "2025-13-01", "2025-05-12",
    "25/041", "3", "2027-05")


def md_of(invoke, profile, out):
    result = invoke("build", profile, "--out", out, "--format", "md")
    assert result.exit_code == 0, result.output
    stem = profile.name.removesuffix(".yaml")
    return (out / stem / f"{stem}-member-officer-protocol.md").read_text(encoding="utf-8")


def test_piped_answers_write_a_profile_check_and_build_accept(invoke, tmp_path):
    target = tmp_path / "new.yaml"
    result = invoke("init", target, input=PARISH_ANSWERS)
    assert result.exit_code == 0, result.output
    assert "Error: '2025-13-01' is not a date; write it as YYYY-MM-DD" in result.output
    assert f"wrote {target}" in result.output
    assert f"protocol-gen check {target}" in result.output
    assert f"protocol-gen build {target}" in result.output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["council"] == {"name": "Milcombe Parish Council", "tier": "parish",
                               "nation": "england", "governance": "committee",
                               "political_groups": True, "independent_members": False}
    assert data["roles"] == {"head_officer": "Clerk to the Council",
                             "monitoring_officer": "Monitoring Officer of Cherwell District "
                                                   "Council",
                             "chair": "Chairman", "staffing_committee": "Staffing Committee"}
    assert data["adoption"] == {"version": "1.0", "adopted": dt.date(2025, 5, 12),
                                "minute": "25/041", "next_review": "2027-05",
                                "review_period": 3}
    check = invoke("check", target)
    assert check.exit_code == 0, check.output
    assert check.stderr == ""
    md = md_of(invoke, target, tmp_path / "out")
    assert md.startswith("# Milcombe Parish Council: Member/Officer Protocol\n")
    assert "Clerk to the Council" in md
    assert "Adopted 12 May 2025 (minute 25/041)" in md


def test_questions_that_do_not_apply_are_not_asked(invoke, tmp_path):
    result = invoke("init", tmp_path / "p.yaml", input=PARISH_ANSWERS)
    assert "England or Wales" not in result.output          # a parish is English
    assert "How does the council make its decisions" not in result.output    # local councils: committee
    assert "What is the clerk's title? [Parish Clerk]" in result.output
    district = answers_for("Northvale District Council", "", "", "yes", "yes", "", "", "", "",
                           "", "", "1.0", "none", "", "2027-06")
    result = invoke("init", tmp_path / "d.yaml", input=district)
    assert result.exit_code == 0, result.output
    assert "How does the council make its decisions" in result.output
    assert "(the head of paid service)? [Chief Executive]" in result.output
    assert "staff matters" not in result.output           # no staffing committee question
    assert "minute reference" not in result.output        # a draft has no minute
    data = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))
    assert data["council"]["governance"] == "leader_cabinet"
    assert data["council"]["independent_members"] is True
    assert "adopted" not in data["adoption"]
    assert invoke("check", tmp_path / "d.yaml").exit_code == 0
    md = md_of(invoke, tmp_path / "d.yaml", tmp_path / "out")
    assert "Draft for adoption" in md and "Chief Executive" in md


def test_a_community_council_is_welsh_without_asking(invoke, tmp_path):
    result = invoke("init", tmp_path / "c.yaml", "--no-input", "--name",
                    "Cwm Uchaf Community Council")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))
    assert data["council"]["tier"] == "community" and data["council"]["nation"] == "wales"
    assert data["roles"]["head_officer"] == "Clerk"


def test_no_input_writes_a_profile_from_options(invoke, tmp_path):
    target = tmp_path / "scripted.yaml"
    result = invoke("init", target, "--no-input", "--name", "Easthope Town Council",
                    "--tier", "town", "--political-groups", "--head-officer", "Town Clerk and RFO",
                    "--chair", "Town Mayor", "--monitoring-officer",
                    "Monitoring Officer of Westshire Council", "--adopted", "2026-03-09",
                    "--minute", "C/26/14", "--next-review", "2027-03")
    assert result.exit_code == 0, result.output
    assert "?" not in result.output  # nothing was asked
    assert invoke("check", target).exit_code == 0
    md = md_of(invoke, target, tmp_path / "out")
    assert md.startswith("# Easthope Town Council: Member/Officer Protocol\n")
    assert "Town Clerk and RFO" in md
    assert "Adopted 9 March 2026 (minute C/26/14). Next review March 2027." in md


@pytest.mark.parametrize("name", ["{{ 7*7 }} Parish Council", "Foo: Bar #1 Parish Council",
                                  "'Quoted' \"Parish\" Council", "- Dash Parish Council",
                                  "Llanfair-ym-Muallt: Cyngor Tref", "yes", "2025-05-12"])
def test_names_round_trip_exactly(invoke, tmp_path, name):
    target = tmp_path / "p.yaml"
    result = invoke("init", target, "--no-input", "--name", name, "--tier", "town")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["council"]["name"] == name
    assert invoke("check", target).exit_code == 0


def test_a_template_in_the_name_is_printed_literally(invoke, tmp_path):
    target = tmp_path / "p.yaml"
    invoke("init", target, "--no-input", "--name", "{{ 7*7 }} Parish Council")
    md = md_of(invoke, target, tmp_path / "out")
    assert md.startswith("# {{ 7\\*7 }} Parish Council: Member/Officer Protocol")
    assert "49" not in md.splitlines()[0]


def test_it_never_replaces_a_file_without_force(invoke, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("precious\n", encoding="utf-8")
    result = invoke("init", target, "--no-input", "--name", "Milcombe Parish Council")
    assert result.exit_code == 1
    assert f"{target}: error: the file already exists" in result.stderr
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious\n"
    result = invoke("init", target, input=PARISH_ANSWERS)  # refused before any question
    assert result.exit_code == 1 and "council's name" not in result.output
    result = invoke("init", target, "--no-input", "--force", "--name", "Milcombe Parish Council")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["council"]["tier"] == "parish"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temporary file left


def test_default_file_name_comes_from_the_council_name(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--no-input", "--name", "Milcombe Parish Council")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "milcombe-parish-council.yaml").is_file()
    again = invoke("init", input=PARISH_ANSWERS)  # same name: refused after the name
    assert again.exit_code == 1 and "already exists" in again.stderr
    (tmp_path / "profiles").mkdir()
    result = invoke("init", "profiles", "--no-input", "--name", "Ysgubor Community Council")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "profiles" / "ysgubor-community-council.yaml").is_file()


@pytest.mark.parametrize("args, words", [
    (["--tier", "parish"], "--name is needed with --no-input"),
    (["--name", "Northvale Council"], "--tier is needed with --no-input"),
    (["--name", "X Parish Council", "--adopted", "2025-02-30"],
     "command line: error: --adopted: '2025-02-30' is not a date"),
    (["--name", "X", "--tier", "pariah"], "did you mean 'parish'?"),
    (["--name", "X Parish Council", "--governance", "leader_cabinet"],
     "only principal councils have an executive"),
    (["--name", "X Community Council", "--nation", "england"], "community councils are Welsh"),
    (["--name", "X Parish Council", "--adopted", "2025-05-12", "--next-review", "2025-01"],
     "must come after adoption"),
])
def test_bad_options_are_refused_with_the_fix(invoke, tmp_path, args, words):
    target = tmp_path / "p.yaml"
    result = invoke("init", target, "--no-input", *args)
    assert result.exit_code == 1
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert not target.exists()


def test_the_profile_is_commented_with_every_key(invoke, tmp_path):
    from generator.profile.model import Adoption, Council, Roles
    target = tmp_path / "p.yaml"
    invoke("init", target, "--no-input", "--name", "Milcombe Parish Council")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Council profile: Milcombe Parish Council\n")
    for model in (Council, Roles, Adoption):
        for key in model.model_fields:
            assert f"  {key}:" in text or f"  # {key}:" in text, key
    assert "Allowed: parish, town, community" in text.replace("\n  # ", " ")
    assert "  # vice_chair: Vice-Chair\n" in text  # the default, ready to uncomment
    assert "docs/profile-reference.md" in text


def test_interview_helpers():
    assert guess_tier("Milcombe Parish Council") == "parish"
    assert guess_tier("London Borough of Eastwick") == "london_borough"
    assert guess_tier("Northvale Council") is None
    assert slug("Llanfair Caereinion Town Council") == "llanfair-caereinion-town-council"
    assert slug("Ysgol Fach Cyngor Cymuned") == "ysgol-fach-cyngor-cymuned"
    assert slug("Bryn Côch") == "bryn-coch"
    assert slug("{{ }}") == "council"
    assert parse_date("12/05/2025") == dt.date(2025, 5, 12)
    assert parse_date("") is None
    with pytest.raises(AnswerError):
        parse_date("2025-02-30")
    review = next(q for q in QUESTIONS if q.key == "next_review")
    answers = start(dt.date(2026, 11, 27)) | {"adopted": dt.date(2025, 5, 12)}
    assert review.default(answers | {"review_period": 1}) == "2026-05"  # overdue: not hidden
    assert review.default(answers | {"review_period": 2}) == "2027-05"
    assert review.default(start(dt.date(2026, 11, 27)) | {"review_period": 2}) == "2028-11"
    assert review.parse("05/2027", answers | {"review_period": 2}) == "2027-05"
    with pytest.raises(AnswerError, match="more than 1 year after adoption"):
        review.parse("2027-05", answers | {"review_period": 1})
    with pytest.raises(AnswerError, match="must come after adoption"):
        review.parse("2025-05", answers | {"review_period": 1})


def test_a_town_is_asked_its_nation_and_bad_choices_are_asked_again(invoke, tmp_path):
    answers = answers_for("Tref Newydd Town Council", "tawn", "town", "Wales", "no",
                          "", "", "Sir Ddu County Council", "none", "", "", "", "", "", "",
                          "", "")
    result = invoke("init", tmp_path / "t.yaml", input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: 'tawn' is not one of the choices; did you mean 'town'?" in result.output
    assert "Is the council in England or Wales? (england, wales) [england]" in result.output
    data = yaml.safe_load((tmp_path / "t.yaml").read_text(encoding="utf-8"))
    assert data["council"]["nation"] == "wales"
    assert data["roles"]["chair"] == "Town Mayor"
    assert data["roles"]["monitoring_officer"] == "Monitoring Officer of Sir Ddu County Council"
    assert "staffing_committee" not in data["roles"]


def test_governance_can_be_given_in_words(invoke, tmp_path):
    result = invoke("init", tmp_path / "b.yaml", "--no-input", "--name",
                    "Northvale Borough Council", "--governance", "Mayor and cabinet")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "b.yaml").read_text(encoding="utf-8"))
    assert data["council"]["governance"] == "mayor_cabinet"
    assert data["roles"]["chair"] == "Chair"  # the elected mayor leads; the chair is not Mayor


def test_a_trailing_slash_means_a_folder_that_is_made(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "council_profiles/", "--no-input", "--name",
                    "Milcombe Parish Council")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "council_profiles").is_dir()
    assert (tmp_path / "council_profiles" / "milcombe-parish-council.yaml").is_file()
    result = invoke("init", "more/profiles/", input=PARISH_ANSWERS)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "more" / "profiles" / "milcombe-parish-council.yaml").is_file()


def test_an_escape_sequence_in_an_answer_is_asked_again_at_once(invoke, tmp_path):
    target = tmp_path / "p.yaml"
    typed = PARISH_ANSWERS.replace("Milcombe Parish Council",
                                   "Milcombe Parish\x1b[D\x1b[D Council\nMilcombe Parish Council",
                                   1)
    result = invoke("init", target, input=typed)
    assert result.exit_code == 0, result.output
    assert "control character" in result.output
    # asked again straight after the name, before the next question
    after = result.output.split("control character", 1)[1]
    question = after.split("\n", 2)[1]
    assert "name" in question.lower(), after[:300]
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["council"]["name"] == "Milcombe Parish Council"


def _init_and_build(invoke, tmp_path, stem, *args):
    target = tmp_path / f"{stem}.yaml"
    result = invoke("init", target, "--no-input", *args)
    assert result.exit_code == 0, result.output
    assert invoke("check", target).exit_code == 0
    return yaml.safe_load(target.read_text(encoding="utf-8")), \
        md_of(invoke, target, tmp_path / f"out-{stem}")


def test_committees_and_offices_reach_the_profile_and_the_protocol(invoke, tmp_path):
    town = ("--name", "Easthope Town Council")
    usual, usual_md = _init_and_build(invoke, tmp_path, "usual", *town)
    assert usual["practices"] == {"committees": "several", "offices": True}  # a town's usual
    assert "the chairs of committees" in usual_md
    assert "premises and facilities of the Council offices" in usual_md
    data, md = _init_and_build(invoke, tmp_path, "none", *town, "--committees", "none",
                               "--no-offices")
    assert data["practices"] == {"committees": "none", "offices": False}
    assert "chairs of committees" not in md and "chair of a committee" not in md
    assert "Council offices" not in md


def test_staff_policies_not_adopted_are_named_or_left_out_as_answered(invoke, tmp_path):
    parish = ("--name", "Milcombe Parish Council", "--monitoring-officer", "Cherwell District "
              "Council", "--policies", "staff code, grievance and bullying")
    data, named = _init_and_build(invoke, tmp_path, "named", *parish, "--missing-policies",
                                  "to be adopted")
    assert data["policies"]["in_place"] == ["employee_code", "grievance_procedure",
                                            "bullying_policy"]
    assert data["policies"]["missing"] == "to_be_adopted"
    assert "Disciplinary Procedure (to be adopted)" in named
    data, left = _init_and_build(invoke, tmp_path, "left", *parish)
    assert data["policies"]["missing"] == "leave_out"
    assert "Disciplinary Procedure" not in left and "(to be adopted)" not in left
    data, _ = _init_and_build(invoke, tmp_path, "all", "--name", "Northvale District Council",
                              "--policies", "all")
    assert data["policies"]["in_place"] == ["employee_code", "grievance_procedure",
                                            "disciplinary_procedure", "bullying_policy"]


def test_the_review_period_counts_the_next_review_from_adoption(invoke, tmp_path):
    data, md = _init_and_build(invoke, tmp_path, "p", "--name", "Milcombe Parish Council",
                               "--monitoring-officer", "Cherwell District Council",
                               "--adopted", "2025-05-12", "--review-period", "3")
    assert data["adoption"]["review_period"] == 3
    assert "next_review" not in data["adoption"]         # counted from adoption
    assert "Next review May 2028" in md and "every 3 years" in md
    result = invoke("init", tmp_path / "bad.yaml", "--no-input", "--name", "Milcombe Parish "
                    "Council", "--review-period", "9")
    assert result.exit_code == 1
    assert "'9' is not a number of years from 1 to 5" in result.output
    assert "type a whole number from 1 to 5" in result.output
    assert not (tmp_path / "bad.yaml").exists()
    result = invoke("init", tmp_path / "late.yaml", "--no-input", "--name", "Milcombe Parish "
                    "Council", "--adopted", "2025-05-12", "--next-review", "2027-05")
    assert result.exit_code == 1
    assert "--next-review: 2027-05 is more than 1 year after adoption" in result.output
    assert "give a month up to 2026-05, or more years between reviews" in result.output
    data, _ = _init_and_build(invoke, tmp_path, "later", "--name", "Milcombe Parish Council",
                              "--monitoring-officer", "Cherwell District Council",
                              "--adopted", "2025-05-12", "--next-review", "2027-05",
                              "--review-period", "2")
    assert data["adoption"]["review_period"] == 2 and "next_review" not in data["adoption"]


def test_an_executive_is_asked_its_own_names(invoke, tmp_path):
    answers = answers_for("Northvale District Council", "", "", "no", "", "", "", "Executive",
                          "Portfolio Holder", "", "1.0", "none", "", "")
    result = invoke("init", tmp_path / "d.yaml", input=answers)
    assert result.exit_code == 0, result.output
    assert "What does the council call its executive? [Cabinet]" in result.output
    assert "Which committees" not in result.output and "offices" not in result.output
    data = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))
    assert data["roles"]["executive_body"] == "Executive"
    assert data["roles"]["executive_member"] == "Portfolio Holder"
    md = md_of(invoke, tmp_path / "d.yaml", tmp_path / "out")
    assert "Portfolio Holder" in md and "Cabinet Member" not in md
    result = invoke("init", tmp_path / "p.yaml", input=PARISH_ANSWERS)
    assert "of the executive" not in result.output        # a council run by committees


def test_a_committee_answer_must_square_with_the_staffing_committee(invoke, tmp_path):
    result = invoke("init", tmp_path / "p.yaml", "--no-input", "--name", "Milcombe Parish "
                    "Council", "--staffing-committee", "Personnel Committee", "--committees",
                    "none")
    assert result.exit_code == 1
    assert "the Personnel Committee was named as the council's staffing committee" \
        in result.output and "answer 'staffing' or 'several'" in result.output
    typed = answers_for("Milcombe Parish Council", "", "yes", "no", "", "", "Cherwell District "
                        "Council", "", "none", "staffing", "", "", "", "", "", "", "", "", "")
    result = invoke("init", tmp_path / "q.yaml", input=typed)
    assert result.exit_code == 0, result.output
    assert "Error: the Staffing Committee was named" in result.output
    data = yaml.safe_load((tmp_path / "q.yaml").read_text(encoding="utf-8"))
    assert data["practices"]["committees"] == "staffing"
