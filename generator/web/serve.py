"""Running the app: the checks ``protocol-gen serve`` makes before it listens (the
address, the access token), and the production WSGI server (waitress) it listens with.

A body larger than waitress accepts is refused by waitress before the app sees it; the
answer is still the app's own page in plain words (JSON under /api/), made by the app
from the request's headers alone (:class:`_RefusedTask`).
"""
from __future__ import annotations

import ipaddress
import math
import os
from pathlib import Path
import secrets
import threading
import webbrowser

from ..errors import Problem, ProtocolGenError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}
MIN_TOKEN_LENGTH = 16
MIN_TOKEN_BITS = 50          # guesses an attacker would need, as zxcvbn estimates them


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_weakness(token: str) -> str | None:
    """Why ``token`` is too easy to guess, or None when it is strong enough: at least 16
    characters and about 50 bits by zxcvbn's estimate (which sees repeats, sequences,
    keyboard patterns and common words)."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"it is shorter than {MIN_TOKEN_LENGTH} characters"
    from zxcvbn import zxcvbn
    bits = zxcvbn(token[:100])["guesses_log10"] * math.log2(10)
    if bits < MIN_TOKEN_BITS:
        return (f"it is too easy to guess (about {int(bits)} bits of randomness; at least "
                f"{MIN_TOKEN_BITS} are needed): it repeats or follows a pattern")
    return None


def new_token() -> str:
    """A strong random access token (192 bits)."""
    return secrets.token_urlsafe(24)


def read_token(path: str | None, host: str, say=print, behind_proxy: bool = False
               ) -> str | None:
    """The access token from ``path``; required when ``host`` is not this machine (or a
    proxy passes other machines' requests on). With no ``path`` there, a strong token is
    made and shown once; a ``path`` that does not exist yet is made, holding a new strong
    token, readable by its owner only."""
    if path is None:
        if is_loopback(host) and not behind_proxy:
            return None
        token = new_token()
        why = "--behind-proxy" if behind_proxy else f"--host {host}"
        say(f"{why} lets other machines reach the app, so it needs an access token. "
            f"This one was made for this run only (it is not shown again): {token}\n"
            "To keep one between runs, give --token-file FILE: a new FILE is made holding "
            "a strong token.")
        return token
    file = Path(path)
    if not file.exists() and not file.is_symlink():
        return _write_token(file, say)
    try:
        token = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not a text file"
        raise ProtocolGenError(Problem(f"cannot read the token file: {reason}",
                                       file=path, field="--token-file",
                                       hint="give a readable text file")) from None
    weak = token_weakness(token)
    if weak:
        raise ProtocolGenError(Problem(
            f"the access token is too weak: {weak}", file=path, field="--token-file",
            hint="give the name of a file that does not exist yet and a strong token is "
                 "written to it, or put a long random one in this file (e.g. made with "
                 "'openssl rand -hex 24')"))
    return token


def _write_token(file: Path, say) -> str:
    token = new_token()
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(token + "\n")
    except OSError as exc:
        raise ProtocolGenError(Problem(f"cannot write a new token file: "
                                       f"{exc.strerror or exc}", file=str(file),
                                       field="--token-file",
                                       hint="give a file in a folder you may write to"))
    say(f"wrote a new access token to {file} (readable by you only); give it to the people "
        "who may use the app")
    return token


def check_folder(folder: str) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise ProtocolGenError(Problem("the councils' folder does not exist", file=folder,
                                       hint="name a folder of council profiles (it may be "
                                            "empty), e.g. council_profiles/"))
    return path


def serve(folder: str, host: str, port: int, out_dir: str, token_file: str | None,
          open_browser: bool, library_folders: list[str] | None, say,
          behind_proxy: bool = False) -> None:
    """``protocol-gen serve``: check the options, make the app, serve until interrupted."""
    from .app import create_app
    token = read_token(token_file, host, say, behind_proxy)
    # without a token, only this machine's names: a page elsewhere cannot reach the app
    # by giving its own host name this machine's address (DNS rebinding)
    hosts = None if token else ["127.0.0.1", "localhost", "::1", host.strip("[]")]
    app = create_app(check_folder(folder), out_dir, token=token,
                     library_folders=library_folders, hosts=hosts,
                     behind_proxy=behind_proxy)
    run(app, host, port, open_browser, say)


def run(app, host: str, port: int, open_browser: bool, say) -> None:
    """Serve ``app`` with waitress until interrupted."""
    import waitress
    from .app import UPLOAD_BODY
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    servers: dict = {}
    try:
        server = waitress.create_server(app, map=servers, host=host.strip("[]"), port=port,
                                        threads=4, ident="protocol-gen",
                                        max_request_body_size=UPLOAD_BODY + 1)
    except (OSError, ValueError) as exc:
        raise ProtocolGenError(Problem(f"cannot listen on {shown}:{port}: "
                                       f"{getattr(exc, 'strerror', None) or exc}",
                                       file="command line", field="--port",
                                       hint="another program may be using that port: "
                                            "choose another with --port")) from None
    for listener in list(servers.values()):
        if hasattr(listener, "channel_class"):
            listener.channel_class = _channel_class()
    say(f"protocol-gen is serving {url} (Ctrl-C stops it)")
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    server.run()


def _channel_class():
    """waitress's connection, with its 'body too large' answer made by the app."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask, WSGITask
    from waitress.utilities import RequestEntityTooLarge

    class _RefusedTask(WSGITask):
        """The app's answer to a request whose body waitress would not read: the app
        sees the headers only, marked ``protocolgen.too_large``."""

        def get_environment(self):
            environ = super().get_environment()
            environ["protocolgen.too_large"] = True
            environ["wsgi.input"] = __import__("io").BytesIO()
            return environ

        def execute(self):
            self.set_close_on_finish()
            super().execute()

    def error_task(channel, request):
        if isinstance(request.error, RequestEntityTooLarge) and request.path:
            return _RefusedTask(channel, request)
        return ErrorTask(channel, request)

    return type("Channel", (HTTPChannel,), {"error_task_class": staticmethod(error_task)})
