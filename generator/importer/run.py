"""The importer's two entry points, for the CLI: an existing protocol's bytes -> an
audit report's text, or the files of an import (as paths relative to the output folder,
with their bytes). The CLI reads the file and writes what these return."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import ProtocolGenError
from ..library.clauses import ClauseLibrary
from .audit import Audit, audit
from .read import MAX_BYTES, read_source  # noqa: F401 - MAX_BYTES for the CLI


def audit_bytes(data: bytes, name: str, library: ClauseLibrary,
                folders: tuple[str, ...] = (), today: dt.date | None = None) -> Audit:
    """Audit an existing protocol (``name`` gives its format by its extension). Raises
    ProtocolGenError if reading it lost any of its words (:mod:`.accounted`)."""
    from .accounted import check_reading
    source = read_source(data, name)
    a = audit(source, library, _register(folders), today or dt.date.today())
    check_reading(source.lines, a.structure, name)
    return a


def _register(folders: tuple[str, ...]):
    """The legislation register (with any house folders' own), kept in the cache between
    runs: reading its YAML with positions is most of an audit's time otherwise."""
    from .. import cache
    from ..library import register
    from ..library.clauses import SHIPPED
    paths = [SHIPPED / register.REGISTER_FILE] + [Path(f) / register.REGISTER_FILE
                                                 for f in folders]
    make = lambda: register.read_register([Path(f) for f in folders])  # noqa: E731
    try:
        parts = [str(p) + ("\0" + p.read_text(encoding="utf-8") if p.exists() else "")
                 for p in paths]
    except (OSError, UnicodeDecodeError):
        return make()
    return cache.remember("register", cache.digest(cache.source_of(register.__file__),
                                                   *parts), make)


def report_text(a: Audit, fmt: str) -> str:
    from .report import render
    return render(a, fmt)


def import_files(a: Audit, stem: str, library: ClauseLibrary,
                 left_out: list | None = None) -> dict[str, bytes]:
    """The profile ``<stem>.yaml`` and the house library ``<stem>-clauses/``;
    ``left_out``, when given, receives the council's list items the build will leave out
    as repeats (:class:`generator.importer.ownpoints.Repeat`)."""
    from .accounted import check_import
    from .house import house_files
    if not a.protocol_like:
        raise ProtocolGenError(f"{a.name} does not look like a member/officer protocol: "
                               "most of its paragraphs match nothing in one, so nothing "
                               "was imported", file=a.name,
                               hint="run 'protocol-gen audit' on it to see what was read")
    files = house_files(a, stem, library, left_out)
    check_import(a.structure.paragraphs, _clause_texts(files), a.name)
    return files


def _clause_texts(files: dict[str, bytes]) -> list[str]:
    """The text of every variant of every house clause an import writes."""
    import yaml
    out = []
    for path, data in files.items():
        if path.endswith(".yaml") and "/" in path:
            spec = yaml.safe_load(data.decode("utf-8")) or {}
            out += [v.get("text", "") for c in spec.get("clauses", [])
                    for v in c.get("variants", [])]
    return out


def repeats_text(left_out: list) -> list[str]:
    """The list items the build will leave out as repeats, one line each, for the
    command line."""
    if not left_out:
        return []
    return ["left out of the new protocol, because another of your paragraphs says the "
            "same (the profile lists them, and how to keep one):"] + [
        f"  {r.ref}: \"{' '.join(r.item.split()[:10])}{' ...' if len(r.item.split()) > 10 else ''}\""
        f" ({'; '.join(r.points)}): paragraph {', '.join(r.said_in)} says it"
        for r in left_out]


def trimmed_text(files: dict[str, bytes], stem: str) -> list[str]:
    """The library clauses an import left out to keep within the word limit, for the
    command line (the profile lists them in drafting.exclude, each with its reason)."""
    import re
    text = files.get(f"{stem}.yaml", b"").decode("utf-8")
    ids = re.findall(r"^\s+- (\S+)\s+#.*: left out so that the protocol stays within", text,
                     re.MULTILINE)
    return [f"left out to keep the protocol within its word limit (delete a line under "
            f"drafting.exclude to add one back): {', '.join(ids)}"] if ids else []


def doubts_text(a: Audit) -> list[str]:
    """The import's doubts, one line each, for the command line: what to choose (values
    not found) and what to check, by the profile field."""
    from .doubts import doubts
    found = doubts(a.council)
    first = sorted(found.values(), key=lambda d: d.value is not None)
    return [f"  {d.field}: {d.message}" for d in first]
