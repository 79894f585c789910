"""Council profiles: YAML -> validated :class:`Profile`.

The schema is declared once, as pydantic models. Reading a profile collects every
problem (YAML syntax, unknown keys with a "did you mean", wrong types, bad choices,
contradictory settings) and reports them together, each located by line and column.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError,
                      field_validator)

from .document import long_date, month_text
from .errors import Problem, ProfileError
from .validation import FIX_SEPARATOR, describe as _describe, problems_from_validation
from .yamlsource import Located, load_yaml_file, parse_yaml

LOCAL_TIERS = ("parish", "town", "community")
PRINCIPAL_TIERS = ("district", "borough", "county", "unitary", "metropolitan", "london_borough")
SOURCES = ("milcombe", "blaenavon", "halstead", "west-suffolk", "anytown")


class Tier(str, Enum):
    parish = "parish"
    town = "town"
    community = "community"
    district = "district"
    borough = "borough"
    county = "county"
    unitary = "unitary"
    metropolitan = "metropolitan"
    london_borough = "london_borough"


class Nation(str, Enum):
    england = "england"
    wales = "wales"


class Governance(str, Enum):
    committee = "committee"
    leader_cabinet = "leader_cabinet"
    mayor_cabinet = "mayor_cabinet"


class _Strict(BaseModel):
    # str_max_length: no title or name needs more; it keeps every clause (which may use
    # a value many times) and the document a sensible size.
    # defer_build: the validators are built on first use, once for the whole Profile
    # rather than once per model at import (a quicker start for every command)
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True,
                              validate_default=True, str_strip_whitespace=True,
                              str_max_length=500, defer_build=True)


class Council(_Strict):
    """Who the council is and how it is run."""

    name: str = Field(min_length=1, max_length=200,
                      description="The council's full name, as on its letterhead.")
    tier: Tier = Field(description="The kind of council. parish, town and community councils "
                                   "are local councils; the rest are principal councils.")
    nation: Nation = Field("england", description="england or wales.")
    governance: Governance = Field(
        "committee",
        description="committee (all local councils, and principal councils without an "
                    "executive), leader_cabinet or mayor_cabinet (executive models).")
    political_groups: bool = Field(
        False, description="Whether councillors sit in political groups. Adds the political "
                           "groups section.")
    independent_members: bool = Field(
        False, description="Whether some councillors belong to no group. Adds the "
                           "independent members clause (needs political_groups).")
    scrutiny: Optional[bool] = Field(
        None, description="Whether the council has overview and scrutiny. Default: yes for "
                          "executive models, no otherwise.")
    wards: Optional[bool] = Field(
        None, description="Whether councillors represent wards (adds the local member "
                          "section). Default: yes for principal councils.")


class Roles(_Strict):
    """Titles of the people the protocol names. Leave a key out to take the default."""

    head_officer: Optional[str] = Field(
        None, description="The head of paid service: Parish Clerk, Town Clerk, Clerk, "
                          "Chief Executive. Default follows the tier.")
    monitoring_officer: Optional[str] = Field(
        None, description="The monitoring officer, without 'the'. A local council names the "
                          "principal council's: 'Monitoring Officer of Cherwell District "
                          "Council'.")
    chair: Optional[str] = Field(None, description="Title of the council's chair "
                                                   "(Chair, Chairman, Mayor, Town Mayor).")
    vice_chair: Optional[str] = Field(None, description="Title of the vice-chair.")
    leader: Optional[str] = Field(None, description="Title of the executive's leader "
                                                    "(executive models only).")
    staffing_committee: Optional[str] = Field(
        None, description="Name of the committee that deals with staff (local councils), "
                          "e.g. Staffing Committee. Used for complaints about the clerk.")
    standards_committee: Optional[str] = Field(
        None, description="Name of the standards committee (principal councils).")
    finance_officer: Optional[str] = Field(
        None, description="Title of the officer with statutory financial duties "
                          "(Responsible Financial Officer; Chief Finance Officer).")
    proper_officer: Optional[str] = Field(
        None, description="Title of the Proper Officer for access to documents.")
    data_protection_officer: Optional[str] = Field(None, description="Title of the data "
                                                                     "protection officer.")
    communications_team: Optional[str] = Field(None, description="Name of the press or "
                                                                 "communications team.")


class Policies(_Strict):
    """Names of the council's own policies and rules that the protocol cites."""

    code_of_conduct: str = Field("Code of Conduct", description="The members' code.")
    employee_code: str = Field("Employees' Code of Conduct", description="The officers' code.")
    grievance_procedure: str = Field("Grievance Procedure", description="Staff grievances.")
    disciplinary_procedure: str = Field("Disciplinary Procedure", description="Staff discipline.")
    bullying_policy: str = Field("Dignity at Work Policy",
                                 description="The policy on bullying and harassment.")
    access_rules: str = Field("Access to Information Procedure Rules",
                              description="Principal councils' rules on access to information.")
    constitution: Optional[str] = Field(
        None, description="Where the council's rules live. Default: Constitution for "
                          "principal councils, Standing Orders for local councils.")
    scheme_of_delegation: str = Field("Scheme of Delegation",
                                      description="Who may decide what on the council's behalf.")


class Terms(_Strict):
    """What the text calls councillors and staff."""

    members: str = Field("Councillors", description="Plural word for councillors "
                                                    "(Councillors or Members).")
    member: Optional[str] = Field(None, description="Singular; default: members without "
                                                    "the final s.")
    officers: str = Field("officers", description="Plural word for staff (officers, staff).")
    officer: Optional[str] = Field(None, description="Singular; default: officers without "
                                                     "the final s.")
    ward: Optional[str] = Field(None, description="The area a councillor represents, "
                                                  "singular: ward, or division for a county "
                                                  "council (the default follows the tier).")


class Practices(_Strict):
    """How this council works in practice, where councils differ. Leave a key out to take
    the default for the tier; the protocol states a practice only where the council has it."""

    sole_officer: Optional[bool] = Field(
        None, description="Whether the head officer (the clerk) is the council's only "
                          "employee. Default: yes for parish and community councils, no "
                          "for town and principal councils.")
    chair_clerk_meetings: bool = Field(
        False, description="Whether the chair and the head officer meet regularly between "
                           "meetings (the protocol then says what those meetings are for).")
    delegation_to_officers: Optional[bool] = Field(
        None, description="Whether the council has delegated decisions to officers in a "
                          "scheme of delegation. Default: yes for principal councils, no "
                          "for local councils.")
    data_protection_officer: Optional[bool] = Field(
        None, description="Whether the council has appointed a data protection officer "
                          "(roles.data_protection_officer gives the title). Default: yes "
                          "for principal councils, no for local councils, which need not "
                          "appoint one.")


class Drafting(_Strict):
    """Choices of wording."""

    prefer_sources: list[Literal[SOURCES]] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description="Whose wording wins where a clause has variants, in order: "
                    + ", ".join(SOURCES) + ".")
    exclude: list[str] = Field(default_factory=list,
                               description="Clause or section ids to leave out.")
    variants: dict[str, str] = Field(
        default_factory=dict,
        description="Clause id -> source whose variant to use, for single clauses.")


_REVIEW = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


class HistoryEntry(_Strict):
    """One row of the version-history table."""

    version: str = Field(min_length=1, max_length=20, description="The earlier version's "
                                                                  "number.")
    date: dt.date = Field(description="When that version was adopted (YYYY-MM-DD).")
    change: str = Field(min_length=1, max_length=500, description="What changed, in a "
                                                                   "sentence.")


class Adoption(_Strict):
    """Version and adoption details shown on the title page."""

    version: str = Field("1.0", min_length=1, max_length=20, description="Version number, "
                                                                         "shown under the "
                                                                         "title.")
    adopted: Optional[dt.date] = Field(None, description="Date adopted (YYYY-MM-DD); leave "
                                                         "out for a draft (the document then "
                                                         "says 'Draft for adoption').")
    minute: Optional[str] = Field(None, max_length=50, description="Minute reference of the "
                                                                   "adoption, shown after "
                                                                   "the date.")
    next_review: Optional[str] = Field(None, description="Review due: YYYY-MM or YYYY-MM-DD, "
                                                         "shown under the title.",
                                       json_schema_extra={"pattern": _REVIEW.pattern})
    signatories: Optional[list[str]] = Field(
        None, description="Titles who sign; default: the chair and the head officer.")
    history: list[HistoryEntry] = Field(default_factory=list,
                                        description="Earlier versions, oldest first.")

    @field_validator("next_review", mode="before")
    @classmethod
    def _review(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if value is not None and (not isinstance(value, str) or not _REVIEW.match(value)):
            raise ValueError(f"'{value}' is not a month written as YYYY-MM" + FIX_SEPARATOR +
                             "write the month as YYYY-MM, e.g. next_review: 2026-05 for "
                             "May 2026 (or a full date, YYYY-MM-DD)")
        return value


class Output(_Strict):
    """How the document is presented."""

    title: str = Field("Member/Officer Protocol", min_length=1, max_length=120,
                       description="The document's title, after the council's name.")
    language: Literal["en-GB", "cy-GB"] = Field(
        "en-GB", description="The language the document is marked as, for screen readers and "
                             "spell checkers. The shipped clauses are in English: use cy-GB "
                             "only with Welsh clauses (a house library with --library).")
    reference_docx: Optional[str] = Field(None, description="A Word file whose styles, "
                                                            "margins and logo to use.")


class Profile(_Strict):
    """A council profile: everything about a council that the protocol depends on."""

    council: Council
    roles: Roles = Field(default_factory=Roles)
    policies: Policies = Field(default_factory=Policies)
    terms: Terms = Field(default_factory=Terms)
    practices: Practices = Field(default_factory=Practices)
    drafting: Drafting = Field(default_factory=Drafting)
    adoption: Adoption = Field(default_factory=Adoption)
    document: Output = Field(default_factory=Output)
    _source: Optional[Located] = PrivateAttr(default=None)   # where it was read from

    def problem(self, path: tuple, message: str, hint: str | None = None) -> Problem:
        """A problem with the key at ``path``, located in the profile's file (file, line,
        column) when the profile was read from one."""
        if self._source is not None:
            return self._source.problem(path, message, hint)
        return Problem(message, field=".".join(map(str, path)) or None, hint=hint)

    # ---- derived values -------------------------------------------------
    @property
    def local_council(self) -> bool:
        return self.council.tier in LOCAL_TIERS

    @property
    def executive(self) -> bool:
        return self.council.governance != "committee"

    def context(self) -> dict[str, Any]:
        """The flat, read-only names that clause conditions and templates may use."""
        c, r, t = self.council, self.roles, self.terms
        local = self.local_council
        executive = self.executive
        defaults = _role_defaults(c.tier, c.governance)
        ctx: dict[str, Any] = {
            "council_name": c.name,
            "tier": c.tier,
            "nation": c.nation,
            "governance": c.governance,
            "political_groups": c.political_groups,
            "independent_members": c.independent_members,
            "local_council": local,
            "principal_council": not local,
            "executive": executive,
            "scrutiny": executive if c.scrutiny is None else c.scrutiny,
            "wards": (not local) if c.wards is None else c.wards,
            "members": t.members,
            "member": t.member or _singular(t.members),
            "officers": t.officers,
            "officer": t.officer or _singular(t.officers),
            "ward": t.ward or ("division" if c.tier == "county" else "ward"),
        }
        for key in Roles.model_fields:
            value = getattr(r, key)
            ctx[key] = value if value is not None else defaults.get(key)
        ctx.update(self.policies.model_dump())
        p = self.practices
        ctx["sole_officer"] = (c.tier in ("parish", "community")) if p.sole_officer is None \
            else p.sole_officer
        ctx["chair_clerk_meetings"] = p.chair_clerk_meetings
        ctx["delegation_to_officers"] = (not local) if p.delegation_to_officers is None \
            else p.delegation_to_officers
        ctx["dpo_appointed"] = (not local) if p.data_protection_officer is None \
            else p.data_protection_officer
        if ctx["constitution"] is None:
            ctx["constitution"] = "Standing Orders" if local else "Constitution"
        a = self.adoption
        ctx["adopted"] = long_date(a.adopted) or None        # '1 June 2021'
        ctx["adoption_minute"] = a.minute
        ctx["next_review"] = month_text(a.next_review) or None  # 'June 2022'
        return ctx

    def signatories(self) -> list[str]:
        ctx = self.context()
        return list(self.adoption.signatories or [ctx["chair"], ctx["head_officer"]])


CONTEXT_NAMES = frozenset(
    ["council_name", "tier", "nation", "governance", "political_groups", "independent_members",
     "local_council", "principal_council", "executive", "scrutiny", "wards",
     "members", "member", "officers", "officer", "ward",
     "adopted", "adoption_minute", "next_review",
     "sole_officer", "chair_clerk_meetings", "delegation_to_officers", "dpo_appointed"]
    + list(Roles.model_fields) + list(Policies.model_fields))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 1 else word


def _role_defaults(tier: str, governance: str) -> dict[str, Optional[str]]:
    local = tier in LOCAL_TIERS
    head = {"parish": "Parish Clerk", "town": "Town Clerk", "community": "Clerk"}.get(
        tier, "Chief Executive")
    return {
        "head_officer": head,
        "monitoring_officer": "Monitoring Officer",
        "chair": "Chair",
        "vice_chair": "Vice-Chair",
        "leader": None if governance == "committee" else
        ("Mayor" if governance == "mayor_cabinet" else "Leader of the Council"),
        "staffing_committee": None,
        "standards_committee": None if local else "Standards Committee",
        "finance_officer": "Responsible Financial Officer" if local else "Chief Finance Officer",
        "proper_officer": "Proper Officer",
        "data_protection_officer": "Data Protection Officer",
        "communications_team": None if local else "Communications Team",
    }


# ---- reading -----------------------------------------------------------------

def _consistency(profile: Profile, src: Located) -> list[Problem]:
    """Contradictory (errors) and unusual (warnings) combinations."""
    c = profile.council
    out: list[Problem] = []
    local = profile.local_council
    if local and c.governance != "committee":
        out.append(src.problem(("council", "governance"),
                               f"a {c.tier} council cannot have the executive model "
                               f"'{c.governance}': only principal councils have an executive",
                               "use governance: committee"))
    if c.nation == "wales" and c.tier in ("parish", "district", "metropolitan", "london_borough"):
        fix = {"parish": "community or town"}.get(c.tier, "county, borough or unitary")
        out.append(src.problem(("council", "tier"),
                               f"there are no {c.tier.replace('_', ' ')} councils in Wales",
                               f"use tier: {fix.split(' or ')[0].split(',')[0]} ({fix})"))
    if c.nation == "england" and c.tier == "community":
        out.append(src.problem(("council", "tier"), "community councils are Welsh; the English "
                               "equivalent is a parish council",
                               "use tier: parish, or nation: wales"))
    if c.independent_members and not c.political_groups:
        out.append(src.problem(("council", "independent_members"),
                               "independent members only make sense where there are political "
                               "groups", "set political_groups: true, or remove this line"))
    if profile.roles.leader and not profile.executive:
        out.append(src.problem(("roles", "leader"), "a leader of the executive is named but "
                               "the council has no executive", "remove roles.leader, or set "
                               "council.governance to leader_cabinet or mayor_cabinet"))
    if profile.practices.sole_officer and not local:
        out.append(src.problem(("practices", "sole_officer"), "a principal council has more "
                               "than one employee", "remove practices.sole_officer"))
    if c.scrutiny and local:
        out.append(src.problem(("council", "scrutiny"), "local councils have no overview and "
                               "scrutiny function", "remove council.scrutiny"))
    excluded_bad = [x for x in profile.drafting.exclude if not re.match(r"^[a-z0-9.-]+$", x)]
    for x in excluded_bad:
        out.append(src.problem(("drafting", "exclude"), f"'{x}' is not a clause or section id",
                               "ids look like 'groups.reports'; see 'protocol-gen explain'"))
    # warnings: legal but unusual
    if local and c.political_groups and not profile.roles.staffing_committee:
        out.append(src.problem(("council", "political_groups"),
                               "a local council with political groups usually names a "
                               "staffing committee", "add roles.staffing_committee",
                               severity="warning"))
    if local and not profile.roles.monitoring_officer:
        out.append(src.problem(("roles",), "a local council's monitoring officer is the "
                               "principal council's", "add roles.monitoring_officer naming the "
                               "district or unitary council's, e.g. 'Monitoring Officer of "
                               "Example District Council'",
                               severity="warning"))
    adopted = profile.adoption.adopted
    review = profile.adoption.next_review
    if adopted and review and review[:7] <= adopted.isoformat()[:7]:
        out.append(src.problem(("adoption", "next_review"), f"the next review ({review}) is not "
                               f"after adoption ({adopted.isoformat()})",
                               "set next_review to a later month"))
    hist = profile.adoption.history
    for a, b in zip(hist, hist[1:]):
        if b.date < a.date:
            out.append(src.problem(("adoption", "history"), "history entries are not in date "
                                   "order", "list them oldest first", severity="warning"))
            break
    version = profile.adoption.version
    for i, entry in enumerate(hist):
        if entry.version == version:
            out.append(src.problem(("adoption", "history", i, "version"),
                                   f"version {version} is both the current version and an "
                                   "earlier one in history", "at a review, raise "
                                   "adoption.version (e.g. to the next whole number)",
                                   severity="warning"))
    if adopted:
        for i, entry in enumerate(hist):
            if entry.version != version and entry.date >= adopted:
                out.append(src.problem(
                    ("adoption", "adopted"), f"version {version} is dated {adopted.isoformat()}"
                    f", but the earlier version {entry.version} in history is dated "
                    f"{entry.date.isoformat()}: the adoption date was probably not updated",
                    "set adoption.adopted (and minute) to when this version is adopted, or "
                    "leave adopted out while it is a draft", severity="warning"))
                break
    if profile.adoption.minute and not adopted:
        out.append(src.problem(("adoption", "minute"), "a minute is given but no adoption "
                               "date, so the document says 'Draft for adoption'",
                               "add adoption.adopted, or remove the minute",
                               severity="warning"))
    if not local and not c.political_groups:
        out.append(src.problem(("council", "political_groups"), f"a {c.tier.replace('_', ' ')} "
                               "council without political groups is unusual; the protocol "
                               "will leave out the political groups section",
                               "set political_groups: true if councillors sit in groups",
                               severity="warning"))
    return out


def parse_profile(src: Located, *, today: dt.date | None = None) -> tuple[Profile | None, list[Problem]]:
    """Validate located YAML data; returns the profile (if valid) and all problems."""
    if not isinstance(src.data, dict):
        return None, [src.problem((), f"a profile must be a mapping of keys (council:, roles:, "
                                  f"...), not {_describe(src.data)}",
                                  "start the file with 'council:'; run 'protocol-gen init' for "
                                  "a template")]
    try:
        profile = Profile.model_validate(src.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, src, Profile) + _contradictions_despite(exc, src)
        return None, _in_file_order(problems)
    problems = _consistency(profile, src)
    if today and profile.adoption.next_review and profile.adoption.next_review[:7] < \
            today.isoformat()[:7]:
        problems.append(src.problem(("adoption", "next_review"),
                                    f"the review date {profile.adoption.next_review} has passed",
                                    "review the protocol and set a new next_review",
                                    severity="warning"))
    if today and profile.adoption.adopted and profile.adoption.adopted > today:
        problems.append(src.problem(("adoption", "adopted"), "the adoption date "
                                    f"{profile.adoption.adopted.isoformat()} is in the future",
                                    "fine for a meeting already called; otherwise check the "
                                    "year", severity="warning"))
    problems = _in_file_order(problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    profile._source = src
    return profile, problems


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _contradictions_despite(exc: ValidationError, src: Located) -> list[Problem]:
    """Contradictory settings in a profile that also has invalid values.

    When the council section itself is valid (unknown keys aside), the invalid values
    elsewhere are set aside and the rest validated again, so that a contradiction is
    reported in the same run as a typo. Warnings wait until the profile is valid."""
    errors = exc.errors()
    if any(e["loc"][:1] == ("council",) and e["type"] != "extra_forbidden" for e in errors):
        return []
    data = copy.deepcopy(src.data)
    for err in errors:
        _set_aside(data, err["loc"])
    try:
        partial = Profile.model_validate(data)
    except ValidationError:
        return []
    return [p for p in _consistency(partial, src) if p.severity == "error"]


def _set_aside(data: Any, loc: tuple) -> None:
    """Delete the value at ``loc`` (a whole list, if it lies inside one)."""
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            if i == len(loc) - 1 or isinstance(node[part], list):
                del node[part]
                return
            node = node[part]
        else:
            return


def load_profile(path: Path | str, *, today: dt.date | None = None) -> tuple[Profile, list[Problem]]:
    """Read and validate a profile file. Raises :class:`ProfileError` with every problem;
    returns the profile and any warnings."""
    path = Path(path)
    src, problems = load_yaml_file(path, "profile")
    if src is None:
        raise ProfileError(problems)
    profile, problems = parse_profile(src, today=today)
    if profile is None:
        raise ProfileError(problems)
    return _resolve_reference_docx(profile, path, src), problems


def _resolve_reference_docx(profile: Profile, path: Path, src: Located) -> Profile:
    """document.reference_docx is relative to the profile file: make it a usable path,
    or report the missing file at its line."""
    ref = profile.document.reference_docx
    if not ref:
        return profile
    relative = Path(ref)
    if relative.is_absolute() or ref.startswith("~") or ".." in relative.parts:
        raise ProfileError(src.problem(
            ("document", "reference_docx"), f"'{ref}' is outside the profile's folder: a "
            "profile may only name a Word file beside it or in a folder below it",
            "copy the council's .docx next to the profile and give its name, or pass "
            "--reference-docx on the command line"))
    resolved = path.parent / relative
    if not resolved.is_file():
        raise ProfileError(src.problem(
            ("document", "reference_docx"), f"the reference Word file '{ref}' does not exist "
            f"(looked for {resolved})", "give the path of the council's .docx relative to "
            "this profile file, or remove document.reference_docx to use the built-in styles"))
    document = profile.document.model_copy(update={"reference_docx": str(resolved)})
    return profile.model_copy(update={"document": document})


def profile_from_text(text: str, file: str = "<profile>") -> Profile:
    """Validate a profile given as YAML text (for tests and tools)."""
    src, problems = parse_yaml(text, file)
    if src is None:
        raise ProfileError(problems)
    profile, problems = parse_profile(src)
    if profile is None:
        raise ProfileError(problems)
    return profile


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a profile, for editors."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "protocolgen council profile"
    return schema
