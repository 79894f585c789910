"""Build many councils at once: one process per core, one small record per council.

Each worker loads the clause library once (the pool's initializer), then builds the
profiles it is given: assemble, render, and write its own files (so large bytes never
cross process boundaries), keeping a differing earlier version under ``previous/``; a
council's files are written together, all or none, under a lock on its folder
(:mod:`generator.writeset`). A broken profile yields a failed :class:`Outcome` with its
reason and never stops the others. Results come back in the order the profiles were
named, so the log is the same however the work was shared out. Ctrl-C, SIGTERM and
SIGHUP cancel what has not started, let running builds finish their writes, count what
they did, and re-raise.

Writing here, rather than in the CLI, is deliberate: it is what lets a build scale.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import Problem, ProtocolGenError, quiet_libraries
from .files import output_path, safe_stem

if TYPE_CHECKING:                    # imported when a build needs it (see buildcache)
    from .buildcache import Lookup
    from .library.clauses import ClauseLibrary

STOP_SIGNALS = ("SIGTERM", "SIGHUP")    # treated like Ctrl-C
IN_PROCESS_MAX = 2        # batches this small are built in-process (no start-up cost)
DRAFTING = "drafting"
REDLINE = "redline"


@dataclass(frozen=True)
class Request:
    """What to build for every profile (the same for all of them)."""

    out_dir: str
    formats: tuple[str, ...] = ("md", "docx")
    drafting: bool = False
    redline: bool = False
    reference_docx: str | None = None     # the council's Word file (--reference-docx)
    against: str | None = None            # the council's current protocol (--against)
    report: bool = False                  # also the committee report (--report)
    reviewing: bool = False               # the report reviews the adopted version (impact)


@dataclass(frozen=True)
class Outcome:
    """The small record a worker sends back for one profile."""

    path: str
    stem: str
    ok: bool
    problems: tuple[Problem, ...] = ()     # errors when failed, warnings when built
    written: tuple[str, ...] = ()          # files (re)written
    unchanged: tuple[str, ...] = ()        # files that already held the same bytes
    kept: tuple[str, ...] = ()             # earlier versions kept under previous/
    notes: tuple[str, ...] = ()            # e.g. the redline's one-line summary

    @property
    def reason(self) -> str:
        """One line saying why the build failed."""
        errors = [p for p in self.problems if p.severity == "error"] or list(self.problems)
        if not errors:
            return "failed"
        first = errors[0]
        if first.file and first.file != self.path:
            where = f"{first.location()}: "          # e.g. a house library file
        elif first.line is not None:
            where = f"line {first.line}" + (f":{first.column}" if first.column else "") + ": "
        else:
            where = ""
        text = (f"{first.field}: " if first.field else "") + first.message
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{where}{text}{more}"


def side_path(out_dir: Path, stem: str, kind: str, suffix: str) -> Path:
    """``<out>/<stem>/<stem>-<kind>.<suffix>`` (drafting copy, redline), checked like
    the protocol files."""
    protocol = output_path(out_dir, stem, "docx")
    return protocol.parent / f"{stem}-{kind}.{suffix}"


def build_one(path: Path, library: ClauseLibrary | None, request: Request,
              kept: Lookup | None = None) -> Outcome:
    """Build one profile and write its files. Never raises for a bad profile. ``kept``:
    its entry in the cache of single builds (library None when that entry is used)."""
    path = Path(path)
    stem = safe_stem(path)
    try:
        return _build(path, stem, library, request, kept)
    except ProtocolGenError as exc:   # a problem with no file of its own is this profile's
        return Outcome(str(path), stem, False, tuple(
            p if p.file else replace(p, file=str(path)) for p in exc.problems))
    except Exception as exc:  # noqa: BLE001 - one council's bug must not stop the batch
        return Outcome(str(path), stem, False, (Problem(
            f"internal error: {type(exc).__name__}: {exc}", file=str(path),
            hint="this is a bug in protocol-gen; build this profile alone with "
                 "PROTOCOLGEN_DEBUG=1 to see the details"),))


def _build(path: Path, stem: str, library: ClauseLibrary | None, request: Request,
           kept: Lookup | None = None) -> Outcome:
    from .review.versions import keep_previous
    from .writeset import FolderLock, replace_error, write_together

    if kept and kept.files is not None:        # built before from the very same inputs
        from .pipeline import Built
        built = Built(path, stem, None, None, kept.files, list(kept.warnings))
    else:
        from .cache import note_from, stop_noting
        from .pipeline import build_profile
        if kept:                               # start from what it worked out last time
            note_from(kept.notes)
        try:
            built = build_profile(path, library, request.formats,
                                  reference_docx=request.reference_docx)   # everything first
            if kept:
                kept.keep(path, built.files, built.warnings, built.library.folders,
                          built.document.meta.reference_docx)
        finally:
            stop_noting()
    profile, doc, files, warnings = built.profile, built.document, built.files, built.warnings
    library = built.library or library   # with the profile's own house clauses, if any
    out_dir = Path(request.out_dir)
    extra: dict[Path, bytes] = {}
    report = None
    if request.drafting:
        from .library.provenance import explain
        from .render.drafting import drafting_copy
        report = explain(profile, library, doc, str(path))
        extra[side_path(out_dir, stem, DRAFTING, "docx")] = drafting_copy(
            doc, report, rendered=files.get("docx"), reference_docx=request.reference_docx)

    protocol = {output_path(out_dir, stem, fmt): data for fmt, data in files.items()}
    written, unchanged, kept, notes = [], [], [], []
    with FolderLock(output_path(out_dir, stem, "md").parent):
        for target, data in protocol.items():   # earlier versions kept before any change
            try:
                earlier = keep_previous(target, data)
            except OSError as exc:                # e.g. Word holding the file on Windows
                raise replace_error(target, exc) from None
            if earlier:
                kept.append(str(earlier))
        redline: list = []
        if request.against:
            notes.append(_redline_against(built, library, Path(request.against), path, out_dir,
                                          stem, extra, redline))
        elif request.redline:
            original = Path(path).parent / profile.drafting.library / "original.md" \
                if profile.drafting.library else None
            notes.append(_redline(built, library, path, out_dir, stem, extra, original, redline))
        if request.report:
            notes.append(_report(built, library, out_dir, stem, extra, redline,
                                 request.reviewing))
        for target, changed in write_together({**protocol, **extra}).items():
            (written if changed else unchanged).append(str(target))
    return Outcome(str(path), stem, True, tuple(warnings), tuple(written), tuple(unchanged),
                   tuple(kept), tuple(n for n in notes if n))


def _redline(built, library, path: Path, out_dir: Path, stem: str, extra: dict[Path, bytes],
             original: Path | None = None, made: list | None = None) -> str:
    """Add the redline against the latest kept earlier version to ``extra`` (compared
    like with like: Markdown with Markdown, DOCX with DOCX), or, before any is kept,
    against the ``original`` an import kept (its Markdown); one line back."""
    from .review.readback import from_document, load_protocol, read_docx
    from .review.redline import make_redline
    from .review.versions import latest_previous

    doc, files = built.document, built.files

    order = [f for f in ("md", "docx") if f in files] + \
        [f for f in ("md", "docx") if f not in files]
    for fmt in order:
        earlier = latest_previous(output_path(out_dir, stem, fmt))
        if earlier:
            break
    else:
        if original is None or not original.is_file():
            return "no earlier version kept yet: no redline"
        return _redline_against(built, library, original, path, out_dir, stem, extra, made)
    name = output_path(out_dir, stem, fmt).name
    newer = read_docx(files["docx"], name) if fmt == "docx" and "docx" in files else \
        from_document(doc, name)
    redline = make_redline(load_protocol(earlier), newer)
    return _add_redline(redline, earlier.name, out_dir, stem, extra, made)


def _redline_against(built, library, current: Path, path: Path, out_dir: Path, stem: str,
                     extra: dict[Path, bytes], made: list | None = None) -> str:
    """Add the redline against the council's current protocol (any format the importer
    reads), compared by content, with the reason for each change as a comment."""
    from .files import read_capped
    from .importer.read import MAX_BYTES
    from .review.against import redline_files
    data = read_capped(current, MAX_BYTES + 1)
    name = output_path(out_dir, stem, "md").name
    redline = redline_files(data, current.name, built.profile, library, built.document,
                            str(path), name)
    return _add_redline(redline, current.name, out_dir, stem, extra, made)


def _add_redline(redline, old_name: str, out_dir: Path, stem: str,
                 extra: dict[Path, bytes], made: list | None = None) -> str:
    if made is not None:
        made.append(redline)
    extra[side_path(out_dir, stem, REDLINE, "docx")] = redline.docx
    extra[side_path(out_dir, stem, f"{REDLINE}-summary", "md")] = \
        redline.summary.markdown().encode("utf-8")
    return f"redline against {old_name}: {redline.summary.counts()}"


def _report(built, library, out_dir: Path, stem: str, extra: dict[Path, bytes],
            made: list, reviewing: bool = False) -> str:
    """Add the committee report (Markdown and DOCX), from the redline just made."""
    from .render.report import render_report
    from .review.report import report_for
    report = report_for(built.profile, built.document, library, made[0] if made else None,
                        stem, reviewing=reviewing)
    for fmt in ("md", "docx"):
        extra[side_path(out_dir, stem, "report", fmt)] = render_report(report, fmt)
    return f"committee report: {stem}-report.md and .docx"


# ---- running many -------------------------------------------------------------------------

_LIBRARY: ClauseLibrary | None = None


def _worker_init(folders: tuple[str, ...] | None) -> None:
    """Load the library once per worker; leave Ctrl-C, SIGTERM and SIGHUP to the parent,
    which lets the builds under way finish their writes."""
    import signal
    global _LIBRARY
    from .library.clauses import load_library
    for name in ("SIGINT", *STOP_SIGNALS):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    _exit_with_parent()
    quiet_libraries()
    _LIBRARY = load_library(list(folders) if folders else None)


def _exit_with_parent() -> None:
    """Stop this worker as soon as its parent has gone (killed with no time to shut the
    pool down), rather than waiting for work for ever. Every write is atomic, so
    stopping at any moment leaves no half-written file."""
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_build(path: str, request: Request) -> Outcome:
    return build_one(Path(path), _LIBRARY, request)


@dataclass
class Batch:
    """Every outcome, in the order the profiles were named."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def built(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def _duplicates(paths: list[Path]) -> dict[int, Outcome]:
    """Profiles whose output folder another profile already claims fail up front: the
    same name, or names that differ only in case (one folder on Windows and macOS)."""
    first: dict[str, tuple[str, Path]] = {}
    failed: dict[int, Outcome] = {}
    for i, path in enumerate(paths):
        stem = safe_stem(path)
        key = stem.casefold()
        if key not in first:
            first[key] = (stem, path)
            continue
        other_stem, other = first[key]
        if other.resolve() == path.resolve():
            message, hint = "named twice", "name each profile once"
        elif other_stem == stem:
            message = f"writes to the same output folder '{stem}' as {other}"
            hint = "rename one of the two profile files"
        else:
            message = (f"its output folder '{stem}' differs from '{other_stem}' (from {other}) "
                       "only in case: on Windows and macOS they are one folder")
            hint = "rename one of the two profile files"
        failed[i] = Outcome(str(path), stem, False, (Problem(message, file=str(path),
                                                             hint=hint),))
    return failed


def run_batch(paths: list[Path], request: Request, *, library_folders: list[str] | None = None,
              library: ClauseLibrary | None = None, jobs: int | None = None,
              on_done: Callable[[Outcome], None] | None = None,
              on_progress: Callable[[Outcome], None] | None = None) -> Batch:
    """Build every profile. ``on_progress`` hears of each outcome as it finishes;
    ``on_done`` hears of them in the order the profiles were named."""
    paths = [Path(p) for p in paths]
    folders = tuple(map(str, library_folders)) if library_folders else None
    kept = None
    if len(paths) == 1 and library is None:     # a clerk's single build: kept between runs
        from .buildcache import look_up
        kept = look_up(paths[0], request, list(folders) if folders else None)
    if library is None and not (kept and kept.files is not None):
        from .library.clauses import load_library
        library = load_library(list(folders) if folders else None)   # fail once, early
    outcomes: list[Outcome | None] = [None] * len(paths)
    pending = 0

    def finished(i: int, outcome: Outcome) -> None:
        nonlocal pending
        outcomes[i] = outcome
        if on_progress:
            on_progress(outcome)
        while pending < len(outcomes) and outcomes[pending] is not None:
            if on_done:
                on_done(outcomes[pending])
            pending += 1

    early = _duplicates(paths)
    todo = [i for i in range(len(paths)) if i not in early]
    for i, outcome in sorted(early.items()):
        finished(i, outcome)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if kept is not None:
        finished(0, build_one(paths[0], library, request, kept))
    elif workers == 1 or len(todo) <= IN_PROCESS_MAX:
        for i in todo:
            finished(i, build_one(paths[i], library, request))
    else:
        _in_pool(paths, todo, request, folders, workers, finished)
    return Batch([o for o in outcomes if o is not None])


def _in_pool(paths, todo, request, folders, workers, finished) -> None:
    import concurrent.futures as cf  # only batches need it: a single build starts sooner
    executor = cf.ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                                      initargs=(folders,))
    futures: dict = {}
    reported = {i: False for i in todo}
    try:
        for i in todo:
            futures[executor.submit(_worker_build, str(paths[i]), request)] = i
        for future in cf.as_completed(futures):
            i = futures[future]
            reported[i] = True
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died
                outcome = Outcome(str(paths[i]), safe_stem(paths[i]), False, (Problem(
                    f"the build process stopped: {type(exc).__name__}: {exc}",
                    file=str(paths[i]), hint="build this profile alone to see why"),))
            finished(i, outcome)
    except BaseException:
        # Ctrl-C, SIGTERM (or anything else): start nothing new, let running builds
        # finish their writes, count what they did, then stop.
        executor.shutdown(wait=True, cancel_futures=True)
        for future, i in futures.items():
            if future.done() and not future.cancelled() and future.exception() is None \
                    and not reported[i]:
                finished(i, future.result())
        raise
    executor.shutdown(wait=True)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: stop as Ctrl-C stops."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stopping_like_ctrl_c():
    """While inside, SIGTERM and SIGHUP (a service manager stopping the build, a closed
    terminal or SSH session) raise :class:`Stopped`, so they stop a build the way Ctrl-C
    does: no half-written file, and a summary. Main thread only."""
    import signal

    def stop(signum, _frame):
        raise Stopped(signum)
    before = {}
    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            number = getattr(signal, name)
            before[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


# ---- what the CLI prints ------------------------------------------------------------------

Line = tuple[str, bool]    # text, and whether it goes to stderr


def outcome_lines(outcome: Outcome, quiet: bool = False, files: bool = False) -> list[Line]:
    """The log lines for one profile: 'built <name>' (and what was kept, unchanged or
    noted; with ``files``, every file by name) or 'FAILED <name>: reason' followed by
    every problem."""
    if not outcome.ok:
        # each problem once: the first error on the FAILED line, then the others
        first = next((p for p in outcome.problems if p.severity == "error"), None)
        if first is None:
            return [(f"FAILED {outcome.stem}: {outcome.reason}", True)]
        return [(f"FAILED {outcome.stem}: {first}", True)] + \
            [(str(p), True) for p in outcome.problems if p is not first]
    if quiet:
        return []
    state = " (unchanged)" if not outcome.written and outcome.unchanged else ""
    lines: list[Line] = [(f"built {outcome.stem}{state}", False)]
    if files:
        lines += [(f"  wrote {w}", False) for w in outcome.written]
        lines += [(f"  unchanged {u}", False) for u in outcome.unchanged]
    lines += [(f"  kept the earlier version: {k}", False) for k in outcome.kept]
    lines += [(f"  {note}", False) for note in outcome.notes]
    lines += [(str(p), True) for p in outcome.problems]
    return lines


def summary_lines(batch: Batch, quiet: bool = False) -> list[Line]:
    """'built N, failed M' and, for a batch of more than one, each failure with its
    one-line reason (a single profile's problems were printed just before)."""
    failed = batch.failed
    if quiet and not failed:
        return []
    lines: list[Line] = [(f"built {len(batch.built)}, failed {len(failed)}", bool(failed))]
    if len(batch.outcomes) > 1:
        lines += [(f"  {o.path}: {o.reason}", True) for o in failed]
    return lines
