"""The web app's timings for benchmarks/run.py: the live preview after an edit (the
server's time for one request, in process) for the largest example council, and the
councils page with many councils as a clerk sees it: the first visit to a server just
started (the rows its background checker has checked so far, the rest shown as
'Checking…', printed beside the time), later visits, and the first visit to a server
started again (check results kept in the cache folder)."""
from __future__ import annotations

from pathlib import Path
import re
import shutil
import statistics
import time


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _show(label: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return (f"{label}: median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, "
            f"max {max(ms):.0f}, {len(ms)} runs)")


def web(work: Path, examples: Path, n: int, write_profiles, runs: int = 15) -> None:
    from generator.web.app import create_app
    folder = work / "web-one"
    folder.mkdir(parents=True, exist_ok=True)
    largest = max(examples.glob("*.yaml"), key=lambda p: len(_markdown(p)))
    shutil.copy(largest, folder)
    app = create_app(folder, work / "web-out")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    url = f"/councils/{largest.stem}"
    client.get(url)                                     # library loaded, templates compiled
    titles = iter(f"Head of Paid Service {i}" for i in range(10_000))

    def live():
        r = client.post(url + "/live", data={"roles.head_officer": next(titles)},
                        headers={"HX-Request": "true"})
        assert r.status_code == 200 and b"Head of Paid Service" in r.data

    print("web     " + _show(f"live preview after an edit, {largest.stem} (server time)",
                             _timed(live, runs)))

    def save_and_preview():
        page = client.get(url).get_data(as_text=True)
        base = re.search(r'name="base" value="([^"]+)"', page).group(1)
        r = client.post(url, data={"base": base, "roles.head_officer": next(titles)})
        assert r.status_code == 302
        assert client.get(url + "/preview").status_code == 200

    print("web     " + _show("save an edit, then the preview page with provenance",
                             _timed(save_and_preview, max(3, runs // 3))))
    many = work / "web-many"
    write_profiles(many, n)
    _councils_page(many, work / "web-out", n)


def _councils_page(many: Path, out: Path, n: int) -> None:
    """The councils page as a clerk sees it: the first visit to a server just started
    (its checker has only begun), later visits, and the first visit to a server started
    again on the same folder (check results kept in the cache folder)."""
    from generator import cache
    from generator.web.app import create_app

    def visit(client) -> tuple[float, int]:
        start = time.perf_counter()
        r = client.get("/")
        took = time.perf_counter() - start
        assert r.status_code == 200 and r.data.count(b"<tr") == n + 1
        return took, n - r.data.count(b'<tr class="pending">')

    started = time.perf_counter()
    app = create_app(many, out)                       # starts checking in the background
    client = app.test_client()
    took, checked = visit(client)
    print("web     " + _show(f"councils page, {n} councils, first visit to a fresh server "
                             "(nothing cached)", [took])
          + f"; {checked} of {n} rows checked, the rest shown as 'Checking…'")
    listing = app.extensions["protocolgen"]["listing"]
    listing.wait_until_checked()
    print(f"web     every row checked {time.perf_counter() - started:.1f} s after the server "
          "started (background checker)")
    later = [visit(client) for _ in range(5)]
    assert all(c == n for _, c in later)
    print("web     " + _show(f"councils page, {n} councils, later visits", [t for t, _ in later])
          + f"; {n} of {n} rows checked")
    app = create_app(many, out)
    took, checked = visit(app.test_client())
    kept = "check results cached on disk" if cache.folder() else "no cache folder"
    print("web     " + _show(f"councils page, {n} councils, first visit to a server started "
                             f"again ({kept})", [took])
          + f"; {checked} of {n} rows checked")
    app.extensions["protocolgen"]["listing"].wait_until_checked()


def _markdown(path: Path) -> str:
    from generator.library.clauses import load_library
    from generator.pipeline import build_profile
    return build_profile(path, load_library(), ("md",)).files["md"].decode()
