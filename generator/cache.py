"""A per-user cache of what every build would otherwise prepare in the same way.

A clerk's single build spends most of its time on work that is the same every time: compiling
the clause templates and restyling the starting DOCX. That work is kept here between runs,
like Python's own ``__pycache__``: the compiled templates through Jinja2's bytecode cache,
the starting DOCX as a pickle; a single build's files (see :mod:`generator.buildcache`);
what a single build worked out from its texts, for that profile's next build
(:func:`noted`); and, for the web app's councils list, what ``check`` said of each profile,
as JSON (see :mod:`generator.web.listing`). The cache only saves time. Every entry is named by a digest
of everything it was made from (the text or template, this package's code that made it and
the library versions), an entry that is missing or unreadable is simply made again, and a
cache folder that cannot be written is not used.

The folder is ``$PROTOCOLGEN_CACHE`` (set it to an empty value to turn the cache off), else
``$XDG_CACHE_HOME/protocolgen``, else ``~/.cache/protocolgen``.
"""
from __future__ import annotations

from functools import lru_cache
import hashlib
import json
import os
from pathlib import Path
import pickle
import tempfile
from typing import Callable, TypeVar

T = TypeVar("T")


@lru_cache(maxsize=1)
def folder() -> Path | None:
    """The cache folder, created when missing; None when there is none to use."""
    configured = os.environ.get("PROTOCOLGEN_CACHE")
    if configured is not None:
        if not configured.strip():
            return None
        path = Path(configured).expanduser()
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "protocolgen"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):   # RuntimeError: no home folder to be found
        return None
    return path if os.access(path, os.W_OK | os.X_OK) and _private(path) else None


def _private(path: Path) -> bool:
    """Whether only this user can put files in ``path``: the cache holds compiled code
    and pickles, which run when loaded, so a folder that others may write to (a shared
    $PROTOCOLGEN_CACHE, say) is not used."""
    if os.name != "posix":
        return True
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def digest(*parts: str | bytes) -> str:
    """A short name for everything an entry depends on."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:32]


def source_of(*files: str) -> bytes:
    """The source code in ``files`` (modules' ``__file__``), for a digest: an entry made
    by other code is never used."""
    return b"".join(Path(f).read_bytes() for f in files)


def remember(kind: str, key: str, make: Callable[[], T]) -> T:
    """The cached value named ``kind``-``key``, or ``make()`` (then cached)."""
    where = folder()
    if where is None:
        return make()
    path = where / f"{kind}-{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, unreadable or stale: make it again
        pass
    value = make()
    _store(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def recall(kind: str, key: str):
    """The value kept as ``kind``-``key`` by :func:`keep`, or None (no cache, missing,
    unreadable)."""
    where = folder()
    if where is None:
        return None
    try:
        return pickle.loads((where / f"{kind}-{key}.pickle").read_bytes())
    except Exception:  # noqa: BLE001 - missing, unreadable or half-written elsewhere
        return None


def keep(kind: str, key: str, value) -> None:
    """Keep ``value`` as ``kind``-``key``, replacing what was kept under that name
    (quietly nothing without a cache folder)."""
    where = folder()
    if where is not None:
        _store(where / f"{kind}-{key}.pickle",
               pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def recall_json(kind: str, key: str):
    """The JSON value kept as ``kind``-``key``, or None (no cache, missing, unreadable)."""
    where = folder()
    if where is None:
        return None
    try:
        return json.loads((where / f"{kind}-{key}.json").read_bytes())
    except Exception:  # noqa: BLE001 - missing, unreadable or half-written elsewhere
        return None


def keep_json(kind: str, key: str, value) -> None:
    """Keep a JSON value as ``kind``-``key`` (quietly nothing without a cache folder)."""
    where = folder()
    if where is not None:
        _store(where / f"{kind}-{key}.json", json.dumps(value).encode("utf-8"))


def _store(path: Path, data: bytes) -> None:
    """Write atomically (another process may be reading); give up quietly on failure."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


# What one clerk's single build worked out from its texts (token streams, compiled
# templates), kept with that profile's entry (generator.buildcache) for its next build.
_noting: dict[tuple[str, str], object] | None = None
_noted: dict[tuple[str, str], object] = {}


def note_from(earlier: bytes | None = None) -> None:
    """Start noting what :func:`noted` works out in this process, taking first what an
    earlier build noted (:func:`notes`; anything unreadable is ignored). The earlier notes
    must come from this same code and libraries: :mod:`generator.buildcache` checks."""
    global _noting
    _noting = {}
    _noted.clear()
    try:
        table = pickle.loads(earlier) if earlier else {}
    except Exception:  # noqa: BLE001 - only saves time: work it out again
        table = {}
    if isinstance(table, dict):
        _noted.update((k, v) for k, v in table.items() if isinstance(k, tuple) and len(k) == 2)


def noted(kind: str, key: str, make: Callable[[str], T]) -> T:
    """``make(key)``, or what an earlier build noted of it (see :func:`note_from`)."""
    value = _noted.get((kind, key))
    if value is None:
        value = make(key)
    note(kind, key, value)
    return value


def note(kind: str, key: str, value) -> None:
    """Note ``value`` for this build (a value kept in memory since an earlier one)."""
    if _noting is not None:
        _noting[(kind, key)] = value


def stop_noting() -> None:
    """Stop noting, and forget what an earlier build noted (the process may build more)."""
    global _noting
    _noting = None
    _noted.clear()


def notes() -> bytes:
    """Everything :func:`noted` gave since :func:`note_from`, pickled (so that the entry
    holding it is read without importing the modules whose values it holds)."""
    return pickle.dumps(dict(_noting or {}), protocol=pickle.HIGHEST_PROTOCOL)


def bytecode_cache():
    """Jinja2's own bytecode cache in the cache folder (None without a folder)."""
    where = folder()
    if where is None:
        return None
    from jinja2 import FileSystemBytecodeCache
    templates = where / "templates"
    try:
        templates.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not _private(templates):
        return None
    return FileSystemBytecodeCache(str(templates))
