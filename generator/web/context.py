"""What every request handler shares: the councils' folder, the output folder, the
access token, and the error page (HTML, or JSON under /api/)."""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Iterable

from flask import current_app, g, jsonify, render_template

from ..errors import Problem
from .listing import Listing
from .store import Store


def problems_json(problems: Iterable[Problem]) -> list[dict]:
    """Problems as ``check`` prints them, as JSON."""
    return [{"severity": p.severity, "file": p.file, "line": p.line, "column": p.column,
             "field": p.field, "message": p.message, "fix": p.hint, "text": str(p)}
            for p in problems]


def error_page(status: int, title: str, fix: str, problems=()):
    if getattr(g, "api", False):
        body = {"error": title, "fix": fix}
        if problems:
            body["problems"] = problems_json(problems)
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, fix=fix,
                           problems=problems), status


def token_matches(given: str) -> bool:
    need = _ctx()["token"]
    return bool(need) and hmac.compare_digest(given.strip(), need)


def _ctx() -> dict:
    return current_app.extensions["protocolgen"]


def store() -> Store:
    return _ctx()["store"]


def listing() -> Listing:
    return _ctx()["listing"]


def out_dir() -> Path:
    return _ctx()["out"]
