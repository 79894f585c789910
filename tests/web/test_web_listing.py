"""The councils list: the same problems as ``protocol-gen check``, rows not yet checked
shown as such (never dropped), check results kept in the cache folder, ``.yml`` profiles,
and two files that would be one council."""
from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

MILCOMBE = "milcombe-parish-council"


def _rows(client) -> dict[str, dict]:
    return {row["name"]: row for row in client.get("/api/councils").get_json()}


def _check_counts(invoke, path) -> tuple[int, int, str | None]:
    """Errors, warnings and the first error as 'protocol-gen check' prints them."""
    result = invoke("check", path)
    lines = result.output.splitlines()
    errors = [i for i, line in enumerate(lines) if re.match(r"^\S.*: error: ", line)]
    warnings = [line for line in lines if re.match(r"^\S.*: warning: ", line)]
    first = None
    if errors:
        first = lines[errors[0]]
        if errors[0] + 1 < len(lines) and lines[errors[0] + 1].startswith("    fix: "):
            first += "\n" + lines[errors[0] + 1]
    return len(errors), len(warnings), first


def test_the_lists_counts_are_checks(web_client, web_folder, invoke):
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    assert "next_review: 2027-05" in text and "name: Milcombe Parish Council" in text
    (web_folder / "passed-review.yaml").write_text(text.replace("next_review: 2027-05",
                                                                "next_review: 2020-01"))
    (web_folder / "misspelt.yaml").write_text(text.replace("  name: Milcombe",
                                                           "  nmae: Milcombe"))
    # a name Word's document properties must shorten: a warning made after assembling
    (web_folder / "long-name.yaml").write_text(text.replace(
        "name: Milcombe Parish Council", "name: Old Milcombe " + "and Upper Milcombe " * 9
        + "Parish Council"))
    rows = _rows(web_client)
    seen = set()
    for name in ("passed-review", "misspelt", "long-name", MILCOMBE):
        errors, warnings, first = _check_counts(invoke, web_folder / f"{name}.yaml")
        row = rows[name]
        shown = first and first.replace(f"{web_folder}/", "")   # no server folder in the API
        assert (row["errors"], row["warnings"], row["first_problem"]) == \
            (errors, warnings, shown), name
        seen.add((errors > 0, warnings > 0))
    assert (True, False) in seen or (True, True) in seen       # one with an error
    assert rows["passed-review"]["warnings"] > rows[MILCOMBE]["warnings"]
    assert rows["long-name"]["warnings"] > rows[MILCOMBE]["warnings"]
    # and the page shows the same
    html = web_client.get("/").get_data(as_text=True)
    while "Checking…" in html:
        html = web_client.get("/").get_data(as_text=True)
    row = re.search(r'<a href="/councils/misspelt"[^>]*>.*?</tr>', html, re.S).group(0)
    assert f"{rows['misspelt']['errors']} problem" in row and "nmae" in row


def test_rows_not_yet_checked_say_so_and_the_list_fills_in(web_folder):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "out", warm=False)
    listing = app.extensions["protocolgen"]["listing"]
    client = app.test_client()
    with listing.giving_way():          # the checker holds back while this page is made
        html = client.get("/").get_data(as_text=True)
    assert html.count('<tr class="pending">') == 2 and html.count("Checking…") >= 2
    assert "Checked 0 of 2 councils so far" in html
    assert 'href="/" id="reload-list"' in html                  # without JavaScript
    assert 'hx-trigger="load delay:1s"' in html                 # htmx reloads it itself
    assert listing.wait_until_checked(60)
    html = client.get("/").get_data(as_text=True)
    assert "Checking…" not in html and "hx-trigger" not in html
    assert "Milcombe Parish Council" in html


def test_check_results_are_kept_for_a_server_started_again(web_folder):
    from generator.web.app import create_app
    first = create_app(web_folder, web_folder.parent / "out")
    assert first.extensions["protocolgen"]["listing"].wait_until_checked(60)
    (web_folder / "northmoor-county-council.yaml").write_text(
        (web_folder / "northmoor-county-council.yaml").read_text() + "\n# edited\n")
    again = create_app(web_folder, web_folder.parent / "out", warm=False)
    listing = again.extensions["protocolgen"]["listing"]
    deadline = time.monotonic() + 30
    with listing.giving_way():          # nothing is checked now: only what was kept
        while True:
            rows = {r.name: r for r in listing.rows(dt.date.today(), wait=0.2)}
            if rows[MILCOMBE].checked or time.monotonic() > deadline:
                break
    assert rows[MILCOMBE].checked and rows[MILCOMBE].title == "Milcombe Parish Council"
    assert not rows["northmoor-county-council"].checked        # changed since: not reused
    assert listing.wait_until_checked(60)
    assert all(r.checked for r in listing.rows(dt.date.today()))


def test_yml_profiles_are_councils_as_build_takes_them(web_client, web_folder, invoke,
                                                       tmp_path):
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    (web_folder / "Kelham.YML").write_text(
        "# our own notes\n" + text.replace("Milcombe Parish Council", "Kelham Parish Council"))
    rows = _rows(web_client)
    assert rows["Kelham"]["file"] == "Kelham.YML"
    assert rows["Kelham"]["title"] == "Kelham Parish Council" and rows["Kelham"]["errors"] == 0
    data = web_client.get("/api/councils/Kelham").get_json()
    data["roles"]["chair"] = "Chair of Kelham"
    r = web_client.put("/api/councils/Kelham", data=json.dumps(data),
                       content_type="application/json")
    assert r.status_code == 200
    saved = (web_folder / "Kelham.YML").read_text()
    assert "chair: Chair of Kelham" in saved and saved.startswith("# our own notes")
    assert not (web_folder / "Kelham.yaml").exists()
    assert web_client.get("/councils/Kelham").status_code == 200
    # build takes the same files from the folder
    result = invoke("build", web_folder, "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "Kelham").is_dir()


def test_two_files_that_would_be_one_council_get_a_clear_message(web_client, web_folder,
                                                                  invoke, tmp_path):
    name = "northmoor-county-council"
    (web_folder / f"{name}.yml").write_text((web_folder / f"{name}.yaml").read_text())
    before = (web_folder / f"{name}.yaml").read_bytes()
    row = _rows(web_client)[name]
    assert row["errors"] == 1 and f"{name}.yaml and {name}.yml" in row["first_problem"]
    page = web_client.get(f"/councils/{name}")
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert f"{name}.yaml and {name}.yml would both be the council" in text
    assert "rename or remove one of them" in text.lower()
    api = web_client.get(f"/api/councils/{name}")
    assert api.status_code == 409 and "rename or remove" in api.get_json()["fix"].lower()
    r = web_client.put(f"/api/councils/{name}", data=json.dumps({"council": {}}),
                       content_type="application/json")
    assert r.status_code == 409 and (web_folder / f"{name}.yaml").read_bytes() == before
    # a new council may not take a name a .yml file has
    data = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    data["council"]["name"] = "Ashby Parish Council"
    (web_folder / "ashby-parish-council.yml").write_text("council: {}\n")
    r = web_client.post("/api/councils", data=json.dumps(data), content_type="application/json")
    assert r.status_code == 409 and not (web_folder / "ashby-parish-council.yaml").exists()
    # the command line refuses the pair too
    (web_folder / "ashby-parish-council.yml").unlink()
    result = invoke("build", web_folder, "--out", tmp_path / "out", "-q")
    assert result.exit_code == 1 and "same output folder" in result.output


@pytest.mark.parametrize("broken", ["council:\n  name: Broken\n  tier: [parish\n",
                                    "- a list\n- not a profile\n"])
def test_a_put_over_a_file_broken_on_disk_is_refused_until_asked_for_by_its_etag(
        web_client, web_folder, broken):
    good = web_client.get(f"/api/councils/{MILCOMBE}").get_json()
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text("# the clerk's notes\n" + broken)
    before = path.read_bytes()
    r = web_client.put(f"/api/councils/{MILCOMBE}", data=json.dumps(good),
                       content_type="application/json")
    assert r.status_code == 409
    body = r.get_json()
    assert "cannot be read as a profile" in body["error"] and body["problems"]
    assert "If-Match" in body["fix"] and path.read_bytes() == before
    # replacing it on purpose: the broken file's own version named
    r = web_client.put(f"/api/councils/{MILCOMBE}", data=json.dumps(good),
                       content_type="application/json",
                       headers={"If-Match": f'"{body["etag"]}"'})
    assert r.status_code == 200
    assert "Milcombe Parish Council" in path.read_text()


def test_the_edit_forms_save_over_a_file_broken_on_disk_is_refused(web_client, web_folder):
    from generator.web.store import digest
    html = web_client.get(f"/councils/{MILCOMBE}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text("# the clerk's notes\ncouncil:\n  name: [Broken\n")
    before = path.read_bytes()
    r = web_client.post(f"/councils/{MILCOMBE}", data={
        "csrf_token": token, "base": digest(before), "roles.chair": "Chair"})
    assert r.status_code == 409
    text = r.get_data(as_text=True)
    assert "Nothing was saved" in text and "YAML syntax error" in text
    assert path.read_bytes() == before
