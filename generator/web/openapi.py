"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json. The
profile's schema in it is the one ``protocol-gen schema`` prints.

Every status and header an operation can answer with is listed, including those any
request may meet: 400 (a host name not the app's, or a body that cannot be read), 401
and 429 (with an access token: none given, or too many wrong ones), 405 (another method
at that address, with the Allow header), 413 (a body too large).
"""
from __future__ import annotations

import json
from typing import Any

from .. import __version__

METHODS = ("get", "put", "post", "delete", "patch")
_NAME = {"name": "name", "in": "path", "required": True,
         "description": "The profile's file name without .yaml",
         "schema": {"type": "string"}}


def _schema(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _header(name: str, text: str) -> dict[str, Any]:
    return {name: {"description": text, "schema": {"type": "string"}}}


def _error(text: str, **headers: str) -> dict[str, Any]:
    out: dict[str, Any] = {"description": text, "content": _schema("Error")}
    if headers:
        out["headers"] = {k.replace("_", "-"): v for k, v in headers.items()}
    return out


_ETAG = _header("ETag", "The version of the profile file (send it back in If-Match)")
_PROBLEMS = {"description": "The profile has problems (as `check` prints them); nothing "
                            "was written", "content": _schema("Rejected")}
_ANY = {
    "400": _error("The request could not be read: a host name that is not the app's, or "
                  "a body that is not a JSON object (or nests too deeply)"),
    "401": _error("An access token is needed: send 'Authorization: Bearer TOKEN'",
                  **_header("WWW-Authenticate", "Bearer")),
    "429": _error("Too many wrong access tokens from this address: wait, then try again",
                  **_header("Retry-After", "Seconds to wait")),
}
_TOO_LARGE = {"413": _error("The body is larger than this address takes (512 KB of JSON; "
                            "20 MB for an upload)")}
_NOT_JSON = {"415": _error("The body is not application/json")}
_CLASH = _error("Two files in the folder would be this council (x.yaml and x.yml, or names "
                "differing only in case): rename one")


def _op(summary: str, responses: dict[str, Any], body: dict | None = None,
        **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, **extra}
    if body:
        op["requestBody"] = body
        responses = {**responses, **_TOO_LARGE}
    op["responses"] = dict(sorted({**responses, **_ANY}.items()))
    return op


def _not_allowed(item: dict[str, Any]) -> dict[str, Any]:
    """Every other method at a path: 405, with the Allow header naming those it takes."""
    allowed = ", ".join(m.upper() for m in METHODS if m in item)
    for method in METHODS:
        if method not in item:
            item[method] = {"summary": f"Not allowed here (this address takes {allowed})",
                            "responses": {"405": _error(
                                "Not allowed: the Allow header names the methods this "
                                "address takes", **_header("Allow", allowed))}}
    return item


def description() -> dict[str, Any]:
    from ..profile.load import json_schema
    profile = json_schema()
    defs = profile.pop("$defs", {})
    profile.pop("$schema", None)
    move = lambda s: json.loads(json.dumps(s).replace("#/$defs/",        # noqa: E731
                                                      "#/components/schemas/"))
    profile, defs = move(profile), move(defs)
    body = {"required": True, "content": _schema("Profile")}
    upload = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["protocol"], "properties": {"protocol": {
            "type": "string", "contentMediaType": "application/octet-stream",
            "description": "The council's current protocol: .docx, .pdf, .html, .md or "
                           ".txt, up to 20 MB"}}}}}}
    created = {"description": "Created; Location is its address", "content": _schema(
        "Created"), "headers": _header("Location", "The new council's address")}
    paths = {
        "/api/councils": {
            "get": _op("The councils in the folder",
                       {"200": {"description": "Every council", "content":
                                _schema("CouncilList")}}),
            "post": _op("Add a council (file name made from council.name)",
                        {"201": created, "409": _error("A council file of that name exists"),
                         **_NOT_JSON, "422": _PROBLEMS}, body)},
        "/api/councils/{name}": {
            "parameters": [_NAME],
            "get": _op("The profile as JSON",
                       {"200": {"description": "The profile", "content": _schema("Profile"),
                                "headers": _ETAG},
                        "404": _error("No such council"), "409": _CLASH,
                        "422": _PROBLEMS}),
            "put": _op("Replace the profile (comments in the file are kept)",
                       {"200": {"description": "Saved", "content": _schema("Profile"),
                                "headers": _ETAG},
                        "404": _error("No such council"),
                        "409": {"description": "The file on disk is not a readable profile "
                                               "(then with its ETag, and the body's etag: "
                                               "send If-Match with it to replace the file), "
                                               "or two files are this council; the file is "
                                               "left as it is", "content": _schema("Error"),
                                "headers": _ETAG},
                        "412": _error("The file changed since that ETag"),
                        **_NOT_JSON, "422": _PROBLEMS}, body,
                       parameters=[{"name": "If-Match", "in": "header",
                                    "schema": {"type": "string"}}])},
        "/api/councils/{name}/protocol.{format}": {
            "parameters": [_NAME, {"name": "format", "in": "path", "required": True,
                                   "schema": {"enum": ["md", "docx", "html", "pdf"]}}],
            "get": _op("The protocol in one format, made from the saved profile",
                       {"200": {"description": "The file", "headers": _header(
                           "Content-Disposition", "attachment, with the file's name"),
                                "content": {m: {} for m in (
                                    "text/markdown", "text/html", "application/pdf",
                                    "application/vnd.openxmlformats-officedocument."
                                    "wordprocessingml.document")}},
                        "404": _error("No such council or format"), "409": _CLASH,
                        "422": _PROBLEMS})},
        "/api/councils/{name}/explain": {
            "parameters": [_NAME],
            "get": _op("Where every clause comes from (protocol-gen explain)",
                       {"200": {"description": "The report",
                                "content": {"application/json": {"schema": {
                                    "type": "object"}}}},
                        "404": _error("No such council"), "409": _CLASH,
                        "422": _PROBLEMS})},
        "/api/imports": {
            "post": _op("Import the council's current protocol as 'protocol-gen import' "
                        "does: a profile and a folder of its own wording",
                        {"201": created, "409": _error("A council of that name exists; "
                                                       "nothing was imported"),
                         "415": _error("The body is not multipart/form-data"),
                         "422": _PROBLEMS}, upload)},
        "/api/openapi.json": {
            "get": _op("This description", {"200": {"description": "OpenAPI 3.1",
                                                    "content": {"application/json": {}}}})},
    }
    problem = {"type": "object", "properties": {
        k: {"type": ["string", "integer", "null"]} for k in
        ("severity", "file", "line", "column", "field", "message", "fix", "text")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "protocol-gen", "version": __version__,
                 "description": "Council profiles and their Member/Officer Protocols."},
        "security": [{"bearer": []}, {}],
        "paths": {path: _not_allowed(item) for path, item in paths.items()},
        "components": {
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "The access token given to 'protocol-gen serve' (needed "
                               "whenever it serves other machines)"}},
            "schemas": {
                **defs, "Profile": profile,
                "CouncilList": {"type": "array", "items": {"type": "object", "required": [
                    "name", "title"], "properties": {
                    "name": {"type": "string"}, "title": {"type": ["string", "null"]},
                    "version": {"type": ["string", "null"]},
                    "adopted": {"type": ["string", "null"]},
                    "next_review": {"type": ["string", "null"]},
                    "review_overdue": {"type": "boolean"}, "review_due": {"type": "boolean"},
                    "law_changes": {"type": "array", "items": {"type": "string"},
                                    "description": "Changes in the law since adoption that "
                                                   "touch the protocol ('Equality Act 2010, "
                                                   "26 October 2024')"},
                    "errors": {"type": "integer"},
                    "warnings": {"type": "integer"}, "url": {"type": "string"}}}},
                "Created": {"type": "object", "required": ["name", "url"], "properties": {
                    "name": {"type": "string"}, "url": {"type": "string"}}},
                "Problem": problem,
                "Rejected": {"type": "object", "required": ["error", "problems"],
                             "properties": {
                                 "error": {"type": "string"},
                                 "problems": {"type": "array", "items": {
                                     "$ref": "#/components/schemas/Problem"}}}},
                "Error": {"type": "object", "required": ["error", "fix"], "properties": {
                    "error": {"type": "string"}, "fix": {"type": "string"},
                    "etag": {"type": "string"},
                    "problems": {"type": "array", "items": {
                        "$ref": "#/components/schemas/Problem"}}}},
            }},
    }
