"""The fixed facts every part of the profile stage shares: tiers, nations, governance
models, the source councils, and the role titles each kind of council takes by default.

Imports nothing from the rest of the package, so the model, its validation messages and
its reference can all use it without importing each other.
"""
from __future__ import annotations

from enum import Enum
from typing import Optional

LOCAL_TIERS = ("parish", "town", "community")
PRINCIPAL_TIERS = ("district", "borough", "county", "unitary", "metropolitan", "london_borough")
SOURCES = ("milcombe", "blaenavon", "halstead", "west-suffolk", "anytown")
# the staff policies a council may or may not have adopted (its members' code it must have)
ADOPTABLE_POLICIES = ("employee_code", "grievance_procedure", "disciplinary_procedure",
                      "bullying_policy")
COMMITTEES = ("none", "staffing", "several")


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

FIX_SEPARATOR = "\nfix: "   # our validators' messages: "what" + FIX_SEPARATOR + "how"


def role_defaults(tier: str, governance: str, nation: str = "england"
                  ) -> dict[str, Optional[str]]:
    """The title each role takes when the profile leaves it out (a standards committee
    only for a Welsh principal council, which must have one: an English council names its
    own, if it has one)."""
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
        "executive_body": None if governance == "committee" else "Cabinet",
        "executive_member": None if governance == "committee" else "Cabinet Member",
        "staffing_committee": None,
        "standards_committee": "Standards Committee" if not local and nation == "wales"
        else None,
        "finance_officer": "Responsible Financial Officer" if local else "Chief Finance Officer",
        "proper_officer": "Proper Officer",
        "data_protection_officer": "Data Protection Officer",
        "communications_team": None if local else "Communications Team",
    }


def practice_defaults(tier: str, staffing_committee: Optional[str]) -> dict:
    """What a practice, a policy or the review period is when the profile leaves it out."""
    local = tier in LOCAL_TIERS
    small = tier in ("parish", "community")
    return {
        "committees": "several" if not small else ("staffing" if staffing_committee else "none"),
        "offices": not small,
        "adopted": list(ADOPTABLE_POLICIES) if not local else
        ["grievance_procedure", "disciplinary_procedure", "bullying_policy"],
        "review_period": 1 if local else 2,
    }
