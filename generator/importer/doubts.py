"""What the importer is unsure of, as data to show beside each field of the profile.

``doubts(council)`` gives a mapping from the profile field a doubt concerns (its dotted
path: ``council.tier``, ``council.name``, ``roles.head_officer``, ``adoption.next_review``)
to a :class:`Doubt`:

- ``message``: one sentence for the clerk, always starting "Please check: ";
- ``value``: what was read (``None``: not found, and the profile says ``NOT_FOUND``);
- ``confidence``: ``high``, ``medium`` or ``low`` (how sure the reading is);
- ``evidence``: ``(where, phrase)`` pairs, the paragraph and the words it was read from.

``Doubt.as_json()`` is the same as a plain dict. A field is in the mapping when its value
was not found or was read with low confidence; the profile's YAML carries the same
message as a comment on that line. A field whose value is ``NOT_FOUND`` stops ``check``
and ``build`` until the clerk chooses a value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .recognise import Council, Fact

NOT_FOUND = "not found: choose"      # the profile's value where the document does not say
PREFIX = "Please check: "

# the profile field each recognised fact fills
FIELDS = {"name": "council.name", "tier": "council.tier", "nation": "council.nation",
          "governance": "council.governance", "political_groups": "council.political_groups",
          "independent_members": "council.independent_members", "wards": "council.wards",
          "head_officer": "roles.head_officer", "chair": "roles.chair",
          "monitoring_officer": "roles.monitoring_officer", "leader": "roles.leader",
          "staffing_committee": "roles.staffing_committee",
          "standards_committee": "roles.standards_committee", "members": "terms.members",
          "officers": "terms.officers", "next_review": "adoption.next_review",
          "adopted": "adoption.history"}
MUST_CHOOSE = ("tier", "nation", "governance", "political_groups")   # no safe default


@dataclass(frozen=True)
class Doubt:
    field: str
    message: str
    value: Any
    confidence: str
    evidence: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message, "value": self.value,
                "confidence": self.confidence,
                "evidence": [{"paragraph": w, "phrase": p} for w, p in self.evidence]}


def message(key: str, fact: Fact | None, council: Council | None = None) -> str:
    """The "Please check: ..." sentence for one fact."""
    label = key.replace("_", " ")
    if key == "name" and (fact is None or fact.value is None):
        guess = council.name_from_file if council is not None else None
        if guess:
            return (f"{PREFIX}the document does not name the council; '{guess}' is taken "
                    f"from the file name ({council.file_name}): write the name as the "
                    "council writes it")
        return f"{PREFIX}the document does not name the council: write its name"
    if fact is None or fact.value is None:
        why = fact.note if fact is not None and fact.note else f"choose the {label}"
        return f"{PREFIX}not found in the document; {why}"
    shown = fact.value if not isinstance(fact.value, bool) else (
        "true" if fact.value else "false")
    why = f" ({fact.note})" if fact.note else ""
    return f"{PREFIX}read as '{shown}' from weak clues{why}"


def doubts(council: Council) -> dict[str, Doubt]:
    """Profile field -> what to check there (see the module's description)."""
    out: dict[str, Doubt] = {}
    every = {**council.facts, **council.titles, **council.dates}
    for key, path in FIELDS.items():
        fact = every.get(key)
        if key in MUST_CHOOSE and fact is None:
            out[path] = Doubt(path, message(key, None), None, "low")
            continue
        if fact is None or (fact.value is not None and fact.confidence != "low"):
            continue
        out[path] = Doubt(path, message(key, fact, council), fact.value, fact.confidence,
                          tuple((e.where, e.phrase) for e in fact.evidence))
    return out
