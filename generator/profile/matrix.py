"""Every kind of council the profile can describe, as profiles: each valid combination of
nation, tier, governance, political groups and the practices that change the text.

The library check uses it to ask whether a clause can reach a council of some kind (a
Welsh one, say); the tests build a protocol for each.
"""
from __future__ import annotations

from functools import lru_cache
import itertools
from pathlib import Path
from typing import Any

from .constants import LOCAL_TIERS
from .model import Profile

TIERS = {
    "england": ("parish", "town", "district", "borough", "county", "unitary", "metropolitan",
                "london_borough"),
    "wales": ("community", "town", "county", "borough", "unitary"),
}
GROUPS = ((False, False), (True, False), (True, True))   # (political_groups, independents)


def kinds(*, practices: bool = True) -> list[Profile]:
    """A profile for each valid kind of council (with ``practices``, also each setting of
    the practices that change the text)."""
    out = []
    flags = list(itertools.product((False, True), repeat=4)) if practices else [None]
    for nation, tiers in TIERS.items():
        for tier in tiers:
            local = tier in LOCAL_TIERS
            for governance in ("committee",) if local else ("committee", "leader_cabinet",
                                                            "mayor_cabinet"):
                for (groups, independents), flag in itertools.product(GROUPS, flags):
                    data: dict[str, Any] = {"council": {
                        "name": f"Example {tier.replace('_', ' ').title()} Council",
                        "tier": tier, "nation": nation, "governance": governance,
                        "political_groups": groups, "independent_members": independents}}
                    if flag is not None:
                        sole, meetings, delegation, dpo = flag
                        if sole and not local:
                            continue
                        data["practices"] = {"sole_officer": sole,
                                             "chair_clerk_meetings": meetings,
                                             "delegation_to_officers": delegation,
                                             "data_protection_officer": dpo}
                        _vary(data, len(out), local, governance != "committee")
                    out.append(Profile.model_validate(data))
    return out


# The options below change the text too, but walking every combination of them with the
# practices would multiply the kinds many times over: each kind of council takes the next
# setting of each in turn instead, so that every setting meets every tier and nation.
COMMITTEES = ("none", "staffing", "several")
POLICIES = ({}, {"in_place": [], "missing": "to_be_adopted"},
            {"in_place": [], "missing": "leave_out"})
EXECUTIVE_NAMES = ({}, {"executive_body": "Executive", "executive_member": "Portfolio Holder"})


def _vary(data: dict[str, Any], i: int, local: bool, executive: bool) -> None:
    """Set the i-th combination of the sampled options on a kind's profile data."""
    practices = data["practices"]
    practices["offices"] = bool(i % 2)
    committees = COMMITTEES[i % 3] if local else "several"
    practices["committees"] = committees
    if committees == "staffing":
        data["roles"] = {"staffing_committee": "Staffing Committee"}
    data["policies"] = dict(POLICIES[(i // 2) % 3])
    data["adoption"] = {"adopted": "2025-05-12", "review_period": 1 + i % 5} if i % 4 else {}
    if executive:
        data.setdefault("roles", {}).update(EXECUTIVE_NAMES[(i // 3) % 2])


@lru_cache(maxsize=1)
def _contexts() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((p.council.nation, p.context()) for p in kinds())


def contexts_by_nation() -> dict[str, list[dict[str, Any]]]:
    """The condition context of every kind of council, by nation."""
    out: dict[str, list[dict[str, Any]]] = {}
    for nation, ctx in _contexts():
        out.setdefault(nation, []).append(ctx)
    return out


def example_contexts(folder: Path | None = None) -> list[dict]:
    """The contexts of the example councils (``council_profiles/``) that load cleanly."""
    from ..errors import ProtocolGenError
    from ..shipped import COUNCIL_PROFILES
    from .load import load_profile
    contexts = []
    for path in sorted(Path(folder or COUNCIL_PROFILES).glob("*.yaml")):
        try:
            contexts.append(load_profile(path)[0].context())
        except ProtocolGenError:
            continue
    return contexts
