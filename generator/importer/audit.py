"""An existing protocol audited: what it covers, what it lacks, and what is wrong in it.

Per canonical section of the library (a *topic*) that applies to this kind of council:
present, partial or missing, with the paragraphs that cover it. Findings, each with the
paragraph, why and the fix: law the legislation register marks as revoked or as another
nation's, Acts the register does not know, exempt information withheld without the
s.100F exceptions, the old model code quoted, a review date long past, two bodies named
for the same complaint, and every paragraph of the council's own (matched by no clause).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
import re
from typing import Any

from ..assemble import _holds
from ..errors import ProtocolGenError
from ..library.clauses import ClauseLibrary
from ..library.register import Register
from ..profile.model import Profile
from .mapping import Match, match_paragraphs
from .read import Source
from .dates import is_date_line, spoken
from .recognise import Council, month_passed, recognise
from .structure import Structure, parse

REVIEW_GRACE_MONTHS = 12     # a review more than this overdue is "long past"
UNDATED_AFTER_YEARS = 4      # a protocol dated this long ago with no review date
NOT_A_PROTOCOL = 0.3         # share of paragraphs like the library's below which it is not
ROLE_SHARE = 0.01            # share of its words naming councillors, officers, clerks at least
_ROLE_WORDS = frozenset("councillor councillors member members officer officers clerk "
                        "employee employees staff".split())


@dataclass(frozen=True)
class Finding:
    paragraph: str | None
    kind: str
    message: str
    fix: str
    severity: str = "warning"     # error | warning | note


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    status: str                      # present | partial | missing | not_applicable
    paragraphs: tuple[str, ...]
    clauses: tuple[str, ...]         # library clauses its paragraphs match
    lacking: tuple[str, ...]         # applicable library clauses nothing matches


@dataclass
class Audit:
    name: str
    kind: str
    structure: Structure
    council: Council
    profile: Profile
    matches: list[Match]
    topics: list[Topic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    today: dt.date = dt.date(2000, 1, 1)
    library: ClauseLibrary | None = None

    @property
    def protocol_like(self) -> bool:
        provisions = [m for m in self.matches if m.paragraph.kind == "provision"]
        known = [m for m in provisions if m.status != "own"]
        words = " ".join(m.paragraph.full_text for m in provisions).lower().split()
        roles = sum(w.strip(".,;:()'’s") in _ROLE_WORDS for w in words)
        return bool(provisions) and len(known) >= NOT_A_PROTOCOL * len(provisions) and \
            roles >= max(3, ROLE_SHARE * len(words))


def assumed(council: Council) -> dict[str, Any]:
    """The values the audit works with where the document does not say (for matching and
    conditions only: the imported profile says 'not found' there)."""
    tier = council.facts.get("tier")
    principal = tier is not None and tier.value is None and bool(tier.evidence)
    guesses = {"tier": "district" if principal else "parish", "nation": "england",
               "governance": "committee", "political_groups": principal}
    return {k: v for k, v in guesses.items() if council.value(k) is None}


def profile_of(council: Council) -> Profile:
    """The profile the recognised facts make, with :func:`assumed` values where the
    document does not say, for the library's conditions."""
    guess = assumed(council)
    tier = council.value("tier") or guess.get("tier")
    governance = council.value("governance") or guess.get("governance")
    groups = council.value("political_groups")
    groups = guess.get("political_groups") if groups is None else groups
    data: dict[str, Any] = {"council": {
        "name": council.value("name") or council.name_from_file or "the Council",
        "tier": tier, "nation": council.value("nation") or guess.get("nation"),
        "governance": governance, "political_groups": bool(groups),
        "independent_members": bool(council.value("independent_members")) and bool(groups),
        "wards": bool(council.value("wards"))}}
    roles = {k: council.value(k) for k in ("head_officer", "chair", "monitoring_officer",
                                           "staffing_committee", "standards_committee")
             if council.value(k)}
    if governance != "committee" and council.value("leader"):
        roles["leader"] = council.value("leader")
    if roles:
        data["roles"] = roles
    terms = {k: council.value(k) for k in ("members", "officers") if council.value(k)}
    if terms:
        data["terms"] = terms
    try:
        return Profile.model_validate(data)
    except Exception:  # noqa: BLE001 - an odd title: fall back to the facts alone
        return Profile.model_validate({"council": data["council"]})


def audit(source: Source, library: ClauseLibrary, register: Register,
          today: dt.date) -> Audit:
    """Read, recognise, match and judge one existing protocol."""
    structure = parse(source.lines)
    if not structure.paragraphs:
        raise ProtocolGenError(
            f"no paragraphs found in the file: only {len(structure.title)} short lines and "
            f"{len(structure.headings)} headings", file=source.name,
            hint="give the protocol's text (a file with its numbered paragraphs)")
    for p in structure.paragraphs:      # "Adopted by ... 19th January 2015": the old
        if p.kind == "provision" and not p.items and is_date_line(p.text):   # dates
            p.kind = "meta"
    council = recognise(structure, source.name)
    profile = profile_of(council)
    matches = match_paragraphs(structure.paragraphs, library, profile.context())
    result = Audit(source.name, source.kind, structure, council, profile, matches,
                   notes=list(source.notes), today=today, library=library)
    result.topics = topics(matches, library, profile, council)
    result.findings = findings(result, register)
    return result


# what a paragraph says when it is on a topic, whatever its heading or closest clause
TOPIC_WORDS = {
    "wrong": r"\bbreach\w*|\bgrievances?\b|\bdisciplin\w*|\bcomplain\w*|\bwhistle-?blow\w*|"
             r"\ballegations?\b|\bconcerns? (?:about|with)\b|\bdisputes?\b",
    "decisions": r"\breports?\b.{0,60}\b(?:advice|recommendations?|officers?)\b|"
                 r"\bprofessional (?:advice|views?)\b|\bgiving advice\b",
    "information": r"\bconfidential\w*|\baccess to (?:information|documents)\b|"
                   r"\binspect\w* (?:any )?documents?\b",
    "publicity": r"\bpress\b|\bmedia\b|\bpublicity\b|\bpre-election\b|\bpurdah\b",
    "groups": r"\bpolitical groups?\b|\bgroup leaders?\b|\bgroup meetings?\b",
    "appointments": r"\bappointments? (?:of|to) (?:staff|officers)\b|\brecruit\w*",
    "resources": r"\bcouncil resources\b|\bequipment\b|\bpremises\b|\bfacilities\b",
    "correspondence": r"\bcorrespondence\b|\bletters?\b|\bemails?\b",
    "local-members": r"\bward (?:members|councillors)\b|\blocal members?\b|"
                     r"\b(?:their|a|the) (?:ward|division)\b",
}


def topics(matches: list[Match], library: ClauseLibrary, profile: Profile,
           council: Council | None = None) -> list[Topic]:
    """Each canonical section's status, judged by what the paragraphs say: the clauses
    they match or restate, the points their words make (at home in the section), the
    section their heading names, and the topic's words. The review topic is partial at
    least when the document gives its dates (as the audit reads them)."""
    from ..library.points import clause_points, load_points
    from .mapping import _by_heading, _titles
    ctx = profile.context()
    titles = _titles(library)
    home = {k: p.home for k, p in load_points().items()}
    made = clause_points(library)
    named = {h: _by_heading(h, titles) for h in {m.paragraph.heading for m in matches}}
    dated = council is not None and any(k in council.dates for k in (
        "next_review", "last_review", "adopted"))
    out = []
    for section in library.sections:
        applies_section = _holds(section.when, ctx, section.where, section.id)
        applicable = [c.id for c in section.clauses
                      if applies_section and _holds(c.when, ctx, c.where, c.id)]
        words = re.compile(TOPIC_WORDS.get(section.id, r"(?!)"), re.IGNORECASE)
        here = [m for m in matches if m.paragraph.kind == "provision" and (
            m.section == section.id or named[m.paragraph.heading] == section.id
            or words.search(m.paragraph.full_text)
            or any(home.get(p) == section.id for p in m.points))]
        ids = {c.id for c in section.clauses}
        said = {p for m in here for p in m.made(made)}
        matched = sorted({m.on_point for m in here if m.on_point in ids} |
                         {c.id for c in section.clauses if c.points and
                          set(c.points) <= said})
        refs = tuple(m.paragraph.ref for m in here)
        lacking = tuple(c for c in applicable if c not in matched)
        if not applicable:
            status = "not_applicable"
        elif matched and (len(matched) >= 2 or len(matched) >= 0.5 * len(applicable)):
            status = "present"
        elif here or (section.id == "review" and dated):
            status = "partial"
        else:
            status = "missing"
        out.append(Topic(section.id, _title(section.title, ctx), status, refs,
                         tuple(matched), lacking))
    return out


def _title(title: str, ctx: dict[str, Any]) -> str:
    from ..library.templating import compile_text, render_text
    try:
        return render_text(compile_text(title), {**ctx, "ref": lambda *a, **k: ""}).strip()
    except Exception:  # noqa: BLE001 - a title that cannot be rendered is shown as written
        return title


# ---- findings -----------------------------------------------------------------------

_EXEMPT = re.compile(r"exempt information|exempt (?:documents?|reports?)", re.IGNORECASE)
_REFUSE = re.compile(r"\b(?:decline|refuse|withh[oe]ld|not (?:be )?(?:entitled|allowed|"
                     r"permitted)|may not (?:inspect|see))", re.IGNORECASE)
_100F = re.compile(r"100F|financial or business affairs|paragraph 3\b|need to know",
                   re.IGNORECASE)
_OLD_CODE = re.compile(r"not do anything which compr\w+,? or (?:which )?is likely to "
                       r"compromise", re.IGNORECASE)
_OLD_INTERESTS = re.compile(r"\b(?:personal (?:and|or) prejudicial|prejudicial) interests?\b",
                            re.IGNORECASE)
_COMPLAINT = re.compile(r"complain|breach of the (?:members'? )?code|allegation",
                        re.IGNORECASE)
_BODIES = {
    "the Monitoring Officer": r"\bMonitoring Officer\b",
    "the Standards Committee": r"\bStandards Committee\b",
    "the Ombudsman": r"\bOmbudsman\b",
    "the chair": r"\bChair(?:man)?\b",
    "the head officer": r"\b(?:Town |Parish )?Clerk\b|\bChief Executive\b",
}
_MEMBER_CONDUCT = re.compile(r"(?:about|against|concerning|conduct of) (?:a |an |any )?"
                             r"(?:councillors?|members?)\b|breach of the (?:members'? )?code|"
                             r"code of conduct", re.IGNORECASE)


def findings(a: Audit, register: Register) -> list[Finding]:
    out: list[Finding] = [Finding(None, "unreadable", note, "check the original for anything "
                                  "left out", "note") for note in a.notes]
    nation = a.profile.council.nation if a.council.value("nation") else None
    local = a.profile.local_council
    if not a.protocol_like:
        out.append(Finding(None, "not-a-protocol", "most of this document matches nothing in "
                           "a member/officer protocol: it may be another kind of document",
                           "check that this is the council's member/officer protocol", "error"))
    for m in a.matches:
        p = m.paragraph
        text = p.full_text
        out += _law(p.ref, text, register, nation)
        unsure = "" if nation else "if the council is in England, it "
        if _OLD_CODE.search(text) and nation in ("england", None):
            out.append(Finding(p.ref, "outdated-law", f"{unsure or 'it '}quotes the model "
                               "code of conduct revoked in England in 2012 (\"not do anything "
                               "which compromises ... the impartiality\")", "cite the "
                               "council's own code of conduct adopted under the Localism Act "
                               "2011 instead"))
        if nation == "england" and _OLD_INTERESTS.search(text) and not any(
                f.paragraph == p.ref and "prejudicial" in f.message for f in out):
            out.append(Finding(p.ref, "outdated-law", "uses the interest terms of the codes "
                               "before 2012 (personal and prejudicial interests)",
                               "speak of disclosable pecuniary interests and the other "
                               "interests the council's current code defines"))
        if not local and not _100F.search(text) and any(
                _EXEMPT.search(sentence) and _REFUSE.search(sentence)
                for sentence in re.split(r"(?<=[.;])\s+", text)):
            out.append(Finding(p.ref, "outdated-law", "withholds exempt information from "
                               "councillors without the exceptions of s.100F of the Local "
                               "Government Act 1972", "say that councillors still see "
                               "information about financial or business affairs and about "
                               "proposed notices, orders or directions (Schedule 12A "
                               "paragraphs 3 and 6 in England), and keep the common law "
                               "'need to know'"))
    own = [m.paragraph.ref for m in a.matches if m.paragraph.kind == "provision" and
           m.status == "own"]
    if own and a.protocol_like:        # one note, not one a paragraph
        out.append(Finding(None, "own-provision", f"{len(own)} paragraph"
                           f"{'s' if len(own) != 1 else ''} in the council's own words, "
                           f"like no clause of the library: {', '.join(own)}",
                           "keep each that still says what the council wants (an import "
                           "keeps them all)", "note"))
    out += _review(a)
    out += _period_differs(a)
    out += _contradictions(a)
    out += _repeats(a)
    for t in a.topics:
        if t.status == "missing":
            out.append(Finding(None, "missing-topic", f"nothing on '{t.title}'",
                               f"add the library's section '{t.title}' (an import adds it)"))
    return out


def _law(ref: str, text: str, register: Register, nation: str | None) -> list[Finding]:
    out = []
    seen = set()
    for entry, phrase in register.citations(text):
        if entry.id in seen:
            continue
        seen.add(entry.id)
        fix = entry.note or (entry.provisions[0].says if entry.provisions else "")
        if nation is not None and nation not in entry.applies:
            if entry.revoked:
                continue      # another nation's old law: its phrases may be current here
            out.append(Finding(ref, "wrong-nation", f"cites {entry.name} (\"{phrase}\"), "
                               f"which applies in {' and '.join(e.title() for e in entry.applies)}"
                               f" only; this council is in {nation.title()}",
                               f"cite the law of {nation.title()} instead" +
                               (f" ({entry.note})" if entry.note else ""), "error"))
        elif entry.revoked:
            out.append(Finding(ref, "outdated-law", f"cites {entry.name} (\"{phrase}\"): "
                               f"{entry.status}", fix or "cite the law now in force", "error"))
    for name in register.unregistered(text):
        out.append(Finding(ref, "unknown-law", f"names {name}, which the legislation register "
                           "does not list", "check that it is still in force and is the "
                           "right law for this council", "note"))
    return out


def _review(a: Audit) -> list[Finding]:
    """A review date passed (against the audit's date), or an old protocol with none."""
    review = a.council.dates.get("next_review")
    if review is not None:
        late = month_passed(review.value, a.today)
        if late > 0 or (late == 0 and len(review.value) == 10 and
                        review.value < a.today.isoformat()):
            return [Finding(_where(review), "review-overdue", f"the review was due {spoken(review.value)}"
                            f", {_months(late)} ago", "review it now and set the next review "
                            "date (adoption.next_review in the profile)",
                            "error" if late > REVIEW_GRACE_MONTHS else "warning")]
        return []
    dates = a.council.dates
    since = dates.get("last_review") or dates.get("adopted") or dates.get("dated")
    if since is None:
        return [Finding(None, "no-review-date", "neither an adoption nor a review date is "
                        "given", "state when it was adopted and when it is next reviewed",
                        "note")]
    age = month_passed(since.value, a.today)
    if age > REVIEW_GRACE_MONTHS:
        what = "last reviewed" if since is dates.get("last_review") else "adopted" \
            if since is dates.get("adopted") else "dated"
        return [Finding(_where(since), "review-overdue",
                        f"{what} {spoken(since.value)}, {_months(age)} ago, with no review "
                        "date given", "review it now and state when it is next reviewed",
                        "error" if age > 12 * UNDATED_AFTER_YEARS else "warning")]
    return []


_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4,
            "5": 5, "1": 1}
_PERIOD = re.compile(r"\b(?:every|each|at least every|within|after)\s+(?:(?P<n>one|two|three|four|"
                     r"five|[1-5])\s+)?years?\b|\b(?P<yearly>annually|biennially)\b",
                     re.IGNORECASE)


def review_period(a: Audit) -> tuple[int, str] | None:
    """The review period the council's own paragraphs give (years, the paragraph), from
    a paragraph making the review point ("reviewed every three years") or, failing that,
    the old adoption record ("... will review it within three years of that date")."""
    from ..library.points import clause_points
    from .furniture import ADOPTION
    made = clause_points(a.library) if a.library is not None else {}
    said = [m.paragraph for m in a.matches
            if m.paragraph.kind == "provision" and "review" in m.made(made)]
    said += [p for p in a.structure.paragraphs if p.kind == "furniture" and
             p.reason == ADOPTION and re.search(r"\breview", p.full_text, re.I)]
    for p in said:
        hit = _PERIOD.search(p.full_text)
        if hit:
            years = {"annually": 1, "biennially": 2}.get((hit.group("yearly") or "")
                                                         .lower()) or \
                _NUMBERS.get((hit.group("n") or "one").lower(), 1)
            return years, p.ref
    return None


def _period_differs(a: Audit) -> list[Finding]:
    """The council's review period against the one its profile would have by default."""
    found = review_period(a)
    default = a.profile.review_period
    if found is None or found[0] == default:
        return []
    years, ref = found
    return [Finding(ref, "differs", f"your protocol says it is reviewed every "
                    f"{_years(years)}; the library's review clause for this council says "
                    f"every {_years(default)} (adoption.review_period {default})",
                    f"choose: the import keeps your paragraph {ref} and sets "
                    f"adoption.review_period to {years}; set it to {default}, and reword the "
                    "paragraph, to follow the library", "warning")]


def _years(n: int) -> str:
    return "year" if n == 1 else f"{n} years"


def _where(fact) -> str | None:
    """The paragraph a date was read from (None for the title page)."""
    where = fact.evidence[0].where if fact.evidence else "title"
    return None if where == "title" else where


def _repeats(a: Audit) -> list[Finding]:
    """Points the council's protocol makes in more than one paragraph."""
    from ..library.points import clause_points, load_points
    made = clause_points(a.library) if a.library is not None else {}
    by: dict[str, list[str]] = {}
    for m in a.matches:
        if m.paragraph.kind == "provision" and m.on_point:
            for p in made.get(m.on_point, ()):
                if m.paragraph.ref not in by.setdefault(p, []):
                    by[p].append(m.paragraph.ref)
    titles = {k: p.title for k, p in load_points().items()}
    return [Finding(refs[1], "repeat", f"paragraphs {', '.join(refs)} each make the same "
                    f"point ({titles.get(p, p).lower()})", "say it once: keep the clearest "
                    "and strike the others (or merge them)", "note")
            for p, refs in by.items() if len(refs) > 1]


def _months(n: int) -> str:
    years, months = divmod(n, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    parts += [f"{months} month{'s' if months != 1 else ''}"] if months else []
    return " and ".join(parts) or "this month"


def _contradictions(a: Audit) -> list[Finding]:
    """Complaints about a councillor's conduct sent to different bodies."""
    handlers: dict[str, list[str]] = {}
    for m in a.matches:
        text = m.paragraph.full_text
        for sentence in re.split(r"(?<=[.;:])\s+", text):
            if _COMPLAINT.search(sentence) and _MEMBER_CONDUCT.search(sentence) and \
                    re.search(r"\b(?:to|by|with)\b", sentence):
                found = []
                for body, pattern in _BODIES.items():
                    hit = re.search(rf"\b(?:to|by|with)\s+(?:the\s+)?(?:\w+\s+){{0,3}}?"
                                    rf"(?:{pattern})", sentence)
                    if hit:
                        found.append((hit.start(), body))
                if found:       # the first body the sentence sends it to
                    handlers.setdefault(min(found)[1], []).append(m.paragraph.ref)
    out = []
    for body in ("the head officer", "the chair"):
        if body in handlers and (body == "the head officer" or len(handlers) == 1):
            out.append(Finding(handlers[body][0], "contradiction", "a complaint that a "
                               f"councillor broke the code of conduct goes to {body} "
                               f"(paragraph {handlers[body][0]}), who cannot decide it",
                               "send it to the monitoring officer (in England, who consults "
                               "the Independent Person; for a parish or town council, the "
                               "principal council's) or, in Wales, to the Public Services "
                               "Ombudsman for Wales"))
    bodies = [b for b in handlers if b in ("the Monitoring Officer", "the Standards Committee",
                                           "the Ombudsman", "the chair")]
    if len(bodies) >= 2:
        first, second = bodies[0], bodies[1]
        out.append(Finding(handlers[second][0], "contradiction",
                           f"a complaint about a councillor's conduct goes to {first} "
                           f"(paragraph {handlers[first][0]}) and to {second} (paragraph "
                           f"{handlers[second][0]})", "name one body for these complaints "
                           "(in England the monitoring officer, consulting the Independent "
                           "Person; in Wales the Public Services Ombudsman for Wales)"))
    return out
