"""What council an existing protocol belongs to, read from its words.

Each fact (name, tier, nation, governance, political groups, wards, the titles it uses,
its dates) comes with its evidence (the paragraph and the phrase) and how sure it is:
``high`` (the document says it), ``medium`` (strong clues), ``low`` (a guess from weak
clues or the usual case, for the clerk to confirm).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
import datetime as dt
import re
from typing import Any

from ..profile.constants import LOCAL_TIERS
from .structure import Structure

MONTHS = ("january february march april may june july august september october november "
          "december").split()


@dataclass(frozen=True)
class Evidence:
    where: str        # the paragraph's reference, or "title"
    phrase: str


@dataclass(frozen=True)
class Fact:
    value: Any
    confidence: str                       # high | medium | low
    evidence: tuple[Evidence, ...] = ()
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": self.confidence, "note": self.note or None,
                "evidence": [{"paragraph": e.where, "phrase": e.phrase} for e in self.evidence]}


@dataclass
class Council:
    facts: dict[str, Fact] = field(default_factory=dict)
    titles: dict[str, Fact] = field(default_factory=dict)
    dates: dict[str, Fact] = field(default_factory=dict)

    def value(self, key: str, default: Any = None) -> Any:
        fact = self.facts.get(key) or self.titles.get(key) or self.dates.get(key)
        return fact.value if fact is not None else default


def _texts(s: Structure) -> list[tuple[str, str]]:
    """(where, text) for the title lines, the headings and every paragraph."""
    out = [("title", t) for t in s.title]
    out += [(f"heading {h.number or ''}".strip() + f' "{h.text}"', h.text) for h in s.headings]
    out += [(p.ref, p.full_text) for p in s.paragraphs]
    return out


def _find(texts, pattern: str, flags=re.IGNORECASE, limit: int = 3):
    """Every match of ``pattern``: (count, evidence of the first few)."""
    rx = re.compile(pattern, flags)
    hits = []
    for where, text in texts:
        for m in rx.finditer(text):
            hits.append(Evidence(where, _around(text, m)))
    return len(hits), tuple(hits[:limit])


def _around(text: str, m: re.Match, width: int = 40) -> str:
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return ("..." if a else "") + text[a:b].strip() + ("..." if b < len(text) else "")


# ---- the name ---------------------------------------------------------------------

_GENERIC = frozenset("the this a an for of on to and member members officer officers protocol "
                     "relations relationship policy code conduct full whole our each every "
                     "member:officer member/officer guidance between".split())
_KINDS = ("London Borough", "Metropolitan Borough", "Parish", "Town", "Community", "City",
          "District", "Borough", "County")
_NAME = re.compile(r"((?:[A-Z][\w'’&-]*\s+){1,5}?)((?:" + "|".join(_KINDS) + r")\s+)?Council\b")
_LONDON = re.compile(r"\bLondon Borough of ([A-Z][\w-]+(?:\s+(?:and\s+)?[A-Z][\w-]+)?)")


def _name(texts) -> Fact:
    found: Counter[str] = Counter()
    first: dict[str, Evidence] = {}
    for where, text in texts:
        line = text.title() if text.isupper() else text
        for m in _LONDON.finditer(line):
            name = f"London Borough of {m.group(1)}"
            found[name] += 3 if where == "title" else 1
            first.setdefault(name, Evidence(where, m.group(0)))
        for m in _NAME.finditer(line):
            words = m.group(1).split()
            while words and words[0].lower().strip(":") in _GENERIC:
                words.pop(0)
            if not words or all(w.lower() in _GENERIC or w in _KINDS for w in words):
                continue
            name = " ".join(words + ([m.group(2).strip()] if m.group(2) else []) + ["Council"])
            found[name] += 3 if where == "title" else 1
            first.setdefault(name, Evidence(where, m.group(0)))
    if not found:
        return Fact(None, "low", (), "the document does not name its council: write the name")
    name, n = found.most_common(1)[0]
    sure = "high" if first[name].where == "title" or n >= 3 else "medium"
    return Fact(name, sure, (first[name],))


# ---- tier, nation, governance ---------------------------------------------------------

_WELSH_NAME = re.compile(r"^(?:Aber|Blaen|Bryn|Caer|Cwm|Llan|Maes|Nant|Pont|Porth|Rhos|Tre[fl]|"
                         r"Ystrad|Ll|Rh)|dd|w[ry]", re.IGNORECASE)
_PRINCIPAL_CLUES = (r"\bChief Executive\b", r"\bCabinet\b", r"\bportfolio holders?\b",
                    r"\bHead of Paid Service\b", r"\bscrutiny\b", r"\bStandards Committee\b",
                    r"\bDirectors?\b", r"\bExecutive Members?\b")


def _tier(name: str | None, texts) -> Fact:
    if name:
        for kind, tier in (("London Borough", "london_borough"),
                           ("Metropolitan Borough", "metropolitan"), ("Parish", "parish"),
                           ("Town", "town"), ("Community", "community"), ("District", "district"),
                           ("Borough", "borough"), ("County", "county")):
            if re.search(rf"\b{kind}\b", name):
                return Fact(tier, "high", (Evidence("title", name),))
    for pattern, tier in ((r"\bParish Clerk\b|\bparish council\b", "parish"),
                          (r"\bTown Clerk\b|\btown council\b", "town"),
                          (r"\bcommunity council\b", "community")):
        n, ev = _find(texts, pattern)
        if n:
            return Fact(tier, "medium", ev)
    hits = [e for p in _PRINCIPAL_CLUES for e in _find(texts, p, re.IGNORECASE, 1)[1]]
    if hits:
        return Fact("district", "low", tuple(hits[:3]),
                    "a principal council (it names statutory officers, an executive, scrutiny "
                    "or a standards committee); whether district, borough, county or unitary "
                    "cannot be told from the text: check it")
    return Fact("parish", "low", (), "nothing in the text tells the kind of council: check it")


def _nation(name: str | None, texts) -> Fact:
    wales_n, wales_ev = _find(texts, r"\bWales\b|\bWelsh\b|\bCymru\b|\bOmbwdsmon\b|"
                                     r"\bcommunity council")
    eng_n, eng_ev = _find(texts, r"\bEngland\b|\bLocalism Act\b|disclosable pecuniary|"
                                 r"\bNALC\b")
    if wales_n > eng_n:
        return Fact("wales", "high" if wales_n >= 2 else "medium", wales_ev)
    if eng_n:
        return Fact("england", "high" if eng_n >= 2 else "medium", eng_ev)
    place = (name or "").split()[0] if name else ""
    if place and _WELSH_NAME.search(place):
        return Fact("wales", "low", (Evidence("title", name or ""),),
                    f"the text names no law of either nation; '{place}' is spelt like a "
                    "Welsh place name: check it")
    return Fact("england", "low", (), "the text names no law of either nation: check it")


def _governance(tier: str, texts) -> Fact:
    if tier in LOCAL_TIERS:
        return Fact("committee", "high", (), "local councils decide in council and committees")
    n, ev = _find(texts, r"\b(?:directly\s+)?elected mayor\b|\bMayor and Cabinet\b|"
                         r"\bMayor's Cabinet\b")
    if n:
        return Fact("mayor_cabinet", "high" if n >= 2 else "medium", ev)
    n, ev = _find(texts, r"\bCabinet\b|\bportfolio holders?\b|\bExecutive Members?\b|"
                         r"\bthe Executive\b|\bexecutive\b")
    if n:
        return Fact("leader_cabinet", "high" if n >= 3 else "medium", ev)
    return Fact("committee", "medium", (), "no cabinet, executive or portfolio holders named")


def _groups(tier: str, s: Structure, texts) -> Fact:
    score, ev = 0, []
    for h in s.headings:
        if re.search(r"political groups?|party groups?", h.text, re.IGNORECASE):
            score += 3
            ev.append(Evidence(f'heading "{h.text}"', h.text))
    for pattern, weight in ((r"\bgroup leaders?\b", 2), (r"\bgroup meetings?\b", 2),
                            (r"\bpolitical groups\b", 1), (r"\bminority part(?:y|ies)\b", 1),
                            (r"\bopposition\b", 1), (r"\bmajority group\b", 1),
                            (r"\bone political group\b", 1), (r"\badministration\b", 1)):
        n, found = _find(texts, pattern)
        score += n * weight
        ev.extend(found)
    if score >= 2:
        return Fact(True, "high" if score >= 4 else "medium", tuple(ev[:3]))
    if tier not in LOCAL_TIERS:
        return Fact(True, "low", tuple(ev[:3]), "principal councils nearly always have "
                                                "political groups: check it")
    return Fact(False, "medium" if not ev else "low", tuple(ev[:3]),
                "" if not ev else "political groups are mentioned only in passing")


# ---- titles and dates ---------------------------------------------------------------

def _most(texts, options: tuple[str, ...], flags=0) -> Fact | None:
    counts = {o: _find(texts, rf"\b{re.escape(o)}\b", flags) for o in options}
    # a longer title contains a shorter one ("Town Clerk" holds "Clerk")
    for o in options:
        for longer in options:
            if longer != o and o in longer:
                counts[o] = (counts[o][0] - counts[longer][0], counts[o][1])
    best = max(options, key=lambda o: counts[o][0])
    n, ev = counts[best]
    if n <= 0:
        return None
    return Fact(best, "high" if n >= 3 else "medium", ev)


def _titles(texts, tier: str, governance: str = "committee") -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    wanted = {
        "head_officer": ("Town Clerk", "Parish Clerk", "Chief Executive", "Clerk to the Council",
                         "Clerk", "Managing Director"),
        "chair": ("Town Mayor", "Chairman", "Chair") + (
            () if governance == "mayor_cabinet" else ("Mayor",)),
        "monitoring_officer": ("Monitoring Officer",),
        "leader": ("Elected Mayor", "Mayor") if governance == "mayor_cabinet" else
                  ("Leader of the Council", "Leader"),
        "standards_committee": ("Standards Committee", "Audit and Standards Committee"),
        "portfolio_holders": ("Portfolio Holder", "Cabinet Member", "Executive Member"),
        "finance_officer": ("Responsible Financial Officer", "Chief Finance Officer", "RFO",
                            "Section 151 Officer"),
    }
    for key, options in wanted.items():
        fact = _most(texts, options)
        if fact is not None:
            out[key] = fact
    head = out.get("head_officer")
    if head is not None and head.value == "Clerk":
        longer = _most(texts, ("Town Clerk", "Parish Clerk", "Clerk to the Council"))
        if longer is not None:
            out["head_officer"] = longer
    if tier in LOCAL_TIERS:
        out.pop("leader", None)
        out.pop("portfolio_holders", None)
    if tier in LOCAL_TIERS and out.get("chair") and out["chair"].value == "Mayor":
        out["chair"] = Fact("Town Mayor" if tier == "town" else "Chair", "low",
                            out["chair"].evidence, "'Mayor' is the council's chair")
    staffing = _find(texts, r"\b(?:Staff(?:ing)?|Personnel|HR|Employment)(?:\s+Advisory)?\s+"
                            r"(?:Committee|Panel)\b", 0)
    if staffing[0]:
        phrase = re.search(r"(?:Staff(?:ing)?|Personnel|HR|Employment)(?:\s+Advisory)?\s+"
                           r"(?:Committee|Panel)", staffing[1][0].phrase)
        out["staffing_committee"] = Fact(phrase.group(0) if phrase else "Staffing Committee",
                                         "high" if staffing[0] >= 2 else "medium", staffing[1])
    members = {o: _find(texts, rf"\b{o}\b", 0) for o in ("Members", "Councillors", "members",
                                                         "councillors")}
    m_word = max(("Members", "Councillors"), key=lambda o: members[o][0] + members[o.lower()][0])
    m_n = members[m_word][0] + members[m_word.lower()][0]
    if m_n:
        out["members"] = Fact(m_word, "high" if m_n >= 5 else "medium", members[m_word][1][:2])
    officers = {o: _find(texts, rf"\b{o}\b") for o in ("officers", "employees", "staff")}
    o_word = max(officers, key=lambda o: officers[o][0])
    if officers[o_word][0]:
        out["officers"] = Fact(o_word, "high" if officers[o_word][0] >= 5 else "medium",
                               officers[o_word][1][:2])
    return out


_MONTH_YEAR = r"(?:(\d{1,2})\s+)?(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})|\b((?:19|20)\d{2})\b"


def _date_of(m: re.Match) -> tuple[int, int]:
    if m.group(2):
        return int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1
    return int(m.group(4)), 12


def _dates(texts) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    review = re.compile(r"(?:next review|review(?:ed)?\s+(?:due|by|date|in)|for review|to be "
                        r"reviewed(?:\s+(?:in|by))?)\D{0,20}?(?:" + _MONTH_YEAR + ")",
                        re.IGNORECASE)
    for where, text in texts:
        m = review.search(text)
        if m:
            y, mo = _date_of(m)
            out["next_review"] = Fact(f"{y:04d}-{mo:02d}", "high", (Evidence(where, _around(
                text, m)),))
            break
    adopted = re.compile(r"(?:adopted|approved|agreed|last review|reviewed|dated?)\D{0,30}?(?:"
                         + _MONTH_YEAR + ")", re.IGNORECASE)
    plain = re.compile(r"^(?:" + _MONTH_YEAR + r")$", re.IGNORECASE)
    for where, text in texts:
        m = adopted.search(text) or (plain.search(text.strip()) if len(text) < 30 else None)
        if m and "next review" not in text[max(0, m.start() - 5): m.start() + 12].lower():
            y, mo = _date_of(m)
            out["dated"] = Fact(f"{y:04d}-{mo:02d}", "medium", (Evidence(where, _around(
                text, m)),))
            break
    return out


def recognise(s: Structure, file_name: str = "") -> Council:
    """Everything the document tells about its council."""
    texts = _texts(s)
    council = Council()
    name = _name(texts)
    council.facts["name"] = name
    tier = _tier(name.value, texts)
    council.facts["tier"] = tier
    council.facts["nation"] = _nation(name.value, texts)
    council.facts["governance"] = _governance(tier.value, texts)
    council.facts["political_groups"] = _groups(tier.value, s, texts)
    n, ev = _find(texts, r"\b(?:wards?|divisions?)\b(?!\s+of)")
    council.facts["wards"] = Fact(bool(n) or tier.value not in LOCAL_TIERS,
                                  "high" if n >= 2 else "medium" if n else "low", ev[:2])
    n, ev = _find(texts, r"\bindependent (?:members|councillors)\b|not (?:to )?(?:form )?part "
                         r"of any political group")
    council.facts["independent_members"] = Fact(bool(n), "medium" if n else "low", ev[:2])
    council.titles = _titles(texts, tier.value, council.facts["governance"].value)
    council.dates = _dates(texts)
    return council


def month_passed(month: str, today: dt.date) -> int:
    """Months since ``YYYY-MM`` (negative: still to come)."""
    y, m = map(int, month.split("-")[:2])
    return (today.year - y) * 12 + today.month - m
