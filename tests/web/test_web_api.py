"""The JSON API: every route and its errors, through the real app."""
from __future__ import annotations

import io
import json

from docx import Document as WordDocument
import pytest

MILCOMBE = "milcombe-parish-council"


def test_list_names_every_council_with_its_title(web_client, web_folder):
    r = web_client.get("/api/councils")
    assert r.status_code == 200
    rows = r.get_json()
    assert [row["name"] for row in rows] == sorted(p.stem for p in web_folder.glob("*.yaml"))
    milcombe = next(row for row in rows if row["name"] == MILCOMBE)
    assert milcombe["title"] == "Milcombe Parish Council"
    assert milcombe["url"] == f"/api/councils/{MILCOMBE}"
    assert milcombe["errors"] == 0


def test_get_gives_the_profile_file_as_json(web_client, web_folder):
    import yaml
    r = web_client.get(f"/api/councils/{MILCOMBE}")
    assert r.status_code == 200 and r.headers["ETag"]
    on_disk = yaml.safe_load((web_folder / f"{MILCOMBE}.yaml").read_text())
    data = r.get_json()
    assert data["council"] == on_disk["council"]
    assert data["adoption"]["adopted"] == on_disk["adoption"]["adopted"].isoformat()


def test_put_of_what_get_gave_leaves_the_file_byte_for_byte(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=data)
    assert r.status_code == 200
    assert path.read_bytes() == before


def test_put_changes_one_value_and_keeps_the_comments(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_text()
    comments = [line for line in before.splitlines() if line.strip().startswith("#")]
    assert comments
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data["roles"]["chair"] = "Town Mayor"
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=data)
    assert r.status_code == 200, r.get_json()
    after = path.read_text()
    assert "chair: Town Mayor" in after
    assert [line for line in after.splitlines() if line.strip().startswith("#")] == comments
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and len(before.splitlines()) == len(after.splitlines())
    md = web_client.get(f"/api/councils/{MILCOMBE}/protocol.md").get_data(as_text=True)
    assert "Town Mayor" in md


def test_put_with_problems_is_422_with_checks_messages_and_the_file_untouched(
        web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data["adoption"]["adopted"] = "2026-02-30"
    data["council"]["tierr"] = "parish"
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=data)
    assert r.status_code == 422
    problems = r.get_json()["problems"]
    fields = {p["field"] for p in problems}
    assert "adoption.adopted" in fields and "council.tierr" in fields
    assert all(p["fix"] and p["line"] for p in problems if p["severity"] == "error")
    assert path.read_bytes() == before


def test_put_with_a_stale_etag_is_refused(web_client, web_folder):
    r = web_client.get(f"/api/councils/{MILCOMBE}")
    etag = r.headers["ETag"]
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text(path.read_text().replace("Chairman", "Chair", 1))   # the CLI user edits
    changed = path.read_bytes()
    r = web_client.put(f"/api/councils/{MILCOMBE}", json=r.get_json(),
                       headers={"If-Match": etag})
    assert r.status_code == 412 and r.get_json()["fix"]
    assert path.read_bytes() == changed


def test_post_creates_a_file_named_as_init_names_it_then_409(web_client, web_folder):
    body = {"council": {"name": "Little Snoring Parish Council", "tier": "parish"},
            "roles": {"monitoring_officer": "Monitoring Officer of Example District Council"},
            "adoption": {"version": "1.0", "adopted": "2026-05-11", "next_review": "2027-05"}}
    r = web_client.post("/api/councils", json=body)
    assert r.status_code == 201
    assert r.headers["Location"].endswith("/api/councils/little-snoring-parish-council")
    path = web_folder / "little-snoring-parish-council.yaml"
    assert "adopted: 2026-05-11" in path.read_text()
    from generator.profile.load import load_profile
    assert load_profile(path)[0].council.name == "Little Snoring Parish Council"
    again = web_client.post("/api/councils", json=body)
    assert again.status_code == 409
    assert web_client.get(r.headers["Location"]).get_json()["council"]["tier"] == "parish"


def test_post_with_problems_is_422_and_writes_nothing(web_client, web_folder):
    before = sorted(p.name for p in web_folder.iterdir())
    r = web_client.post("/api/councils", json={"council": {"name": "Odd Council",
                                                           "tier": "galaxy"}})
    assert r.status_code == 422
    assert any(p["field"] == "council.tier" for p in r.get_json()["problems"])
    r = web_client.post("/api/councils", json={"council": {"tier": "parish"}})
    assert r.status_code == 422
    assert sorted(p.name for p in web_folder.iterdir()) == before


@pytest.mark.parametrize("method", ["put", "post"])
def test_only_json_bodies_are_taken(web_client, method):
    url = f"/api/councils/{MILCOMBE}" if method == "put" else "/api/councils"
    r = getattr(web_client, method)(url, data="council:\n  name: X\n",
                                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415 and r.get_json()["error"]
    r = getattr(web_client, method)(url, data="{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.get_json()["fix"]
    r = getattr(web_client, method)(url, data="[1, 2]", content_type="application/json")
    assert r.status_code == 400


def test_bodies_are_size_limited(web_client):
    r = web_client.put(f"/api/councils/{MILCOMBE}", data="{" + " " * 600_000 + "}",
                       content_type="application/json")
    assert r.status_code == 413 and r.get_json()["error"]


def test_unknown_councils_and_paths_from_requests_are_404(web_client, web_folder):
    (web_folder.parent / "secret.yaml").write_text("council: {name: X, tier: parish}\n")
    for url in ("/api/councils/nope", "/api/councils/..%2Fsecret",
                "/api/councils/../secret", f"/api/councils/{MILCOMBE}.yaml",
                "/api/councils/nope/explain", "/api/councils/nope/protocol.md"):
        r = web_client.get(url)
        assert r.status_code == 404, url
    r = web_client.put("/api/councils/..%2Fsecret", json={"council": {}})
    assert r.status_code == 404
    assert web_client.get(f"/api/councils/{MILCOMBE}/protocol.exe").status_code == 404


def test_protocol_downloads_in_each_format(web_client):
    md = web_client.get(f"/api/councils/{MILCOMBE}/protocol.md")
    assert md.status_code == 200 and md.mimetype == "text/markdown"
    assert md.get_data(as_text=True).startswith("# ")
    docx = web_client.get(f"/api/councils/{MILCOMBE}/protocol.docx")
    assert docx.status_code == 200
    assert "attachment" in docx.headers["Content-Disposition"]
    word = WordDocument(io.BytesIO(docx.data))
    assert any("Milcombe Parish Council" in p.text for p in word.paragraphs)
    html = web_client.get(f"/api/councils/{MILCOMBE}/protocol.html")
    assert html.status_code == 200 and b"<h1>" in html.data


def test_pdf_download_is_a_pdf(web_client):
    r = web_client.get(f"/api/councils/{MILCOMBE}/protocol.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")


def test_explain_is_the_explain_report(web_client, web_folder, invoke):
    r = web_client.get(f"/api/councils/{MILCOMBE}/explain")
    assert r.status_code == 200
    result = invoke("explain", web_folder / f"{MILCOMBE}.yaml", "--format", "json")
    cli = json.loads(result.output)
    api = r.get_json()
    assert [s["id"] for s in api["sections"]] == [s["id"] for s in cli["sections"]]
    assert api["totals"] == cli["totals"]


def test_a_broken_profile_gives_422_with_problems_on_every_route(web_client, web_folder):
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tier: [parish\n")
    assert web_client.get("/api/councils/broken").status_code == 422
    assert web_client.get("/api/councils/broken/explain").status_code == 422
    r = web_client.get("/api/councils/broken/protocol.docx")
    assert r.status_code == 422 and r.get_json()["problems"][0]["line"]
    rows = {row["name"]: row for row in web_client.get("/api/councils").get_json()}
    assert rows["broken"]["errors"] >= 1


def test_openapi_description_names_every_route(web_client):
    r = web_client.get("/api/openapi.json")
    assert r.status_code == 200
    spec = r.get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/councils", "/api/councils/{name}",
                                  "/api/councils/{name}/protocol.{format}",
                                  "/api/councils/{name}/explain", "/api/imports",
                                  "/api/openapi.json"}
    council = spec["components"]["schemas"]["Profile"]
    assert "council" in council["properties"]
    refs = json.dumps(spec)
    for ref in set(__import__("re").findall(r'"#/components/schemas/(\w+)"', refs)):
        assert ref in spec["components"]["schemas"], ref


def test_a_token_is_needed_when_one_is_set(web_folder):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "out", token="a-long-enough-token-123")
    client = app.test_client()
    assert client.get("/api/councils").status_code == 401
    assert client.get("/api/councils", headers={"Authorization": "Bearer wrong"}
                      ).status_code == 401
    ok = client.get("/api/councils", headers={"Authorization":
                                              "Bearer a-long-enough-token-123"})
    assert ok.status_code == 200
    page = client.get("/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_a_profile_over_the_command_lines_size_limit_is_refused(web_client, web_folder):
    from generator.profile.yamlsource import MAX_BYTES
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data["drafting"]["exclude"] = [f"made.up-{i}" for i in range(MAX_BYTES // 12)]
    body = json.dumps(data)
    assert MAX_BYTES < len(body) < 512 * 1024
    r = web_client.put(f"/api/councils/{MILCOMBE}", data=body, content_type="application/json")
    assert r.status_code == 422
    assert "larger than" in r.get_json()["problems"][0]["message"]
    assert path.read_bytes() == before
