"""The JSON API's answers that every operation can give (400, 401, 405, 413, 429), the
409s of a council that is two files or a broken file, and importing through the API:
each in JSON, with the headers the OpenAPI description promises."""
from __future__ import annotations

import pytest

from generator.web.openapi import METHODS, description

MILCOMBE = "milcombe-parish-council"
TOKEN = "a-long-enough-token-for-the-tests"
SPEC = description()
OPERATIONS = [(path, method) for path, item in SPEC["paths"].items() for method in METHODS
              if "405" not in item[method]["responses"]]
NOT_ALLOWED = [(path, method) for path, item in SPEC["paths"].items() for method in METHODS
               if "405" in item[method]["responses"]]


def _url(path: str) -> str:
    return path.replace("{name}", MILCOMBE).replace("{format}", "md")


def _call(client, path: str, method: str, **kw):
    return client.open(_url(path), method=method.upper(), **kw)


def _app(web_folder, **options):
    from generator.web.app import create_app
    return create_app(web_folder, web_folder.parent / "out", warm=False, **options)


def test_every_operation_refuses_a_host_that_is_not_the_apps_with_400(web_folder):
    client = _app(web_folder, hosts=["127.0.0.1", "localhost", "::1"]).test_client()
    for path, method in OPERATIONS:
        r = _call(client, path, method, headers={"Host": "evil.example"}, json={})
        assert r.status_code == 400 and r.get_json()["error"], (path, method)


def test_every_operation_needs_the_token_then_slows_wrong_ones(web_folder):
    client = _app(web_folder, token=TOKEN).test_client()
    for path, method in OPERATIONS:
        r = _call(client, path, method, json={})
        assert r.status_code == 401, (path, method)
        assert r.headers["WWW-Authenticate"].startswith("Bearer") and r.get_json()["fix"]
    client = _app(web_folder, token=TOKEN).test_client()
    for _ in range(10):
        client.get("/api/councils", headers={"Authorization": "Bearer wrong"})
    for path, method in OPERATIONS:
        r = _call(client, path, method, json={})
        assert r.status_code == 429, (path, method)
        assert int(r.headers["Retry-After"]) > 0 and r.get_json()["fix"]


@pytest.mark.parametrize("path,method", NOT_ALLOWED)
def test_any_other_method_is_405_naming_those_allowed(web_client, path, method):
    r = _call(web_client, path, method)
    assert r.status_code == 405
    allowed = SPEC["paths"][path][method]["responses"]["405"]["headers"]["Allow"]
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= set(
        allowed["description"].replace(" ", "").split(","))
    assert "takes" in r.get_json()["fix"]


def test_the_description_is_served(web_client):
    r = web_client.get("/api/openapi.json")
    assert r.status_code == 200 and r.get_json()["openapi"] == "3.1.0"


def test_a_post_over_512_kb_is_413_in_json(web_client):
    r = web_client.post("/api/councils", data="{" + " " * 600_000 + "}",
                        content_type="application/json")
    assert r.status_code == 413 and "512 KB" in r.get_json()["fix"]


# ---- a council that is two files, or a file that is not a profile ------------------------

def test_a_council_that_is_two_files_is_409_on_every_read(web_client, web_folder):
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    (web_folder / f"{MILCOMBE}.yml").write_text(text)
    for url in (f"/api/councils/{MILCOMBE}", f"/api/councils/{MILCOMBE}/explain",
                f"/api/councils/{MILCOMBE}/protocol.md"):
        r = web_client.get(url)
        assert r.status_code == 409, url
        assert ".yml" in r.get_json()["error"] and r.get_json()["fix"]


def test_a_broken_file_is_409_with_its_etag_and_replaced_only_by_that_etag(web_client,
                                                                           web_folder):
    good = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text("council:\n  name: Milcombe\n  tier: [parish\n")
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=good)
    assert r.status_code == 409
    etag = r.get_json()["etag"]
    assert r.headers["ETag"] == f'"{etag}"' and r.get_json()["problems"]
    assert "tier: [parish" in path.read_text()
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=good, headers={"If-Match": f'"{etag}"'})
    assert r.status_code == 200 and r.headers["ETag"]
    assert "Milcombe Parish Council" in path.read_text()


# ---- importing the current protocol ---------------------------------------------------

def _protocol_md(client, rename: str | None = None) -> bytes:
    md = client.get(f"/api/councils/{MILCOMBE}/protocol.md").get_data(as_text=True)
    return (md.replace("Milcombe", rename) if rename else md).encode()


def test_an_import_through_the_api_is_201_with_its_address(web_client, web_folder):
    import io
    r = web_client.post("/api/imports", data={"protocol": (
        io.BytesIO(_protocol_md(web_client, "Hollowmere")), "ours.md")})
    assert r.status_code == 201, r.get_json()
    assert r.get_json() == {"name": "hollowmere-parish-council",
                            "url": "/api/councils/hollowmere-parish-council"}
    assert r.headers["Location"] == "/api/councils/hollowmere-parish-council"
    assert (web_folder / "hollowmere-parish-council-clauses").is_dir()
    assert web_client.get(r.headers["Location"]).status_code == 200


def test_an_import_of_a_council_that_exists_is_409_and_changes_nothing(web_client, web_folder):
    import io
    before = {p.name: p.read_bytes() for p in web_folder.iterdir() if p.is_file()}
    r = web_client.post("/api/imports", data={"protocol": (
        io.BytesIO(_protocol_md(web_client)), "ours.md")})
    assert r.status_code == 409 and "exists" in r.get_json()["error"]
    assert {p.name: p.read_bytes() for p in web_folder.iterdir() if p.is_file()} == before


def test_imports_that_cannot_be_read_are_422_415_and_413(web_client, web_folder):
    import io
    before = sorted(p.name for p in web_folder.iterdir())
    r = web_client.post("/api/imports", data={"protocol": (
        io.BytesIO(b"A shopping list: eggs, flour, milk and a loaf of bread.\n" * 20),
        "list.txt")})
    assert r.status_code == 422 and r.get_json()["problems"]
    r = web_client.post("/api/imports", data={"other": "x"},
                        content_type="multipart/form-data")
    assert r.status_code == 422 and "protocol" in r.get_json()["fix"]
    r = web_client.post("/api/imports", json={"protocol": "x"})
    assert r.status_code == 415 and "multipart" in r.get_json()["fix"]
    r = web_client.post("/api/imports", data={"protocol": (
        io.BytesIO(b"x" * (21 * 1024 * 1024)), "huge.pdf")})
    assert r.status_code == 413 and "20 MB" in r.get_json()["fix"]
    assert sorted(p.name for p in web_folder.iterdir()) == before


def test_a_council_not_in_the_folder_is_404_for_every_method(web_client, web_folder):
    before = sorted(p.name for p in web_folder.iterdir())
    for method in ("GET", "PUT"):
        r = web_client.open("/api/councils/nowhere-parish-council", method=method,
                            json={"council": {"name": "Nowhere", "tier": "parish"}})
        assert r.status_code == 404 and r.get_json()["fix"], method
    assert sorted(p.name for p in web_folder.iterdir()) == before
