"""Pydantic validation errors -> located Problems in plain words, with fixes."""
from __future__ import annotations

import difflib
import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
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
            key = loc[-1]
            model = _model_at(loc[:-1], root)
            known = list(model.model_fields) if model else []
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
            if not close:  # a key that belongs one level down or up?
                close = [k for k in known if str(key).endswith(k) or str(key).startswith(k)][:1]
            hint = (f"did you mean '{close[0]}'?" if close else
                    f"remove it; the keys allowed here are: {', '.join(known)}")
            where = ".".join(map(str, loc[:-1])) or "the top level"
            problems.append(src.problem(loc, f"unknown key '{key}' in {where}", hint))
        elif kind == "missing":
            model = _model_at(loc[:-1], root)
            desc = ""
            if model is not None and loc[-1] in model.model_fields:
                desc = model.model_fields[loc[-1]].description or ""
            parent = ".".join(map(str, loc[:-1])) or "the top level"
            line, col = src.where(loc[:-1])
            problems.append(Problem(f"required key '{loc[-1]}' is missing from {parent}",
                                    file=src.file, line=line, column=col,
                                    field=".".join(map(str, loc)),
                                    hint=f"add '{loc[-1]}:' under {parent}. {desc}".strip()))
        elif kind in ("enum", "literal_error"):
            choices = _enum_choices(loc, root)
            if choices is None:
                expected = err.get("ctx", {}).get("expected", "")
                choices = re.findall(r"'([^']*)'", expected)
            close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
            hint = (f"did you mean '{close[0]}'? " if close else "") + \
                   f"allowed values: {', '.join(choices)}"
            problems.append(src.problem(loc, f"'{value}' is not an allowed value", hint))
        elif kind in ("model_type", "dict_type"):
            problems.append(src.problem(loc, f"expected a mapping of keys and values, got "
                                        f"{describe(value)}",
                                        "write it as indented 'key: value' lines"))
        elif kind == "list_type":
            problems.append(src.problem(loc, f"expected a list, got {describe(value)}",
                                        "write it as lines starting with '- ', or [a, b]"))
        elif kind.startswith("date") or kind == "date_from_datetime_inexact":
            problems.append(src.problem(loc, f"'{value}' is not a valid date",
                                        "write the date as YYYY-MM-DD, e.g. 2025-05-12"))
        elif kind in ("bool_type", "bool_parsing"):
            problems.append(src.problem(loc, f"expected yes or no, got {describe(value)}",
                                        "write true or false"))
        elif kind in ("string_type",):
            problems.append(src.problem(loc, f"expected text, got {describe(value)}",
                                        "write the value as text; quote it if it looks like "
                                        "a number or date"))
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
            problems.append(src.problem(loc, msg, None))
    return problems


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
