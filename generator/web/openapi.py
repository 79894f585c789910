"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json. The
profile's schema in it is the one ``protocol-gen schema`` prints."""
from __future__ import annotations

from typing import Any

from .. import __version__

_NAME = {"name": "name", "in": "path", "required": True,
         "description": "The profile's file name without .yaml",
         "schema": {"type": "string"}}
_PROBLEMS = {"description": "The profile has problems (as `check` prints them); nothing "
                            "was written",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                                  "Rejected"}}}}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _error(text: str) -> dict[str, Any]:
    return {"description": text, **_ERROR}


def _json(ref: str, text: str) -> dict[str, Any]:
    return {"description": text,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def description() -> dict[str, Any]:
    from ..profile.load import json_schema
    profile = json_schema()
    defs = profile.pop("$defs", {})
    profile.pop("$schema", None)
    text = lambda s: s.replace("#/$defs/", "#/components/schemas/")   # noqa: E731
    import json
    profile = json.loads(text(json.dumps(profile)))
    defs = json.loads(text(json.dumps(defs)))
    body = {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Profile"}}}}
    problem = {"type": "object", "properties": {
        k: {"type": ["string", "integer", "null"]} for k in
        ("severity", "file", "line", "column", "field", "message", "fix", "text")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "protocol-gen", "version": __version__,
                 "description": "Council profiles and their Member/Officer Protocols."},
        "paths": {
            "/api/councils": {
                "get": {"summary": "The councils in the folder",
                        "responses": {"200": _json("CouncilList", "Every council")}},
                "post": {"summary": "Add a council (file name made from council.name)",
                         "requestBody": body,
                         "responses": {"201": {"description": "Created; Location names it"},
                                       "409": _error("A council file of that name exists"),
                                       "415": _error("The body is not application/json"),
                                       "422": _PROBLEMS}}},
            "/api/councils/{name}": {
                "parameters": [_NAME],
                "get": {"summary": "The profile as JSON (ETag: its version)",
                        "responses": {"200": _json("Profile", "The profile"),
                                      "404": _error("No such council")}},
                "put": {"summary": "Replace the profile (comments in the file are kept)",
                        "parameters": [{"name": "If-Match", "in": "header",
                                        "schema": {"type": "string"}}],
                        "requestBody": body,
                        "responses": {"200": _json("Profile", "Saved"),
                                      "404": _error("No such council"),
                                      "409": _error("The file on disk is not a readable "
                                                    "profile (or two files are this "
                                                    "council): left as it is; send If-Match "
                                                    "with its ETag to replace it"),
                                      "412": _error("The file changed since that ETag"),
                                      "415": _error("The body is not application/json"),
                                      "422": _PROBLEMS}}},
            "/api/councils/{name}/protocol.{format}": {
                "parameters": [_NAME, {"name": "format", "in": "path", "required": True,
                                       "schema": {"enum": ["md", "docx", "html", "pdf"]}}],
                "get": {"summary": "The protocol in one format, made from the saved profile",
                        "responses": {"200": {"description": "The file"},
                                      "404": _error("No such council or format"),
                                      "422": _error("The profile cannot be built")}}},
            "/api/councils/{name}/explain": {
                "parameters": [_NAME],
                "get": {"summary": "Where every clause comes from (protocol-gen explain)",
                        "responses": {"200": {"description": "The report",
                                              "content": {"application/json": {}}},
                                      "404": _error("No such council"),
                                      "422": _PROBLEMS}}},
        },
        "components": {"schemas": {
            **defs, "Profile": profile,
            "CouncilList": {"type": "array", "items": {"type": "object", "required": [
                "name", "title"], "properties": {
                "name": {"type": "string"}, "title": {"type": "string"},
                "version": {"type": "string"}, "adopted": {"type": ["string", "null"]},
                "next_review": {"type": ["string", "null"]},
                "review_overdue": {"type": "boolean"}, "review_due": {"type": "boolean"},
                "law_changes": {"type": "array", "items": {"type": "string"},
                                "description": "Changes in the law since adoption that "
                                               "touch the protocol ('Equality Act 2010, "
                                               "26 October 2024')"},
                "errors": {"type": "integer"},
                "warnings": {"type": "integer"}, "url": {"type": "string"}}}},
            "Problem": problem,
            "Rejected": {"type": "object", "properties": {
                "error": {"type": "string"},
                "problems": {"type": "array", "items": {"$ref": "#/components/schemas/"
                                                                "Problem"}}}},
            "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                       "fix": {"type": "string"}}},
        }},
    }
