"""The edit form, made from the profile schema (the same source as
docs/profile-reference.md), and the form's values turned back into profile data.

Each key becomes one field: a choice list for fixed values and for yes/no, a text box
for text and dates (typed as written, so ``check`` can say what is wrong with a wrong
date), and a text area of one entry a line for lists and mappings. A field left empty
leaves the key out of the profile, so it takes its default.
"""
from __future__ import annotations

from dataclasses import dataclass
import typing
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from ..profile.fields import (NO_DEFAULT, allowed_values, default_of, submodel, type_name,
                              unwrap_optional)
from ..profile.model import Profile
from ..profile.reference import _role_default_text, _show

UNSET = ""


@dataclass(frozen=True)
class FormField:
    section: str
    key: str
    label: str
    kind: str              # "choice", "bool", "text", "lines", "pairs", "history"
    description: str
    type_text: str
    default_text: str
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class Group:
    section: str
    description: str
    fields: tuple[FormField, ...]


def _kind(ann: Any) -> str:
    inner, _ = unwrap_optional(ann)
    origin = typing.get_origin(inner)
    if origin is list:
        return "history" if submodel(inner) else "lines"
    if origin is dict:
        return "pairs"
    if inner is bool:
        return "bool"
    if allowed_values(inner):
        return "choice"
    return "text"


def groups() -> tuple[Group, ...]:
    """Every profile key, grouped by section, in the schema's order."""
    out = []
    for section, sfield in Profile.model_fields.items():
        model: type[BaseModel] = submodel(sfield.annotation)
        fields = []
        for key, f in model.model_fields.items():
            kind = _kind(f.annotation)
            default = (_role_default_text(key) if section == "roles"
                       else _show(default_of(f)))
            fields.append(FormField(
                section, key, key.replace("_", " ").capitalize(), kind,
                f.description or "", type_name(f.annotation), default.replace("`", ""),
                tuple(allowed_values(f.annotation)) if kind in ("choice", "lines") else (),
                default_of(f) is NO_DEFAULT))
        out.append(Group(section, (model.__doc__ or "").strip(), tuple(fields)))
    return tuple(out)


GROUPS = groups()


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return UNSET
    if kind == "bool":
        return "yes" if value is True else "no" if value is False else str(value)
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "pairs":
        return "\n".join(f"{k}: {v}" for k, v in value.items()) \
            if isinstance(value, dict) else str(value)
    if kind == "history":
        if not isinstance(value, list):
            return str(value)
        return "\n".join(" | ".join(str(e.get(k, "")) for k in ("version", "date", "change"))
                         if isinstance(e, dict) else str(e) for e in value)
    return str(value)


def form_values(data: dict[str, Any]) -> dict[str, str]:
    """The form's field values for profile data (as JSON)."""
    out = {}
    for group in GROUPS:
        section = data.get(group.section)
        section = section if isinstance(section, dict) else {}
        for f in group.fields:
            out[f.name] = _shown(section.get(f.key), f.kind)
    return out


def _parsed(raw: str, kind: str) -> Any:
    raw = raw.replace("\r\n", "\n").strip()
    if kind == "bool":
        return {"yes": True, "no": False}.get(raw.lower(), raw)
    if kind == "lines":
        return [line.strip() for line in raw.split("\n") if line.strip()]
    if kind == "pairs":
        out = {}
        for line in raw.split("\n"):
            if line.strip():
                key, _, value = line.partition(":")
                out[key.strip()] = value.strip()
        return out
    if kind == "history":
        rows = []
        for line in raw.split("\n"):
            if line.strip():
                parts = [p.strip() for p in line.split("|", 2)] + ["", ""]
                rows.append({"version": parts[0], "date": parts[1], "change": parts[2]})
        return rows
    return raw


def apply_form(data: dict[str, Any], form: typing.Mapping[str, str]) -> dict[str, Any]:
    """Profile data with the form's fields applied: a changed field sets its key, an
    emptied one removes it; sections the form does not show are kept as they were."""
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    shown = form_values(data)
    for group in GROUPS:
        section = new.get(group.section)
        section = dict(section) if isinstance(section, dict) else {}
        for f in group.fields:
            if f.name not in form:
                continue
            raw = form[f.name]
            if raw.replace("\r\n", "\n").strip() == shown[f.name].strip():
                continue                        # untouched: keep exactly as written
            value = _parsed(raw, f.kind)
            if value in (UNSET, [], {}):
                section.pop(f.key, None)
            else:
                section[f.key] = value
        if section:
            new[group.section] = section
        else:
            new.pop(group.section, None)
    return new


def by_field(problems: typing.Iterable[Problem]) -> dict[str, list[Problem]]:
    """Problems under the form field they concern (the key path's first two parts);
    the rest under ''."""
    names = {f.name for g in GROUPS for f in g.fields}
    out: dict[str, list[Problem]] = {}
    for p in problems:
        parts = (p.field or "").split(".")
        name = ".".join(parts[:2])
        out.setdefault(name if name in names else "", []).append(p)
    return out
