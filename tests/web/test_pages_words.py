"""Every page in a clerk's words: each route of the app, fetched with real data (every
example council, a new council of each kind, an imported protocol with its doubts, a
council already in the list), must show no profile key, type name, default marker,
condition in code or raw source label: in its text, or in what a screen reader reads."""
from __future__ import annotations

from html import unescape
import io
import re
import shutil

from conftest import PROFILES, ROOT

CODE = [
    (re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"), "a key name with underscores"),
    (re.compile(r"\b(?:council|roles|policies|terms|practices|drafting|adoption|document)"
                r"\.[a-z_]+"), "a dotted profile key"),
    (re.compile(r"\b(?:Type|Default|Why it is here|Words from|when):"), "developer labels"),
    (re.compile(r"\(default\)|One a line|Clause id|library's default|drafted \("),
     "developer wording"),
    (re.compile(r"==|!=|\bnot [a-z]+_|\band [a-z]+_"), "a condition in code"),
    (re.compile(r"\b(?:boolean|string|integer|null|true|false)\b"), "a type name or value"),
    (re.compile(r"\b(?:milcombe|blaenavon|halstead|west-suffolk|anytown) [\d\"A-Za-z(]"
                r"|\b(?:drafted|house) [\d\"(¶]"), "a raw source label"),
]
PROTOCOL_TEXT = re.compile(r'<div class="(?:clause-text|wording-text)">.*?</div>', re.S)


def _shown(html: str) -> str:
    """What a reader sees or hears: the text, option labels and ARIA labels, not the
    protocol's own paragraphs (which are the protocol)."""
    html = PROTOCOL_TEXT.sub(" ", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(text + " " + labels)


def _leaks(html: str) -> list[str]:
    text = _shown(html)
    out = []
    for pattern, what in CODE:
        for m in pattern.finditer(text):
            around = text[max(0, m.start() - 60): m.end() + 60].replace("\n", " ")
            out.append(f"{what}: {m.group(0)!r} in ...{around}...")
    return out


def _token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_page_speaks_a_clerks_language(tmp_path):
    from generator.web.app import create_app
    folder = tmp_path / "councils"
    shutil.copytree(PROFILES, folder)
    app = create_app(folder, tmp_path / "output")
    app.config["TESTING"] = True
    client = app.test_client()
    names = sorted(p.stem for p in folder.glob("*.yaml"))
    pages: dict[str, str] = {}

    def get(url: str, expect=(200,)):
        r = client.get(url)
        assert r.status_code in expect, (url, r.status_code)
        pages[url] = r.get_data(as_text=True)

    app.extensions["protocolgen"]["listing"].wait_until_checked(120)
    get("/")
    get("/councils/new")
    get("/councils/nope", (404,))
    for name in names:
        get(f"/councils/{name}")
        get(f"/councils/{name}/preview")
        get(f"/councils/{name}/outputs")
        for clause in re.findall(r'<details class="wordings" id="wordings-([^"]+)"',
                                 pages[f"/councils/{name}/preview"])[:3]:
            get(f"/councils/{name}/preview?open={clause}")     # its wordings side by side
    token = _token(client, "/councils/new")
    for tier in ("parish", "community", "district", "london_borough"):
        r = client.post("/councils/new", data={"csrf_token": token, "name": "Testham",
                                               "tier": tier, "political_groups": "yes"})
        pages[f"new {tier}"] = r.get_data(as_text=True)
    r = client.post("/councils/new", data={"csrf_token": token, "create": "1",
                                           "adopted": "31/02/2026"})
    pages["new, with problems"] = r.get_data(as_text=True)
    # a paragraph left out is shown in its place; a wording chosen
    name = "milcombe-parish-council"
    base = re.search(r'name="base" value="([^"]+)"', pages[f"/councils/{name}/preview"])[1]
    clause = re.findall(r'<div class="clause-row" id="c-([a-z0-9.-]+)">',
                        pages[f"/councils/{name}/preview"])[4]
    r = client.post(f"/councils/{name}/drafting", data={
        "csrf_token": token, "base": base, "clause": clause, "action": "exclude"},
        follow_redirects=True)
    pages["preview, a paragraph left out"] = r.get_data(as_text=True)
    # an imported protocol: its doubts on the edit page; then the council exists
    source = (ROOT / "clause_library" / "sources" / "halstead.txt").read_text()
    source = source.replace("Halstead", "Oakbridge").encode()
    for step in ("imported", "already in the list"):
        r = client.post("/councils/import", data={
            "csrf_token": token, "protocol": (io.BytesIO(source), "ours.txt")},
            content_type="multipart/form-data", follow_redirects=True)
        pages[f"import: {step}"] = r.get_data(as_text=True)
    assert "Please check" in pages["import: imported"]
    assert "already in the list" in pages["import: already in the list"]
    found = {url: leaks for url, html in pages.items() if (leaks := _leaks(html))}
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(leaks[:6])
                                for url, leaks in found.items())


def test_the_walk_finds_what_it_looks_for():
    """The check above is not blind: each kind of developer language is caught."""
    for bad in ("Type: one of (parish, town). Default: required.", "leader_cabinet",
                "Why it is here: always.", "Words from: drafted (the library's default)",
                "when: principal_council or nation == \"wales\"", "milcombe 1.1", "house 2.3",
                "Clause id -> source", "One a line.", "<legend>roles</legend> council.tier"):
        assert _leaks(f"<p>{bad}</p>"), bad
    assert not _leaks("<p>Included because the council has political groups.</p>"
                      "<p>Wording from Milcombe Parish Council's protocol, edited for "
                      "current law (1.1).</p><option>Leader and Cabinet</option>")
