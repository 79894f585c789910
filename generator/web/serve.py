"""Running the app: the checks ``protocol-gen serve`` makes before it listens, and the
production WSGI server (waitress) it listens with."""
from __future__ import annotations

import ipaddress
from pathlib import Path
import threading
import webbrowser

from ..errors import Problem, ProtocolGenError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(path: str | None, host: str) -> str | None:
    """The access token from ``path``; required when ``host`` is not this machine."""
    if path is None:
        if is_loopback(host):
            return None
        raise ProtocolGenError(Problem(
            f"--host {host} lets other machines reach the app, so it needs an access token",
            file="command line", field="--host", hint="add --token-file FILE (a file holding a long random "
                                 "password, e.g. made with 'openssl rand -hex 24'), or "
                                 "leave out --host to serve this machine only"))
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ProtocolGenError(Problem(f"cannot read the token file: {exc.strerror or exc}",
                                       file=path, hint="give a readable file")) from None
    if len(token) < 16:
        raise ProtocolGenError(Problem("the access token is shorter than 16 characters",
                                       file=path, hint="put a longer random password in "
                                                       "the file"))
    return token


def check_folder(folder: str) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise ProtocolGenError(Problem("the councils' folder does not exist", file=folder,
                                       hint="name a folder of council profiles (it may be "
                                            "empty), e.g. council_profiles/"))
    return path


def serve(folder: str, host: str, port: int, out_dir: str, token_file: str | None,
          open_browser: bool, library_folders: list[str] | None, say) -> None:
    """``protocol-gen serve``: check the options, make the app, serve until interrupted."""
    from .app import create_app
    token = read_token(token_file, host)
    app = create_app(check_folder(folder), out_dir, token=token,
                     library_folders=library_folders)
    if token is None:
        # only this machine's names: a page elsewhere cannot reach the app by giving its
        # own host name this machine's address (DNS rebinding)
        app.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost", "::1", "[::1]"]
    run(app, host, port, open_browser, say)


def run(app, host: str, port: int, open_browser: bool, say) -> None:
    """Serve ``app`` with waitress until interrupted."""
    import waitress
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    try:
        server = waitress.create_server(app, host=host, port=port, threads=4,
                                        ident="protocol-gen",
                                        max_request_body_size=1024 * 1024)
    except OSError as exc:
        raise ProtocolGenError(Problem(f"cannot listen on {shown}:{port}: "
                                       f"{exc.strerror or exc}", file="command line",
                                       field="--port", hint="another program may be using "
                                       "that port: choose another with --port")) from None
    say(f"protocol-gen is serving {url} (Ctrl-C stops it)")
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    server.run()
