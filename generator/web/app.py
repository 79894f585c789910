"""The Flask application: configuration, access control, CSRF and error pages.

:func:`create_app` takes the councils' folder and the output folder; the pages
(:mod:`.pages`, :mod:`.outputs`) and the JSON API (:mod:`.api`) are registered on it.
Every form is CSRF-protected (Flask-WTF); the API takes only ``application/json``
bodies, which a page on another site cannot send without the browser asking first.
Request bodies are limited in size. Every error is a page (or a JSON body, for the
API) in plain words, never a traceback.
"""
from __future__ import annotations

import hmac
import os
from pathlib import Path
import secrets

from flask import Flask, g, jsonify, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from ..errors import ProtocolGenError
from .context import error_page
from .listing import Listing
from .store import Clash, Store

MAX_BODY = 512 * 1024
UPLOAD_BODY = 20 * 1024 * 1024 + 64 * 1024   # an existing protocol: the importer's limit
csrf = CSRFProtect()


def create_app(folder: str | Path, out_dir: str | Path = "output", *,
               token: str | None = None, library_folders: list[str] | None = None,
               warm: bool = True) -> Flask:
    """The web app over the councils in ``folder``; builds go to ``out_dir``. With
    ``token``, every request needs it (a login page for browsers, a Bearer header for
    the API). ``warm``: start checking every council for the list at once, in the
    background."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.json.sort_keys = False
    store = Store(Path(folder), library_folders)
    listing = Listing(store)
    app.extensions["protocolgen"] = {
        "store": store,
        "listing": listing,
        "out": Path(out_dir),
        "token": token,
    }
    if warm:
        listing.warm()

    @app.before_request
    def _upload_limit():     # before the CSRF check reads the form
        if request.endpoint == "pages.import_council":
            request.max_content_length = UPLOAD_BODY

    csrf.init_app(app)

    from . import api, outputs, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(outputs.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)

    @app.before_request
    def _access():
        g.api = request.path.startswith("/api/")
        need = app.extensions["protocolgen"]["token"]
        if not need or request.endpoint in ("pages.login", "static"):
            return None
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if session.get("token_ok") or (given and hmac.compare_digest(given, need)):
            return None
        if g.api:
            return jsonify(error="an access token is needed",
                           fix="send the header 'Authorization: Bearer TOKEN'"), 401
        return redirect(url_for("pages.login", next=request.full_path))

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(400, "The form had expired or came from elsewhere",
                          "Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        fixes = {404: "Check the address, or start from the list of councils.",
                 405: "Use the page's own buttons and links.",
                 413: f"Send at most {MAX_BODY // 1024} KB.",
                 415: "Send the body as JSON with 'Content-Type: application/json'."}
        return error_page(exc.code or 500, exc.name, fixes.get(exc.code or 0,
                                                                exc.description or ""))

    @app.errorhandler(Clash)
    def _clash(exc: Clash):
        problem = exc.problems[0]
        return error_page(409, problem.message[0].upper() + problem.message[1:],
                          problem.hint[0].upper() + problem.hint[1:] + ".",
                          problems=exc.problems)

    @app.errorhandler(ProtocolGenError)
    def _ours(exc: ProtocolGenError):
        return error_page(422, "The protocol cannot be made", "; ".join(
            f"{p.message}" + (f" (fix: {p.hint})" if p.hint else "") for p in exc.errors
            or exc.problems), problems=exc.problems)

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        if os.environ.get("PROTOCOLGEN_DEBUG"):
            raise exc
        app.logger.error("internal error: %s: %s", type(exc).__name__, exc)
        return error_page(500, "Something went wrong inside protocol-gen",
                          "Nothing was changed. Try again; if it happens again, run the same "
                          "step with the command line to see the details.")

    return app
