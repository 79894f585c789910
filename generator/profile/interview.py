"""The ``init`` interview: the questions a clerk answers, and the commented profile they make.

Nothing here prompts or writes: :mod:`generator.cli` asks each :class:`Question` (with
click, or takes the answer from an option) and writes the text :func:`profile_yaml` returns.
Each question knows whether it applies to the answers so far, its suggested answer, and how
to read a typed answer (raising :class:`AnswerError` with the fix when it cannot).
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import re
import textwrap
from typing import Any, Callable, Optional
import unicodedata

from pydantic import BaseModel
import yaml

from ..errors import Problem, ProtocolGenError
from .answers import (_choice, _monitoring_officer, _optional_text, _policies, _text, _years,
                      _yes_no, local, policies_text)
from .dates import AnswerError, parse_date, parse_month  # noqa: F401 - shared with the web app
from .constants import ADOPTABLE_POLICIES, Governance, Nation, Tier, practice_defaults, role_defaults
from .fields import allowed_values
from .load import parse_profile
from .model import Adoption, Council, Policies, Practices, Roles, Terms
from .yamlsource import parse_yaml

Answers = dict[str, Any]


# ---- what the answers so far imply -------------------------------------------

def guess_tier(name: str) -> Optional[str]:
    """The kind of council when its name says so ('Milcombe Parish Council' -> parish)."""
    text = " ".join(name.lower().split())
    for words, tier in (("london borough", "london_borough"),
                        ("metropolitan borough", "metropolitan"),
                        ("parish council", "parish"), ("town council", "town"),
                        ("community council", "community"), ("cyngor cymuned", "community"),
                        ("cyngor tref", "town"), ("district council", "district"),
                        ("borough council", "borough"), ("county council", "county")):
        if words in text:
            return tier
    return None


_WALES_ONLY = ("community",)
_ENGLAND_ONLY = ("parish", "district", "metropolitan", "london_borough")


def _nation_default(answers: Answers) -> str:
    tier = answers.get("tier")
    if tier in _WALES_ONLY:
        return "wales"
    name = answers.get("name", "").lower()
    return "wales" if tier not in _ENGLAND_ONLY and "cyngor" in name else "england"


def _chair_default(answers: Answers) -> str:
    tier, governance = answers.get("tier"), answers.get("governance")
    if tier == "town":
        return "Town Mayor"
    if tier in ("borough", "metropolitan", "london_borough") and governance != "mayor_cabinet":
        return "Mayor"
    return "Chair"


def _period_default(answers: Answers) -> int:
    return practice_defaults(answers["tier"], None)["review_period"]


def _review_default(answers: Answers) -> str:
    """The review period after adoption (even if that has passed: the review is then
    overdue), or after today for a draft."""
    start = answers.get("adopted") or answers["_today"]
    period = answers.get("review_period") or _period_default(answers)
    return f"{start.year + period:04d}-{start.month:02d}"


def _review(raw: Any, answers: Answers) -> str:
    """The review month: after adoption (as :func:`parse_month` sees to), and no later than
    the review period after it."""
    value, latest = parse_month(raw, answers), _counted_review(answers)
    if value is None:
        return value
    if latest and value[:7] > latest:
        years = answers["review_period"]
        raise AnswerError(f"{value} is more than {years} year{'s' if years > 1 else ''} "
                          "after adoption",
                          f"give a month up to {latest}, or more years between reviews")
    return value


def _counted_review(answers: Answers) -> Optional[str]:
    """The month the protocol counts from adoption when next_review is left out."""
    adopted, period = answers.get("adopted"), answers.get("review_period")
    return f"{adopted.year + period:04d}-{adopted.month:02d}" if adopted and period else None


def _practice(key: str) -> Callable[[Answers], Any]:
    return lambda a: practice_defaults(a["tier"], a.get("staffing_committee"))[key]


def _committees(raw: Any, answers: Answers) -> str:
    """Which committees: the choice, squared with the staffing committee named (or not)."""
    value = _choice(COMMITTEE_CHOICES, COMMITTEE_NAMES)(raw, answers)
    named = answers.get("staffing_committee")
    if value == "none" and named:
        raise AnswerError(f"the {named} was named as the council's staffing committee",
                          "answer 'staffing' or 'several'")
    if value == "staffing" and not named:
        raise AnswerError("no staffing committee was named", "answer 'none' or 'several'")
    return value


def _role(key: str) -> Callable[[Answers], Optional[str]]:
    return lambda a: role_defaults(a["tier"], a.get("governance", "committee"),
                                   a.get("nation", "england"))[key]


@dataclass(frozen=True)
class Question:
    """One question of the interview, in a clerk's words.

    ``text`` is the question; ``why`` says why the answer matters; ``labels`` names each
    choice as councils name it. ``default`` suggests an answer (None: no suggestion);
    ``asked`` says whether the question applies to the answers so far (when it does not,
    the default is taken silently); ``parse`` reads what was typed or given as an option;
    ``typed`` is what the command line shows after the question.
    """

    key: str
    text: Callable[[Answers], str]
    parse: Callable[[Any, Answers], Any]
    default: Callable[[Answers], Any] = lambda a: None
    asked: Callable[[Answers], bool] = lambda a: True
    required: bool = False
    choices: tuple[str, ...] = ()
    why: Callable[[Answers], str] = lambda a: ""
    labels: tuple[str, ...] = ()
    typed: str = ""

    @property
    def option(self) -> str:
        """The ``init`` option that answers this question without a prompt."""
        return "--" + OPTION_NAMES.get(self.key, self.key).replace("_", "-")

    def prompt(self, answers: Answers) -> str:
        """The question as the command line asks it, with what may be typed."""
        typed = self.typed or ", ".join(self.choices)
        return self.text(answers) + (f" ({typed})" if typed else "")

    def label(self, value: str) -> str:
        """A choice as councils name it ('leader_cabinet' -> 'Leader and Cabinet')."""
        named = dict(zip(self.choices, self.labels))
        return named.get(value, value)

    def shown_default(self, answers: Answers) -> str:
        """The suggestion as the clerk sees it (and may accept by pressing Enter)."""
        value = self.default(answers)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return policies_text(value)
        if value is None:
            return "" if self.required else "none"
        return value.isoformat() if isinstance(value, dt.date) else str(value)


OPTION_NAMES = {"version": "protocol_version", "in_place": "policies",
                "missing": "missing_policies"}

TIERS = _TIERS = tuple(t.value for t in Tier)
TIER_NAMES = ("Parish council", "Town council", "Community council (Wales)",
              "District council", "Borough council", "County council", "Unitary council",
              "Metropolitan borough council", "London borough council")
GOVERNANCE = tuple(g.value for g in Governance)
GOVERNANCE_NAMES = ("Committees", "Leader and Cabinet", "Elected Mayor and Cabinet")
_YES_NO = dict(choices=("yes", "no"), labels=("Yes", "No"))
COMMITTEE_CHOICES = ("none", "staffing", "several")
COMMITTEE_NAMES = ("None: the Council decides everything at its meetings",
                   "Only the staffing committee", "Several committees")
MISSING_CHOICES = ("leave_out", "to_be_adopted")
MISSING_NAMES = ("Leave it out", "Name it, marked “to be adopted”")


def _executive(answers: Answers) -> bool:
    return answers.get("governance") not in (None, "committee")


def _local_or(local_text: str, principal_text: str) -> Callable[[Answers], str]:
    return lambda a: local_text if local(a) else principal_text


QUESTIONS: tuple[Question, ...] = (
    Question("name", lambda a: "What is the council's name?", _text(200), required=True,
             why=lambda a: "As on the council's letterhead: it heads the title page and "
                           "every page of the protocol."),
    Question("tier", lambda a: "What kind of council is it?",
             _choice(_TIERS, TIER_NAMES), default=lambda a: guess_tier(a.get("name", "")),
             required=True, choices=_TIERS, labels=TIER_NAMES,
             why=lambda a: "A parish, town or community council employs a clerk and decides "
                           "at its meetings; a principal council has a chief executive, "
                           "statutory officers and often an executive. The protocol covers "
                           "what a council of this kind has, and nothing it does not."),
    Question("nation", lambda a: "Is the council in England or Wales?",
             _choice(tuple(n.value for n in Nation), ("England", "Wales")),
             default=_nation_default,
             asked=lambda a: a["tier"] not in _WALES_ONLY + _ENGLAND_ONLY,
             choices=tuple(n.value for n in Nation), labels=("England", "Wales"),
             why=lambda a: "The law on codes of conduct, complaints about councillors and "
                           "publicity differs between England and Wales."),
    Question("governance", lambda a: "How does the council make its decisions?",
             _choice(GOVERNANCE, GOVERNANCE_NAMES),
             default=lambda a: "committee" if local(a) else "leader_cabinet",
             asked=lambda a: not local(a), choices=GOVERNANCE, labels=GOVERNANCE_NAMES,
             why=lambda a: "With a Leader and Cabinet or an Elected Mayor and Cabinet, the "
                           "protocol covers the executive, its members and scrutiny; a "
                           "council run by committees gets none of that."),
    Question("political_groups", lambda a: "Do the councillors sit in political groups?",
             _yes_no, default=lambda a: not local(a), **_YES_NO,
             why=lambda a: "If they do, the protocol adds a section on political groups: "
                           "what officers may do for a group, and how officers stay "
                           "politically neutral."),
    Question("independent_members", lambda a: "Are there also councillors who belong to no "
                                               "group?",
             _yes_no, default=lambda a: False, asked=lambda a: a["political_groups"],
             **_YES_NO, why=lambda a: "The protocol then says how councillors outside the "
                                      "groups are treated and kept informed."),
    Question("head_officer", _local_or(
        "What is the clerk's title?",
        "What is the title of the most senior officer (the head of paid service)?"),
        _text(200), default=_role("head_officer"),
        why=_local_or("The protocol uses this title wherever it speaks of the clerk.",
                      "The protocol uses this title wherever it speaks of the head of "
                      "paid service.")),
    Question("chair", lambda a: "What is the title of the person who chairs the council's "
                                "meetings?", _text(200), default=_chair_default,
             why=lambda a: "For example Chair, Chairman or Town Mayor: the protocol uses it "
                           "wherever it speaks of the chair."),
    Question("monitoring_officer", _local_or(
        "Which district or unitary council's Monitoring Officer deals with complaints about "
        "this council's councillors?", "What is the Monitoring Officer's title?"),
        _monitoring_officer,
        default=lambda a: None if local(a) else "Monitoring Officer",
        typed="give that council's name, or 'none' if you do not know yet",
        why=_local_or("Give that council's name, or 'none' if you do not know yet. The "
                      "protocol tells councillors and officers where complaints about a "
                      "councillor's conduct go.",
                      "The officer who advises on conduct and the law; the protocol names "
                      "them for complaints and advice.")),
    Question("staffing_committee", lambda a: "What is the committee that deals with staff "
                                             "matters called?",
             _optional_text(200),
             default=lambda a: "Staffing Committee" if a["political_groups"] else None,
             asked=local, typed="'none' if there is none",
             why=lambda a: "Complaints about the clerk go to this committee. Type 'none' if "
                           "the council has none: they then go to the Council itself."),
    Question("executive_body", lambda a: "What does the council call its executive?",
             _text(200), default=_role("executive_body"), asked=_executive,
             why=lambda a: "For example Cabinet or Executive: the protocol uses it wherever "
                           "it speaks of the executive."),
    Question("executive_member", lambda a: "What is one member of the executive called?",
             _text(200), default=_role("executive_member"), asked=_executive,
             why=lambda a: "For example Cabinet Member or Portfolio Holder: the protocol uses "
                           "it wherever it speaks of them."),
    Question("committees", lambda a: "Which committees does the council have?", _committees,
             default=_practice("committees"), asked=local, choices=COMMITTEE_CHOICES,
             labels=COMMITTEE_NAMES, typed="none, staffing or several",
             why=lambda a: "The protocol mentions committees and their chairs only where the "
                           "council has them."),
    Question("offices", lambda a: "Does the council have offices where its staff work?",
             _yes_no, default=_practice("offices"), asked=local, **_YES_NO,
             why=lambda a: "If not, the protocol says nothing of visits to council offices."),
    Question("in_place", lambda a: "Which of the staff policies has the council adopted?",
             _policies, default=_practice("adopted"),
             typed="staff code, grievance, disciplinary, bullying; or all, or none",
             why=lambda a: "Its staff code of conduct, grievance and disciplinary procedures "
                           "and policy on bullying and harassment: the protocol refers only "
                           "to the ones the council has."),
    Question("missing", lambda a: "What should the protocol say of a policy not yet "
                                  "adopted?",
             _choice(MISSING_CHOICES, MISSING_NAMES), default=lambda a: "leave_out",
             asked=lambda a: len(a["in_place"]) < len(ADOPTABLE_POLICIES),
             choices=MISSING_CHOICES, labels=MISSING_NAMES, typed="leave out, or to be adopted",
             why=lambda a: "Either leave it out, or name it marked “to be adopted”, so that "
                           "councillors and staff know the council means to adopt it."),
    Question("version", lambda a: "What version number is this protocol?", _text(20),
             default=lambda a: "1.0",
             why=lambda a: "Shown under the title and in the table of versions."),
    Question("adopted", lambda a: "On what date did (or will) the council adopt it?",
             lambda raw, a: None if str(raw).strip().lower() in ("none", "-") else
             parse_date(raw, a), typed="YYYY-MM-DD; 'none' for a draft",
             why=lambda a: "Leave it blank while the protocol is a draft: the title page "
                           "then says 'Draft for adoption'."),
    Question("minute", lambda a: "What is the minute reference of that decision?",
             _optional_text(50), asked=lambda a: a["adopted"] is not None,
             typed="'none' if there is none yet",
             why=lambda a: "Shown after the adoption date, so a reader can find the "
                           "decision. Type 'none' if there is none yet."),
    Question("review_period", lambda a: "How many years between reviews?",
             _years(1, 5), default=_period_default, typed="1 to 5",
             why=lambda a: "The protocol states when it will next be reviewed: this many years "
                           "after adoption, unless you give another month next."),
    Question("next_review", lambda a: "In which month is the next review due?",
             _review, default=_review_default, typed="YYYY-MM",
             why=lambda a: "Suggested: the years between reviews after adoption. It is shown "
                           "on the title page, and the list of councils warns when it has "
                           "passed."),
)


def start(today: dt.date) -> Answers:
    """The empty answer sheet (``today`` suggests the review month of a draft)."""
    return {"_today": today}


def collect(given: dict[str, Any], today: dt.date,
            ask: Optional[Callable[[Question, Answers], Any]] = None,
            on_name: Callable[[str], None] = lambda name: None) -> Answers:
    """Answer every question: from ``given`` (the command's options) when there, else by
    ``ask`` for the questions that apply, else with the suggested default (``ask`` None:
    ask nothing). ``on_name`` is told the name as soon as it is known. Raises
    ProtocolGenError naming the option and the fix for an unusable option."""
    answers = start(today)
    for q in QUESTIONS:
        if given.get(q.key) is not None:
            try:
                answers[q.key] = q.parse(given[q.key], answers)
            except AnswerError as exc:
                raise ProtocolGenError(Problem(exc.message, file="command line",
                                               field=q.option, hint=exc.hint)) from None
        elif ask is None or not q.asked(answers):
            answers[q.key] = q.default(answers)
            if answers[q.key] is None and q.required:
                raise ProtocolGenError(Problem(
                    f"{q.option} is needed with --no-input", file="command line",
                    field=q.option, hint=f"add {q.option} ..., or leave out --no-input to "
                                         "be asked"))
        else:
            answers[q.key] = ask(q, answers)
        if q.key == "name":
            on_name(answers["name"])
    return answers


# ---- the profile the answers make --------------------------------------------

def profile_data(answers: Answers) -> dict[str, Any]:
    """The answers arranged as a profile (keys in the profile's order; empty ones left out)."""
    a = answers
    council = {"name": a["name"], "tier": a["tier"], "nation": a["nation"],
               "governance": a["governance"], "political_groups": a["political_groups"],
               "independent_members": a["independent_members"]}
    roles = {k: a.get(k) for k in ("head_officer", "monitoring_officer", "chair",
                                   "executive_body", "executive_member",
                                   "staffing_committee")}
    practices = {"committees": a.get("committees"), "offices": a.get("offices")}
    policies = {"constitution": "Standing Orders"} if local(a) else {}
    policies |= {"in_place": a.get("in_place"), "missing": a.get("missing")
                 if len(a.get("in_place") or ADOPTABLE_POLICIES) < len(ADOPTABLE_POLICIES) else None}
    review = a.get("next_review")
    adoption = {"version": a["version"], "adopted": a.get("adopted"), "minute": a.get("minute"),
                "next_review": None if review == _counted_review(a) else review,
                "review_period": a.get("review_period")}
    data = {"council": council, "roles": roles, "policies": policies,
            "practices": practices, "adoption": adoption}
    return {section: {k: v for k, v in values.items() if v is not None}
            for section, values in data.items()}


def slug(name: str) -> str:
    """A file name for a council: 'Milcombe Parish Council' -> 'milcombe-parish-council'."""
    from ..files import safe_stem       # never a name Windows keeps for itself (CON, ...)
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return safe_stem(re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80] or "council")


def _lines(key: str, value: Any, indent: str) -> list[str]:
    """``key: value`` with the value quoted by PyYAML as it needs (never pasted raw)."""
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1_000_000)
    return [indent + line for line in text.rstrip("\n").split("\n")]


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=92, initial_indent=indent + "# ",
                         subsequent_indent=indent + "# ", break_on_hyphens=False)


def _note(model: type[BaseModel], key: str) -> str:
    field = model.model_fields[key]
    note = (field.description or "").strip()
    allowed = allowed_values(field.annotation)
    if allowed:
        note += (" " if note else "") + "Allowed: " + ", ".join(allowed) + "."
    return note


def _block(section: str, model: type[BaseModel], values: dict[str, Any],
           defaults: dict[str, Any], intro: str) -> list[str]:
    """One top-level mapping: every key of ``model``, with its description above it.
    Keys answered are written out; the rest are shown commented out with their default."""
    out = _comment(intro, "") + [f"{section}:"]
    for key in model.model_fields:
        note = _note(model, key)
        if key in values:
            out += _comment(note, "  ") + _lines(key, values[key], "  ")
        else:
            default = defaults.get(key)
            if default is None:
                field = model.model_fields[key]
                default = None if field.is_required() else field.get_default(
                    call_default_factory=True)
            if default is None or default == [] or default == {}:
                out += _comment(note, "  ") + [f"  # {key}:"]
            else:
                out += _comment(note, "  ") + _lines(key, default, "  # ")
    return out


def profile_yaml(answers: Answers, filename: str = "profile.yaml") -> str:
    """The commented YAML profile for the answers (check accepts it; build uses it)."""
    data = profile_data(answers)
    defaults = role_defaults(answers["tier"], answers["governance"],
                             answers.get("nation", "england"))
    head = [
        f"# Council profile: {' '.join(answers['name'].split())}",
        "# Written by 'protocol-gen init'. Lines starting with # are notes. Change a value after",
        "# its colon, or remove the # before a line to set something that is now left at its",
        "# default. Every key is described in docs/profile-reference.md",
        "# ('protocol-gen schema --markdown' prints the same). Then run:",
        f"#   protocol-gen check {filename}",
        f"#   protocol-gen build {filename}",
        "",
    ]
    body = _block("council", Council, data["council"], {},
                  "Who the council is and how it is run.")
    body += [""] + _block("roles", Roles, data["roles"], defaults,
                          "The titles the protocol uses. A line left commented out takes the "
                          "default shown.")
    body += [""] + _block("terms", Terms, {"members": "Councillors", "officers": "officers"}, {},
                          "What the text calls councillors and staff.")
    policies = {k: f.get_default() for k, f in Policies.model_fields.items()
                if isinstance(f.get_default(), str)} | data["policies"]
    body += [""] + _block("policies", Policies, policies, {},
                          "The names of the council's own documents that the protocol cites.")
    body += [""] + _block("practices", Practices, data["practices"], {},
                          "How the council works in practice. A line left commented out takes "
                          "the usual answer for the kind of council.")
    body += [""] + _block("adoption", Adoption, data["adoption"], {},
                          "Version and adoption. Leave 'adopted' out while the protocol is a "
                          "draft, and 'next_review' out to count it from adoption; at each "
                          "review raise the version, set the new dates and add the old "
                          "version to history.")
    body += ["", "# Wording choices (drafting:) and presentation (document:) are described in",
             "# docs/profile-reference.md."]
    return "\n".join(head + body) + "\n"


def problems_in(text: str, today: dt.date) -> list[Problem]:
    """What ``check`` would say about the profile text (errors and warnings)."""
    src, problems = parse_yaml(text, "answers")
    if src is None:
        return problems
    return parse_profile(src, today=today)[1]
