"""Safe to share on an association's server: what a profile may name, the access token,
sign-in attempts, host names, hostile headers and bodies, and what errors reveal."""
from __future__ import annotations

import html
import io
import json
import os
import stat
import zipfile

import pytest

from generator.errors import ProtocolGenError

MILCOMBE = "milcombe-parish-council"
TOKEN = "a-long-enough-token-for-the-tests"


def _put(client, data, **kw):
    return client.put(f"/api/councils/{MILCOMBE}", json=data, **kw)


# ---- drafting.library stays in the profile's folder -----------------------------------

@pytest.fixture
def secret_folder(web_folder):
    """A folder of YAML beside the councils' folder, which no profile may read."""
    secret = web_folder.parent / "secret-clauses"
    (secret / "sections").mkdir(parents=True)
    (secret / "sections" / "keys.yaml").write_text("secret_database_password: hunter2\n"
                                                   "another_private_key: x\n")
    return secret


@pytest.mark.parametrize("ref", ["../secret-clauses", "SECRET", "/etc", "~/secret-clauses",
                                 "..\\secret-clauses", "C:\\Windows", "sub/../../secret-clauses"])
def test_drafting_library_outside_the_profiles_folder_is_refused_saying_nothing_of_it(
        web_client, web_folder, secret_folder, ref):
    ref = str(secret_folder) if ref == "SECRET" else ref
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data.setdefault("drafting", {})["library"] = ref
    r = _put(web_client, data)
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    problem = next(p for p in r.get_json()["problems"] if p["field"] == "drafting.library")
    assert "outside the profile's folder" in problem["message"]
    assert "secret_database_password" not in text and "another_private_key" not in text
    assert str(web_folder.parent) not in text and "does not exist" not in text
    assert path.read_bytes() == before


def test_a_link_to_a_folder_elsewhere_is_refused_too(web_folder, secret_folder, invoke):
    (web_folder / "house").symlink_to(secret_folder, target_is_directory=True)
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text(path.read_text() + "\ndrafting:\n  library: house\n"
                    if "\ndrafting:" not in path.read_text() else
                    path.read_text().replace("\ndrafting:", "\ndrafting:\n  library: house", 1))
    result = invoke("check", path)
    assert result.exit_code != 0
    assert "outside the profile's folder" in result.output
    assert "secret_database_password" not in result.output


def test_a_missing_house_folder_is_named_without_the_servers_folders(web_client, web_folder):
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data.setdefault("drafting", {})["library"] = "our-clauses"
    r = _put(web_client, data)
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert "our-clauses" in text and str(web_folder) not in text


# ---- the access token -------------------------------------------------------------------

@pytest.mark.parametrize("weak", ["a" * 16, "a" * 40, "abcdefghijklmnop", "passwordpassword",
                                  "0123456789012345", "short-token"])
def test_a_weak_token_is_refused(tmp_path, weak):
    from generator.web.serve import read_token
    file = tmp_path / "token.txt"
    file.write_text(weak + "\n")
    with pytest.raises(ProtocolGenError) as caught:
        read_token(str(file), "0.0.0.0")
    problem = caught.value.problems[0]
    assert "too weak" in problem.message and problem.hint


def test_a_strong_token_is_taken(tmp_path):
    from generator.web.serve import read_token
    file = tmp_path / "token.txt"
    file.write_text(TOKEN + "\n")
    assert read_token(str(file), "0.0.0.0") == TOKEN


def test_with_no_token_file_a_strong_token_is_made_and_shown_once(tmp_path):
    from generator.web.serve import read_token, token_weakness
    said = []
    token = read_token(None, "0.0.0.0", said.append)
    assert token and token_weakness(token) is None and len(token) >= 32
    assert len(said) == 1 and token in said[0]
    assert read_token(None, "127.0.0.1", said.append) is None and len(said) == 1
    behind = read_token(None, "127.0.0.1", said.append, behind_proxy=True)
    assert behind and behind != token and "--behind-proxy" in said[1]


def test_a_token_file_that_does_not_exist_is_made_readable_by_its_owner_only(tmp_path):
    from generator.web.serve import read_token, token_weakness
    file = tmp_path / "new-token.txt"
    said = []
    token = read_token(str(file), "0.0.0.0", said.append)
    assert token_weakness(token) is None
    assert file.read_text().strip() == token
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    assert token not in said[0] and str(file) in said[0]
    assert read_token(str(file), "0.0.0.0", said.append) == token    # kept between runs


# ---- repeated failed sign-ins -------------------------------------------------------------

def _token_app(web_folder, **options):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "out", token=TOKEN, warm=False,
                     **options)
    return app.test_client()


def test_repeated_wrong_tokens_are_refused_for_a_while_with_429_and_retry_after(web_folder):
    client = _token_app(web_folder)
    wrong = {"Authorization": "Bearer not-the-token-at-all"}
    statuses = [client.get("/api/councils", headers=wrong).status_code for _ in range(15)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    r = client.get("/api/councils", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 429       # the right guess is not told apart from a wrong one
    assert 0 < int(r.headers["Retry-After"]) <= 60
    assert "Wait" in r.get_json()["fix"]


def _sign_in(client, token: str):
    import re
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post("/login", data={"token": token, "csrf_token": csrf})


def test_the_sign_in_page_is_slowed_too_and_says_so_in_words(web_folder):
    client = _token_app(web_folder)
    for _ in range(10):
        assert _sign_in(client, "wrong").status_code == 401
    r = client.post("/login", data={"token": "wrong"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert r.mimetype == "text/html" and "Wait" in r.get_data(as_text=True)


def test_signed_in_visitors_are_not_slowed_by_others_failures(web_folder):
    client = _token_app(web_folder)
    assert _sign_in(client, TOKEN).status_code == 302
    for _ in range(12):
        client.get("/api/councils", headers={"Authorization": "Bearer wrong-wrong-wrong"})
    assert client.get("/api/councils").status_code == 200


def test_forwarded_addresses_are_trusted_only_behind_a_proxy(web_folder):
    for behind, expected in ((False, 429), (True, 401)):
        client = _token_app(web_folder, behind_proxy=behind)
        for _ in range(10):
            client.get("/api/councils", headers={"X-Forwarded-For": "203.0.113.5"})
        r = client.get("/api/councils", headers={"X-Forwarded-For": "203.0.113.6"})
        assert r.status_code == expected, behind


def test_a_non_ascii_bearer_token_is_401_not_an_error(web_folder):
    client = _token_app(web_folder)
    # as a real server hands the app UTF-8 bytes: decoded as Latin-1
    r = client.get("/api/councils",
                   environ_overrides={"HTTP_AUTHORIZATION": "Bearer t\u00c3\u00b6ken-\u00e2\u0098\u0083"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert _sign_in(client, "t\u00f6ken \u2603 \u202e").status_code == 401


# ---- host names, hostile bodies ---------------------------------------------------------

def test_an_untrusted_host_gets_a_plain_400_page_on_html_and_api(web_folder):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "out", warm=False,
                     hosts=["127.0.0.1", "localhost", "::1"])
    client = app.test_client()
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example"):
        page = client.get("/", headers={"Host": host})
        assert page.status_code == 400 and page.mimetype == "text/html", host
        assert "not the app's" in html.unescape(page.get_data(as_text=True))
        api = client.get("/api/councils", headers={"Host": host})
        assert api.status_code == 400 and api.get_json()["error"]
    for host in ("127.0.0.1:8765", "localhost", "[::1]:8765", "[::1]"):
        assert client.get("/api/councils", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize("depth", [100_000, 1_000, 25])
def test_deeply_nested_json_is_a_400(web_client, web_folder, depth):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    body = '{"council": ' + "[" * depth + "]" * depth + "}"
    r = web_client.put(f"/api/councils/{MILCOMBE}", data=body,
                       content_type="application/json")
    assert r.status_code == 400 and "nests" in r.get_json()["fix"] or \
        r.status_code == 400 and "JSON object" in r.get_json()["fix"]
    assert path.read_bytes() == before


def test_a_405_from_the_api_names_the_methods_it_takes(web_client):
    r = web_client.delete(f"/api/councils/{MILCOMBE}")
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["Allow"].split(",")} >= {"GET", "PUT"}
    fix = r.get_json()["fix"]
    assert "GET" in fix and "PUT" in fix and "button" not in fix


# ---- what errors reveal ---------------------------------------------------------------

def test_api_problems_name_files_without_the_servers_folders(web_client, web_folder):
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data.setdefault("document", {})["reference_docx"] = "crest.docx"
    r = _put(web_client, data)
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert str(web_folder) not in text and str(web_folder.parent) not in text
    problem = r.get_json()["problems"][0]
    assert problem["file"] == f"{MILCOMBE}.yaml" and "crest.docx" in problem["message"]
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tier: [parish\n")
    r = web_client.get("/api/councils/broken")
    assert r.status_code == 422 and str(web_folder) not in r.get_data(as_text=True)
    assert r.get_json()["problems"][0]["file"] == "broken.yaml"


def test_the_explain_report_names_no_server_folders(web_client, web_folder):
    import io as _io
    md = web_client.get(f"/api/councils/{MILCOMBE}/protocol.md").get_data(as_text=True)
    r = web_client.post("/api/imports", data={"protocol": (
        _io.BytesIO(md.replace("Milcombe", "Hollowmere").encode()), "ours.md")})
    assert r.status_code == 201
    for name in (MILCOMBE, "hollowmere-parish-council"):
        report = web_client.get(f"/api/councils/{name}/explain")
        assert report.status_code == 200
        assert str(web_folder.parent) not in report.get_data(as_text=True)
        assert report.get_json()["profile"] == f"{name}.yaml"


def test_the_zips_problem_list_names_no_server_folders(web_client, web_folder):
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tier: galaxy\n")
    r = web_client.get("/download/councils.zip")
    with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
        problems = zf.read("PROBLEMS.txt").decode()
    assert "broken.yaml" in problems and str(web_folder) not in problems


# ---- names ------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["CON", "Nul", "com1", "LPT9"])
def test_a_council_named_as_windows_reserves_never_becomes_that_file(web_client, web_folder,
                                                                      title):
    body = {"council": {"name": title, "tier": "parish"},
            "roles": {"monitoring_officer": "Monitoring Officer of Example District Council"}}
    r = web_client.post("/api/councils", json=body)
    assert r.status_code == 201, r.get_json()
    name = r.get_json()["name"]
    assert name == f"{title.lower()}-council"
    assert not (web_folder / f"{title.lower()}.yaml").exists()
    assert (web_folder / f"{name}.yaml").is_file()


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u0007", "\u001b"])
def test_names_with_reordering_or_control_characters_are_refused(web_client, web_folder, char):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data["council"]["name"] = f"Milcombe {char}licnuoC hsiraP"
    r = _put(web_client, data)
    assert r.status_code == 422
    problem = next(p for p in r.get_json()["problems"] if p["field"] == "council.name")
    assert f"U+{ord(char):04X}" in problem["message"] and problem["fix"]
    assert path.read_bytes() == before
    r = web_client.post("/api/councils", json={"council": {"name": f"Evil{char}Council",
                                                           "tier": "parish"}})
    assert r.status_code == 422
    assert sorted(p.name for p in web_folder.iterdir()) == sorted(
        p.name for p in web_folder.iterdir() if not p.name.startswith("evil"))
    assert json.dumps(r.get_json())


# ---- the real server ------------------------------------------------------------------

def _get(url: str, path: str, host: str | None = None):
    import http.client
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read().decode()
    finally:
        conn.close()


def test_serve_on_ipv6_loopback_answers_every_page(web_folder):
    import subprocess
    import sys
    import time
    from conftest import free_port
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(web_folder),
                             "--host", "::1", "--port", str(port), "--out",
                             str(web_folder.parent / "output")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://[::1]:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, kind, body = _get(url, "/")
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, \
                    proc.stdout.read().decode()
                time.sleep(0.1)
        assert status == 200 and MILCOMBE in body
        assert _get(url, f"/councils/{MILCOMBE}")[0] == 200
        assert _get(url, "/api/councils")[0] == 200
        assert _get(url, "/", host="evil.example")[0] == 400
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_untrusted_host_through_the_real_server_is_a_plain_400(web_server):
    status, kind, body = _get(web_server, "/", host="evil.example")
    assert status == 400 and kind.startswith("text/html")
    assert "not the app's" in html.unescape(body) and "Traceback" not in body
    status, kind, body = _get(web_server, f"/councils/{MILCOMBE}", host="rebind.example:80")
    assert status == 400
    status, kind, body = _get(web_server, "/api/councils", host="evil.example")
    assert status == 400 and json.loads(body)["error"]


def test_pages_name_no_server_folders_either(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data.setdefault("document", {})["reference_docx"] = "crest.docx"
    from generator.web.store import new_text
    path.write_text(new_text(data))
    for url in (f"/councils/{MILCOMBE}", f"/councils/{MILCOMBE}/preview"):
        text = web_client.get(url).get_data(as_text=True)
        assert "crest.docx" in text and str(web_folder.parent) not in text, url


def test_a_broken_file_is_shown_and_listed_without_the_servers_folders(web_client, web_folder):
    (web_folder / "broken.yaml").write_text("council: [\n")
    page = web_client.get("/councils/broken")
    assert page.status_code == 422 and "broken.yaml:2" in page.get_data(as_text=True)
    assert str(web_folder.parent) not in page.get_data(as_text=True)
    rows = {r["name"]: r for r in web_client.get("/api/councils").get_json()}
    assert rows["broken"]["first_problem"].startswith("broken.yaml:2")
