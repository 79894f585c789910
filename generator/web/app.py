"""The Flask application: configuration, access control, CSRF and error pages.

:func:`create_app` takes the councils' folder and the output folder; the pages
(:mod:`.pages`, :mod:`.outputs`) and the JSON API (:mod:`.api`) are registered on it.
Every form is CSRF-protected (Flask-WTF); the API takes only ``application/json``
bodies, which a page on another site cannot send without the browser asking first.
Request bodies are limited in size; repeated failed sign-ins are refused for a while
(Flask-Limiter). Every error is a page (or a JSON body, for the API) in plain words,
never a traceback.
"""
from __future__ import annotations

import hmac
import os
from pathlib import Path
import secrets
import time

from flask import Flask, g, jsonify, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import ProtocolGenError
from .context import error_page
from .listing import Listing
from .store import Clash, Store

MAX_BODY = 512 * 1024
UPLOAD_BODY = 20 * 1024 * 1024 + 64 * 1024   # an existing protocol: the importer's limit
UPLOADS = ("pages.import_council", "api.import_council")
SIGN_IN_LIMIT = "10 per minute; 30 per hour"  # failed sign-ins from one address
TITLES = {400: "The request could not be read", 404: "Not found",
          405: "Not allowed at this address", 413: "Too large to send",
          415: "Not a JSON body", 429: "Too many wrong access tokens"}
csrf = CSRFProtect()


def create_app(folder: str | Path, out_dir: str | Path = "output", *,
               token: str | None = None, library_folders: list[str] | None = None,
               warm: bool = True, hosts: list[str] | None = None,
               behind_proxy: bool = False) -> Flask:
    """The web app over the councils in ``folder``; builds go to ``out_dir``. With
    ``token``, every request needs it (a sign-in page for browsers, a Bearer header for
    the API). ``hosts``: the only host names a request may give (None: any).
    ``behind_proxy``: trust one proxy's X-Forwarded-* headers. ``warm``: start checking
    every council for the list at once, in the background."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=behind_proxy,
        WTF_CSRF_TIME_LIMIT=None,
    )
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)
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
    allowed = {h.strip("[]").lower() for h in hosts} if hosts else None

    @app.before_request
    def _first():            # before the CSRF check reads the form
        g.api = request.path.startswith("/api/")
        if request.endpoint in UPLOADS:
            request.max_content_length = UPLOAD_BODY
        if request.environ.get("protocolgen.too_large"):    # refused by the server
            raise RequestEntityTooLarge()
        if allowed is not None and _host_name(request.host) not in allowed:
            return error_page(400, "This address is not the app's",
                              "Open the app at the address protocol-gen serve printed, "
                              "e.g. http://127.0.0.1:8765/.")
        return None

    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      application_limits=[SIGN_IN_LIMIT] if token else [],
                      application_limits_deduct_when=lambda r: r.status_code == 401,
                      headers_enabled=False)

    @limiter.request_filter
    def _signed_in() -> bool:
        """Only failed sign-ins count; once over the limit, every request from that
        address not already signed in is refused for a while, the right token too (or a
        guesser would learn which guess was right)."""
        return not token or bool(session.get("token_ok"))

    csrf.init_app(app)

    from . import api, outputs, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(outputs.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)

    @app.before_request
    def _access():
        if not token or request.endpoint in ("pages.login", "static"):
            return None
        if session.get("token_ok") or _bearer_ok(token):
            return None
        if g.api:
            response = jsonify(error="an access token is needed",
                               fix="send the header 'Authorization: Bearer TOKEN'")
            response.headers["WWW-Authenticate"] = 'Bearer realm="protocol-gen"'
            return response, 401
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
        code = exc.code or 500
        headers = {}
        if code == 405:
            allow = sorted(set(getattr(exc, "valid_methods", None) or ()) - {"OPTIONS"})
            headers["Allow"] = ", ".join(allow)
            fix = (f"This address takes {' or '.join(allow)} only." if g.get("api") else
                   "Use the page's own buttons and links.")
        elif code == 413:
            size = "20 MB" if request.endpoint in UPLOADS else f"{MAX_BODY // 1024} KB"
            fix = (f"Send at most {size}." if g.get("api") else
                   f"The file is too large: at most {size} can be sent. Save a smaller copy "
                   "(pictures left out, or as a PDF or text) and send that.")
        elif code == 429:
            limit = limiter.current_limit
            wait = max(1, int(limit.reset_at - time.time())) if limit else 60
            headers["Retry-After"] = str(wait)
            fix = (f"Too many wrong access tokens were given from this address. Wait "
                   f"{wait} seconds, then try again with the right token.")
        elif exc.description != type(exc).description:    # said where it was raised
            fix = exc.description or ""
        else:
            fix = {404: "Check the address, or start from the list of councils.",
                   415: "Send the body as JSON with 'Content-Type: application/json'."
                   }.get(code, exc.description or "")
        body, status = error_page(code, TITLES.get(code, exc.name), fix)
        if not hasattr(body, "headers"):
            from flask import make_response
            body = make_response(body)
        body.headers.update(headers)
        return body, status

    @app.errorhandler(Clash)
    def _clash(exc: Clash):
        problem = exc.problems[0]
        return error_page(409, problem.message[0].upper() + problem.message[1:],
                          problem.hint[0].upper() + problem.hint[1:] + ".",
                          problems=exc.problems)

    @app.errorhandler(ProtocolGenError)
    def _ours(exc: ProtocolGenError):
        from .context import public
        return error_page(422, "The protocol cannot be made", "; ".join(
            public(p.message) + (f" (fix: {public(p.hint)})" if p.hint else "")
            for p in exc.errors or exc.problems), problems=exc.problems)

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        if os.environ.get("PROTOCOLGEN_DEBUG"):
            raise exc
        app.logger.error("internal error: %s: %s", type(exc).__name__, exc)
        return error_page(500, "Something went wrong inside protocol-gen",
                          "Nothing was changed. Try again; if it happens again, run the same "
                          "step with the command line to see the details.")

    return app


def _host_name(host: str) -> str:
    """The host name of a Host header, without its port or an IPv6 address's brackets."""
    host = host.lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _bearer_ok(token: str) -> bool:
    """Whether the request's Authorization header is ``Bearer TOKEN`` with the right
    token (any other text, in any encoding, is simply not the token)."""
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given[7:].strip().encode("utf-8", "surrogateescape"),
                               token.encode("utf-8"))
