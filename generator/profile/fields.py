"""What a profile field allows, read from its pydantic annotation.

Shared by the validation messages, the profile reference and the ``init`` interview;
it knows nothing of any particular model.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

NO_DEFAULT = object()


def _args(ann: Any) -> tuple:
    return typing.get_args(ann)


def unwrap_optional(ann: Any) -> tuple[Any, bool]:
    """(the annotation without None, whether None was allowed)."""
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in _args(ann) if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return ann, False


def allowed_values(ann: Any) -> list[str]:
    """The fixed choices a field (or the items of a list field) allows, else []."""
    ann, _ = unwrap_optional(ann)
    if typing.get_origin(ann) is list:
        return allowed_values(_args(ann)[0])
    if isinstance(ann, type) and issubclass(ann, Enum):
        return [str(m.value) for m in ann]
    if typing.get_origin(ann) is Literal:
        return [str(a) for a in _args(ann)]
    return []


def submodel(ann: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds (directly, optionally or as list items)."""
    ann, _ = unwrap_optional(ann)
    if typing.get_origin(ann) is list:
        return submodel(_args(ann)[0])
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return None


def type_name(ann: Any) -> str:
    """A field's type in plain words."""
    ann, _ = unwrap_optional(ann)
    origin = typing.get_origin(ann)
    if allowed_values(ann) and origin is not list:
        return "one of"
    if origin is list:
        inner = _args(ann)[0]
        if submodel(inner):
            return "list of entries"
        return "list of " + ("values, each one of" if allowed_values(inner)
                             else type_name(inner))
    if origin is dict:
        return "mapping of " + type_name(_args(ann)[0]) + " to " + type_name(_args(ann)[1])
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "mapping"
    return {str: "text", bool: "true or false", int: "whole number",
            dt.date: "date (YYYY-MM-DD)"}.get(ann, getattr(ann, "__name__", str(ann)))


def default_of(field: FieldInfo) -> Any:
    """The field's default (calling a default factory), or NO_DEFAULT when required."""
    if field.is_required():
        return NO_DEFAULT
    return field.get_default(call_default_factory=True)
