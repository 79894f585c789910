"""The edit page's words: for every profile setting, the question a clerk is asked, why
the answer matters, and its choices as councils name them; the headings of the form.

Settings that ``init`` asks about use the interview's own question and reason
(:mod:`generator.profile.interview`), so the add and edit pages and the command line
ask alike. A setting added to the profile before it has words here still gets a plain
label and its description, with no key names or types in it.
"""
from __future__ import annotations

import re
from typing import Any

from ..profile.interview import QUESTIONS, local
from .forms import GROUPS

HEADINGS = {
    "council": ("About the council", "Who the council is and how it makes decisions."),
    "roles": ("Titles the protocol uses", "Leave a title blank to use the usual one, shown "
                                          "in grey in the box."),
    "policies": ("The council's own documents", "The names of the council's codes, "
                                                "procedures and policies that the protocol "
                                                "mentions."),
    "terms": ("Words for councillors and staff", "What the protocol calls them."),
    "practices": ("How the council works", "Where councils differ in practice, the protocol "
                                           "describes only what this council does."),
    "drafting": ("Wording", "Choose wordings and leave paragraphs out in the preview, where "
                            "you can read them first."),
    "adoption": ("Version, adoption and review", "Shown on the title page and in the table "
                                                 "of versions."),
    "document": ("How the document looks", "The title, language and Word styles of the "
                                           "document."),
}

_YES_NO = {"yes": "Yes", "no": "No"}

# name: (question, why it matters[, choice labels])
WORDS: dict[str, tuple] = {
    "council.scrutiny": ("Does the council have overview and scrutiny?", "If it does, the "
                         "protocol says how officers support scrutiny and how councillors "
                         "use it.", _YES_NO),
    "council.wards": ("Do councillors represent wards or divisions?", "If they do, the "
                      "protocol adds a section on councillors' work for their area.",
                      _YES_NO),
    "roles.vice_chair": ("Title of the vice-chair", "Used where the protocol speaks of the "
                                                    "vice-chair."),
    "roles.leader": ("Title of the leader of the executive", "Only for a council with a "
                     "Leader and Cabinet or an Elected Mayor and Cabinet."),
    "roles.standards_committee": ("Name of the standards committee", "Complaints about "
                                  "councillors' conduct go to it (principal councils)."),
    "roles.finance_officer": ("Title of the officer responsible for the finances", "For "
                              "example Responsible Financial Officer or Chief Finance "
                              "Officer."),
    "roles.proper_officer": ("Title of the Proper Officer", "The officer councillors ask "
                             "for the council's documents."),
    "roles.data_protection_officer": ("Title of the data protection officer", "Used only "
                                      "if the council has appointed one (see How the "
                                      "council works)."),
    "roles.communications_team": ("Name of the press or communications team", "Leave it "
                                  "blank if the council has none: the protocol then sends "
                                  "press enquiries to the clerk."),
    "policies.code_of_conduct": ("The councillors' code of conduct", "As the council "
                                 "names it."),
    "policies.employee_code": ("The staff code of conduct", "As the council names it."),
    "policies.grievance_procedure": ("The staff grievance procedure", "Where a member of "
                                     "staff takes a complaint about their work."),
    "policies.disciplinary_procedure": ("The staff disciplinary procedure", "As the council "
                                        "names it."),
    "policies.bullying_policy": ("The policy on bullying and harassment", "For example "
                                 "Dignity at Work Policy."),
    "policies.access_rules": ("The rules on councillors' access to information",
                              "Principal councils' access to information rules."),
    "policies.constitution": ("Where the council's rules are written", "Standing Orders "
                              "for most local councils; a Constitution for principal "
                              "councils."),
    "policies.scheme_of_delegation": ("The scheme of delegation", "The document that says "
                                      "which decisions officers may take."),
    "policies.in_place": ("Which of these staff policies has the council adopted?", "The "
                          "protocol refers only to policies the council has.",
                          {"employee_code": "The staff code of conduct",
                           "grievance_procedure": "The staff grievance procedure",
                           "disciplinary_procedure": "The staff disciplinary procedure",
                           "bullying_policy": "The policy on bullying and harassment"}),
    "terms.members": ("What the protocol calls councillors", "Councillors or Members."),
    "terms.member": ("One councillor", "Leave blank to use the word above without its "
                                       "final s."),
    "terms.officers": ("What the protocol calls the council's staff", "Officers or staff."),
    "terms.officer": ("One member of staff", "Leave blank to use the word above without "
                                             "its final s."),
    "terms.ward": ("The area a councillor represents", "Ward, or division for a county "
                                                      "council."),
    "practices.sole_officer": ("Is the clerk the council's only employee?", "If so, the "
                               "protocol speaks of the clerk alone, never of “officers” or a "
                               "team.", _YES_NO),
    "practices.chair_clerk_meetings": ("Do the chair and the clerk meet regularly between "
                                       "meetings?", "If they do, the protocol says what "
                                       "those meetings are for.", _YES_NO),
    "practices.delegation_to_officers": ("Has the council delegated any decisions to "
                                         "officers?", "If it has, the protocol explains the "
                                         "scheme of delegation.", _YES_NO),
    "practices.data_protection_officer": ("Has the council appointed a data protection "
                                          "officer?", "Local councils need not appoint one.",
                                          _YES_NO),
    "adoption.signatories": ("Who signs the protocol", "Put each title on its own line. "
                             "Leave blank for the chair and the clerk."),
    "adoption.history": ("Earlier versions", "The table of versions in the protocol, oldest "
                                             "first."),
    "adoption.review_period": ("How many years between reviews?", "When the next review "
                               "is left blank, it falls this many years after adoption."),
    "drafting.prefer_sources": ("Whose wording to prefer", "Where the library has several "
                                "wordings of a paragraph, the first of these councils' "
                                "protocols that has one is used."),
    "drafting.voice": ("Whose voice the wording takes", "One voice throughout reads as one "
                       "document; the sources' own words can be kept as their councils wrote "
                       "them.", {"house": "One voice throughout (“must” for duties, “will” "
                                          "for commitments)",
                                 "source": "Each source's words as its council wrote them"}),
    "drafting.exclude": ("Paragraphs left out", ""),
    "drafting.variants": ("Wordings chosen", ""),
    "drafting.library": ("The council's own wording", "The folder of paragraphs kept from "
                                                      "the council's current protocol."),
    "document.title": ("The document's title", "Shown after the council's name."),
    "document.language": ("The document's language", "For screen readers and spell "
                          "checkers.", {"en-GB": "English", "cy-GB": "Welsh"}),
    "document.reference_docx": ("A Word file whose look to copy", "Its styles, margins and "
                                "logo are used for the DOCX."),
}

_INTERVIEW = {"council.name": "name", "council.tier": "tier", "council.nation": "nation",
              "council.governance": "governance",
              "council.political_groups": "political_groups",
              "council.independent_members": "independent_members",
              "roles.head_officer": "head_officer", "roles.chair": "chair",
              "roles.monitoring_officer": "monitoring_officer",
              "roles.staffing_committee": "staffing_committee",
              "adoption.version": "version", "adoption.adopted": "adopted",
              "adoption.minute": "minute", "adoption.next_review": "next_review",
              "roles.executive_body": "executive_body",
              "roles.executive_member": "executive_member",
              "practices.committees": "committees", "practices.offices": "offices",
              "policies.missing": "missing"}
_CODE = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")


def plain(description: str) -> str:
    """A schema description without its defaults, types or key names."""
    sentences = re.split(r"(?<=[.!?])\s+", description.strip())
    kept = [s for s in sentences if not s.lower().startswith(("default", "type"))]
    text = " ".join(kept)
    text = _CODE.sub(lambda m: m.group(0).rsplit(".", 1)[-1].replace("_", " "), text)
    return text.replace("`", "")


def field_words(field, data: dict[str, Any]) -> dict[str, Any]:
    """The question, its reason and its choices (value -> words) for one form field."""
    council = data.get("council") if isinstance(data.get("council"), dict) else {}
    answers = {"tier": council.get("tier"), "governance": council.get("governance")}
    key = _INTERVIEW.get(field.name)
    if key:
        q = next(q for q in QUESTIONS if q.key == key)
        label = q.text(answers)
        if key == "monitoring_officer" and local(answers):
            label = "Which council's Monitoring Officer deals with complaints about this " \
                    "council's councillors?"
            why = "Write “Monitoring Officer of” and that council's name. The protocol " \
                  "tells councillors and officers where complaints about conduct go."
        elif key == "next_review":
            why = "Leave it blank to have it fall the number of years between reviews " \
                  "(below) after adoption. It is shown on the title page, and the list of " \
                  "councils warns when it has passed."
        else:           # here a blank box is the answer 'none'
            why = q.why(answers).replace("Type 'none' if", "Leave it blank if")
        labels = dict(zip(q.choices, q.labels)) if q.labels else {}
        return {"label": label, "why": why, "choices": labels}
    found = WORDS.get(field.name)
    if found:
        return {"label": found[0], "why": found[1],
                "choices": found[2] if len(found) > 2 else {}}
    return {"label": field.key.replace("_", " ").capitalize(), "why": plain(field.description),
            "choices": {}}


def unknown_choice(value: str) -> str:
    """A value the choices do not have: one an import could not find, or a slip."""
    if value.startswith("not found"):
        return "Not found in your protocol: please choose"
    return f"“{value}” (not one of the choices: please choose)"


def choice_words(value: str, choices: dict[str, str]) -> str:
    """A choice as councils name it; a value with no words, with its underscores gone."""
    return choices.get(value, value.replace("_", " "))


def usual_values(profile) -> dict[str, str]:
    """What each setting left blank comes to for this council (shown in the blank box)."""
    if profile is None:
        return {}
    ctx = profile.context()
    out = {}
    for group in GROUPS:
        for f in group.fields:
            value = ctx.get({"data_protection_officer": "dpo_appointed"}.get(f.key, f.key)
                            if group.section == "practices" else f.key)
            if group.section in ("roles", "policies", "terms") and isinstance(value, str):
                out[f.name] = value
            elif group.section == "council" and isinstance(value, str) and f.key != "name":
                out[f.name] = value
            elif isinstance(value, bool) and group.section in ("council", "practices"):
                out[f.name] = "yes" if value else "no"
            elif group.section == "practices" and isinstance(value, str):
                out[f.name] = value
    if hasattr(profile, "adopted_policies"):
        names = WORDS["policies.in_place"][2]
        out["policies.in_place"] = "; ".join(names.get(p, p) for p in profile.adopted_policies())
    if hasattr(profile, "review_period"):
        out["adoption.review_period"] = str(profile.review_period)
    return out


def chosen_items(profile, library) -> dict[str, list[str]]:
    """The paragraphs left out and the wordings chosen, by title, for the edit page."""
    from .plain import source_text
    if profile is None or library is None:
        return {"drafting.exclude": [], "drafting.variants": []}

    def title(cid):
        c = library.clauses.get(cid)
        s = None if c else library.section(cid)
        return (c.title or c.heading if c else s.title if s else None) or "a paragraph"
    return {"drafting.exclude": [f"“{title(c)}”" for c in profile.drafting.exclude],
            "drafting.variants": [f"“{title(c)}”: {source_text(src)}" for c, src in
                                  profile.drafting.variants.items()]}


_KEY_PATH = re.compile(r"\b(council|roles|policies|terms|practices|drafting|adoption|document)"
                       r"\.([a-z_]+)(?:\.[\w.-]+)?")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def said(text: str | None) -> str:
    """A message of ``check`` with its key names said as the form says them."""
    def field(m: re.Match) -> str:
        found = WORDS.get(f"{m.group(1)}.{m.group(2)}")
        return f"“{found[0]}”" if found else m.group(2).replace("_", " ")
    text = re.sub(r"drafting\.voice: ?source", "keeping each source's own words", text or "")
    text = _KEY_PATH.sub(field, text)
    text = re.sub(r"\b(england|wales)\b", lambda m: m.group(0).capitalize(), text)
    return _SNAKE.sub(lambda m: m.group(0).replace("_", " "), text)
