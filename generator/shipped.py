"""Where the shipped data lives: the clause library and the example council profiles.

In a checkout they are the repository's top-level ``clause_library/`` and
``council_profiles/``; an installed package (``pip install .``, ``pipx install``, a
wheel) carries a copy of both in ``generator/_shipped/``, put there when the package is
built (see ``setup.py``). Both are found by the one function below, which looks inside
the package first and then beside it.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSIDE = PACKAGE / "_shipped"          # an installed package
CHECKOUT = PACKAGE.parent              # a checkout (or an editable install)
NAMES = ("clause_library", "council_profiles")


def shipped(name: str) -> Path:
    """The shipped folder ``name`` (one of :data:`NAMES`): the package's own copy when
    it has one, else the checkout's. When neither exists, the checkout's path (so the
    message that follows names where it was looked for)."""
    if name not in NAMES:
        raise ValueError(f"no shipped folder {name!r}")
    for base in (INSIDE, CHECKOUT):
        if (base / name).is_dir():
            return base / name
    return CHECKOUT / name


CLAUSE_LIBRARY = shipped("clause_library")
COUNCIL_PROFILES = shipped("council_profiles")
