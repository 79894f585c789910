"""The web app's timings for benchmarks/run.py: the live preview after an edit (the
server's time for one request, in process) for the largest example council, and the
councils page with many councils (the first visit checks every profile; later visits
re-check only files that changed)."""
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
    app = create_app(many, work / "web-out")
    client = app.test_client()
    client.get("/councils/new")                          # the library, outside the timing

    def councils():
        r = client.get("/")
        assert r.status_code == 200 and r.data.count(b"<tr") == n + 1

    print("web     " + _show(f"councils page, {n} councils, first visit", _timed(councils, 1)))
    print("web     " + _show(f"councils page, {n} councils, later visits",
                             _timed(councils, 5)))


def _markdown(path: Path) -> str:
    from generator.library.clauses import load_library
    from generator.pipeline import build_profile
    return build_profile(path, load_library(), ("md",)).files["md"].decode()
