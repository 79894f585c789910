"""What every request handler shares: the councils' folder, the output folder, the
access token, and the error page (HTML, or JSON under /api/).

Nothing a visitor sees names a folder of the server: a problem's file is shown by its
name in the councils' folder, and any other path in a message by its last part
(:func:`public`).
"""
from __future__ import annotations

import dataclasses
import hmac
import os
from pathlib import Path
import re
from typing import Iterable

from flask import current_app, g, has_app_context, jsonify, render_template

from ..errors import Problem
from .listing import Listing
from .store import Store

# an absolute path's folders (POSIX or Windows), not a URL's or a date's
_FOLDERS = re.compile(r"(?<![\w.:/\\])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'\"()<>|]+[/\\])+")


def public(text: str | None) -> str | None:
    """``text`` with every absolute path shortened to its last part (a file's name)."""
    if not text:
        return text
    return _FOLDERS.sub("", text)


def public_path(file: str) -> str:
    """A file as a visitor may see it: by its path in the councils' folder, or else by
    its last part."""
    if has_app_context() and Path(file).is_absolute():
        try:
            return Path(file).resolve().relative_to(store().folder.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return public(file) or file


def public_text(text: str | None) -> str | None:
    """A message that may name files (as ``check`` prints them), with no server folder:
    files in the councils' folder by their path there, others by their last part."""
    if not text or not has_app_context():
        return public(text)
    for root in {str(store().folder.resolve()), str(store().folder.absolute())}:
        text = text.replace(root + os.sep, "")
    return public(text)


def public_problem(p: Problem) -> Problem:
    """A problem as a visitor may see it: its file by its name in the councils' folder."""
    return dataclasses.replace(p, file=p.file and public_path(p.file),
                               message=public(p.message), hint=public(p.hint))


def problems_json(problems: Iterable[Problem]) -> list[dict]:
    """Problems as ``check`` prints them, as JSON (with no server paths)."""
    out = []
    for p in map(public_problem, problems):
        out.append({"severity": p.severity, "file": p.file, "line": p.line,
                    "column": p.column, "field": p.field, "message": p.message,
                    "fix": p.hint, "text": str(p)})
    return out


def error_page(status: int, title: str, fix: str, problems=()):
    fix = public(fix) or ""
    if getattr(g, "api", False):
        body = {"error": title, "fix": fix}
        if problems:
            body["problems"] = problems_json(problems)
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, fix=fix,
                           problems=[public_problem(p) for p in problems]), status


def token_matches(given: str) -> bool:
    """Whether ``given`` is the access token (compared in constant time, as bytes, so
    that any text, in any script, is simply a wrong token)."""
    need = _ctx()["token"]
    return bool(need) and hmac.compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), need.encode("utf-8"))


def _ctx() -> dict:
    return current_app.extensions["protocolgen"]


def store() -> Store:
    return _ctx()["store"]


def listing() -> Listing:
    return _ctx()["listing"]


def out_dir() -> Path:
    return _ctx()["out"]
