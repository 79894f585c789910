"""Outputs: the protocol downloaded in each format, builds that keep earlier versions
and write the redline (the same :func:`generator.batch.build_one` the command line
runs, so its atomic writes hold whichever of the two writes), built files downloaded,
and every council of the folder as one zip.

A built file is served only if the listing of the council's output folder names it.
"""
from __future__ import annotations

import io
from pathlib import Path
import zipfile

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from ..errors import ProtocolGenError
from .context import out_dir, public_problem, store

bp = Blueprint("outputs", __name__)

MEDIA = {"md": "text/markdown; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "zip": "application/zip"}


def profile_path(name: str) -> Path:
    path = store().path(name)
    if path is None:
        abort(404)
    return path


def rendered(name: str, fmt: str) -> bytes:
    """One format of the council's protocol, made from the saved profile (nothing is
    written). Raises ProtocolGenError for a profile that cannot be built."""
    from ..pipeline import build_profile
    if fmt not in ("md", "docx", "html", "pdf"):
        abort(404)
    built = build_profile(profile_path(name), store().library(), (fmt,))
    return built.files[fmt]


def download(data: bytes, filename: str, fmt: str, inline: bool = False) -> Response:
    response = Response(data, mimetype=MEDIA.get(fmt, "application/octet-stream"))
    kind = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{kind}; filename="{filename}"'
    if fmt == "html":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src " \
                                                      "'unsafe-inline'; sandbox"
    return response


def doubts(name: str) -> dict[str, str]:
    """The values an import could not read for certain, still to be confirmed."""
    from .doubts import doubts_in
    return doubts_in(profile_path(name).read_text(encoding="utf-8", errors="replace"))


def _unchecked(name: str):
    left = len(doubts(name))
    return render_template(
        "error.html", status=409,
        title="Please check the values read from the council's protocol first",
        fix=f"{left} value{'s are' if left != 1 else ' is'} marked “Please check” on the "
            "council's page. Confirm or correct each one and save; then the protocol can "
            "be made.", link=(url_for("pages.edit", name=name), "Check the values")), 409


@bp.get("/councils/<name>/protocol.<fmt>")
def protocol(name: str, fmt: str):
    from ..files import SUFFIX
    if doubts(name):
        return _unchecked(name)
    return download(rendered(name, fmt), f"{name}{SUFFIX}.{fmt}", fmt)


def _built_files(name: str) -> dict[str, Path]:
    """The files in the council's output folder and its previous/ folder, by the name
    the page shows ('previous/...' for kept versions)."""
    folder = out_dir() / name
    found: dict[str, Path] = {}
    for sub, prefix in ((folder, ""), (folder / "previous", "previous/")):
        if sub.is_dir() and not sub.is_symlink():
            for p in sorted(sub.iterdir()):
                if p.is_file() and not p.is_symlink() and not p.name.startswith("."):
                    found[prefix + p.name] = p
    return found


@bp.get("/councils/<name>/outputs")
def outputs(name: str):
    path = profile_path(name)
    files = _built_files(name)
    from .doubts import council_name
    text = path.read_text(encoding="utf-8", errors="replace")
    return render_template("outputs.html", name=name, files=files, doubts=doubts(name),
                           title=council_name(text),
                           redline=next((f for f in files if f.endswith("-redline.docx")),
                                        None),
                           report=next((f for f in files if f.endswith("-report.docx")), None),
                           out=str(out_dir() / name))


@bp.post("/councils/<name>/build")
def build(name: str):
    from ..batch import Request, build_one
    path = profile_path(name)
    if doubts(name):
        return _unchecked(name)
    outcome = build_one(path, store().library(),
                        Request(str(out_dir()), ("md", "docx"), redline=True, report=True))
    if not outcome.ok:
        flash("Not built: " + outcome.reason)
    else:
        changed = len(outcome.written)
        flash(f"Built: {changed} file(s) written, {len(outcome.unchanged)} unchanged"
              + (f", {len(outcome.kept)} earlier version(s) kept" if outcome.kept else "")
              + "." + "".join(f" {n}" for n in outcome.notes))
    return redirect(url_for("outputs.outputs", name=name))


@bp.get("/councils/<name>/files/<path:shown>")
def built_file(name: str, shown: str):
    profile_path(name)
    path = _built_files(name).get(shown)
    if path is None:
        abort(404)
    return download(path.read_bytes(), path.name, path.suffix.lstrip("."))


@bp.get("/download/councils.zip")
def all_councils():
    """Every council's protocol (Markdown and DOCX), made now, in one zip; a council
    whose profile has errors is listed in PROBLEMS.txt instead."""
    from ..files import SUFFIX
    from ..pipeline import build_profile
    buffer = io.BytesIO()
    problems = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in store().names():
            try:
                built = build_profile(profile_path(name), store().library(), ("md", "docx"))
            except ProtocolGenError as exc:
                problems += [str(public_problem(p)) for p in exc.errors or exc.problems]
                continue
            for fmt, data in built.files.items():
                zf.writestr(f"{name}/{name}{SUFFIX}.{fmt}", data)
        if problems:
            zf.writestr("PROBLEMS.txt", "\n".join(problems) + "\n")
    return download(buffer.getvalue(), "councils.zip", "zip")
