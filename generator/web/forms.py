"""The edit form, made from the profile schema (the same source as
docs/profile-reference.md), and the form's values turned back into profile data.

Each key becomes one field: a choice list for fixed values and for yes/no, a date or
month box for dates (read as the add page and ``init`` read them, so both accept and
refuse the same), a text box for text, boxes to tick for a list of fixed values, a table
for the earlier versions and a text area for other lists. A field left empty leaves the
key out of the profile, so it takes its usual value.
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import typing
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from ..profile.fields import (NO_DEFAULT, allowed_values, default_of, submodel, type_name,
                              unwrap_optional)
from ..profile.dates import AnswerError, parse_date, parse_month
from ..profile.model import Profile
from ..profile.reference import _role_default_text, _show

UNSET = ""


@dataclass(frozen=True)
class FormField:
    section: str
    key: str
    label: str
    kind: str              # choice, bool, text, date, month, lines, pairs, history
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


def _kind(ann: Any, key: str = "") -> str:
    inner, _ = unwrap_optional(ann)
    if inner is dt.date:
        return "date"
    if key == "next_review":
        return "month"
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
            kind = _kind(f.annotation, key)
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


def _iso(raw: str, kind: str) -> str:
    """A date or month as the profile writes it, when it can be read; else as typed (and
    :func:`date_problems` says why)."""
    try:
        value = parse_date(raw) if kind == "date" else parse_month(raw)
    except AnswerError:
        return raw
    return value.isoformat() if isinstance(value, dt.date) else (value or "")


def date_problems(form: typing.Mapping[str, str]) -> list[Problem]:
    """Each date or month in the form that cannot be read, with the same message as on
    the add page and in ``init``."""
    out = []
    for group in GROUPS:
        for f in group.fields:
            raws = [form.get(f.name, "")] if f.kind in ("date", "month") else \
                _getlist(form, f"{f.name}.date") if f.kind == "history" else []
            for raw in raws:
                try:
                    if f.kind == "month":
                        parse_month(raw)
                    else:
                        parse_date(raw)
                except AnswerError as exc:
                    out.append(Problem(exc.message, field=f.name, hint=exc.hint))
    return out


def _getlist(form, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return list(form.getlist(name))
    value = form.get(name)
    return [] if value is None else [value]


def field_text(form, f: FormField) -> str | None:
    """The field's value as one text, however the page shows it (None: not in the form)."""
    if f.kind == "history" and f"{f.name}.version" in form:
        rows = zip(_getlist(form, f"{f.name}.version"), _getlist(form, f"{f.name}.date"),
                   _getlist(form, f"{f.name}.change"))
        return "\n".join(" | ".join([v.strip(), _iso(d.strip(), "date"), c.strip()])
                         for v, d, c in rows if v.strip() or d.strip() or c.strip())
    if f.name not in form:
        return None
    if f.kind == "lines" and f.choices:
        return "\n".join(v for v in _getlist(form, f.name) if v.strip())
    raw = form[f.name]
    return _iso(raw.strip(), f.kind) if f.kind in ("date", "month") and raw.strip() else raw


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
            raw = field_text(form, f)
            if raw is None:
                continue
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


def history_rows(value: str) -> list[tuple[str, str, str]]:
    """The earlier versions as table rows (version, date, what changed), and one empty
    row to add another."""
    rows = []
    for line in value.split("\n"):
        if line.strip():
            parts = [p.strip() for p in line.split("|", 2)] + ["", ""]
            rows.append((parts[0], parts[1], parts[2]))
    return rows + [("", "", "")]
