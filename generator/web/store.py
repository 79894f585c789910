"""The councils' folder as the web app sees it: listing, reading, checking and saving.

A council is named by its profile's file name without ``.yaml``, and a name from a
request is only ever looked up in the folder's own listing: no text from a request is
joined into a path. Saving edits the YAML in place with ruamel.yaml's round trip, so
the clerk's comments, key order and layout stay; the new text is checked exactly as
``protocol-gen check`` checks a file before it replaces the old one (atomically), and
a file changed on disk since it was opened is never silently overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
import hashlib
import io
from pathlib import Path
import threading
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem, ProtocolGenError
from ..files import atomic_create, atomic_write
from ..profile.load import parse_profile
from ..profile.model import Profile
from ..profile.yamlsource import MAX_BYTES, parse_yaml

EXT = ".yaml"


class Conflict(Exception):
    """The file changed on disk since the version the edit started from."""


class Exists(Exception):
    """A new council's file name is taken."""


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


@dataclass(frozen=True)
class Summary:
    """One row of the councils list."""

    name: str
    title: str
    version: str | None
    adopted: dt.date | None
    next_review: str | None
    overdue: bool
    errors: int
    warnings: int
    first_problem: str | None = None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def check_text(text: str, file: str, library, today: dt.date | None = None) -> Checked:
    """Every problem ``protocol-gen check`` reports for this profile text."""
    from ..assemble import assemble
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return Checked(None, (Problem(f"the profile is larger than {MAX_BYTES // 1024} KB",
                                      file=file, hint="a profile needs only a few KB: check "
                                                      "that this is the right file"),))
    src, problems = parse_yaml(text, file)
    if src is None:
        return Checked(None, tuple(problems))
    data = plain(src.data) if isinstance(src.data, dict) else None
    profile, problems = parse_profile(src, today=today or dt.date.today())
    if profile is None:
        return Checked(None, tuple(problems), data=data)
    try:
        from ..pipeline import with_house_library
        library = with_house_library(profile, Path(file), library)   # drafting.library
        doc = assemble(profile, library)
    except ProtocolGenError as exc:
        return Checked(None, tuple(problems) + tuple(exc.problems), data=data)
    return Checked(profile, tuple(problems), doc, data, library)


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
    _summaries: dict[str, tuple[tuple, Summary]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def library(self):
        if self._library is None:
            from ..library.clauses import load_library
            self._library = load_library(self.library_folders)
        return self._library

    def names(self) -> list[str]:
        """Every council: the profile files in the folder, by file name."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name[:-len(EXT)] for p in self.folder.iterdir()
                      if p.name.endswith(EXT) and not p.name.startswith(".") and p.is_file())

    def path(self, name: str) -> Path | None:
        """The profile file of the council ``name``, if the folder lists it."""
        listed = {n: n for n in self.names()}
        found = listed.get(name)
        return self.folder / f"{found}{EXT}" if found is not None else None

    def read(self, name: str) -> tuple[Path, bytes] | None:
        path = self.path(name)
        if path is None:
            return None
        return path, path.read_bytes()[:MAX_BYTES + 1]

    def check(self, name: str, text: str, today: dt.date | None = None) -> Checked:
        return check_text(text, str(self.folder / f"{name}{EXT}"), self.library(), today)

    def data(self, text: str, file: str) -> dict[str, Any] | None:
        src, _ = parse_yaml(text, file)
        return plain(src.data) if src is not None and isinstance(src.data, dict) else None

    def summaries(self, today: dt.date) -> list[Summary]:
        """Every council's row of the list (the folder listed once; a profile is checked
        again only when its file changed)."""
        return [self._summary(n, self.folder / f"{n}{EXT}", today) for n in self.names()]

    def summary(self, name: str, today: dt.date) -> Summary | None:
        path = self.path(name)
        return None if path is None else self._summary(name, path, today)

    def _summary(self, name: str, path: Path, today: dt.date) -> Summary:
        st = path.stat()
        key = (st.st_mtime_ns, st.st_size, today)
        with self._lock:
            cached = self._summaries.get(name)
        if cached and cached[0] == key:
            return cached[1]
        text = path.read_bytes()[:MAX_BYTES + 1].decode("utf-8", "replace")
        checked = self.check(name, text, today)
        data = checked.data or {}
        council = data.get("council") if isinstance(data.get("council"), dict) else {}
        adoption = data.get("adoption") if isinstance(data.get("adoption"), dict) else {}
        review = adoption.get("next_review")
        review = str(review) if review is not None else None
        adopted = None
        try:
            adopted = dt.date.fromisoformat(str(adoption.get("adopted")))
        except ValueError:
            pass
        errors = checked.errors
        summary = Summary(name, str(council.get("name") or name),
                          str(adoption.get("version") or "1.0"), adopted, review,
                          bool(review and review[:7] < today.isoformat()[:7]),
                          len(errors), len(checked.warnings),
                          str(errors[0]) if errors else None)
        with self._lock:
            self._summaries[name] = (key, summary)
        return summary

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
        """Write a new council's file; Exists when the name is taken."""
        target = self.folder / f"{name}{EXT}"
        with self._lock:
            if not atomic_create(target, text.encode("utf-8"), within=self.folder):
                raise Exists(name)
        return target
