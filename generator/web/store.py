"""The councils' folder as the web app sees it: listing, reading, checking and saving.

A council is named by its profile's file name without ``.yaml`` or ``.yml`` (the
files ``protocol-gen build FOLDER`` builds), and a name from a request is only ever
looked up in the folder's own listing: no text from a request is joined into a path.
Two files that would be one council (``x.yaml`` and ``x.yml``, or names differing only
in case, which ``build`` also refuses as one output folder) are reported, never guessed
between. Saving edits the YAML in place with ruamel.yaml's round trip, so
the clerk's comments, key order and layout stay; the new text is checked exactly as
``protocol-gen check`` checks a file before it replaces the old one (atomically), and
a file changed on disk since it was opened is never silently overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
import hashlib
import io
import os
from pathlib import Path
import threading
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem, ProtocolGenError
from ..files import atomic_create, atomic_write
from ..profile.model import Profile
from ..profile.yamlsource import MAX_BYTES, parse_yaml

EXTS = (".yaml", ".yml")      # as protocol-gen build takes them from a folder


class Conflict(Exception):
    """The file changed on disk since the version the edit started from."""


class Exists(Exception):
    """A new council's file name is taken."""


class Clash(ProtocolGenError):
    """Two files in the folder would be the same council."""

    def __init__(self, name: str, files: list[Path]):
        shown = " and ".join(p.name for p in files)
        super().__init__(Problem(
            f"{shown} would both be the council '{name}' (and the same output folder of "
            "'protocol-gen build')", file=str(files[0].parent),
            hint=f"rename or remove one of them; until then {name} cannot be opened here"))
        self.name, self.files = name, files


def council_name(filename: str) -> str | None:
    """The council a file in the folder is: its name without .yaml or .yml (in any case);
    None for other files."""
    lower = filename.lower()
    for ext in EXTS:
        if lower.endswith(ext) and len(filename) > len(ext) and not filename.startswith("."):
            return filename[:-len(ext)]
    return None


@dataclass(frozen=True)
class Checked:
    """What ``check`` says about one profile text."""

    profile: Profile | None
    problems: tuple[Problem, ...]
    document: Any = None             # the assembled Document, when there were no errors
    data: Any = None                 # the file's data as JSON values, when it parsed
    library: Any = None              # the library it was assembled from (with its house folder)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def check_text(text: str, file: str | Path, library, today: dt.date | None = None
               ) -> Checked:
    """Every problem ``protocol-gen check`` reports for this profile text, as if it were
    the file ``file`` (the same function does both, :func:`generator.pipeline.check_profile`)."""
    from ..pipeline import check_profile
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return Checked(None, (Problem(f"the profile is larger than {MAX_BYTES // 1024} KB",
                                      file=str(file), hint="a profile needs only a few KB: "
                                      "check that this is the right file"),))
    found = check_profile(file, library, today=today or dt.date.today(), text=text)
    src = found.source
    data = plain(src.data) if src is not None and isinstance(src.data, dict) else None
    return Checked(found.profile, found.problems, found.document, data, found.library)


# ---- round-trip editing ------------------------------------------------------------

def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def plain(value: Any) -> Any:
    """YAML data as JSON values (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    return str(value)


def _as_yaml_value(value: Any, old: Any = None) -> Any:
    """A JSON value as it should be written: ISO dates as dates, the rest as given."""
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _as_yaml_value(v)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_as_yaml_value(v) for v in value)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        elif all(not isinstance(v, (dict, list)) for v in value) and len(value) <= 6:
            seq.fa.set_flow_style()
        return seq
    return value


def sync(node: CommentedMap, new: dict[str, Any]) -> None:
    """Make the round-trip mapping ``node`` hold ``new``, touching only what differs
    (so comments and layout around unchanged keys stay where they are)."""
    for key in [k for k in node if k not in new]:
        del node[key]
    for key, value in new.items():
        old = node.get(key)
        if key in node and plain(old) == plain(value):
            continue
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            sync(old, value)
        else:
            node[key] = _as_yaml_value(value, old)


def edited_text(text: str, new: dict[str, Any]) -> str:
    """``text`` (a profile that parsed) with its data replaced by ``new``."""
    from ruamel.yaml.error import YAMLError
    y = _yaml()
    try:
        doc = y.load(text)
    except YAMLError as exc:
        raise ProtocolGenError(Problem(f"the file cannot be edited in place: {exc}",
                                       hint="open it in a text editor and fix it")) from None
    if not isinstance(doc, CommentedMap):
        doc = CommentedMap()
    sync(doc, new)
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def new_text(data: dict[str, Any]) -> str:
    """A profile file for data given as JSON (no comments to keep)."""
    y = _yaml()
    out = io.StringIO()
    y.dump(_as_yaml_value(data), out)
    return out.getvalue()


# ---- the folder -------------------------------------------------------------------

@dataclass
class Store:
    """The councils' folder (read fresh from disk on every request)."""

    folder: Path
    library_folders: list[str] | None = None
    _library: Any = None
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def library(self):
        with self._lock:
            if self._library is None:
                from ..library.clauses import load_library
                self._library = load_library(self.library_folders)
            return self._library

    def files(self) -> dict[str, list[Path]]:
        """Every council's file(s) by its name, sorted; more than one file is a clash."""
        if not self.folder.is_dir():
            return {}
        found: dict[str, list[Path]] = {}
        names: dict[str, str] = {}
        with os.scandir(self.folder) as entries:
            listed = sorted((e.name, e) for e in entries)
        for filename, entry in listed:
            name = council_name(filename)
            if name is None or not entry.is_file():
                continue
            key = names.setdefault(name.casefold(), name)
            found.setdefault(key, []).append(self.folder / filename)
        return dict(sorted(found.items()))

    def names(self) -> list[str]:
        """Every council: the profile files in the folder, by file name."""
        return list(self.files())

    def path(self, name: str) -> Path | None:
        """The profile file of the council ``name``, if the folder lists it; Clash when
        two files would be that council."""
        for listed, paths in self.files().items():
            if name.casefold() == listed.casefold():
                if len(paths) > 1:
                    raise Clash(listed, paths)
                return paths[0] if council_name(paths[0].name) == name else None
        return None

    def read(self, name: str) -> tuple[Path, bytes] | None:
        path = self.path(name)
        if path is None:
            return None
        return path, path.read_bytes()[:MAX_BYTES + 1]

    def check(self, name: str, text: str, today: dt.date | None = None) -> Checked:
        path = self.path(name)
        return check_text(text, path if path is not None else self.folder / f"{name}.yaml",
                          self.library(), today)

    def data(self, text: str, file: str) -> dict[str, Any] | None:
        src, _ = parse_yaml(text, file)
        return plain(src.data) if src is not None and isinstance(src.data, dict) else None

    def save(self, name: str, text: str, base: str | None) -> None:
        """Replace the council's file with ``text``; Conflict when it changed since
        ``base`` (the digest of the bytes the edit started from)."""
        path = self.path(name)
        if path is None:
            raise FileNotFoundError(name)
        with self._lock:
            if base is not None and digest(path.read_bytes()) != base:
                raise Conflict(name)
            atomic_write(path, text.encode("utf-8"), within=self.folder)

    def create(self, name: str, text: str) -> Path:
        """Write a new council's file; Exists when the name is taken (by a .yaml or a
        .yml file, in any case)."""
        target = self.folder / f"{name}.yaml"
        with self._lock:
            if name.casefold() in {n.casefold() for n in self.names()} or \
                    not atomic_create(target, text.encode("utf-8"), within=self.folder):
                raise Exists(name)
        return target
