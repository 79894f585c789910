"""Reading the ``init`` interview's typed answers: text, choices, yes or no, a number of
years, a list of policies. Each reader raises :class:`AnswerError` with the fix when it
cannot use what was typed; :mod:`.interview` pairs them with its questions.
"""
from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Optional

from .constants import ADOPTABLE_POLICIES, LOCAL_TIERS
from .dates import AnswerError

Answers = dict[str, Any]


def local(answers: Answers) -> bool:
    """Whether the answers so far are a parish, town or community council's."""
    return answers.get("tier") in LOCAL_TIERS


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _text(limit: int) -> Callable[[str, Answers], str]:
    def parse(raw: str, answers: Answers) -> str:
        value = " ".join(str(raw).split())
        if not value:
            raise AnswerError("an answer is needed", "type it and press Enter")
        if _CONTROL.search(value):
            raise AnswerError("the answer holds a control character (an arrow key or "
                              "Escape pressed while typing?)", "type it again, correcting "
                              "with Backspace rather than the arrow keys")
        if len(value) > limit:
            raise AnswerError(f"that is {len(value)} characters long",
                              f"keep it to {limit} characters")
        return value
    return parse


def _optional_text(limit: int) -> Callable[[str, Answers], Optional[str]]:
    required = _text(limit)

    def parse(raw: str, answers: Answers) -> Optional[str]:
        value = " ".join(str(raw).split())
        if not value or value.lower() in ("none", "no", "-", "n/a"):
            return None
        return required(value, answers)
    return parse


def _choice(choices: tuple[str, ...], labels: tuple[str, ...] = ()
            ) -> Callable[[str, Answers], str]:
    named = {" ".join(label.lower().split()): value for value, label in zip(choices, labels)}

    def parse(raw: str, answers: Answers) -> str:
        if " ".join(str(raw).lower().split()) in named:
            return named[" ".join(str(raw).lower().split())]
        value = "_".join(str(raw).strip().lower().replace("-", " ").split())
        value = {"leader": "leader_cabinet", "leader_and_cabinet": "leader_cabinet",
                 "mayor": "mayor_cabinet", "mayor_and_cabinet": "mayor_cabinet",
                 "elected_mayor": "mayor_cabinet", "committees": "committee",
                 "committee_system": "committee"}.get(value, value)
        value = value.removesuffix("_council")
        if value in choices:
            return value
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? " if close else "") + \
            "answer one of: " + ", ".join(choices)
        raise AnswerError(f"'{raw}' is not one of the choices", hint)
    return parse


def _yes_no(raw: Any, answers: Answers) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("y", "yes", "true", "1"):
        return True
    if value in ("n", "no", "false", "0"):
        return False
    raise AnswerError(f"'{raw}' is not yes or no", "answer yes or no")


def _monitoring_officer(raw: str, answers: Answers) -> Optional[str]:
    """A local council names the principal council; we make the title from it."""
    value = _optional_text(200)(raw, answers)
    if value is None or not local(answers):
        return value
    value = re.sub(r"^the\s+", "", value, flags=re.IGNORECASE)
    if not value.lower().startswith("monitoring officer"):
        value = f"Monitoring Officer of {value}"
    return value


def _years(low: int, high: int) -> Callable[[Any, Answers], int]:
    def parse(raw: Any, answers: Answers) -> int:
        text = str(raw).strip().lower().removesuffix("years").removesuffix("year").strip()
        text = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}.get(text, text)
        if not text.isdigit() or not low <= int(text) <= high:
            raise AnswerError(f"'{raw}' is not a number of years from {low} to {high}",
                              f"type a whole number from {low} to {high}, e.g. 1 for a "
                              "review every year")
        return int(text)
    return parse


# The staff policies as a clerk may type them (also how a suggestion is shown).
POLICY_WORDS = {"employee_code": "staff code", "grievance_procedure": "grievance",
                "disciplinary_procedure": "disciplinary", "bullying_policy": "bullying"}
_POLICY_STEMS = {"employee": "employee_code", "staff code": "employee_code",
                 "code": "employee_code", "grievance": "grievance_procedure",
                 "disciplin": "disciplinary_procedure", "bullying": "bullying_policy",
                 "harass": "bullying_policy", "dignity": "bullying_policy"}


def policies_text(values: list[str]) -> str:
    """A list of policies as the clerk types it ('grievance, disciplinary'; 'none')."""
    if list(values) == list(ADOPTABLE_POLICIES):
        return "all"
    return ", ".join(POLICY_WORDS[v] for v in values) or "none"


def _policies(raw: Any, answers: Answers) -> list[str]:
    """'grievance, disciplinary and bullying', 'all' or 'none' -> the policies, in order."""
    if isinstance(raw, (list, tuple)):
        raw = ", ".join(map(str, raw))
    text = " ".join(str(raw).lower().replace("_", " ").split())
    if text in ("all", "all of them"):
        return list(ADOPTABLE_POLICIES)
    if text in ("none", "no", "-", "none of them"):
        return []
    found = set()
    for piece in re.split(r"\s*(?:,|;|\band\b)\s*", text):
        if not piece:
            continue
        match = next((v for stem, v in _POLICY_STEMS.items() if stem in piece), None)
        if match is None:
            raise AnswerError(f"'{piece}' is not one of the staff policies",
                              "type the ones the council has, separated by commas, from: " +
                              ", ".join(POLICY_WORDS.values()) + "; or 'all', or 'none'")
        found.add(match)
    return [v for v in ADOPTABLE_POLICIES if v in found]
