"""Which councils a change in the law touches: a folder of profiles against the register.

For each council: its adoption date, its next review (overdue, due within three months,
or not yet due, as of a given day), and the register's changes since it adopted its
protocol that touch a clause its protocol contains, with the paragraphs affected (the
clause's chosen wording cites or rests on the law that changed). A profile with no
change since its adoption needs no assembling, so a large folder is read quickly; the
rest are assembled, on every core for a large folder. Nothing here writes files.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
import datetime as dt
from pathlib import Path

DUE_MONTHS = 3
# Folders this small are read in this process: about 1 ms a council, where starting two
# workers (each importing the libraries and loading the library and the register) takes
# longer than reading a thousand councils on two cores.
IN_PROCESS_MAX = 1000


@dataclass(frozen=True)
class Options:
    as_of: dt.date                          # the day the review dates are judged on
    since: dt.date | None = None            # only changes on or after this day
    law: str | None = None                  # only changes of this register entry


@dataclass(frozen=True)
class Hit:
    """One change in the law and the paragraphs of one council it touches."""

    entry: str
    name: str
    date: dt.date
    kind: str
    change: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Council:
    path: str
    stem: str
    name: str = ""
    tier: str = ""
    nation: str = ""
    version: str = ""
    adopted: dt.date | None = None
    next_review: str | None = None
    review: str = "none"                    # overdue, due, ok, none
    since: dt.date | None = None            # changes are counted after this day
    hits: tuple[Hit, ...] = ()
    error: str | None = None

    @property
    def affected(self) -> bool:
        return bool(self.hits)

    def as_json(self) -> dict:
        data = asdict(self)
        data["adopted"] = self.adopted.isoformat() if self.adopted else None
        data["since"] = self.since.isoformat() if self.since else None
        data["affected"] = self.affected
        for hit in data["hits"]:
            hit["date"] = hit["date"].isoformat()
            hit["paragraphs"] = list(hit["paragraphs"])
        return data


@dataclass
class Impact:
    options: Options
    councils: list[Council] = field(default_factory=list)

    @property
    def affected(self) -> list[Council]:
        return [c for c in self.councils if c.affected]


def review_state(next_review: str | None, as_of: dt.date) -> str:
    """'overdue' (the review month or day has passed), 'due' (within three months),
    'ok', or 'none' (no review date)."""
    if not next_review:
        return "none"
    parts = [int(p) for p in next_review.split("-")]
    if len(parts) == 3:
        due = dt.date(*parts)
    else:                                   # a month: overdue once it has ended
        year, month = parts[0] + parts[1] // 12, parts[1] % 12 + 1
        due = dt.date(year, month, 1) - dt.timedelta(days=1)
    if due < as_of:
        return "overdue"
    months = (due.year - as_of.year) * 12 + due.month - as_of.month
    return "due" if months <= DUE_MONTHS else "ok"


class Reader:
    """What one process keeps between councils: the library, the register, each
    wording's citations, and the register's changes."""

    def __init__(self, library, register, options: Options):
        from ..library.register import changes
        self.library, self.register, self.options = library, register, options
        self.changes = [c for c in changes(library, register, until=options.as_of,
                                           entry_id=options.law)
                        if options.since is None or c.event.date >= options.since]
        self._cited: dict[tuple[str, str], frozenset[str]] = {}
        self._plans: dict[tuple, list] = {}
        self._condition_names: tuple[str, ...] | None = None

    def council(self, path: Path) -> Council:
        from ..errors import ProtocolGenError
        from ..files import safe_stem
        stem = safe_stem(path)
        try:
            return self._council(Path(path), stem)
        except ProtocolGenError as exc:
            first = exc.problems[0] if exc.problems else None
            return Council(str(path), stem, error=str(first) if first else "cannot be read")

    def _council(self, path: Path, stem: str) -> Council:
        profile = _quick_profile(path)
        if profile is None:                   # anything unusual: the full reader and its errors
            from ..profile.load import load_profile
            profile, _ = load_profile(path)
        adoption, council = profile.adoption, profile.council
        since = adoption.adopted or max((h.date for h in adoption.history if h.date),
                                        default=None)
        base = Council(str(path), stem, council.name, council.tier, council.nation,
                       adoption.version, adoption.adopted, profile.next_review(),
                       review_state(profile.next_review(), self.options.as_of), since)
        candidates = [c for c in self.changes
                      if (since is None or c.event.date > since)
                      and council.nation in (c.event.applies or c.entry.applies)]
        if since is None or not candidates:
            return base
        return Council(**{**base.__dict__, "hits": self._hits(profile, path, candidates)})

    def _plan(self, profile, path: Path):
        """(library, [(clause id, number, source)]) of the council's protocol. Councils
        alike in every value the library's conditions read, and in their drafting
        choices, get the same clauses, wordings and numbers: each such plan is assembled
        once."""
        from ..assemble import assemble
        from ..pipeline import with_house_library
        drafting = profile.drafting
        key = None
        if not drafting.library:
            ctx = profile.context()
            key = (tuple(repr(ctx.get(n)) for n in self._names()), tuple(drafting.exclude),
                   tuple(sorted(drafting.variants.items())), tuple(drafting.prefer_sources))
            if key in self._plans:
                return self.library, self._plans[key]
        library = with_house_library(profile, path, self.library)
        plan = [(c.id, c.number, c.source) for c in assemble(profile, library).clauses()]
        if key is not None:
            self._plans[key] = plan
        return library, plan

    def _names(self) -> tuple[str, ...]:
        """Every profile name a condition of the library reads."""
        if self._condition_names is None:
            from ..library.templating import names_used
            lib, names = self.library, set()
            for w in [s.when for s in lib.sections] + \
                    [w for c in lib.clauses.values()
                     for w in (c.when, *(v.when for v in c.variants))]:
                if w:
                    names |= set(names_used(w, expression=True)[0])
            self._condition_names = tuple(sorted(names))
        return self._condition_names

    def _hits(self, profile, path: Path, candidates) -> tuple[Hit, ...]:
        library, plan = self._plan(profile, path)
        relies = {cid: (number, self._relies(library, cid, source))
                  for cid, number, source in plan}
        hits = []
        for change in candidates:
            paras = tuple(number for cid, (number, ids) in relies.items()
                          if cid in change.clauses and change.entry.id in ids)
            if paras:
                e, ev = change.entry, change.event
                hits.append(Hit(e.id, e.name, ev.date, ev.kind, ev.change, paras))
        return tuple(hits)

    def _relies(self, library, cid: str, source: str) -> frozenset[str]:
        key = (cid, source)
        if key not in self._cited or library is not self.library:
            from ..library.register import variant_citations
            lib_clause = library.clauses.get(cid)
            if lib_clause is None:
                return frozenset()
            variant = next((v for v in lib_clause.variants if v.source == source),
                           lib_clause.variants[0])
            found = frozenset(e.id for e in variant_citations(self.register, variant))
            if library is not self.library:
                return found
            self._cited[key] = found
        return self._cited[key]


QUICK_MAX = 64_000       # bytes: larger profiles take the full reader


def _quick_profile(path: Path):
    """The profile read with libyaml, for speed, when it is plain (no anchors, aliases or
    tags) and valid; else None, and the caller takes the full reader, which gives every
    problem its line and column."""
    import yaml

    from ..profile.load import parse_profile
    from ..profile.yamlsource import Located
    try:
        raw = Path(path).read_bytes()
        if len(raw) > QUICK_MAX:
            return None
        text = raw.decode("utf-8")
        if any(ch in text for ch in "&*!") or "\t" in text:
            return None
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        profile, problems = parse_profile(Located(data, str(path)))
    except Exception:  # noqa: BLE001 - anything odd is the full reader's to explain
        return None
    if profile is None or any(p.severity == "error" for p in problems):
        return None
    return profile


# ---- many councils ------------------------------------------------------------------

_READER: Reader | None = None


def _init(folders, options: Options) -> None:
    import signal
    global _READER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _READER = Reader(*_load(folders), options)


def _load(folders):
    from ..library.clauses import load_library
    from ..library.register import load_register
    library = load_library(list(folders) if folders else None)
    return library, load_register([Path(f) for f in folders or ()])


def _one(path: str) -> Council:
    assert _READER is not None
    return _READER.council(Path(path))


def impact(paths: list[Path], options: Options, *, library_folders=None, jobs=None,
           on_progress=None) -> Impact:
    """Every council of ``paths``, in the order named."""
    import os
    folders = tuple(map(str, library_folders)) if library_folders else None
    library, register = _load(folders)           # fail once, early, on a bad library
    if options.law and register.get(options.law) is None:
        import difflib

        from ..errors import ProtocolGenError
        close = difflib.get_close_matches(options.law, [e.id for e in register.entries], n=1,
                                          cutoff=0.6)
        raise ProtocolGenError(f"--law: '{options.law}' is not an entry of the legislation "
                               "register", file=register.file, hint=f"did you mean '{close[0]}'?" if close else
                               "use an id from clause_library/legislation.yaml (see "
                               "docs/legal-basis.md)")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    result = Impact(options)
    if workers == 1 or len(paths) <= IN_PROCESS_MAX:
        reader = Reader(library, register, options)
        for path in paths:
            result.councils.append(reader.council(Path(path)))
            if on_progress:
                on_progress(result.councils[-1])
        return result
    import concurrent.futures as cf
    with cf.ProcessPoolExecutor(max_workers=workers, initializer=_init,
                                initargs=(folders, options)) as pool:
        for council in pool.map(_one, [str(p) for p in paths],
                                chunksize=max(1, len(paths) // (workers * 8))):
            result.councils.append(council)
            if on_progress:
                on_progress(council)
    return result
