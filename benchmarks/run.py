"""Benchmark: protocol-gen against pandoc, a single build, and memory at scale.

Generates N synthetic council profiles from the examples in council_profiles/ (names,
tiers, political groups, titles and versions varied), then measures, side by side in
one run on this machine:

* the batch: ``protocol-gen build FOLDER --out DIR -q`` (Markdown and DOCX for each);
* pandoc converting the same N Markdown files to DOCX one after another, one
  ``pandoc X.md -o X.docx`` process per file, as a user would;
* a clerk's single build, ``protocol-gen build one.yaml`` in a fresh process, beside
  pandoc's one conversion of the same protocol (benchmarks/single.py);
* the audit of a council's existing 5,000-word Word file, ``protocol-gen audit
  protocol.docx`` in a fresh process (benchmarks/audit.py);
* the peak resident memory of the whole process tree (the parent and its workers) for
  a small and a large batch;
* where the time goes per council, stage by stage, in one process;
* the web app (benchmarks/web.py): the live preview after an edit for the largest
  example, and the councils page with 500 councils.

Run from the repository root::

    .venv/bin/python benchmarks/run.py              # N=500, memory at 100 and 2000
    .venv/bin/python benchmarks/run.py --n 100 --skip-memory

No time is asserted anywhere: the numbers are printed for a person to read (and for the
README's Performance section). A build that fails, or writes fewer files than asked,
stops the run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "council_profiles"

# Syllables for invented place names (no real people's names anywhere).
_FRONT = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gal", "Hol", "Ive", "Kel", "Lang",
          "Mar", "Nor", "Oak", "Pen", "Rad", "Sel", "Thorn", "Ul", "Wey", "Yar", "Brock",
          "Cwm", "Llan", "Aber")
_BACK = ("bury", "combe", "ford", "ham", "leigh", "mere", "ton", "well", "wick", "worth",
         "stead", "field", "brook", "dale", "moor", "hurst")
_SUFFIX = ("Upper", "Lower", "Great", "Little", "North", "South", "East", "West")
_LOCAL_CHAIRS = (("Chair", "Vice-Chair"), ("Chairman", "Vice-Chairman"),
                 ("Chairman", "Vice Chairman"))
_TOWN_CHAIRS = _LOCAL_CHAIRS + (("Town Mayor", "Deputy Town Mayor"), ("Mayor", "Deputy Mayor"))
_PRINCIPAL_TIERS = {"england": ("district", "borough", "unitary", "metropolitan",
                                "london_borough", "county"),
                    "wales": ("county", "borough", "unitary")}
_LOCAL_TIERS = {"england": ("parish", "town"), "wales": ("community", "town")}
_KIND = {"parish": "Parish Council", "town": "Town Council", "community": "Community Council",
         "district": "District Council", "borough": "Borough Council",
         "county": "County Council", "unitary": "Council",
         "metropolitan": "Metropolitan Borough Council", "london_borough": "London Borough "
         "Council"}
_HEAD = {"parish": "Parish Clerk", "town": "Town Clerk", "community": "Clerk"}


# ---- synthetic profiles -------------------------------------------------------------

def place(i: int) -> str:
    """An invented place name, different for each i (up to a few thousand)."""
    front = _FRONT[i % len(_FRONT)]
    back = _BACK[(i // len(_FRONT)) % len(_BACK)]
    round_ = i // (len(_FRONT) * len(_BACK))
    return front + back + (f" {_SUFFIX[round_ % len(_SUFFIX)]}" if round_ else "")


def synthetic(base: dict, i: int) -> dict:
    """A variation of an example profile: another name, tier, groups, titles, version."""
    p = yaml.safe_load(yaml.safe_dump(base, sort_keys=False))      # a deep copy
    council, roles = p["council"], p.setdefault("roles", {})
    nation = council.get("nation", "england")
    local = council["tier"] in ("parish", "town", "community")
    tiers = _LOCAL_TIERS[nation] if local else _PRINCIPAL_TIERS[nation]
    if local or council.get("governance", "committee") != "committee":
        council["tier"] = tiers[i % len(tiers)]
    tier = council["tier"]
    name = place(i)
    council["name"] = (f"London Borough of {name}" if tier == "london_borough"
                       else f"{name} {_KIND[tier]}")
    if local:
        roles["head_officer"] = _HEAD[tier]
        chairs = _TOWN_CHAIRS if tier == "town" else _LOCAL_CHAIRS
        roles["chair"], roles["vice_chair"] = chairs[i % len(chairs)]
        council["political_groups"] = i % 3 == 0
        if council["political_groups"]:
            roles.setdefault("staffing_committee", "Staffing Committee")
    else:
        council["political_groups"] = True
        council["independent_members"] = i % 2 == 0
        roles["chair"], roles["vice_chair"] = (("Chairman", "Vice-Chairman"),
                                               ("Chair", "Vice-Chair"),
                                               ("Civic Mayor", "Deputy Civic Mayor"))[i % 3]
    if tier != "county":
        p.get("terms", {}).pop("ward", None)
    adoption = p.setdefault("adoption", {})
    major, minor = 1 + i % 4, i % 3
    adoption["version"] = f"{major}.{minor}"
    adopted = dt.date(2020 + i % 7, 1 + i % 12, 1 + i % 28)
    if i % 5:                                          # every fifth a draft
        adoption["adopted"] = adopted
        adoption["minute"] = f"{adopted.year % 100}/{100 + i % 900}"
        adoption["next_review"] = f"{adopted.year + 1}-{adopted.month:02d}"
    else:
        for key in ("adopted", "minute", "next_review"):
            adoption.pop(key, None)
    adoption.pop("signatories", None)
    adoption["history"] = [{"version": f"{v}.0", "date": dt.date(2012 + 2 * v, 5, 1),
                            "change": "First adoption" if v == 1 else "Reviewed"}
                           for v in range(1, major + (minor > 0))
                           if f"{v}.0" != adoption["version"]]
    if nation == "wales" and i % 4 == 0:
        p.setdefault("document", {})["language"] = "cy-GB"
    return p


def write_profiles(folder: Path, n: int) -> list[Path]:
    """N synthetic profiles written to ``folder``, named council-0000.yaml and on."""
    bases = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"council-{i:04d}.yaml"
        path.write_text(yaml.safe_dump(synthetic(bases[i % len(bases)], i), sort_keys=False),
                        "utf-8")
        paths.append(path)
    return paths


# ---- running and measuring ----------------------------------------------------------

def protocol_gen() -> list[str]:
    """The console script beside this Python, else ``python -m generator``."""
    script = Path(sys.executable).parent / "protocol-gen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


ENV = dict(os.environ)


def environment(work: Path) -> None:
    """The measured processes run as after a normal installation: the package and the
    installed libraries are compiled to bytecode first (as pip does when it installs),
    in their own ``__pycache__`` folders, and no process is told not to use it (a shell
    may set PYTHONDONTWRITEBYTECODE, which would make every run compile the package from
    source); protocol-gen's cache between runs is a folder of the work area."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV.pop("PYTHONPYCACHEPREFIX", None)
    ENV["PROTOCOLGEN_CACHE"] = str(work / "cache")
    os.environ["PROTOCOLGEN_CACHE"] = ENV["PROTOCOLGEN_CACHE"]     # for stages()
    for folder in (ROOT / "generator", Path(sysconfig.get_paths()["purelib"])):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], env=ENV,
                       stdout=subprocess.DEVNULL, check=True)


def run(cmd: list[str], **kwargs) -> float:
    """Run a command to completion; its wall time in seconds. Fails loudly."""
    kwargs.setdefault("env", ENV)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    return elapsed


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled from /proc:
    the largest sum of VmRSS seen at one moment, and the sum of each process's own peak
    (VmHWM), which bounds it from above."""

    def __init__(self, interval: float = 0.01):
        self.interval = interval
        self.peak_sum = 0
        self.hwm: dict[int, int] = {}
        self._stop = threading.Event()

    @staticmethod
    def _status(pid: int) -> dict[str, int]:
        out = {}
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(("VmRSS:", "VmHWM:", "PPid:")):
                        key, value = line.split(":", 1)
                        out[key] = int(value.split()[0])
        except OSError:
            pass
        return out

    def _tree(self, root: int) -> dict[int, dict[str, int]]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                status = self._status(int(entry))
                if "PPid" in status:
                    parents[int(entry)] = status
        tree, frontier = {}, [root]
        while frontier:
            pid = frontier.pop()
            if pid in parents:
                tree[pid] = parents[pid]
                frontier += [p for p, s in parents.items() if s["PPid"] == pid]
        return tree

    def watch(self, root: int) -> None:
        while not self._stop.is_set():
            tree = self._tree(root)
            self.peak_sum = max(self.peak_sum, sum(s.get("VmRSS", 0) for s in tree.values()))
            for pid, s in tree.items():
                self.hwm[pid] = max(self.hwm.get(pid, 0), s.get("VmHWM", 0))
            time.sleep(self.interval)

    def run(self, cmd: list[str]) -> tuple[float, int, int, int]:
        """Run ``cmd``; wall time, sampled peak of the tree (KB), sum of the processes'
        own peaks (KB) and the number of processes seen."""
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        watcher = threading.Thread(target=self.watch, args=(proc.pid,), daemon=True)
        watcher.start()
        out, err = proc.communicate()
        elapsed = time.perf_counter() - start
        self._stop.set()
        watcher.join()
        if proc.returncode:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out.decode()}{err.decode()}")
        return elapsed, self.peak_sum, sum(self.hwm.values()), len(self.hwm)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
            f"{pandoc.stdout.splitlines()[0] if pandoc.returncode == 0 else 'no pandoc'}")


# ---- the measurements ---------------------------------------------------------------

def batch_vs_pandoc(work: Path, n: int, jobs: int | None, skip_pandoc: bool) -> None:
    profiles = work / "profiles"
    write_profiles(profiles, n)
    out = work / "out"
    cmd = protocol_gen() + ["build", str(profiles), "--out", str(out), "-q"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    batch = run(cmd)
    docx = sorted(out.glob("*/*-member-officer-protocol.docx"))
    mds = sorted(out.glob("*/*-member-officer-protocol.md"))
    if not len(docx) == len(mds) == n:
        sys.exit(f"expected {n} .docx and .md files, found {len(docx)} and {len(mds)}")
    per = batch / n * 1000
    print(f"batch   protocol-gen build FOLDER -q ({n} councils, .md + .docx each): "
          f"{batch:.2f} s, {n / batch:.1f} councils/s, {per:.1f} ms per council")
    if skip_pandoc:
        return
    pandoc_out = work / "pandoc"
    pandoc_out.mkdir()
    start = time.perf_counter()
    for md in mds:
        run(["pandoc", str(md), "-o", str(pandoc_out / (md.stem + ".docx"))])
    pandoc = time.perf_counter() - start
    print(f"pandoc  pandoc X.md -o X.docx, one file after another ({n} files): "
          f"{pandoc:.2f} s, {n / pandoc:.1f} files/s, {pandoc / n * 1000:.1f} ms per file")
    print(f"ratio   batch time / pandoc time = {batch / pandoc:.2f} "
          f"(target: at most 0.33; pandoc writes DOCX only, protocol-gen both formats)")


def single(work: Path, runs: int) -> None:
    """A clerk's single build beside pandoc's conversion of the same protocol
    (benchmarks/single.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from single import single_vs_pandoc
    single_vs_pandoc(work, EXAMPLES / "milcombe-parish-council.yaml", runs, protocol_gen(),
                     run, ENV)


def audit(work: Path, runs: int) -> None:
    """The audit of a 5,000-word Word file in a fresh process (benchmarks/audit.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from audit import audit as audit_lines
    audit_lines(work, runs, protocol_gen(), run, ENV)


def memory(work: Path, sizes: list[int], jobs: int | None) -> None:
    results = []
    for n in sizes:
        folder = work / f"memory-{n}"
        write_profiles(folder / "profiles", n)
        cmd = protocol_gen() + ["build", str(folder / "profiles"), "--out",
                                str(folder / "out"), "-q"]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        elapsed, peak, hwm, count = TreeMemory().run(cmd)
        results.append((n, peak, hwm))
        print(f"memory  {n:>5} councils: {elapsed:6.2f} s; peak resident memory of the "
              f"process tree {peak / 1024:.1f} MB (sum of the {count} processes' own peaks "
              f"{hwm / 1024:.1f} MB)")
        shutil.rmtree(folder)
    (n0, p0, h0), (n1, p1, h1) = results[0], results[-1]
    print(f"memory  {n1} vs {n0} councils: tree peak {100 * (p1 - p0) / p0:+.1f}%, "
          f"sum of peaks {100 * (h1 - h0) / h0:+.1f}% (target: within 20%)")


def stages(work: Path, n: int) -> None:
    """Where the time goes per council, in one process with the library loaded once."""
    sys.path.insert(0, str(ROOT))
    from generator.assemble import assemble
    from generator.batch import Request, build_one
    from generator.library.clauses import load_library
    from generator.pipeline import render
    from generator.profile.load import load_profile

    paths = write_profiles(work / "stage-profiles", n)
    library = load_library()
    # one build first: the DOCX starting document and the templates are made once per
    # process, and that is not per-council time
    build_one(paths[0], library, Request(str(work / "stage-warm")))
    spent = dict.fromkeys(("load profile", "assemble", "render md", "render docx"), 0.0)
    for path in paths:
        t0 = time.perf_counter()
        profile, _ = load_profile(path)
        t1 = time.perf_counter()
        doc = assemble(profile, library)
        t2 = time.perf_counter()
        render(doc, "md")
        t3 = time.perf_counter()
        render(doc, "docx")
        t4 = time.perf_counter()
        for key, value in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            spent[key] += value
    request = Request(str(work / "stage-out"))
    start = time.perf_counter()
    for path in paths:
        build_one(path, library, request)
    whole = time.perf_counter() - start
    parts = ", ".join(f"{k} {v / n * 1000:.1f}" for k, v in spent.items())
    print(f"stages  per council in one process (mean of {n}), ms: {parts}; "
          f"whole build_one with writing {whole / n * 1000:.1f}")


def profile(work: Path, n: int, top: int = 30) -> None:
    """cProfile over building ``n`` councils in one process (library loaded, first build
    done): the functions where the time goes, by cumulative time."""
    import cProfile
    import pstats
    sys.path.insert(0, str(ROOT))
    from generator.batch import Request, build_one
    from generator.library.clauses import load_library

    paths = write_profiles(work / "profile-profiles", n)
    library = load_library()
    build_one(paths[0], library, Request(str(work / "profile-warm")))
    request = Request(str(work / "profile-out"))
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        build_one(path, library, request)
    profiler.disable()
    print(f"profile cProfile of build_one over {n} councils (times include the profiler's "
          f"own overhead):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="councils in the timed batch "
                        "(default 500)")
    parser.add_argument("--memory-n", type=int, nargs=2, default=[100, 2000],
                        metavar=("SMALL", "LARGE"), help="batch sizes compared for memory "
                        "(default 100 2000)")
    parser.add_argument("--single-runs", type=int, default=7, help="fresh-process single "
                        "builds (default 7)")
    parser.add_argument("--stages", type=int, default=200, help="councils in the in-process "
                        "stage timing (default 200; 0 skips it)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also print "
                        "cProfile's view of N in-process builds (default: off)")
    parser.add_argument("--jobs", type=int, help="passed to protocol-gen build --jobs")
    parser.add_argument("--skip-pandoc", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument("--web-n", type=int, default=500, help="councils on the web app's "
                        "councils page (default 500; 0 skips the web app's timings)")
    parser.add_argument("--web-only", action="store_true", help="time the web app only")
    parser.add_argument("--audit-only", action="store_true", help="time the audit of a "
                        "5,000-word Word file only")
    parser.add_argument("--impact-n", type=int, nargs=2, default=[2000, 100],
                        metavar=("READ", "BUILD"), help="councils for the impact timings: "
                        "read, and --build (default 2000 100; 0 0 skips them)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a "
                        "temporary folder, removed at the end)")
    args = parser.parse_args()

    print(f"machine {machine()}")
    if args.keep:
        work = Path(args.keep)
        work.mkdir(parents=True, exist_ok=True)
        go(args, work)
    else:
        with tempfile.TemporaryDirectory(prefix="protocolgen-bench-") as tmp:
            go(args, Path(tmp))


def go(args, work: Path) -> None:
    environment(work)
    if args.audit_only:
        audit(work, args.single_runs)
        return
    warm_up = work / "warm-up"
    write_profiles(warm_up / "profiles", 3)   # fills the bytecode and the cache
    run(protocol_gen() + ["build", str(warm_up / "profiles"), "--out", str(warm_up / "out"),
                          "-q"])
    if args.web_n or args.web_only:
        sys.path.insert(0, str(Path(__file__).parent))
        from web import web
        web(work, EXAMPLES, args.web_n or 500, write_profiles)
        if args.web_only:
            return
    batch_vs_pandoc(work, args.n, args.jobs, args.skip_pandoc)
    if not args.skip_single:
        single(work, args.single_runs)
        audit(work, args.single_runs)
    if not args.skip_memory:
        memory(work, args.memory_n, args.jobs)
    if args.stages:
        stages(work, args.stages)
    if args.profile:
        profile(work, args.profile)
    if any(args.impact_n):
        impact_lines(args, work)


def impact_lines(args, work: Path) -> None:
    """The `impact` timings (benchmarks/impact.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from impact import impact, impact_build
    if args.impact_n[0]:
        impact(work, args.impact_n[0], write_profiles, protocol_gen, run)
    if args.impact_n[1]:
        impact_build(work, args.impact_n[1], write_profiles, protocol_gen, run)


if __name__ == "__main__":
    main()
