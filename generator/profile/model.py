"""The council profile's schema, declared once as pydantic models, and the flat names
(:meth:`Profile.context`) that the clause library's conditions and texts may use.

Reading and checking a profile file is :mod:`.load`'s work; this module only declares.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from ..document import long_date, month_text
from ..errors import Problem
from .constants import (ADOPTABLE_POLICIES, COMMITTEES, FIX_SEPARATOR, LOCAL_TIERS, SOURCES,
                        Governance, Nation, Tier, practice_defaults, role_defaults)
from .yamlsource import Located


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
    executive_body: Optional[str] = Field(
        None, description="The council's own name for its executive (executive models "
                          "only): Cabinet, Executive. Default: Cabinet.")
    executive_member: Optional[str] = Field(
        None, description="Title of a member of the executive, singular (executive models "
                          "only): Cabinet Member, Portfolio Holder, Executive Member. "
                          "Default: Cabinet Member.")
    staffing_committee: Optional[str] = Field(
        None, description="Name of the committee that deals with staff (local councils), "
                          "e.g. Staffing Committee. Used for complaints about the clerk.")
    standards_committee: Optional[str] = Field(
        None, description="Name of the standards committee (principal councils: every "
                          "Welsh one has one; an English council, only if it chose to).")
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
    in_place: Optional[list[Literal[ADOPTABLE_POLICIES]]] = Field(  # type: ignore[valid-type]
        None, description="Which of the staff policies above the council has adopted: "
                          + ", ".join(ADOPTABLE_POLICIES) + ". Default: all of them for "
                          "principal councils; the grievance and disciplinary procedures and "
                          "the bullying policy for local councils.")
    missing: Literal["to_be_adopted", "leave_out"] = Field(
        "leave_out", description="What the protocol says of a policy the council has not "
                                 "adopted: to_be_adopted names it with '(to be adopted)'; "
                                 "leave_out leaves it out.")


class Terms(_Strict):
    """What the text calls councillors and staff."""

    members: str = Field("Councillors", description="Plural word for councillors "
                                                    "(Councillors or Members).")
    member: Optional[str] = Field(None, description="Singular; default: members without "
                                                    "the final s.")
    officers: str = Field("officers", description="Plural word for staff (officers, staff).")
    officer: Optional[str] = Field(None, description="Singular; default: officers without "
                                                     "the final s ('member of staff' for "
                                                     "staff).")
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
    committees: Optional[Literal[COMMITTEES]] = Field(  # type: ignore[valid-type]
        None, description="Which committees the council has: none (the Council decides "
                          "everything at its meetings), staffing (only the staffing committee "
                          "named in roles.staffing_committee), several. Default: several for "
                          "town and principal councils; staffing for parish and community "
                          "councils that name a staffing committee, none for the others.")
    offices: Optional[bool] = Field(
        None, description="Whether the council has offices where its staff work. Default: "
                          "no for parish and community councils, yes for the others.")
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
    voice: Literal["house", "source"] = Field(
        "house", description="'house': every wording in the house voice (docs/style.md); "
                             "'source': a source's wording as its council wrote it.")
    library: Optional[str] = Field(
        None, max_length=300,
        description="A folder of house clauses (relative to this file) layered over the "
                    "shipped library, as --library does (and over any --library folders); "
                    "'protocol-gen import' writes one with the council's own wording.")


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
    review_period: Optional[int] = Field(
        None, ge=1, le=5, description="Years between reviews: the next review falls this "
                                      "long after adoption when next_review is left out. "
                                      "Default: 1 for local councils, 2 for principal "
                                      "councils.")
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

    def _practice_defaults(self) -> dict[str, Any]:
        return practice_defaults(self.council.tier, self.roles.staffing_committee)

    @property
    def review_period(self) -> int:
        a = self.adoption
        return a.review_period or self._practice_defaults()["review_period"]

    def next_review(self) -> str | None:
        """The month (YYYY-MM, or the day given) of the next review: the profile's, or the
        adoption date plus the review period; None for a draft without one."""
        a = self.adoption
        if a.next_review:
            return a.next_review
        if a.adopted:
            return f"{a.adopted.year + self.review_period:04d}-{a.adopted.month:02d}"
        return None

    def adopted_policies(self) -> list[str]:
        adopted = self.policies.in_place
        return list(self._practice_defaults()["adopted"] if adopted is None else adopted)

    def context(self) -> dict[str, Any]:
        """The flat, read-only names that clause conditions and templates may use."""
        c, r, t = self.council, self.roles, self.terms
        local = self.local_council
        executive = self.executive
        defaults = role_defaults(c.tier, c.governance, c.nation)
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
        ctx.update(self.policies.model_dump(exclude={"in_place", "missing"}))
        adopted = self.adopted_policies()
        for key in ADOPTABLE_POLICIES:      # a policy not adopted: named as such, or None
            if key not in adopted:
                ctx[key] = (f"{ctx[key]} (to be adopted)"
                            if self.policies.missing == "to_be_adopted" else None)
        ctx["executive_members"] = _plural(ctx["executive_member"])
        defaults = self._practice_defaults()
        p = self.practices
        ctx["committees"] = p.committees or defaults["committees"]
        ctx["offices"] = defaults["offices"] if p.offices is None else p.offices
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
        ctx["next_review"] = month_text(self.next_review()) or None  # 'June 2022'
        ctx["review_period"] = self.review_period
        return ctx

    def signatories(self) -> list[str]:
        ctx = self.context()
        return list(self.adoption.signatories or [ctx["chair"], ctx["head_officer"]])


CONTEXT_NAMES = frozenset(
    ["council_name", "tier", "nation", "governance", "political_groups", "independent_members",
     "local_council", "principal_council", "executive", "scrutiny", "wards",
     "members", "member", "officers", "officer", "ward",
     "adopted", "adoption_minute", "next_review",
     "sole_officer", "chair_clerk_meetings", "delegation_to_officers", "dpo_appointed",
     "committees", "offices", "review_period", "executive_members"]
    + list(Roles.model_fields)
    + [k for k in Policies.model_fields if k not in ("in_place", "missing")])


def _plural(word: str | None) -> str | None:
    return None if word is None else (word if word.endswith("s") else word + "s")


def _singular(word: str) -> str:
    """'Councillors' -> 'Councillor'; 'staff', which has no singular, -> 'member of staff'."""
    if word.lower() == "staff":
        return f"member of {word}"
    return word[:-1] if word.endswith("s") and len(word) > 1 else word
