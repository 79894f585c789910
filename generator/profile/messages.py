"""Pydantic validation errors -> located Problems in plain words, with fixes."""
from __future__ import annotations

import datetime as _dt
from enum import Enum
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, clip
from .constants import FIX_SEPARATOR
from .fields import allowed_values
from .yamlsource import Located


def _submodel(ann: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``Optional[list[Model]]``."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _model_at(path: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``path`` (for key suggestions)."""
    model: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        model = _submodel(field.annotation)
    return model


def _enum_choices(path: tuple, root: type[BaseModel]) -> list[str] | None:
    parent = _model_at(path[:-1], root)
    if parent is None or not path or not isinstance(path[-1], str):
        return None
    field = parent.model_fields.get(path[-1])
    if field is None:
        return None
    ann = field.annotation
    if isinstance(ann, type) and issubclass(ann, Enum):
        return [m.value for m in ann]
    return None


def problems_from_validation(exc: ValidationError, src: Located,
                             root: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into located, plain-words problems with fixes."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        if kind == "extra_forbidden":
            where = ".".join(map(str, loc[:-1])) or "the top level"
            problems.append(src.problem(loc, f"unknown key '{clip(loc[-1])}' in {where}",
                                        _unknown_key_hint(loc, root)))
        elif kind == "missing":
            model = _model_at(loc[:-1], root)
            desc = ""
            if model is not None and loc[-1] in model.model_fields:
                field = model.model_fields[loc[-1]]
                desc = field.description or ""
                choices = allowed_values(field.annotation)
                if choices:
                    desc += f" Allowed values: {', '.join(choices)}."
            parent = ".".join(map(str, loc[:-1])) or "the top level"
            under = f"under '{loc[-2]}:'" if len(loc) > 1 else "at the top of the file"
            line, col = src.where(loc[:-1])
            problems.append(Problem(f"required key '{loc[-1]}' is missing from {parent}",
                                    file=src.file, line=line, column=col,
                                    field=".".join(map(str, loc)),
                                    hint=f"add a line '{loc[-1]}: ...' {under}. {desc}".strip()))
        elif _not_found(value):     # left for the clerk by 'protocol-gen import'
            choices = _enum_choices(loc, root) or ["true", "false"]
            problems.append(src.problem(loc, "not found in the imported protocol: choose "
                                        "a value", f"write one of: {', '.join(choices)}"))
        elif kind in ("enum", "literal_error"):
            choices = _enum_choices(loc, root)
            if choices is None:
                expected = err.get("ctx", {}).get("expected", "")
                choices = re.findall(r"'([^']*)'", expected)
            import difflib      # only when there is a mistake to suggest a fix for
            close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
            hint = (f"did you mean '{close[0]}'? " if close else "") + \
                   f"allowed values: {', '.join(choices)}"
            problems.append(src.problem(loc, f"'{value}' is not an allowed value", hint))
        elif kind in ("model_type", "dict_type"):
            model = _model_at(loc, root)
            keys = f"; the keys allowed here are: {', '.join(model.model_fields)}" \
                if model else ""
            problems.append(src.problem(loc, f"expected a mapping of keys and values, got "
                                        f"{describe(value)}",
                                        "write it as indented 'key: value' lines (no '- ' "
                                        "in front)" + keys))
        elif kind == "list_type":
            problems.append(src.problem(loc, f"expected a list, got {describe(value)}",
                                        "write it as lines starting with '- ', or [a, b]"))
        elif kind.startswith("date") or kind == "date_from_datetime_inexact":
            problems.append(src.problem(loc, f"'{value}' is not a valid date"
                                        + _why_not_a_date(value),
                                        "write the date as YYYY-MM-DD, e.g. 2025-05-12"))
        elif kind in ("bool_type", "bool_parsing"):
            problems.append(src.problem(loc, f"expected yes or no, got {describe(value)}",
                                        "write true or false"))
        elif kind in ("string_type",):
            typed = src.written.get(loc)
            if typed and value is not None and isinstance(loc[-1], str):
                # 041 is read as 33, 1.10 as 1.1: say what was typed, and how to keep it
                problems.append(src.problem(loc, f"'{clip(typed)}' is read as "
                                            f"{_read_as(typed, value)}, not as text",
                                            f"put it in quotes: {loc[-1]}: \"{clip(typed)}\""))
            else:
                problems.append(src.problem(loc, f"expected text, got {describe(value)}",
                                            "write the value as text; quote it if it looks "
                                            "like a number or date"))
        elif kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than",
                      "int_parsing", "int_type", "int_from_float"):
            low, high = _bounds(loc, root)
            span = f" from {low} to {high}" if low is not None and high is not None else ""
            what = {"less_than_equal": f"{clip(str(value))} is more than {high}, the most "
                                       "allowed",
                    "greater_than_equal": f"{clip(str(value))} is less than {low}, the least "
                                          "allowed"}.get(kind, f"expected a whole number, got "
                                                               f"{describe(value)}")
            example = low if low is not None else 1
            problems.append(src.problem(loc, what, f"write a whole number{span}, e.g. "
                                        f"{loc[-1]}: {example}"))
        elif kind == "string_too_short":
            problems.append(src.problem(loc, "must not be empty", "fill in a value"))
        elif kind == "string_too_long":
            limit = err.get("ctx", {}).get("max_length")
            problems.append(src.problem(loc, f"is too long (at most {limit} characters)",
                                        "shorten it"))
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            msg, _, hint = msg.partition(FIX_SEPARATOR)   # our validators' "what\nfix: how"
            problems.append(src.problem(loc, msg, hint or None))
    return _without_echoes(problems)


def _bounds(loc: tuple, root: type[BaseModel]) -> tuple[Any, Any]:
    """The lowest and highest number a field allows (None where it sets no limit)."""
    model = _model_at(loc[:-1], root)
    field = model.model_fields.get(loc[-1]) if model and isinstance(loc[-1], str) else None
    low = high = None
    for rule in getattr(field, "metadata", ()):
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return low, high


def _not_found(value: Any) -> bool:
    """The importer's marker for a value the document does not state."""
    return isinstance(value, str) and value.strip().lower().startswith("not found")


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop "required key 'name' is missing" where an unknown key beside it is already
    reported as "did you mean 'name'?": one mistake, reported once."""
    meant = set()
    for p in problems:
        suggestion = re.match(r"did you mean '([^']+)'\?$", p.hint or "")
        if p.field and suggestion:
            parent = p.field.rpartition(".")[0]
            meant.add(f"{parent}.{suggestion[1]}" if parent else suggestion[1])
    return [p for p in problems
            if not (p.message.startswith("required key") and p.field in meant)]


def _leaf_paths(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """Every key path the schema allows, e.g. ('council', 'name')."""
    out = []
    for key, field in model.model_fields.items():
        out.append(prefix + (key,))
        inner = _submodel(field.annotation)
        if inner is not None:
            out += _leaf_paths(inner, prefix + (key,))
    return out


def _unknown_key_hint(loc: tuple, root: type[BaseModel]) -> str:
    """The nearest valid key: here ('did you mean'), or at another level ('put it under')."""
    key = str(loc[-1])
    parent = tuple(p for p in loc[:-1] if not isinstance(p, int))
    model = _model_at(loc[:-1], root)
    known = list(model.model_fields) if model else []
    import difflib          # only when there is a mistake to suggest a fix for
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    if close:
        return f"did you mean '{close[0]}'?"
    meant = SYNONYMS.get(key.lower().replace("-", "_").replace(" ", "_"))
    if meant and meant[-1] in known and meant[:-1] == parent:
        return f"did you mean '{meant[-1]}'?"
    if meant:
        return f"write it as '{meant[-1]}' under '{meant[-2]}:' ({'.'.join(meant)})"
    # the key belongs at another level, e.g. 'name' at the top, or 'council_name'?
    elsewhere = {}
    for path in _leaf_paths(root):
        if path[:-1] != parent:
            elsewhere.setdefault(path[-1], path)
            elsewhere.setdefault("_".join(path[-2:]), path)
    far = difflib.get_close_matches(key, list(elsewhere), n=1, cutoff=0.8)
    if far:
        path = elsewhere[far[0]]
        return (f"'{path[-1]}' belongs under '{path[-2]}:' ({'.'.join(path)})" if len(path) > 1
                else f"'{path[0]}' belongs at the top of the file, not indented")
    words = key.split("_")
    close = [k for k in known if len(k) > 3 and (k in words or key.endswith("_" + k))][:1] \
        or difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"remove it; the keys allowed here are: {', '.join(known)}"


# Words a clerk may write for a key, and the key they mean.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "clerk": ("roles", "head_officer"),
    "parish_clerk": ("roles", "head_officer"),
    "town_clerk": ("roles", "head_officer"),
    "chief_executive": ("roles", "head_officer"),
    "head_of_paid_service": ("roles", "head_officer"),
    "chairman": ("roles", "chair"),
    "mayor": ("roles", "chair"),
    "vice_chairman": ("roles", "vice_chair"),
    "council_name": ("council", "name"),
    "type": ("council", "tier"),
    "kind": ("council", "tier"),
    "country": ("council", "nation"),
    "groups": ("council", "political_groups"),
    "parties": ("council", "political_groups"),
    "adoption_date": ("adoption", "adopted"),
    "date_adopted": ("adoption", "adopted"),
    "review": ("adoption", "next_review"),
    "review_date": ("adoption", "next_review"),
    "minute_number": ("adoption", "minute"),
}


def _why_not_a_date(value: Any) -> str:
    """' (day is out of range for month)' for 2025-02-30, else ''."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", str(value).strip())
    if not match:
        return ""
    try:
        _dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        return f" ({exc})"
    return ""


def _read_as(typed: str, value: Any) -> str:
    """What YAML made of an unquoted value: 'the number 33', 'yes or no'."""
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, (int, float)):
        return "a number" if typed == str(value) else f"the number {value}"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return describe(value)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}'" + ("..." if len(text) > 40 else "")
