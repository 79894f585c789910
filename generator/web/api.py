"""The JSON API: councils listed, read, replaced and added; the protocol in each format;
the ``explain`` report; and the OpenAPI description of all of it.

A council's JSON is its profile file's data (dates as YYYY-MM-DD), the same shape PUT
takes. PUT and POST take only ``application/json``; a body with errors gets 422 with
the problems ``check`` prints, and the file is not touched.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, jsonify, request, url_for

from ..errors import Problem, ProtocolGenError
from ..files import safe_stem
from ..profile.interview import slug
from .context import error_page, listing, problems_json, public_path, public_text, store
from .outputs import download, rendered
from .store import Conflict, Exists, digest, edited_text, new_text

bp = Blueprint("api", __name__, url_prefix="/api")


MAX_DEPTH = 20        # a profile nests four or five levels deep


def _body() -> dict:
    if request.mimetype != "application/json":
        abort(415)
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict):
        abort(400, description="send the profile as a JSON object: {\"council\": {...}}")
    if _depth(data) > MAX_DEPTH:
        abort(400, description=f"the JSON nests more than {MAX_DEPTH} levels deep; send "
                               "the profile as GET gives it")
    return data


def _depth(value) -> int:
    """How deeply ``value`` nests (counted without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, level = todo.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else \
            node if isinstance(node, list) else ()
        todo.extend((child, level + 1) for child in children
                    if isinstance(child, (dict, list)))
    return deepest


def _rejected(checked):
    body = {"error": "the profile has problems; nothing was written",
            "problems": problems_json(checked.problems)}
    return jsonify(body), 422


@bp.get("/councils")
def councils():
    today = dt.date.today()
    out = []
    for s in listing().rows(today, wait=None):     # every row checked
        out.append({"name": s.name, "file": s.file, "title": s.title, "version": s.version,
                    "adopted": s.adopted.isoformat() if s.adopted else None,
                    "next_review": s.next_review, "review_overdue": s.overdue,
                    "review_due": s.due, "law_changes": list(s.law),
                    "errors": s.errors, "warnings": s.warnings,
                    "first_problem": public_text(s.first_problem),
                    "url": url_for("api.council", name=s.name)})
    return jsonify(out)


def _found(name: str):
    found = store().read(name)
    if found is None:
        abort(404)
    return found


@bp.get("/councils/<name>")
def council(name: str):
    path, raw = _found(name)
    data = store().data(raw.decode("utf-8", "replace"), str(path))
    if data is None:
        checked = store().check(name, raw.decode("utf-8", "replace"))
        return _rejected(checked)
    response = jsonify(data)
    response.set_etag(digest(raw))
    return response


@bp.put("/councils/<name>")
def replace(name: str):
    path, raw = _found(name)
    data = _body()
    if request.if_match and not request.if_match.contains(digest(raw)):
        return error_page(412, "The profile changed since you read it",
                          "GET it again and apply your change to the new version")
    text = raw.decode("utf-8", "replace")
    try:
        new = edited_text(text, data) if store().data(text, str(path)) is not None else None
    except ProtocolGenError:
        new = None
    if new is None:          # the file on disk is not a profile: no comments can be kept
        if not (request.if_match and request.if_match.contains(digest(raw))):
            return _broken_on_disk(name, path, raw)
        new = new_text(data)                # replacing it was asked for, by its version
    checked = store().check(name, new)
    if checked.errors:
        return _rejected(checked)
    try:
        store().save(name, new, digest(raw))
    except Conflict:
        return error_page(409, "The profile changed while it was being saved",
                          "GET it again and apply your change to the new version")
    response = jsonify(store().data(new, str(path)))
    response.set_etag(digest(new.encode("utf-8")))
    return response


def _broken_on_disk(name: str, path, raw: bytes):
    """409: the file on disk cannot be read, so an edit cannot keep its comments; it is
    left as it is until it is fixed, or replaced on purpose (If-Match: its ETag)."""
    checked = store().check(name, raw.decode("utf-8", "replace"))
    etag = digest(raw)
    response = jsonify({
        "error": f"{path.name} on disk cannot be read as a profile, so it was not changed",
        "fix": "fix the file in a text editor (see problems), or replace it whole on purpose: "
               f"send the PUT again with the header 'If-Match: \"{etag}\"'",
        "etag": etag, "problems": problems_json(checked.problems)})
    response.status_code = 409
    response.set_etag(etag)
    return response


@bp.post("/councils")
def create():
    data = _body()
    council = data.get("council")
    title = council.get("name") if isinstance(council, dict) else None
    if not isinstance(title, str) or not title.strip():
        fix = "add council.name, the council's full name; the file name is made from it"
        return error_page(422, "council.name is needed", fix, problems=[Problem(
            "council.name is needed", field="council.name", hint=fix)])
    name = slug(title)
    text = new_text(data)
    checked = store().check(name, text)
    if checked.errors:
        return _rejected(checked)
    try:
        store().create(name, text)
    except Exists:
        return error_page(409, f"a council file named {name}.yaml already exists",
                          "PUT to its address to change it, or choose another name")
    location = url_for("api.council", name=name)
    response = jsonify({"name": name, "url": location})
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.post("/imports")
def import_council():
    """The council's current protocol (multipart field ``protocol``, up to 20 MB),
    imported as 'protocol-gen import' does: 201 with the new council's address; 409
    when a council of that name exists (nothing is replaced); 422 when it cannot be
    read or is not a protocol."""
    from ..importer.read import MAX_BYTES
    from ..importer.run import audit_bytes, import_files
    from ..files import replace_folder
    if request.mimetype != "multipart/form-data":
        abort(415, description="send the file as multipart/form-data in the field "
                               "'protocol', e.g. curl -F protocol=@current.docx")
    upload = request.files.get("protocol")
    if upload is None or not upload.filename:
        fix = ("send the council's current protocol (.docx, .pdf, .html, .md or .txt) in "
               "the field 'protocol'")
        return error_page(422, "no file was sent", fix, problems=[Problem(
            "no file was sent", field="protocol", hint=fix)])
    given = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]   # a label; never a path
    library = store().library()
    try:
        found = audit_bytes(upload.read(MAX_BYTES + 1), given, library)
        name = safe_stem(found.council.value("name") or "imported-council").lower()
        taken = {n.casefold() for n in store().names()}
        if name.casefold() in taken or (store().folder / f"{name}-clauses").exists():
            return error_page(409, f"a council named {name} exists already, so nothing was "
                              "imported", "import it in the browser app, which offers to "
                              "replace it, or remove or rename the existing files first")
        replace_folder(store().folder, import_files(found, name, library))
    except ProtocolGenError as exc:
        return _rejected_import(exc)
    location = url_for("api.council", name=name)
    response = jsonify({"name": name, "url": location})
    response.status_code = 201
    response.headers["Location"] = location
    return response


def _rejected_import(exc):
    return jsonify({"error": "the file could not be imported; nothing was written",
                    "problems": problems_json(exc.problems)}), 422


@bp.get("/councils/<name>/protocol.<fmt>")
def protocol(name: str, fmt: str):
    from ..files import SUFFIX
    _found(name)
    return download(rendered(name, fmt), f"{name}{SUFFIX}.{fmt}", fmt)


@bp.get("/councils/<name>/explain")
def explain(name: str):
    from ..library.provenance import explain as provenance
    path, raw = _found(name)
    checked = store().check(name, raw.decode("utf-8", "replace"))
    if checked.errors or checked.document is None:
        return _rejected(checked)
    report = provenance(checked.profile, checked.library, checked.document, path.name)
    return jsonify(_no_folders(report.as_json()))


def _no_folders(value, key: str = ""):
    """The explain report with each file and folder named within the councils' folder
    (the house clauses' files), or by its last part: never a folder of the server."""
    if isinstance(value, dict):
        return {k: _no_folders(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_folders(v, key) for v in value]
    if isinstance(value, str) and key in ("file", "profile", "library", "folder"):
        return public_path(value)
    return value


@bp.get("/openapi.json")
def openapi():
    from .openapi import description
    return jsonify(description())
