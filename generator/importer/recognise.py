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
from .dates import stated_dates
from .places import Place, council_place
from .structure import Structure


@dataclass(frozen=True)
class Evidence:
    where: str        # the paragraph's reference, or "title" (or NAME: the list of places)
    phrase: str

    @property
    def shown(self) -> str:
        return self.phrase if self.where == NAME else f'{self.where}: "{self.phrase}"'


NAME = "the council's name"     # evidence from the name looked up in the ONS list of places


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
    file_name: str = ""
    facts: dict[str, Fact] = field(default_factory=dict)
    titles: dict[str, Fact] = field(default_factory=dict)
    dates: dict[str, Fact] = field(default_factory=dict)

    @property
    def name_from_file(self) -> str | None:
        """The name the file's name suggests, when the document gives none."""
        return name_from_file(self.file_name) if self.value("name") is None else None

    def value(self, key: str, default: Any = None) -> Any:
        fact = self.facts.get(key) or self.titles.get(key) or self.dates.get(key)
        return fact.value if fact is not None else default


def _texts(s: Structure) -> list[tuple[str, str]]:
    """(where, text) for the title lines, the headings and every paragraph."""
    out = [("title", t) for t in s.title]
    out += [(f"heading {h.number or ''}".strip() + f' "{h.text}"', h.text) for h in s.headings]
    out += [(p.ref, p.full_text) for p in s.paragraphs]
    return _Texts(out)


def _find(texts, pattern: str, flags=re.IGNORECASE, limit: int = 3):
    """Every match of ``pattern``: (count, evidence of the first few)."""
    rx = re.compile(pattern, flags)
    if not rx.search(texts.joined if isinstance(texts, _Texts) else
                     "\n\n".join(t for _, t in texts)):
        return 0, ()       # (one scan of the whole document: most patterns find nothing)
    hits, count = [], 0
    for where, text in texts:
        for m in rx.finditer(text):
            count += 1
            if len(hits) < limit:
                hits.append(Evidence(where, _around(text, m)))
    return count, tuple(hits)


class _Texts(list):
    """(where, text) pairs, with the whole document's text joined once."""

    @property
    def joined(self) -> str:
        if not hasattr(self, "_joined"):
            self._joined = "\n\n".join(t for _, t in self)
        return self._joined


def _around(text: str, m: re.Match, width: int = 40) -> str:
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return ("..." if a else "") + text[a:b].strip() + ("..." if b < len(text) else "")


# ---- the name ---------------------------------------------------------------------

_GENERIC = frozenset("the this a an for of on to and member members officer officers protocol "
                     "relations relationship policy code conduct full whole our each every "
                     "member:officer member/officer guidance between".split())
_KINDS = ("London Borough", "Metropolitan Borough", "County Borough", "Parish", "Town",
          "Community", "City", "District", "Borough", "County")
_NAME = re.compile(r"((?:[A-Z][\w'’&-]*\s+(?:(?:of|and|upon|on|under|in|the|y|yr)\s+)?){1,5}?)"
                   r"((?:" + "|".join(_KINDS) + r")\s+)?Council\b")
_LONDON = re.compile(r"\bLondon Borough of ([A-Z][\w-]+(?:\s+(?:and\s+)?[A-Z][\w-]+)?)")
_OTHERS = re.compile(r"(?:officers?|Clerk|Ombudsman|employed|provided|members?|councillors?|"
                     r"with|from|by|at)\s+(?:of|at|by|from|for|with)?\s*(?:the\s+)?$",
                     re.IGNORECASE)
_ROLE = frozenset("officer officers clerk ombudsman member members councillor councillors "
                  "leader chair chairman".split())
_SMALL = frozenset("of and upon on under in the y yr a an for at by with".split())


def title_case(text: str) -> str:
    """Words in capitals as a name is written: 'VALE OF GRWYNEY' -> 'Vale of Grwyney'."""
    words = text.split()
    return " ".join(w.lower() if k and w.lower() in _SMALL else w[:1].upper() + w[1:].lower()
                    for k, w in enumerate(words))


def name_from_file(file_name: str) -> str | None:
    """A council's name made from its file's name, for the clerk to confirm: the words as
    they are spelt, only lower-case words capitalised (never 'Vale Of')."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name.rsplit("/", 1)[-1])
    words = re.sub(r"[-_.\s]+", " ", stem).split()
    words = [w for w in words if not re.fullmatch(r"v?\d+|draft|final|copy|protocol|member|"
                                                  r"officer|members|officers|relations", w,
                                                  re.IGNORECASE)]
    if not words or not any(re.search(r"[A-Za-z]{3}", w) for w in words):
        return None
    if all(w.islower() or w.isupper() for w in words):
        return title_case(" ".join(words))
    return " ".join(words)


def _name(texts) -> Fact:
    found: Counter[str] = Counter()
    first: dict[str, Evidence] = {}
    for where, text in texts:
        line = title_case(text) if text.isupper() else text
        for m in _LONDON.finditer(line):
            name = f"London Borough of {m.group(1)}"
            found[name] += 3 if where == "title" else 1
            first.setdefault(name, Evidence(where, m.group(0)))
        for m in _NAME.finditer(line):
            if where != "title" and _OTHERS.search(line[max(0, m.start() - 40): m.start()]):
                continue       # another council: the one whose officer or body it names
            words = m.group(1).split()
            if any(w.lower() in _ROLE and words[k + 1: k + 2] in (["of"], ["for"], ["at"])
                   for k, w in enumerate(words)):
                continue       # "the Monitoring Officer of X District Council": another's
            while words and words[0].lower().strip(":") in _GENERIC | _SMALL:
                words.pop(0)
            if not words or all(w.lower() in _GENERIC | _SMALL or w in _KINDS for w in words):
                continue
            name = " ".join(words + ([m.group(2).strip()] if m.group(2) else []) + ["Council"])
            found[name] += 3 if where == "title" else 1
            first.setdefault(name, Evidence(where, m.group(0)))
    if not found:
        title = [(w, t) for w, t in texts if w == "title"]
        if len(title) > 1:       # a title wrapped over lines (a PDF's title page)
            return _name([("title", " ".join(title_case(t) if t.isupper() else t
                                             for _, t in title))])
        return Fact(None, "low", (), "the document does not name its council: write the name")
    name, n = found.most_common(1)[0]
    sure = "high" if first[name].where == "title" or n >= 3 else "medium"
    return Fact(name, sure, (first[name],))


# ---- nation -------------------------------------------------------------------------

WELSH_AREAS = ("Blaenau Gwent", "Bridgend", "Caerphilly", "Cardiff", "Carmarthenshire",
               "Ceredigion", "Conwy", "Denbighshire", "Flintshire", "Gwynedd", "Anglesey",
               "Ynys Môn", "Merthyr Tydfil", "Monmouthshire", "Neath Port Talbot",
               "Pembrokeshire", "Powys", "Rhondda Cynon Taf", "Swansea", "Torfaen",
               "Vale of Glamorgan", "Wrexham")
ENGLISH_COUNTIES = ("Bedfordshire", "Berkshire", "Buckinghamshire", "Cambridgeshire",
                    "Cheshire", "Cornwall", "Cumbria", "Cumberland", "Derbyshire", "Devon",
                    "Dorset", "Durham", "Essex", "Gloucestershire", "Hampshire",
                    "Herefordshire", "Hertfordshire", "Kent", "Lancashire", "Leicestershire",
                    "Lincolnshire", "Norfolk", "Northamptonshire", "Northumberland",
                    "Nottinghamshire", "Oxfordshire", "Rutland", "Shropshire", "Somerset",
                    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Warwickshire",
                    "Westmorland", "Wiltshire", "Worcestershire", "Yorkshire", "Merseyside")
# law, bodies and kinds of council that exist in one nation only
_WALES = (r"\bWales\b|\bWelsh\b|\bCymru\b|\bOmbwdsmon\b|\bSenedd\b|\bOne Voice Wales\b|"
          r"\bcommunity councils?\b|\bcounty borough\b|\bWell-being of Future Generations\b|"
          r"\b(?:" + "|".join(WELSH_AREAS) + r")\b(?:\s+(?:County|County Borough|City)"
          r"(?:\s+and\s+County)?)?\s+Council\b")
_ENGLAND = (r"\bEngland\b|\bEnglish\b|\bLocalism Act\b|\bdisclosable pecuniary|\bNALC\b|"
            r"\bparish(?:es)?\b|\bdistrict councils?\b|\b[A-Z]\w+ District Council\b|"
            r"(?-i:\bIndependent Persons?\b)|\bLocal Government and Social Care Ombudsman\b|"
            r"\bLocal Government Ombudsman\b|\bmetropolitan\b|\bLondon Borough\b|"
            r"\bGreater London\b|\bTransparency Code\b|\bcombined authorit(?:y|ies)\b|"
            r"\b(?:" + "|".join(ENGLISH_COUNTIES) + r")\b")


def _nation(name: str | None, texts) -> Fact:
    wales_n, wales_ev = _find(texts, _WALES)
    eng_n, eng_ev = _find(texts, _ENGLAND)
    if wales_n and eng_n:
        if wales_n >= 3 * eng_n:
            return Fact("wales", "medium", wales_ev)
        if eng_n >= 3 * wales_n:
            return Fact("england", "medium", eng_ev)
        return Fact(None, "low", (wales_ev + eng_ev)[:4],
                    "the text names law or bodies of both England and Wales: choose")
    if wales_n:
        return Fact("wales", "high" if wales_n >= 2 else "medium", wales_ev)
    if eng_n:
        return Fact("england", "high" if eng_n >= 2 else "medium", eng_ev)
    note = "the text names no law, body or place of either nation: choose england or wales"
    place = (name or "").split()[0] if name else ""
    if place and _WELSH_NAME.search(place):
        note += f" (a name spelt like '{place}' does not tell it)"
    return Fact(None, "low", (), note)


def _weigh(said: Fact, place: Place, value: str, choose: str, sure: str = "high") -> Fact:
    """The text's evidence and the name's together: the name decides only when the text
    says nothing, and a disagreement is not found, with both shown."""
    ev = Evidence(NAME, place.says)
    if said.value == value:
        return Fact(value, "high", said.evidence[:2] + (ev,), said.note)
    if said.value is None and not said.note.startswith("the text names law"):
        return Fact(value, sure, (ev,))
    told = f"the text points to {said.value}" if said.value else said.note.split(":")[0]
    return Fact(None, "low", said.evidence[:2] + (ev,),
                f"{told}, but {place.says}: {choose}".replace("_", " "))


# ---- tier, governance ---------------------------------------------------------------

_WELSH_NAME = re.compile(r"^(?:Aber|Blaen|Bryn|Caer|Cwm|Llan|Maes|Nant|Pont|Porth|Rhos|Tre[fl]|"
                         r"Ystrad|Ll|Rh)|dd|w[ry]", re.IGNORECASE)
_PRINCIPAL_CLUES = (r"\bChief Executive\b", r"\bCabinet\b", r"\bportfolio holders?\b",
                    r"\bHead of Paid Service\b", r"\bscrutiny\b", r"\bStandards Committee\b",
                    r"\bDirectors?\b", r"\bExecutive Members?\b", r"\bwards?\b",
                    r"\bdivisions?\b", r"\bChief Officers?\b")
_LOCAL_CLUES = ((r"\bParish Clerk\b|\b(?:this|the) parish council\b", "parish"),
                (r"\bTown Clerk\b|\b(?:this|the) town council\b|\bTown Mayor\b", "town"),
                (r"\b(?:this|the) community council\b", "community"))
_SELF = ((r"\bunitary (?:authority|council)\b", "unitary"),
         (r"\b(?:is|as) a district council\b", "district"),
         (r"\b(?:is|as) a metropolitan (?:borough|district) council\b", "metropolitan"),
         (r"\b(?i:this|the) County Borough Council\b", "unitary"),
         (r"\b(?i:this|the) Metropolitan Borough Council\b", "metropolitan"),
         (r"\b(?i:this|the) County Council\b", "county"),
         (r"\b(?i:this|the) District Council\b", "district"),
         (r"\b(?i:this|the) Borough Council\b", "borough"))
PRINCIPAL_CHOICE = "district, borough, county, unitary, metropolitan or london_borough"
# what a text may call a council of each GSS kind without contradicting it
_SAME = {"unitary": ("county", "borough"), "metropolitan": ("borough", "district"),
         "london_borough": ("borough",), "district": ("borough",), "borough": ("district",)}


def _tier(name: str | None, nation: str | None, texts, place: Place | None = None,
          sure: str = "high") -> Fact:
    if place is not None and place.tier is not None:
        said, value = _tier(None, nation, texts), place.tier     # the text's, the name's
        if said.value in _SAME.get(place.tier, ()):    # "the Borough Council" of a unitary
            value = "borough" if place.tier == "district" else place.tier
            said = Fact(value, said.confidence, said.evidence, said.note)
        local = "parish, town, community or " if said.value in LOCAL_TIERS else ""
        return _weigh(said, place, value, "choose " + local + PRINCIPAL_CHOICE, sure)
    if name:
        for kind, tier in (("London Borough", "london_borough"),
                           ("Metropolitan Borough", "metropolitan"),
                           ("County Borough", "unitary"), ("Parish", "parish"),
                           ("Town", "town"), ("Community", "community"),
                           ("District", "district"), ("Borough", "borough"),
                           ("County", "county")):
            if re.search(rf"\b{kind}\b", name):
                if tier == "county" and nation == "wales":
                    return Fact("unitary", "high", (Evidence("title", name),),
                                "a Welsh county council is a unitary authority")
                return Fact(tier, "high", (Evidence("title", name),))
    for pattern, tier in _LOCAL_CLUES:
        n, ev = _find(texts, pattern)
        if n:
            return Fact(tier, "medium", ev)
    hits = [e for p in _PRINCIPAL_CLUES for e in _find(texts, p, re.IGNORECASE, 1)[1]]
    if len(hits) >= 2:
        named = {}
        for pattern, tier in _SELF:
            n, ev = _find(texts, pattern, 0)
            if n and tier not in named:
                named[tier] = ev
        if len(named) == 1:        # one kind named ("the County Council"), not several
            tier, ev = next(iter(named.items()))
            return Fact(tier, "medium", ev)
        if nation == "wales":
            return Fact("unitary", "medium", tuple(hits[:3]), "every principal council in "
                        "Wales is a unitary authority")
        return Fact(None, "low", tuple(hits[:3]),
                    "a principal council (it names a chief executive, an executive, scrutiny "
                    "or wards), but the text does not say which kind: choose "
                    + PRINCIPAL_CHOICE)
    if name and re.search(r"\bCity\b", name):
        return Fact(None, "low", (Evidence("title", name),), "a city council may be a "
                    "principal council or (in a few places) a parish: choose")
    return Fact(None, "low", tuple(hits[:1]), "nothing in the text tells the kind of council: "
                "choose parish, town, community or " + PRINCIPAL_CHOICE)


_MAYOR = (r"\b(?:directly[- ]elected|elected|executive)\s+Mayor\b|\bMayor and Cabinet\b|"
          r"\bMayor's Cabinet\b|\bMayor and (?:his|her|their) Cabinet\b")
_EXECUTIVE = (r"\bCabinet\b|\bExecutive Members?\b|\b[Pp]ortfolio [Hh]olders?\b|"
              r"\b[Ee]xecutive\s+(?:functions|decisions|arrangements|powers|roles?|members?|"
              r"and\s+scrutiny|,\s+scrutiny)\b|\bthe Executive\b(?!\s+(?:Director|Head|"
              r"Officer|Assistant|Team|Board|Manager))|\b[Ll]eader and [Cc]abinet\b|"
              r"\bexecutive-leader\b")
_COMMITTEE = (r"\bcommittee (?:system|model|form of governance|structure of governance)\b|"
              r"\bPolicy and Resources Committee\b|\bStrategy and Resources Committee\b|"
              r"\bservice committees\b|\bdoes not have (?:a|an) (?:cabinet|executive)\b")


def _governance(tier: str | None, texts) -> Fact:
    if tier in LOCAL_TIERS:
        return Fact("committee", "high", (), "local councils decide in council and committees")
    n, ev = _find(texts, _MAYOR)
    if n:
        return Fact("mayor_cabinet", "high" if n >= 2 else "medium", ev)
    c_n, c_ev = _find(texts, _COMMITTEE)
    if c_n:
        return Fact("committee", "high" if c_n >= 2 else "medium", c_ev)
    n, ev = _find(texts, _EXECUTIVE, 0)
    if n:
        return Fact("leader_cabinet", "high" if n >= 3 else "medium", ev)
    return Fact(None, "low", (), "the text names no cabinet, executive members or portfolio "
                "holders, and does not say it has a committee system: choose committee, "
                "leader_cabinet or mayor_cabinet")


def _groups(tier: str | None, s: Structure, texts) -> Fact:
    score, ev = 0, []
    for h in s.headings:
        if re.search(r"political groups?|party groups?", h.text, re.IGNORECASE):
            score += 3
            ev.append(Evidence(f'heading "{h.text}"', h.text))
    # "the administration" is how the council is run day to day: not a group
    for pattern, weight in ((r"\bgroup leaders?\b", 2), (r"\bgroup meetings?\b", 2),
                            (r"\bpolitical groups\b", 1), (r"\bminority part(?:y|ies)\b", 1),
                            (r"\bopposition (?:groups?|part(?:y|ies)|members|councillors)\b", 1),
                            (r"\bmajority (?:group|party)\b", 1), (r"\bparty whips?\b", 2),
                            (r"\bone political group\b", 1)):
        n, found = _find(texts, pattern)
        score += n * weight
        ev.extend(found)
    if score >= 2:
        return Fact(True, "high" if score >= 4 else "medium", tuple(ev[:3]))
    if tier is None or tier not in LOCAL_TIERS:
        return Fact(None, "low", tuple(ev[:3]), "the text does not say whether councillors "
                    "form political groups (most principal councils' do): choose true or false")
    return Fact(False, "medium" if not ev else "low", tuple(ev[:3]),
            "" if not ev else "political groups are mentioned only in passing: check it")


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


def _dates(texts) -> dict[str, Fact]:
    out = {}
    for key, (fact, where) in stated_dates(texts).items():
        out[key] = Fact(fact.value, fact.sure, (Evidence(where, fact.phrase),), fact.note)
    if "dated" in out and ("adopted" in out or "last_review" in out):
        del out["dated"]
    return out


def recognise(s: Structure, file_name: str = "") -> Council:
    """Everything the document tells about its council; what it does not tell is
    ``None`` with a note saying what to choose."""
    texts = _texts(s)
    council = Council(file_name=file_name)
    name = _name(texts)
    council.facts["name"] = name
    place = council_place(name.value)
    nation = _nation(name.value, texts)
    if place is not None:
        nation = _weigh(nation, place, place.nation, "choose england or wales",
                        name.confidence)
    tier = _tier(name.value, nation.value, texts, place, name.confidence)
    if nation.value is None and tier.value in ("metropolitan", "london_borough", "district"):
        kind = tier.value.replace("_", " ")
        nation = Fact("england", "medium", tier.evidence, f"there are no {kind} councils "
                      "in Wales")
    council.facts["tier"] = tier
    council.facts["nation"] = nation
    council.facts["governance"] = _governance(tier.value, texts)
    council.facts["political_groups"] = _groups(tier.value, s, texts)
    n, ev = _find(texts, r"\b(?:wards?|divisions?)\b(?!\s+of)")
    local = tier.value in LOCAL_TIERS
    council.facts["wards"] = Fact(bool(n) or not local,
                                  "high" if n >= 2 else "medium" if n else "low", ev[:2])
    n, ev = _find(texts, r"\bindependent (?:members|councillors)\b|not (?:to )?(?:form )?part "
                         r"of any political group")
    council.facts["independent_members"] = Fact(bool(n), "medium" if n else "low", ev[:2])
    council.titles = _titles(texts, tier.value or "", council.facts["governance"].value
                             or "committee")
    council.dates = _dates(texts)
    return council


def month_passed(month: str, today: dt.date) -> int:
    """Months since ``YYYY-MM`` (negative: still to come)."""
    y, m = map(int, month.split("-")[:2])
    return (today.year - y) * 12 + today.month - m
