"""The dates an existing protocol states: when it was adopted and by whom, when it was last
reviewed and when it is next due for review.

Dates are found in every form councils write them ("19th January 2015", "19 Jan 2015",
"January 19, 2015", "12.03.2018", "12/05/2026", "2026-05-12", "March 2019", and a bare
year after a review phrase) and read with python-dateutil (day first, as in the UK). Each
date takes its meaning from the nearest phrase before it in the same sentence ("adopted
by ... on", "approved", "last reviewed", "next review due", "to be reviewed"), with or
without "on" between them. A review stated as a period ("reviewed annually", "every
three years", "review it after three years", "within three years of that date", "each
year at the Annual Meeting in May") gives the next review from the adoption date. The
adopting body is read only from the sentence saying who adopted this document.
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import re

from dateutil import parser as _dateutil

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
# where a date may be, for dateutil to read; the group's name is how precise it is
_CANDIDATE = re.compile(
    rf"(?P<day>\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b"
    rf"|\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"
    rf"|\b\d{{1,2}}[./-]\d{{1,2}}[./-]{_YEAR}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2}}\b"
    rf"|\b{_YEAR}-\d{{2}}-\d{{2}}\b)"
    rf"|(?P<month>\b{_MONTH},?\s+{_YEAR}\b|\b\d{{1,2}}[./]{_YEAR}\b)"
    rf"|(?P<year>\b{_YEAR}\b)", re.IGNORECASE)

_NEXT = r"next\s+review|review(?:\s+date|\s+due|\s+by)?|(?:to\s+be|will\s+be)\s+reviewed|" \
        r"due\s+for\s+review|for\s+review|reviewed\s+(?:by|in|before)"
_LAST = r"last\s+review(?:ed)?|date\s+of\s+(?:last\s+)?review|reviewed(?:\s+on)?|revised|" \
        r"updated|amended"
_ADOPTED = r"adopted|adoption|approved|agreed|ratified|accepted|resolved|came\s+into\s+" \
           r"(?:force|effect)|effective|in\s+force\s+from|issued|dated?"
_KEYWORD = re.compile(rf"(?P<next>{_NEXT})|(?P<last>{_LAST})|(?P<adopted>{_ADOPTED})",
                      re.IGNORECASE)
_BODY = re.compile(r"\b(?i:adopted|approved|agreed|ratified|accepted|resolved)\s+(?:by|at)\s+"
                   r"(?:(?:a|the)\s+meeting\s+of\s+)?(?:the\s+)?(?P<body>(?i:full\s+)?"
                   r"(?:[A-Z][\w'’-]*\s+(?:(?:&|and|of|the)\s+)?){0,6}?"
                   r"(?:Committee|Sub-Committee|Council|Cabinet|Panel|Board|Executive))\b")
_PERIOD = re.compile(
    r"\b(?:review(?:ed)?(?:\s+(?:it|this\s+\w+))?(?:\s+by\s+the(?:\s+[A-Z][\w-]*){1,5})?\s+"
    r"(?:annually|(?:every|each)\s+year|(?:every|after|within)\s+(?P<n>one|two|three|four|"
    r"five|[1-5])\s+years?(?:\s+of\s+(?:that\s+date|its\s+adoption))?)"
    r"|annual(?:ly)?\s+review)(?:[^.;]{0,60}?\bin\s+(?P<month>" + _MONTH + r"))?",
    re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# the sentence saying who adopted this document: "This Protocol was adopted by the Council"
# or "The Council adopted this Protocol"; never a body adopting something else
_DOC = r"(?:(?i:this)\s+(?i:protocol|code\s+of\s+practice|code|policy|document|appendix|" \
       r"guidance)|(?i:the)\s+(?i:protocol))\b"
_NAME = r"(?P<body>(?i:full\s+)?(?:[A-Z][\w'’-]*\s+(?:(?:&|and|of|the)\s+)?){0,6}?" \
        r"(?:Committee|Sub-Committee|Council|Cabinet|Panel|Board|Executive))\b"
_ADOPTER = re.compile(rf"^(?:(?i:the)\s+)?{_NAME}\s+(?:(?i:first)\s+)?"
                      rf"(?i:adopted|approved|agreed|ratified)\s+{_DOC}")
_LAW = re.compile(r"\b(?:Act|Regulations|Order|Measure|Code|Rules|Standards|Policy|"
                  r"Protocol|Guidance)(?:\s*\([^)]*\))?\s*(?:of\s+)?$")
NEAR = 80      # characters before a date in which its phrase must be


@dataclass(frozen=True)
class Stated:
    """One date as the document states it."""

    date: dt.date          # the first of the month (or of the year) when no day is given
    precision: str         # day | month | year
    text: str              # as written
    start: int
    end: int

    @property
    def iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM, or (a year alone) YYYY-12: the year's last month."""
        if self.precision == "day":
            return self.date.isoformat()
        return f"{self.date.year:04d}-{self.date.month if self.precision == 'month' else 12:02d}"


def dates_in(text: str) -> list[Stated]:
    """Every date in ``text``, in order, read day first."""
    out = []
    for m in _CANDIDATE.finditer(text):
        kind = m.lastgroup or "year"
        found = m.group(0)
        if kind == "year":
            out.append(Stated(dt.date(int(found), 1, 1), "year", found, m.start(), m.end()))
            continue
        clean = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", found.replace(" of ", " "))
        if kind == "month" and re.fullmatch(r"\d{1,2}[./]\d{4}", clean):
            clean = "1/" + clean.replace(".", "/")
        try:
            when = _dateutil.parse(clean, dayfirst=True, default=dt.datetime(2000, 1, 1))
        except (ValueError, OverflowError):
            continue
        day = when.date() if kind == "day" else when.date().replace(day=1)
        out.append(Stated(day, kind, found, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class DateFact:
    key: str        # adopted | adopted_by | last_review | next_review
    value: str      # ISO date (YYYY-MM-DD or YYYY-MM), or the body's name
    phrase: str     # the words it was read from
    sure: str       # high | medium
    note: str = ""


def _meaning(text: str, d: Stated) -> str | None:
    """What the nearest phrase before the date (in its sentence) says it is."""
    before = text[max(0, d.start - NEAR): d.start]
    before = re.split(r"[.;!?]\s|\n|–|—|\(", before)[-1]
    hits = list(_KEYWORD.finditer(before))
    if not hits:
        return None
    return hits[-1].lastgroup


def stated_dates(texts: list[tuple[str, str]]) -> dict[str, tuple[DateFact, str]]:
    """key -> (the fact, where it was read) from (where, text) pairs in document order:
    the first adoption, last review and next review each states, the adopting body, and a
    next review worked out from a stated period."""
    out: dict[str, tuple[DateFact, str]] = {}
    period: tuple[int, str, str] | None = None
    for where, text in texts:
        for d in dates_in(text):
            meaning = _meaning(text, d)
            if meaning is None and d.precision != "year" and len(text) <= 40:
                meaning = "dated"        # a date standing alone on a title page
            if _LAW.search(text[max(0, d.start - 40): d.start]):
                continue             # "the Localism Act 2011": a law's name, not a date
            if meaning is None or (d.precision == "year" and (
                    meaning == "dated" or (meaning == "adopted" and len(text.split()) > 12))):
                continue
            key = {"next": "next_review", "last": "last_review", "adopted": "adopted",
                   "dated": "dated"}[meaning]
            phrase = _phrase(text, d)
            sure = "high" if d.precision != "year" or key == "next_review" else "medium"
            out.setdefault(key, (DateFact(key, d.iso, phrase, sure), where))
        said, body = adopting_body(text)
        if body and "adopted_by" not in out:
            name = " ".join(body.group("body").split())
            name = name[0].upper() + name[1:]
            out["adopted_by"] = (DateFact("adopted_by", name, _phrase_of(said, body), "high"),
                                 where)
        p = _PERIOD.search(text)
        if p and period is None:
            period = (_NUMBERS.get((p.group("n") or "").lower()) or int(p.group("n") or 1),
                      where, _phrase_of(text, p), p.group("month"))
    start = out.get("last_review") or out.get("adopted") or out.get("dated")
    if "next_review" not in out and period and start:
        years, where, phrase, month = period
        y, m = map(int, start[0].value.split("-")[:2])
        y += years
        if month:            # "each year at the Annual Meeting in May"
            named = _dateutil.parse(month.rstrip("."), default=dt.datetime(2000, 1, 1)).month
            y, m = (y - 1, named) if named > m else (y, named)
        due = f"{y:04d}-{m:02d}"
        out["next_review"] = (DateFact("next_review", due, phrase, "medium",
                                       f"worked out: every {years} year{'s' * (years > 1)} "
                                       f"from {start[0].value}"), where)
    return out


def adopting_body(text: str) -> tuple[str, re.Match | None]:
    """The body named in the sentence of ``text`` saying who adopted this document
    ("This Protocol was adopted by the Council", "The Council adopted this Protocol",
    "Adopted by Full Council 12.03.2018") with its sentence; None: a body adopting anything else
    ("the arrangements adopted by the Standards Committee") is not it."""
    text = re.sub(r"^(?:[A-Z]?\d[\d.]*\.?\s+)+", "", text.strip())    # its number
    for said in re.split(r"(?<=[.;!?])\s+", text):
        m = _ADOPTER.match(said) or _BODY.search(said)
        if m is None:
            continue
        if m.re is _ADOPTER or re.match(rf"^(?:\d[\d.]*\s+)?(?:{_DOC}[^.]{{0,40}}?\s+"
                                        r"(?i:was|were|has\s+been|is)\s+(?:(?i:first)\s+)?)?"
                                        r"(?i:adopted|approved|agreed|ratified)\b", said):
            return said, m
    return "", None


_REVIEWER = re.compile(
    rf"^(?:(?i:it|{_DOC})\s+(?i:will|shall|must|is\s+to)\s+be\s+reviewed"
    rf"|(?:(?i:the)\s+)?{_NAME}\s+(?i:will|shall|must)\s+review\s+(?i:it|{_DOC}))\b")


def is_adoption_record(text: str) -> bool:
    """A paragraph of two or three sentences that only says who adopted this document
    and when, and when it is reviewed ("The Council adopted this Code of Practice on 12
    October 2022. The Audit and Standards Committee will review it within three years of
    that date."): the old protocol's adoption record, not a provision."""
    said = re.split(r"(?<=[.;!?])\s+", text.strip())
    if not 2 <= len(said) <= 3 or not dates_in(said[0]) or len(text.split()) > 60:
        return False
    body, m = adopting_body(said[0])
    if m is None or body != said[0]:
        return False
    return all(_REVIEWER.match(s) and (_PERIOD.search(s) or dates_in(s)) and
               len(s.split()) <= 25 for s in said[1:])


def _phrase(text: str, d: Stated, width: int = 60) -> str:
    a = max(0, d.start - width)
    return ("..." if a else "") + text[a: d.end].strip() + ("..." if d.end < len(text) else "")


def _phrase_of(text: str, m: re.Match, width: int = 30) -> str:
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return ("..." if a else "") + text[a:b].strip() + ("..." if b < len(text) else "")


def is_date_line(text: str) -> bool:
    """A line that only records adoption or review ("Adopted by the Council 12.03.2018;
    next review March 2019"): the old protocol's dates, not a provision to keep."""
    if len(text.split()) > 30 or not dates_in(text):
        return False
    rest = _CANDIDATE.sub(" ", text)
    rest = _KEYWORD.sub(" ", rest)
    rest = _BODY.sub(" ", rest) if _BODY.search(text) else rest
    rest = re.sub(r"\b(?:by|on|at|the|of|a|meeting|minute|no\.?|ref\.?|version|v|date|"
                  r"full|council|committee|this|protocol|was|is|and|in|held|next|last|"
                  r"due|for|to|be|will|held|annually|annual|st|nd|rd|th)\b|[\W\d_]+", " ", rest,
                  flags=re.IGNORECASE)
    return len(rest.split()) <= 2


def spoken(iso: str) -> str:
    """'2015-01-19' -> '19 January 2015'; '2019-03' -> 'March 2019'."""
    parts = [int(x) for x in iso.split("-")]
    month = dt.date(parts[0], parts[1], 1).strftime("%B") if len(parts) > 1 else ""
    if len(parts) == 3:
        return f"{parts[2]} {month} {parts[0]}"
    return f"{month} {parts[0]}".strip()
