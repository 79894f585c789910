"""What a council's name tells: its nation, and a principal council's tier, from the ONS
list of places of England and Wales shipped as ``places.tsv`` (made by
scripts/ons-places.py; Open Government Licence v3.0).

A name found in one nation only tells that nation; found in both, or not at all, it
tells nothing. A parish's or community's name tells no tier (the document's "Town" or
"Parish" does); a local authority's GSS kind does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
import re
import unicodedata

WHAT = {("england", "parish"): "an English parish", ("wales", "community"): "a Welsh community",
        ("england", "unitary"): "an English unitary council",
        ("england", "district"): "an English district council",
        ("england", "borough"): "an English borough council",
        ("england", "metropolitan"): "an English metropolitan borough",
        ("england", "london_borough"): "a London borough",
        ("england", "county"): "an English county council",
        ("wales", "unitary"): "a Welsh county or county borough council"}
_LOCAL_KINDS = frozenset({"parish", "community"})
_NAMED = re.compile(r"^(?:the\s+)?(?:(?:london|royal)\s+borough\s+of|city\s+and\s+county\s+of|"
                    r"city\s+of|borough\s+of|county\s+of)\s+", re.IGNORECASE)
_KIND = re.compile(r"\s+((?:metropolitan|county)\s+(?:borough|district)|town|parish|"
                   r"community|city(?:\s+and\s+district)?|district|borough|county)?"
                   r"\s*council$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    name: str            # the council's name as the document gives it
    nation: str
    tier: str | None     # a principal council's tier; None for a parish or community
    kind: str            # parish, community or the GSS kind of local authority

    @property
    def says(self) -> str:
        """The evidence in a clerk's words."""
        what = WHAT[(self.nation, "borough" if self.tier == "borough" else self.kind)]
        return f"the name '{self.name}' is {what} (ONS)"


def norm(name: str) -> str:
    """A place's name for comparing: case, accents, '&'/'and', 'St.'/'Saint'/'St',
    hyphens and punctuation, ", City of" and a part in brackets do not count."""
    name = re.sub(r",\s*(?:City|County) of$|\([^)]*\)", " ", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"\s*&\s*", " and ", name.replace("’", "").replace("'", ""))
    name = re.sub(r"\bsaint\b|\bst\.", "st", name)
    return " ".join(re.findall(r"[a-z0-9]+", name))


@lru_cache(maxsize=1)
def places() -> dict[str, frozenset[tuple[str, str]]]:
    """Normalised name -> {(nation, kind)} of every place in the shipped list, kept in
    the cache between runs (normalising every name is most of recognising a council
    otherwise)."""
    from .. import cache
    text = resources.files(__package__).joinpath("places.tsv").read_text(encoding="utf-8")
    return cache.remember("places", cache.digest(cache.source_of(__file__), text),
                          lambda: _places(text))


def _places(text: str) -> dict[str, frozenset[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for line in text.splitlines()[3:]:
        name, nation, kind = line.split("\t")
        for each in {name, *name.split("/")}:        # "Kilgetty/Begelly"
            out.setdefault(norm(each), set()).add((nation, kind))
    shared: dict[frozenset, frozenset] = {}    # equal sets as one object: a small pickle
    return {k: shared.setdefault(frozenset(v), frozenset(v)) for k, v in out.items()}


def council_place(name: str | None) -> Place | None:
    """The place a council's name ("Halstead Town Council", "West Suffolk Council",
    "London Borough of X") is, when the list tells one nation; else None."""
    if not name:
        return None
    m = _KIND.search(name)
    word = (m.group(1) or "").lower() if m else ""
    core = _NAMED.sub("", name[: m.start()] if m else name).strip()
    found = places().get(norm(core), frozenset())
    local = {p for p in found if p[1] in _LOCAL_KINDS}
    principal = found - local
    if word in ("town", "parish", "community"):
        chosen = local
    elif word in ("", "city"):
        chosen = principal or local
    else:
        chosen = principal
    nations = {n for n, _ in chosen}
    if len(nations) != 1:
        return None              # not found, or a name found in both nations
    if len(chosen) != 1:
        return None              # several kinds of local authority: the name does not say
    kind = next(iter(chosen))[1]
    tier = None if kind in _LOCAL_KINDS else (
        "borough" if kind == "district" and word == "borough" else kind)
    return Place(" ".join(name.split()), next(iter(nations)), tier, kind)
