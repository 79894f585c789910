"""The committee report's words for each paragraph: what it does and the law it relies on.

What a paragraph does is the plain ``meaning`` of the points it makes (the library's
points list); the law it relies on is what its wording, as this council's protocol prints
it, names from the legislation register, and what the wording declares it rests on. The
report says these, never how a wording was made. Nothing here reads or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass
import re

from .changes import LAW_KINDS

GROUPS = (("act", "Acts"), ("regulations", "regulations and orders"),
          ("order", "regulations and orders"), ("code", "codes of practice"))


@dataclass(frozen=True)
class Words:
    """For each clause of the protocol: its title, what it does and the law it relies on."""

    titles: dict[str, str]
    does: dict[str, str]                  # the meanings of the points it makes
    law: dict[str, tuple[str, ...]]       # 'section 101 of the Local Government Act 1972'
    relied: dict[str, tuple]              # the register entries it relies on
    awaited: dict[str, tuple]             # changes not yet in force it is written to meet


def clause_words(doc, library, register, nation: str) -> Words:
    from ..library.points import load_points
    meanings = {k: p.meaning for k, p in load_points().items()}
    titles, does, law, relied, awaited = {}, {}, {}, {}, {}
    for clause in doc.clauses():
        lib_clause = library.clauses.get(clause.id)
        titles[clause.id] = (lib_clause.title if lib_clause else "") or clause.heading or ""
        own = [p for p, item in clause.points if item is None] or \
            [p for p, _ in clause.points]
        said = [meanings[p] for p in dict.fromkeys(own) if p in meanings]
        if said:
            does[clause.id] = " ".join(_sentence(m) for m in said)
        variant = next((v for v in lib_clause.variants if v.source == clause.source),
                       None) if lib_clause is not None else None
        entries = _relied(clause, variant, register, nation)
        relied[clause.id] = tuple(entries)
        awaited[clause.id] = tuple(_awaited(variant, register, nation))
        law[clause.id] = tuple(_named(e, clause.body) for e in entries if e.kind in LAW_KINDS)
    return Words(titles, does, law, relied, awaited)


def _relied(clause, variant, register, nation: str) -> list:
    """The entries the printed wording names, then those its wording (``variant``) rests
    on, each once, where they apply in ``nation`` and are not revoked."""
    found = {e.id: e for e, _ in register.citations(clause.body)}
    for entry_id in (variant.rests_on if variant is not None else ()):
        entry = register.get(entry_id)
        if entry is not None:
            found.setdefault(entry.id, entry)
    return [e for e in found.values() if nation in e.applies and not e.revoked]


def _awaited(variant, register, nation: str) -> list:
    """The changes in the law not yet in force that the wording is written to meet (the
    variant's ``awaits``), where they apply in ``nation``."""
    entries = (register.get(e) for e in (variant.awaits if variant is not None else ()))
    return [e for e in entries if e is not None and nation in e.applies and not e.revoked]


def awaited_names(words: Words) -> list[str]:
    """The law the protocol is written to meet before it is in force, each name once."""
    return sorted({e.name for entries in words.awaited.values() for e in entries})


def _named(entry, body: str) -> str:
    """The entry's name, after the provision the paragraph itself names ('section 101 of
    the Local Government Act 1972')."""
    name = f"the {entry.name}"
    refs = []
    for provision in entry.provisions:
        head = re.split(r"\s+[\u2014(-]|\s*[,;]", provision.ref, maxsplit=1)[0].strip()
        if re.match(r"^(section|regulation|paragraph|Schedule|Part)\s+\S*\d", head) and \
                re.search(rf"(?<![\w.]){re.escape(head)}(?![\w])", body):
            refs.append(head)
    return f"{_join(refs)} of {name}" if refs else name


def relied_on(words: Words) -> dict[str, list[str]]:
    """The law the whole protocol relies on, grouped as the report lists it, each name
    once, sorted."""
    out: dict[str, set[str]] = {}
    for entries in words.relied.values():
        for entry in entries:
            label = dict(GROUPS).get(entry.kind)
            if label:
                out.setdefault(label, set()).add(entry.name)
    return {label: sorted(out[label]) for label in dict.fromkeys(g for _, g in GROUPS)
            if label in out}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
