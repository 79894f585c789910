"""Dates and months as clerks write them, read in one place for ``init``, the add and edit
pages of the browser app, and their error messages.

Accepted dates: YYYY-MM-DD, DD/MM/YYYY (day first, as in the UK; dots or dashes will do)
and '12 May 2026'. Accepted months: YYYY-MM, MM/YYYY, 'May 2026' or any accepted date.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional


class AnswerError(ValueError):
    """An answer that cannot be used, with what to type instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message}; {hint}")
        self.message = message
        self.hint = hint


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DATE_FORMS = "YYYY-MM-DD, e.g. 2026-05-12, or as 12/05/2026 or 12 May 2026"


def parse_date(raw: Any, answers: dict | None = None) -> Optional[dt.date]:
    """A date as clerks write it: YYYY-MM-DD, DD/MM/YYYY (day first, as in the UK; dots or
    dashes will do) or '12 May 2026'. Blank means none. The add and edit pages and
    ``init`` all read dates here."""
    if isinstance(raw, dt.date):
        return raw
    value = " ".join(str(raw).split())
    if not value:
        return None
    day_first = _DAY_FIRST.match(value)
    try:
        if day_first:
            day, month, year = (int(g) for g in day_first.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    for form in ("%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", value),
                                        form).date()
        except ValueError:
            continue
    raise AnswerError(f"'{value}' is not a date",
                      f"write it as {DATE_FORMS}, or leave it blank for a draft")


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})/(\d{4})$")


def parse_month(raw: Any, answers: dict | None = None) -> Optional[str]:
    """A month as YYYY-MM, read from 2026-05, 05/2026, May 2026 or a full date; it must
    come after the adoption date among ``answers``."""
    value = " ".join(str(raw).split())
    if not value:
        return None
    found = _MONTH.match(value) or _MONTH_FIRST.match(value)
    text = None
    if found:
        a, b = (int(g) for g in found.groups())
        year, month = (a, b) if found.re is _MONTH else (b, a)
        if 1 <= month <= 12:
            text = f"{year:04d}-{month:02d}"
    for form in ("%B %Y", "%b %Y"):
        try:
            text = text or dt.datetime.strptime(value, form).strftime("%Y-%m")
        except ValueError:
            continue
    if text is None:
        try:
            text = parse_date(value).isoformat()
        except AnswerError:
            raise AnswerError(f"'{value}' is not a month",
                              "write it as YYYY-MM, e.g. 2026-05, or as May 2026") from None
    adopted = (answers or {}).get("adopted")
    if adopted and text[:7] <= adopted.isoformat()[:7]:
        raise AnswerError(f"the review ({text}) must come after adoption "
                          f"({adopted.isoformat()})", "give a later month")
    return text
