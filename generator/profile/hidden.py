"""Characters a profile's text must not hold: controls, and those that reorder text as it
is shown (right-to-left overrides and isolates), which can make a council's name or a
title read as something other than what it is."""
from __future__ import annotations

from typing import Any
import unicodedata

from ..errors import Problem
from .yamlsource import Located

# characters that show text other than it is (right-to-left overrides and isolates, marks)
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def hidden_characters(src: Located) -> list[Problem]:
    """A value holding a control character, or one that reorders text as it is shown
    (such as U+202E RIGHT-TO-LEFT OVERRIDE, which can make a name read backwards)."""
    out: list[Problem] = []
    todo: list[tuple[tuple, Any]] = [((), src.data)]
    while todo and len(out) < 20:
        path, value = todo.pop()
        if isinstance(value, dict):
            todo += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            todo += [((*path, i), v) for i, v in enumerate(value)]
        elif isinstance(value, str):
            bad = next((c for c in value if ord(c) in _BIDI or (
                unicodedata.category(c) == "Cc" and c not in "\t\n")), None)
            if bad is not None:
                what = unicodedata.name(bad, "a control character").lower()
                out.append(src.problem(
                    path, f"the text holds the invisible character U+{ord(bad):04X} "
                    f"({what}), which can make it show as something it is not",
                    "type the text again without it (it often comes with text copied "
                    "from elsewhere)"))
    return out
