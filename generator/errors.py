"""The one exception family of protocolgen.

Every error a user can cause is a :class:`ProtocolGenError` carrying one or more
:class:`Problem` records: the file, the line and column (when known), the field,
what is wrong and how to fix it. The CLI prints them; nothing else does.
"""
from __future__ import annotations

from dataclasses import dataclass
import os


def clip(text: object, limit: int = 60) -> str:
    """Text shortened for a message: a 100,000-character key is shown by its start."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quiet_libraries() -> None:
    """Keep the libraries' own warnings (python-docx's, and others') from the user, who
    can do nothing with them; PROTOCOLGEN_DEBUG=1 shows them."""
    import warnings
    if not os.environ.get("PROTOCOLGEN_DEBUG"):
        warnings.simplefilter("ignore")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or unusual) in an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class ProtocolGenError(Exception):
    """Base of every error protocolgen raises on purpose."""

    kind = "error"

    def __init__(self, problems: Problem | list[Problem] | str, *, file: str | None = None,
                 hint: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, file=file, hint=hint)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class ProfileError(ProtocolGenError):
    """A council profile cannot be read or is not valid."""


class LibraryError(ProtocolGenError):
    """The clause library is not valid."""


class AssemblyError(ProtocolGenError):
    """A valid profile and library still cannot make a document (e.g. a dangling reference)."""


class OutputError(ProtocolGenError):
    """A file cannot be written, or an output tool is missing."""
