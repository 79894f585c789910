"""The house voice (docs/style.md), checked where a rule can be: on an assembled protocol.

Each rule reads the paragraphs and list items of a Document as a clerk would: the Council
and the Protocol capitalised, officers in lower case, "must" for duties and never "shall" or
"should", lists whose items complete their lead-in alike, the sole-clerk wording where the
Clerk is the only employee, and no sentence much over 40 words.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import re
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import Problem
from .sentences import markdown_sentences

if TYPE_CHECKING:        # (the library stage reads documents, never builds them)
    from ..document import Document

MAX_WORDS = 50           # "about 40": the check allows a little over, never a long sentence
_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?P<text>.*)$")
_RULES: tuple[tuple[str, re.Pattern, str], ...] = (
    ("capitals", re.compile(r"\b(?:[Tt]he|[Tt]his|[Ii]ts|whole) council\b(?! tax)"),
     "write 'the Council' for this council"),
    ("capitals", re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat) protocol\b"),
     "write 'the Protocol' or 'this Protocol'"),
    ("capitals", re.compile(r"(?<=[a-z,;] )Officers\b(?!['’]|\s[A-Z(])"),
     "write 'officers' in lower case (titles such as Monitoring Officer keep their capitals)"),
    ("modal", re.compile(r"\bshall\b", re.I),
     "write 'must' for a duty and 'will' for a commitment, never 'shall'"),
    ("modal", re.compile(r"\bshould\b", re.I),
     "write 'must' for a duty and 'will' for a commitment; advice is said as advice "
     "('it helps to ...'), not with 'should'"),
)
_SOLE = re.compile(r"\b(?:other|its|all|senior|junior|each) officers?\b|\bline managers?\b",
                   re.I)


@dataclass(frozen=True)
class Fault:
    """One place where a protocol leaves the house voice."""

    clause: str
    number: str
    rule: str          # capitals, modal, list, sole-clerk, length
    text: str          # the sentence or item
    fix: str


def _lists(body: str) -> list[list[str]]:
    """The items of each top-level list of a clause body, in order."""
    out: list[list[str]] = []
    run: list[str] = []
    for line in body.split("\n") + [""]:
        m = _ITEM.match(line)
        if m:
            run.append(m.group("text").strip())
        elif run:
            out.append(run)
            run = []
    return out


def _list_faults(items: list[str]) -> list[tuple[str, str]]:
    found = []
    ends = [re.search(r"(?:[.;,]|[;,] (?:and|or))$", item) for item in items]
    for item, end in zip(items, ends):
        if not end:
            found.append((item, "end each item with ';' or ',' (the last with '.'), or each "
                                "with '.'"))
    if items and not items[-1].endswith("."):
        found.append((items[-1], "end the last item of a list with a full stop"))
    cases = {item[:1].isupper() for item in items if item[:1].isalpha()}
    if len(cases) > 1:
        found.append((items[0], "begin every item of a list alike: each completes the "
                                "lead-in, so in lower case (or each a sentence, capitalised)"))
    return found


def style_faults(doc: "Document", ctx: dict[str, Any]) -> list[Fault]:
    """Every place ``doc`` leaves the house voice (``ctx``: the profile's context)."""
    members, sole = str(ctx.get("members") or ""), bool(ctx.get("sole_officer"))
    return [Fault(clause.id, clause.number, rule, text, fix) for clause in doc.clauses()
            for rule, text, fix in _body_faults(clause.body, members, sole)]


@lru_cache(maxsize=8192)
def _body_faults(body: str, members: str, sole: bool) -> tuple[tuple[str, str, str], ...]:
    """The faults of one clause body (the same body recurs in many councils' protocols)."""
    found: list[tuple[str, str, str]] = []
    lower_members = members == "Councillors"    # ('members' is also a plain word)
    for s in markdown_sentences(body):
        for rule, pattern, fix in _RULES:
            if pattern.search(s.text):
                found.append((rule, s.text, fix))
        if lower_members and re.search(r"\bcouncillors?\b", s.text):
            found.append(("capitals", s.text, f"write '{members}', as the Council names them"))
        if sole and _SOLE.search(s.text):
            found.append(("sole-clerk", s.text, "the Clerk is the Council's only employee: "
                          "name the Clerk, not other or senior officers or their managers"))
        if len(s.text.split()) > MAX_WORDS:
            found.append(("length", s.text, f"split the sentence ({len(s.text.split())} "
                          "words; about 40 at most)"))
    for items in _lists(body):
        found += [("list", text, fix) for text, fix in _list_faults(items)]
    return tuple(found)


def style_problems(documents: Iterable[tuple[str, Any, "Document"]], library) -> list[Problem]:
    """A problem for each fault found in any of ``documents`` (name, profile, Document),
    once per clause, rule and text, naming the first council that has it."""
    found: dict[tuple[str, str, str], tuple[Fault, list[str]]] = {}
    for name, profile, doc in documents:
        for fault in style_faults(doc, profile.context()):
            found.setdefault((fault.clause, fault.rule, fault.text), (fault, []))[1].append(
                name)
    problems = []
    for (clause_id, rule, text), (fault, names) in found.items():
        clause = library.clauses.get(clause_id)
        where = clause.where if clause else None
        others = f" and {len(names) - 1} other kinds of council" if len(names) > 1 else ""
        problems.append(Problem(
            f"{clause_id}: house style ({rule}): \"{_clip(text)}\" in the protocol of "
            f"{names[0]}{others}", file=where.file if where else None,
            line=where.line if where else None, field="text", hint=fault.fix))
    return problems


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
