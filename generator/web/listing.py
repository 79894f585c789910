"""The councils list: one row per council, with what ``protocol-gen check`` says of it.

Checking a profile is the full ``check`` (read, validate, assemble: a few milliseconds
each, seconds for hundreds of councils), so the list is made fast in two ways, never by
checking less:

* **A background checker.** A thread, started with the app, checks every council once
  (and again whenever its file changes). The page waits for it only briefly (``WAIT``);
  rows not checked by then are shown as "Checking…" with a link to reload the list, and
  htmx reloads the list by itself until every row is checked. The JSON list waits for
  every row.
* **A cache of check results on disk**, in protocolgen's cache folder
  (:mod:`generator.cache`): one file per councils' folder, each row kept under a digest
  of the profile file's bytes and path, the day (check warns of reviews that have
  passed), the library's fingerprint and this package's code and version. A server
  started again shows every unchanged council at once. A profile that names other files
  (``drafting.library``, ``document.reference_docx``) is checked afresh each time a
  server starts.

Each row's counts and first problem are those of :func:`generator.pipeline.check_profile`,
the steps ``protocol-gen check`` takes.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict, dataclass
import datetime as dt
from functools import lru_cache
from pathlib import Path
import threading
import time
from typing import Any

from .. import cache
from .store import Store

WAIT = 0.1           # seconds the page waits for the checker before showing "Checking…"


@dataclass(frozen=True)
class Row:
    """One council in the list (``checked`` False: not checked yet)."""

    name: str
    file: str
    title: str
    version: str | None = None
    adopted: dt.date | None = None
    next_review: str | None = None
    overdue: bool = False
    due: bool = False                   # the review falls within three months
    law: tuple[str, ...] = ()           # changes in the law since adoption touching it
    errors: int = 0
    warnings: int = 0
    first_problem: str | None = None
    checked: bool = True

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["adopted"] = self.adopted.isoformat() if self.adopted else None
        out["law"] = list(self.law)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        data = dict(data)
        data["adopted"] = dt.date.fromisoformat(data["adopted"]) if data["adopted"] else None
        data["law"] = tuple(data.get("law") or ())
        return cls(**data)


def row_of(name: str, path: Path, checked, today: dt.date) -> Row:
    """The row for a profile from what check found."""
    src = checked.source
    data = src.data if src is not None and isinstance(src.data, dict) else {}
    council = data.get("council") if isinstance(data.get("council"), dict) else {}
    adoption = data.get("adoption") if isinstance(data.get("adoption"), dict) else {}
    review = adoption.get("next_review")
    review = str(review) if review is not None else None
    try:
        adopted = dt.date.fromisoformat(str(adoption.get("adopted")))
    except ValueError:
        adopted = None
    errors = [p for p in checked.problems if p.severity == "error"]
    warnings = [p for p in checked.problems if p.severity == "warning"]
    from ..review.impact import review_state
    if checked.profile is not None:     # the date the protocol states, counted if need be
        review = checked.profile.next_review()
    try:
        state = review_state(review, today)
    except ValueError:
        state = "none"
    return Row(name, path.name, str(council.get("name") or name),
               str(adoption.get("version") or "1.0"), adopted, review,
               state == "overdue", state == "due",
               _law(checked, today), len(errors), len(warnings),
               str(errors[0]) if errors else None)


def _law(checked, today: dt.date) -> tuple[str, ...]:
    """The changes in the law since the council adopted its protocol that touch it, as
    `protocol-gen impact` finds them ('Equality Act 2010, 26 October 2024')."""
    if checked.profile is None or checked.document is None or checked.library is None:
        return ()
    from ..document import long_date
    from ..library.register import changes, touching
    from ..review.report import register_for
    adoption = checked.profile.adoption
    since = adoption.adopted or max((h.date for h in adoption.history if h.date),
                                    default=None)
    if since is None:
        return ()
    library = checked.library
    register = register_for(tuple(str(f) for f in library.folders))
    found = touching(checked.document, library, register,
                     changes(library, register, after=since, until=today),
                     checked.profile.council.nation)
    return tuple(f"{c.entry.name}, {long_date(c.event.date)}" for c, _ in found)


def _names_other_files(checked) -> bool:
    data = checked.source.data if checked.source is not None else None
    if not isinstance(data, dict):
        return False
    return any(isinstance(data.get(part), dict) and data[part].get(key)
               for part, key in (("drafting", "library"), ("document", "reference_docx")))


@lru_cache(maxsize=1)
def _code() -> str:
    """This package's version and code, and the libraries that read profiles."""
    import jinja2
    import pydantic
    import yaml

    import generator
    root = Path(generator.__file__).parent
    return cache.digest(generator.__version__, pydantic.VERSION, yaml.__version__,
                        jinja2.__version__,
                        cache.source_of(*sorted(str(p) for p in root.rglob("*.py"))))


class Listing:
    """The rows of the councils list, kept up to date by a background checker."""

    def __init__(self, store: Store):
        self.store = store
        self._rows: dict[str, tuple[tuple, Row, str | None]] = {}   # name: (stat, row, disk key)
        self._todo: dict[str, tuple[Path, tuple, dt.date]] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._disk: dict[str, Any] | None = None
        self._fingerprint: str | None = None
        self._dirty = False
        self._quiet = 0              # pages being made: the checker waits for them

    # ---- what the pages ask --------------------------------------------------------

    def rows(self, today: dt.date, wait: float | None = WAIT) -> list[Row]:
        """Every council's row; rows not checked within ``wait`` seconds (None: no limit)
        come back with ``checked`` False."""
        wanted: dict[str, tuple[Path, tuple]] = {}
        out: dict[str, Row | None] = {}
        for name, paths in self.store.files().items():
            if len(paths) > 1:
                out[name] = self._clash_row(name, paths)
                continue
            try:
                info = paths[0].stat()
            except OSError:
                continue
            key = (paths[0].name, info.st_mtime_ns, info.st_size, today)
            with self._cond:
                known = self._rows.get(name)
            out[name] = known[1] if known and known[0] == key else None
            if out[name] is None:
                wanted[name] = (paths[0], key)
        if wanted:
            self._ask(wanted, today)
            with self._cond:
                self._cond.wait_for(lambda: not any(n in self._todo for n in wanted),
                                    timeout=wait)
                for name, (path, key) in wanted.items():
                    known = self._rows.get(name)
                    out[name] = known[1] if known and known[0] == key else \
                        Row(name, path.name, name, checked=False)
        return [row for row in out.values() if row is not None]

    @contextmanager
    def giving_way(self):
        """While a page is made from the rows, the checker pauses (between two councils),
        so that it does not slow the page down."""
        with self._cond:
            self._quiet += 1
        try:
            yield
        finally:
            with self._cond:
                self._quiet -= 1
                self._cond.notify_all()

    def warm(self, today: dt.date | None = None) -> None:
        """Start checking every council now (when the server starts)."""
        today = today or dt.date.today()
        wanted = {}
        for name, paths in self.store.files().items():
            if len(paths) == 1:
                try:
                    info = paths[0].stat()
                except OSError:
                    continue
                wanted[name] = (paths[0], (paths[0].name, info.st_mtime_ns, info.st_size,
                                           today))
        self._ask(wanted, today)

    @staticmethod
    def _clash_row(name: str, paths: list[Path]) -> Row:
        from .store import Clash
        problem = Clash(name, paths).problems[0]
        return Row(name, " and ".join(p.name for p in paths), name, errors=1,
                   first_problem=str(problem))

    # ---- the checker ---------------------------------------------------------------

    def _ask(self, wanted: dict[str, tuple[Path, tuple]], today: dt.date) -> None:
        with self._cond:
            for name, (path, key) in wanted.items():
                self._todo[name] = (path, key, today)
            if wanted and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._work, daemon=True,
                                                name="protocol-gen councils checker")
                self._thread.start()

    def _work(self) -> None:
        try:
            self._prepare()
        except Exception:  # noqa: BLE001 - no cache: every row is checked below
            self._disk, self._fingerprint = {}, None
        with self._cond:
            todo = list(self._todo.items())
        for name, job in todo:                     # first every row the disk cache holds
            row = self._from_disk(name, *job)
            if row is not None:
                self._done(name, job, row)
        while True:
            with self._cond:
                self._cond.wait_for(lambda: not self._quiet)
                if not self._todo:
                    self._thread = None
                    break
                name, job = next(iter(self._todo.items()))
            self._done(name, job, self._from_disk(name, *job) or self._check(name, *job))
        self._save()

    def _done(self, name: str, job, found: tuple[Row, str | None] | None) -> None:
        with self._cond:
            if found is not None:
                self._rows[name] = (job[1], *found)
            if self._todo.get(name) == job:
                del self._todo[name]
            self._cond.notify_all()

    def _prepare(self) -> None:
        from ..library.clauses import fingerprint
        self.store.library()
        if self._disk is None:
            library = fingerprint(self.store.library_folders)
            self._fingerprint = cache.digest(library, _code()) if library else None
            kept = cache.recall_json("councils", self._file_key()) if self._fingerprint \
                else None
            self._disk = kept if isinstance(kept, dict) else {}

    def _file_key(self) -> str:
        return cache.digest(str(self.store.folder.resolve()))

    def _disk_key(self, path: Path, data: bytes, today: dt.date) -> str | None:
        if not self._fingerprint:
            return None
        return cache.digest(self._fingerprint, str(path.resolve()), today.isoformat(), data)

    def _from_disk(self, name: str, path: Path, key: tuple, today: dt.date
                   ) -> tuple[Row, str] | None:
        try:
            disk_key = self._disk_key(path, path.read_bytes(), today)
            kept = self._disk.get(disk_key) if disk_key else None
            return (Row.from_json(kept), disk_key) if kept else None
        except Exception:  # noqa: BLE001 - unreadable or stale: checked afresh
            return None

    def _check(self, name: str, path: Path, key: tuple, today: dt.date
               ) -> tuple[Row, str | None] | None:
        from ..errors import Problem
        from ..pipeline import Checked, check_profile
        try:
            before = path.read_bytes()
            keep = True
            try:
                checked = check_profile(path, self.store.library(), today=today)
                row = row_of(name, path, checked, today)
            except Exception as exc:  # noqa: BLE001 - e.g. the library is broken
                problems = getattr(exc, "problems", None) or [Problem(
                    f"could not be checked: {exc}", file=str(path))]
                checked = Checked(tuple(problems))
                row = row_of(name, path, checked, today)
                keep = False
            same = keep and path.read_bytes() == before
        except OSError:          # gone or unreadable since it was listed
            return None
        disk_key = None
        if same and not _names_other_files(checked):
            disk_key = self._disk_key(path, before, today)
        with self._cond:
            self._dirty = self._dirty or disk_key is not None
        return row, disk_key

    def _save(self) -> None:
        """Keep the rows of the councils now in the folder (so the file stays small)."""
        with self._cond:
            if not self._dirty or not self._fingerprint:
                return
            self._dirty = False
            kept = {disk: row.as_json() for _, row, disk in self._rows.values() if disk}
        self._disk = kept
        cache.keep_json("councils", self._file_key(), kept)

    def wait_until_checked(self, timeout: float | None = None) -> bool:
        """Whether every council asked for was checked within ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            return self._cond.wait_for(lambda: not self._todo, timeout=None if deadline is None
                                       else max(0.0, deadline - time.monotonic()))
