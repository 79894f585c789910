"""Starting a council from the protocol it already has, in the browser: the upload is
imported as ``protocol-gen import`` does; when the council is already in the list, the
upload is kept for a while (in memory, a few at most) so that the clerk can choose to
replace it, import it as a new council under another name, or compare the council's
protocol with the uploaded one (the redline ``build --against`` writes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import secrets
import threading
import time
from typing import Any

KEEP = 4              # uploads waiting for the clerk's choice, at most
KEEP_SECONDS = 3600


@dataclass
class Pending:
    """An upload waiting for the clerk's choice."""

    file_name: str
    data: bytes
    audit: Any
    stem: str
    council: str
    made: float = field(default_factory=time.monotonic)
    redline: Any = None


_pending: dict[str, Pending] = {}
_lock = threading.Lock()


def keep(pending: Pending) -> str:
    """Keep an upload; the token that names it."""
    token = secrets.token_urlsafe(16)
    with _lock:
        now = time.monotonic()
        for old in [t for t, p in _pending.items() if now - p.made > KEEP_SECONDS]:
            del _pending[old]
        while len(_pending) >= KEEP:
            del _pending[min(_pending, key=lambda t: _pending[t].made)]
        _pending[token] = pending
    return token


def kept(token: str) -> Pending | None:
    with _lock:
        return _pending.get(token)


def forget(token: str) -> None:
    with _lock:
        _pending.pop(token, None)


def exists(folder, stem: str) -> bool:
    """Whether a council (or its folder of own wording) already has this name."""
    return any((folder / n).exists() for n in (f"{stem}.yaml", f"{stem}.yml",
                                               f"{stem}-clauses"))


def files_for(audit, stem: str, library, name: str | None = None) -> dict[str, bytes]:
    """The import's files; with ``name``, the council is given that name."""
    from ..importer.run import import_files
    files = import_files(audit, stem, library)
    if name:
        from ..profile.yamlsource import parse_yaml
        from .store import edited_text, plain
        text = files[f"{stem}.yaml"].decode("utf-8")
        src, _ = parse_yaml(text, f"{stem}.yaml")
        data = plain(src.data) if src is not None and isinstance(src.data, dict) else {}
        council = dict(data.get("council") or {})
        council["name"] = name
        files[f"{stem}.yaml"] = edited_text(text, {**data, "council": council}).encode()
    return files


def compare(pending: Pending, checked, path: str):
    """The redline of the council's protocol as its profile makes it, against the
    uploaded document (as ``build --against`` makes it)."""
    from ..files import SUFFIX
    from ..review.against import redline_files
    return redline_files(pending.data, pending.file_name, checked.profile, checked.library,
                         checked.document, path, f"{pending.stem}{SUFFIX}.md")
