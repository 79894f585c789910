"""The preview's explanations in a clerk's words: why a paragraph is in the protocol (or
left out), and whose wording it uses.

The library's conditions (``political_groups and not sole_officer``) are read with
Jinja2's own parser and said as sentences about the council ("the council has political
groups"), using the council's answers to name the part that decided; a source such as
``milcombe 2.4`` becomes "Milcombe Parish Council's protocol".
"""
from __future__ import annotations

from functools import lru_cache
import re
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..profile.interview import GOVERNANCE, GOVERNANCE_NAMES

SOURCE_COUNCILS = {
    "milcombe": "Milcombe Parish Council's protocol",
    "blaenavon": "Blaenavon Town Council's protocol",
    "halstead": "Halstead Town Council's protocol",
    "west-suffolk": "West Suffolk Council's protocol",
    "anytown": "a model protocol for principal councils",
}

# a yes-or-no fact about the council: (said when true, said when false)
FACTS: dict[str, tuple[str, str]] = {
    "political_groups": ("the council has political groups",
                         "the council has no political groups"),
    "independent_members": ("some councillors belong to no political group",
                            "every councillor belongs to a political group"),
    "local_council": ("it is a parish, town or community council",
                      "it is a principal council, not a parish, town or community council"),
    "principal_council": ("it is a principal council (district, borough, county or unitary)",
                          "it is a parish, town or community council"),
    "executive": ("the council has an executive (a Leader or an Elected Mayor, and a Cabinet)",
                  "the council works through committees, without an executive"),
    "scrutiny": ("the council has overview and scrutiny",
                 "the council has no overview and scrutiny"),
    "wards": ("councillors represent wards or divisions",
              "councillors do not represent wards"),
    "sole_officer": ("the clerk is the council's only employee",
                     "the council employs staff besides the clerk"),
    "chair_clerk_meetings": ("the chair and the clerk meet regularly between meetings",
                             "the chair and the clerk do not meet regularly between meetings"),
    "delegation_to_officers": ("the council delegates some decisions to officers",
                               "the council delegates no decisions to officers"),
    "dpo_appointed": ("the council has appointed a data protection officer",
                      "the council has not appointed a data protection officer"),
    "offices": ("the council has offices where its staff work",
                "the council has no offices"),
    "communications_team": ("the council has a press or communications team",
                            "the council has no press or communications team"),
    "staffing_committee": ("the council has a staffing committee",
                           "the council has no staffing committee"),
    "standards_committee": ("the council has a standards committee",
                            "the council has no standards committee"),
    "leader": ("the council has a leader", "the council has no leader"),
}

# what the council is, for a fact with several values: (name, value) -> words
VALUES: dict[tuple[str, str], str] = {
    **{("tier", t): f"the council is {n} council" for t, n in (
        ("parish", "a parish"), ("town", "a town"), ("community", "a community"),
        ("district", "a district"), ("borough", "a borough"), ("county", "a county"),
        ("unitary", "a unitary"), ("metropolitan", "a metropolitan borough"),
        ("london_borough", "a London borough"))},
    ("nation", "england"): "the council is in England",
    ("nation", "wales"): "the council is in Wales",
    **{("governance", g): ("the council works through Committees" if g == "committee" else
                           f"the council has a {n}")
       for g, n in zip(GOVERNANCE, GOVERNANCE_NAMES)},
    ("committees", "none"): "the council has no committees",
    ("committees", "staffing"): "the council's only committee deals with staff",
    ("committees", "several"): "the council has committees",
}


@lru_cache(maxsize=1)
def _env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment()


@lru_cache(maxsize=1024)
def _parsed(expr: str) -> nodes.Expr:
    return _env().parse("{{ " + expr + " }}").body[0].nodes[0]


def _value(node: nodes.Expr, ctx: dict[str, Any]) -> Any:
    if isinstance(node, nodes.Name):
        return ctx.get(node.name)
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.Tuple, nodes.List)):
        return tuple(_value(n, ctx) for n in node.items)
    if isinstance(node, nodes.Not):
        return not _value(node.node, ctx)
    if isinstance(node, nodes.And):
        return bool(_value(node.left, ctx)) and bool(_value(node.right, ctx))
    if isinstance(node, nodes.Or):
        return bool(_value(node.left, ctx)) or bool(_value(node.right, ctx))
    if isinstance(node, nodes.Compare):
        left = _value(node.expr, ctx)
        for op in node.ops:
            right = _value(op.expr, ctx)
            ok = {"eq": left == right, "ne": left != right,
                  "in": left in (right or ()), "notin": left not in (right or ())}.get(op.op)
            if not ok:
                return False
            left = right
        return True
    return None


def _parts(node: nodes.Expr, kind: type) -> list[nodes.Expr]:
    if isinstance(node, kind):
        return _parts(node.left, kind) + _parts(node.right, kind)
    return [node]


def _join(phrases: list[str]) -> str:
    phrases = list(dict.fromkeys(p for p in phrases if p))
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _fact(name: str, value: Any) -> str:
    if (name, str(value)) in VALUES:
        return VALUES[(name, str(value))]
    if name in FACTS:
        return FACTS[name][0 if value else 1]
    words = name.replace("_", " ")
    return f"the council's {words} is as it is" if value else f"the council has no {words}"


def _say(node: nodes.Expr, ctx: dict[str, Any], want: bool) -> str:
    """Why ``node`` has the truth value ``want`` for this council, in words."""
    if isinstance(node, nodes.Name):
        if node.name in ("local_council", "principal_council") and ctx.get("tier"):
            return _fact("tier", ctx["tier"])      # 'the council is a parish council'
        if node.name == "executive" and want and ctx.get("governance"):
            return _fact("governance", ctx["governance"])
        return _fact(node.name, want if node.name not in ("tier", "nation", "governance",
                                                          "committees") else ctx.get(node.name))
    if isinstance(node, nodes.Not):
        return _say(node.node, ctx, not want)
    if isinstance(node, (nodes.And, nodes.Or)):
        parts = _parts(node, type(node))
        # the parts that decided: all of them for 'and' held / 'or' failed, else those that
        # went the way the whole did
        deciding = [p for p in parts if bool(_value(p, ctx)) == want]
        if want == isinstance(node, nodes.Or):
            deciding = deciding[:1]             # one part is enough to say why
        return _join([_say(p, ctx, want) for p in (deciding or parts)])
    if isinstance(node, nodes.Compare) and isinstance(node.expr, nodes.Name):
        name = node.expr.name
        return _fact(name, ctx.get(name))
    return "of the council's answers"


def condition_text(expr: str, ctx: dict[str, Any], held: bool) -> str:
    """Why the condition ``expr`` held (or did not) for the council with context ``ctx``."""
    try:
        node = _parsed(expr)
    except Exception:  # noqa: BLE001 - the library check reports broken conditions
        return "of the council's answers"
    return _say(node, ctx, held)


_WHEN = re.compile(r"^when: (?P<expr>.*?)(?: \[[^\]]*\])?$")


def why_text(reason: str, ctx: dict[str, Any], included: bool, section_reason: str = "") -> str:
    """The sentence beside a paragraph (or in the list of those left out)."""
    if included:
        if reason == "always" and section_reason.startswith("when: "):
            reason = section_reason
        m = _WHEN.match(reason)
        if m:
            return f"Included because {condition_text(m['expr'], ctx, True)}."
        return "Part of every council's protocol."
    if "drafting.exclude" in reason:
        return "Left out by choice. Put it back to include it again."
    if reason == "its section is left out" and section_reason:
        reason = section_reason
    m = _WHEN.match(reason)
    if m:
        return f"Left out because {condition_text(m['expr'], ctx, False)}."
    if "section" in reason:
        return "Left out with the rest of its section."
    return "Left out: none of its wordings suits this council."


_LAW = re.compile(r"\b(Acts?|Regulations|Order \d{4}|revoked|repealed|Ombudsman|Localism|"
                  r"Standards Board|statutory|the law|in law|s\.\s?\d+|sections? \d+)\b")


def source_text(source: str | None, note: str | None = None) -> str:
    """Whose words a wording is: 'Wording from Milcombe Parish Council's protocol, edited
    for current law'."""
    council = (source or "").split(" ", 1)[0]
    if council == "drafted":
        return "Wording written for this protocol"
    if council == "house":
        return "The council's own wording, from its current protocol"
    where = SOURCE_COUNCILS.get(council, "another council's protocol")
    edited = ""
    if note:
        edited = ", edited for current law" if _LAW.search(note) else ", edited"
    return f"Wording from {where}{edited}"


def choice_text(choice: str | None, source: str | None = None) -> str:
    """Why this wording rather than another, when there was a choice."""
    choice = choice or ""
    if choice.startswith("chosen in the profile"):
        return "You chose this wording."
    if choice.startswith("preferred source"):
        where = SOURCE_COUNCILS.get((source or "").split(" ", 1)[0], "that protocol")
        return f"Used because the council prefers the wording of {where}."
    return ""


_SOURCE_REF = re.compile(r"\b(milcombe|blaenavon|halstead|west-suffolk|anytown)\s+"
                         r"(?:paragraph\s+)?(\d[\w.]*|\"[^\"]+\"|[A-Z]\w+)")


def note_text(note: str | None) -> str:
    """An editorial note with each source named as a reader knows it ('anytown 3' ->
    'paragraph 3 of a model protocol for principal councils')."""
    def named(m: re.Match) -> str:
        where = m.group(2)
        where = f"paragraph {where}" if where[0].isdigit() else f"the part {where}"
        return f"{where} of {SOURCE_COUNCILS[m.group(1)]}"
    return _SOURCE_REF.sub(named, note or "")
