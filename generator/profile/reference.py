"""The profile reference: every key of a council profile described from the pydantic model.

``protocol-gen schema --markdown`` prints :func:`reference_markdown`; the result is kept
in docs/profile-reference.md (a test checks that it is up to date).
"""
from __future__ import annotations

from enum import Enum
import typing
from typing import Any

from pydantic import BaseModel

from .constants import LOCAL_TIERS, PRINCIPAL_TIERS, role_defaults
from .fields import NO_DEFAULT, allowed_values, default_of, submodel, type_name, unwrap_optional
from .model import CONTEXT_NAMES, Profile


def _show(value: Any) -> str:
    if value is NO_DEFAULT:
        return "required"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Enum):
        value = value.value
    if value in ([], {}):
        return "empty"
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _role_default_text(key: str) -> str:
    """How a role title's default follows the tier, governance and nation, in words."""
    england, wales = _role_default_in(key, "england"), _role_default_in(key, "wales")
    return england if england == wales else f"in England {england}; in Wales {wales}"


def _role_default_in(key: str, nation: str) -> str:
    combos = [(t, "committee") for t in LOCAL_TIERS] + \
        [(t, g) for t in PRINCIPAL_TIERS for g in ("committee", "leader_cabinet",
                                                   "mayor_cabinet")]
    by_value: dict[Any, list[tuple[str, str]]] = {}
    for tier, gov in combos:
        by_value.setdefault(role_defaults(tier, gov, nation)[key], []).append((tier, gov))
    if len(by_value) == 1:
        return _show(next(iter(by_value)))
    parts = []
    for value, where in by_value.items():
        tiers = {t for t, _ in where}
        govs = {g for _, g in where}
        if set(where) == {c for c in combos if c[0] in tiers}:  # depends on the tier
            if tiers == set(LOCAL_TIERS):
                label = "local councils"
            elif tiers == set(PRINCIPAL_TIERS):
                label = "principal councils"
            else:
                label = ", ".join(t for t in LOCAL_TIERS + PRINCIPAL_TIERS if t in tiers)
        else:
            label = ", ".join(g for g in ("committee", "leader_cabinet", "mayor_cabinet")
                              if g in govs)
        parts.append(f"{_show(value)} ({label})")
    return "; ".join(parts)


def _template_name(section: str, key: str) -> str | None:
    """The name the clause library's texts and conditions use for this key, if any."""
    name = "council_name" if (section, key) == ("council", "name") else key
    if section in ("council", "roles", "policies", "terms") and name in CONTEXT_NAMES:
        return name
    return None


def _rows(model: type[BaseModel], prefix: str, section: str) -> list[str]:
    rows = []
    for key, field in model.model_fields.items():
        path = f"{prefix}.{key}"
        allowed = allowed_values(field.annotation)
        kind = type_name(field.annotation)
        if allowed:
            kind += ": " + ", ".join(f"`{a}`" for a in allowed)
        if section == "roles":
            default = _role_default_text(key)
        else:
            default = _show(default_of(field))
        what = field.description or ""
        name = _template_name(section, key)
        if name:
            what += f" In the clause library: `{name}`."
        rows.append(f"| `{path}` | {_cell(kind)} | {_cell(default)} | {_cell(what)} |")
        inner = submodel(field.annotation)
        if inner is not None:
            rows += _rows(inner, path + "[]" if typing.get_origin(
                unwrap_optional(field.annotation)[0]) is list else path, section)
    return rows


def reference_markdown() -> str:
    """Markdown describing every profile key: type, allowed values, default, effect."""
    out = [
        "# Council profile reference",
        "",
        "Every key a council profile may contain: its type and allowed values, the default "
        "taken when the key is left out, and what it changes in the protocol. A profile is "
        "a YAML file; `protocol-gen init` writes one and `protocol-gen check` checks one.",
        "",
        "This page is generated from the profile schema by `protocol-gen schema --markdown`; "
        "do not edit it by hand. Keys marked `[]` belong to each entry of a list.",
    ]
    for section, field in Profile.model_fields.items():
        model = submodel(field.annotation)
        assert model is not None
        need = "required" if field.is_required() else "optional"
        out += ["", f"## `{section}` ({need})", "", _cell(model.__doc__ or ""), "",
                "| key | type and allowed values | default | what it does |",
                "|---|---|---|---|"]
        out += _rows(model, section, section)
    return "\n".join(out) + "\n"
