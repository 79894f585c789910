"""The pages through the real app (CSRF on): forms, conflicts, error pages, builds, and the
command line and the app writing the same council."""
from __future__ import annotations

from html import unescape
import io
import re
import subprocess
import sys
import time
import zipfile

from docx import Document as WordDocument

MILCOMBE = "milcombe-parish-council"


def _form_token(client, url: str) -> tuple[str, str]:
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    base = re.search(r'name="base" value="([^"]+)"', html)
    return token, base.group(1) if base else ""


def _checked_list(client, timeout: float = 60) -> str:
    """The councils page once every row is checked, reloaded as the page's own link and
    htmx reload it while some rows still say 'Checking…'."""
    deadline = time.monotonic() + timeout
    while True:
        html = client.get("/").get_data(as_text=True)
        if "Checking…" not in html:
            return html
        assert 'href="/" id="reload-list"' in html
        assert time.monotonic() < deadline, "the list was still being checked"
        time.sleep(0.2)


def test_councils_page_shows_versions_reviews_and_problems(web_client, web_folder):
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    (web_folder / "overdue.yaml").write_text(
        text.replace("next_review: 2027-05", "next_review: 2020-01")
            .replace("adopted: 2026-05-11", "adopted: 2019-05-11"))
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tierr: parish\n")
    html = _checked_list(web_client)
    row = re.search(r'<tr class="overdue">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/councils/overdue"' in row and "Review overdue" in row
    broken = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/councils/broken\"[^>]*>(.*?)</tr>",
                       html, re.S).group(1)
    assert "1 problem" in broken


def test_a_review_counted_from_adoption_is_flagged_as_the_protocol_states_it(web_client,
                                                                            web_folder):
    """No next_review: the list uses the date the protocol states (adoption plus the review
    period), as ``protocol-gen impact`` does."""
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    assert "  next_review: 2027-05\n" in text and "adopted: 2026-05-11" in text
    (web_folder / "counted.yaml").write_text(
        text.replace("  next_review: 2027-05\n", "  review_period: 2\n")
            .replace("adopted: 2026-05-11", "adopted: 2019-05-11"))
    (web_folder / "counted-ahead.yaml").write_text(
        text.replace("  next_review: 2027-05\n", "  review_period: 3\n"))
    html = _checked_list(web_client)
    row = re.search(r'<tr class="overdue">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/councils/counted"' in row and "May 2021" in row and "Review overdue" in row
    ahead = re.search(r'<a href="/councils/counted-ahead".*?</tr>', html, re.S).group(0)
    assert "May 2029" in ahead and "overdue" not in ahead
    rows = {r["name"]: r for r in web_client.get("/api/councils").get_json()}
    assert (rows["counted"]["next_review"], rows["counted"]["review_overdue"]) == \
        ("2021-05", True)


def test_the_add_form_asks_the_new_questions_and_writes_the_answers(web_client, web_folder):
    token, _ = _form_token(web_client, "/councils/new")
    town = {"csrf_token": token, "name": "Formham Town Council", "tier": "town",
            "monitoring_officer": "none"}
    page = web_client.post("/councils/new", data=town).get_data(as_text=True)
    assert 'name="committees"' in page and 'name="offices"' in page
    assert 'name="in_place"' in page and 'name="review_period"' in page
    assert 'name="executive_body"' not in page              # a town has no executive
    added = web_client.post("/councils/new", data={
        **town, "create": "1", "committees": "none", "offices": "no",
        "in_place": "grievance, bullying", "missing": "to_be_adopted", "review_period": "3",
        "adopted": "2026-05-11"})
    assert added.status_code == 302, added.get_data(as_text=True)
    text = (web_folder / "formham-town-council.yaml").read_text()
    for line in ("committees: none", "offices: false", "- grievance_procedure",
                 "missing: to_be_adopted", "review_period: 3"):
        assert f"  {line}\n" in text, line
    district = web_client.post("/councils/new", data={
        "csrf_token": token, "name": "Formvale District Council", "tier": "district",
        "governance": "leader_cabinet"}).get_data(as_text=True)
    assert 'name="executive_body"' in district and 'name="committees"' not in district
    assert "What does the council call its executive?" in district
    added = web_client.post("/councils/new", data={
        "csrf_token": token, "create": "1", "name": "Formvale District Council",
        "tier": "district", "governance": "leader_cabinet", "executive_body": "Executive",
        "executive_member": "Portfolio Holder"})
    assert added.status_code == 302, added.get_data(as_text=True)
    text = (web_folder / "formvale-district-council.yaml").read_text()
    assert "  executive_body: Executive\n" in text
    assert "  executive_member: Portfolio Holder\n" in text


def test_a_form_without_its_csrf_token_is_refused_and_nothing_changes(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    _, base = _form_token(web_client, f"/councils/{MILCOMBE}")
    r = web_client.post(f"/councils/{MILCOMBE}", data={"base": base, "roles.chair": "X"})
    assert r.status_code == 400
    assert "reload the page" in r.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)
    assert path.read_bytes() == before


def test_saving_edits_in_place_and_a_wrong_date_is_shown_with_its_fix(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_text()
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}")
    r = web_client.post(f"/councils/{MILCOMBE}", data={
        "csrf_token": token, "base": base, "adoption.adopted": "2026-02-30"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    field = unescape(re.search(r'<label for="f-adoption-adopted">.*?<input', html,
                               re.S).group(0))
    assert "'2026-02-30' is not a date" in field and "What to do: write it as YYYY-MM-DD" \
        in field
    assert path.read_text() == before
    r = web_client.post(f"/councils/{MILCOMBE}", data={
        "csrf_token": token, "base": base, "roles.chair": "Town Mayor"})
    assert r.status_code == 302
    after = path.read_text()
    assert after == before.replace("chair: Chairman", "chair: Town Mayor")


def test_dates_are_read_alike_when_adding_and_when_editing(web_client, web_folder):
    """One set of date forms: 12/05/2026 is 12 May 2026 on both pages; a date that is not
    one is refused on both with the same words."""
    token, _ = _form_token(web_client, "/councils/new")
    added = web_client.post("/councils/new", data={
        "csrf_token": token, "create": "1", "name": "Dateham Parish Council",
        "tier": "parish", "adopted": "12/05/2026", "monitoring_officer": "none"})
    assert added.status_code == 302, added.get_data(as_text=True)
    assert "adopted: 2026-05-12" in (web_folder / "dateham-parish-council.yaml").read_text()
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}")
    edited = web_client.post(f"/councils/{MILCOMBE}", data={
        "csrf_token": token, "base": base, "adoption.adopted": "12/05/2026",
        "adoption.next_review": "May 2027"})
    assert edited.status_code == 302, edited.get_data(as_text=True)
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    assert "adopted: 2026-05-12" in text and "next_review: 2027-05" in text
    words = []
    for url, field in (("/councils/new", "adopted"), (f"/councils/{MILCOMBE}",
                                                      "adoption.adopted")):
        token, base = _form_token(web_client, url)
        r = web_client.post(url, data={"csrf_token": token, "base": base, "create": "1",
                                       "name": "Dateham Two Parish Council", "tier": "parish",
                                       field: "31/02/2026"})
        assert r.status_code == 422
        said = re.search(r"'31/02/2026' is not a date\. What to do: ([^<]*)",
                         unescape(r.get_data(as_text=True)))
        words.append(said.group(1).strip().rstrip("."))
    assert words[0] == words[1] and "12/05/2026" in words[0]


def test_the_suggested_review_follows_the_adoption_date(web_client):
    token, _ = _form_token(web_client, "/councils/new")
    form = {"csrf_token": token, "name": "Reviewham Parish Council", "tier": "parish"}
    first = web_client.post("/councils/new", data=form).get_data(as_text=True)
    suggested = re.search(r'name="next_review" value="([^"]*)"', first).group(1)
    again = web_client.post("/councils/new", data={
        **form, "adopted": "2030-09-01", "next_review": suggested,
        "suggested-next_review": suggested}).get_data(as_text=True)
    assert re.search(r'name="next_review" value="2031-09"', again)


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(web_client, web_folder):
    path = web_folder / f"{MILCOMBE}.yaml"
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}")
    path.write_text(path.read_text().replace("Vice Chairman", "Vice-Chair"))
    changed = path.read_bytes()
    r = web_client.post(f"/councils/{MILCOMBE}", data={
        "csrf_token": token, "base": base, "roles.chair": "Town Mayor"})
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "changed elsewhere" in html and 'value="Town Mayor"' in html
    assert path.read_bytes() == changed


def test_leaving_a_clause_out_and_putting_it_back_writes_drafting_exclude(
        web_client, web_folder, library):
    from generator.profile.load import load_profile
    path = web_folder / f"{MILCOMBE}.yaml"
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}/preview")
    html = web_client.get(f"/councils/{MILCOMBE}/preview").get_data(as_text=True)
    ids = re.findall(r'<div class="clause-row" id="c-([a-z0-9.-]+)">', html)
    clause = ids[3]
    r = web_client.post(f"/councils/{MILCOMBE}/drafting", data={
        "csrf_token": token, "base": base, "clause": clause, "action": "exclude"})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"#c-{clause}")     # back where the clerk was
    assert clause in load_profile(path)[0].drafting.exclude
    html = web_client.get(f"/councils/{MILCOMBE}/preview").get_data(as_text=True)
    # shown where it was, with a button to put it back
    assert f'<div class="clause-row stub" id="c-{clause}">' in html
    assert f'id="put-back-{clause}"' in html
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}/preview")
    web_client.post(f"/councils/{MILCOMBE}/drafting", data={
        "csrf_token": token, "base": base, "clause": clause, "action": "include"})
    assert clause not in load_profile(path)[0].drafting.exclude


def test_choosing_a_wording_writes_drafting_variants(web_client, web_folder):
    """Each wording is shown as its text before it is chosen; the one chosen is then the
    paragraph's text, and the page comes back to the paragraph."""
    from generator.profile.load import load_profile
    path = web_folder / f"{MILCOMBE}.yaml"
    html = web_client.get(f"/councils/{MILCOMBE}/preview").get_data(as_text=True)
    first = re.search(r'<details class="wordings" id="wordings-([^"]+)"', html).group(1)
    assert '<section class="wording' not in html        # made when a paragraph's are opened
    html = web_client.get(f"/councils/{MILCOMBE}/preview?open={first}").get_data(as_text=True)
    choice = re.search(r'<section class="wording" aria-label="([^"]+)">.*?'
                       r'<div class="wording-text">(.*?)</div>\s*<form.*?'
                       r'name="clause" value="([^"]+)">\s*'
                       r'<input type="hidden" name="action" value="wording">\s*'
                       r'<input type="hidden" name="source" value="([^"]+)">', html, re.S)
    assert choice, "no clause with a choice of wording in the example"
    label, text, clause, source = choice.groups()
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}/preview")
    r = web_client.post(f"/councils/{MILCOMBE}/drafting", data={
        "csrf_token": token, "base": base, "clause": clause, "action": "wording",
        "source": source})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#c-{clause}")
    assert load_profile(path)[0].drafting.variants[clause] == source
    html = web_client.get(r.headers["Location"]).get_data(as_text=True)
    row = html.split(f'<div class="clause-row" id="c-{clause}">', 1)[1]
    shown = row.split('<aside', 1)[0]
    assert unescape(re.sub(r"<[^>]+>", "", text)).split()[-8:] == \
        unescape(re.sub(r"<[^>]+>", "", shown)).split()[-8:]
    assert f'<section class="wording current" aria-label="{label}">' in row


def test_error_pages_are_plain_words_never_a_traceback(web_client, monkeypatch):
    r = web_client.get("/councils/nope")
    assert r.status_code == 404 and "list of councils" in r.get_data(as_text=True)
    from generator.web import pages

    def broken(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(pages, "form_values", broken)
    r = web_client.get(f"/councils/{MILCOMBE}")
    html = r.get_data(as_text=True)
    assert r.status_code == 500 and "Nothing was changed" in html
    assert "Traceback" not in html and "boom" not in html


def test_build_keeps_the_earlier_version_and_writes_the_redline(web_client, web_folder):
    out = web_folder.parent / "output" / MILCOMBE
    token, _ = _form_token(web_client, f"/councils/{MILCOMBE}/outputs")
    assert web_client.post(f"/councils/{MILCOMBE}/build",
                           data={"csrf_token": token}).status_code == 302
    assert (out / f"{MILCOMBE}-member-officer-protocol.docx").is_file()
    path = web_folder / f"{MILCOMBE}.yaml"
    path.write_text(path.read_text().replace("chair: Chairman", "chair: Town Mayor")
                    .replace('version: "1.0"', 'version: "1.1"'))
    web_client.post(f"/councils/{MILCOMBE}/build", data={"csrf_token": token})
    assert list((out / "previous").glob("*-v1.0.docx"))
    html = web_client.get(f"/councils/{MILCOMBE}/outputs").get_data(as_text=True)
    link = re.search(r'href="([^"]+-redline\.docx)"', html).group(1)
    redline = WordDocument(io.BytesIO(web_client.get(link).data))
    body = redline.element.body.xml
    assert "w:ins" in body and "Town Mayor" in body
    assert web_client.get(f"/councils/{MILCOMBE}/files/..%2F..%2Fcouncils%2F"
                          f"{MILCOMBE}.yaml").status_code == 404


def test_the_folder_as_one_zip(web_client, web_folder):
    r = web_client.get("/download/councils.zip")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    for stem in (p.stem for p in web_folder.glob("*.yaml")):
        assert f"{stem}/{stem}-member-officer-protocol.docx" in names


def test_the_app_and_the_command_line_building_one_council_at_once(web_app, web_folder):
    """A real CLI build process and the app's builds of the same council run together:
    every file is always whole (either writer's), and no temporary file is left."""
    out = web_folder.parent / "output"
    client = web_app.test_client()
    token, _ = _form_token(client, f"/councils/{MILCOMBE}/outputs")
    procs = [subprocess.Popen([sys.executable, "-m", "generator", "build",
                               str(web_folder / f"{MILCOMBE}.yaml"), "--out", str(out), "-q"])
             for _ in range(3)]
    for _ in range(3):
        assert client.post(f"/councils/{MILCOMBE}/build",
                           data={"csrf_token": token}).status_code == 302
    assert all(p.wait(120) == 0 for p in procs)
    folder = out / MILCOMBE
    docx = folder / f"{MILCOMBE}-member-officer-protocol.docx"
    WordDocument(str(docx))
    assert docx.read_bytes() == client.get(f"/councils/{MILCOMBE}/protocol.docx").data
    assert not [p for p in folder.rglob(".*.tmp")]


def test_serve_refuses_another_host_with_a_weak_token(invoke, web_folder, tmp_path):
    from generator.cli import main
    import pytest
    short = tmp_path / "token"     # (with no --token-file, one is made: test_security.py)
    short.write_text("abc")
    with pytest.raises(SystemExit) as exc:
        main(["serve", str(web_folder), "--host", "0.0.0.0", "--token-file", str(short)])
    assert exc.value.code == 1
    from generator.web.serve import is_loopback
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_with_a_token_the_browser_signs_in_once(web_folder):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "out", token="a-long-enough-token-123")
    client = app.test_client()
    r = client.get(f"/councils/{MILCOMBE}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    wrong = client.post("/login", data={"csrf_token": token, "token": "guess"})
    assert wrong.status_code == 401 and "not right" in wrong.get_data(as_text=True)
    r = client.post(f"/login?next=/councils/{MILCOMBE}",
                    data={"csrf_token": token, "token": "a-long-enough-token-123"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/councils/{MILCOMBE}")
    assert client.get(f"/councils/{MILCOMBE}").status_code == 200
    r = client.post("/login?next=//elsewhere.example/",
                    data={"csrf_token": token, "token": "a-long-enough-token-123"})
    assert r.headers["Location"] == "/"


def test_a_request_naming_another_host_is_refused(web_server):
    """Served on this machine only, the app answers only to this machine's names (a page
    elsewhere cannot reach it by pointing its own name at 127.0.0.1)."""
    import urllib.error
    import urllib.request
    request = urllib.request.Request(web_server + "/api/councils",
                                     headers={"Host": "attacker.example"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a foreign Host header was answered")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400
        assert b"Traceback" not in exc.read()
    with urllib.request.urlopen(web_server.replace("127.0.0.1", "localhost") +
                                "/api/councils", timeout=10) as ok:
        assert ok.status == 200


def test_serve_says_when_its_port_is_taken(web_folder, capsys):
    import socket

    import pytest

    from generator.cli import main
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["serve", str(web_folder), "--port", str(port)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err


def _upload(client, name: str, data: bytes):
    import io
    token, _ = _form_token(client, "/councils/new")
    return client.post("/councils/import", data={
        "csrf_token": token, "protocol": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_a_council_starts_from_the_protocol_it_already_has(web_client, web_folder):
    """An uploaded protocol is imported as 'protocol-gen import' does: a commented profile
    and the council's own wording beside it, then the edit page; never over an earlier one."""
    from conftest import ROOT
    source = (ROOT / "clause_library" / "sources" / "halstead.txt").read_bytes()
    answer = _upload(web_client, "Our protocol 2021.txt", source)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    stem = answer.headers["Location"].rsplit("/", 1)[1]
    assert stem == "halstead-town-council"
    profile = web_folder / f"{stem}.yaml"
    assert "drafting:" in profile.read_text() and (web_folder / f"{stem}-clauses").is_dir()
    page = web_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Imported Our protocol 2021.txt" in page
    # Halstead's text names no law or body of either nation; its name, an English parish
    # in the ONS list of places, tells it, and the profile says so
    assert ("nation: england  # high: the name 'Halstead Town Council' is an English parish "
            "(ONS)") in profile.read_text()
    # the preview uses the council's own wording (its house clauses)
    preview = web_client.get(f"/api/councils/{stem}/protocol.md").get_data(as_text=True)
    assert "Halstead" in preview
    # the council exists: the clerk chooses (never told to add --force)
    again = _upload(web_client, "again.txt", source)
    assert again.status_code == 409
    page = unescape(again.get_data(as_text=True))
    assert "Halstead Town Council is already in the list" in page and "--force" not in page
    for choice in ("Replace it", "Import as a new council", "Compare with the existing one"):
        assert f">{choice}</button>" in page
    token = re.search(r'action="/councils/import/([^"]+)"', page).group(1)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    compared = web_client.post(f"/councils/import/{token}", data={
        "csrf_token": csrf, "action": "compare"})
    assert compared.status_code == 200
    link = re.search(r'href="([^"]+redline\.docx)"', compared.get_data(as_text=True)).group(1)
    redline = WordDocument(io.BytesIO(web_client.get(link).data))
    assert "w:ins" in redline.element.body.xml or "w:del" in redline.element.body.xml
    added = web_client.post(f"/councils/import/{token}", data={
        "csrf_token": csrf, "action": "new", "name": "Halstead Town Council 2026"})
    assert added.status_code == 302
    assert added.headers["Location"].endswith("/councils/halstead-town-council-2026")
    assert re.search(r'name: "?Halstead Town Council 2026"?',
                     (web_folder / "halstead-town-council-2026.yaml").read_text())
    assert (web_folder / "halstead-town-council-2026-clauses").is_dir()
    profile.write_text(profile.read_text().replace("Town Clerk", "Proper Clerk"))
    again = _upload(web_client, "again.txt", source)
    token = re.search(r'action="/councils/import/([^"]+)"', again.get_data(as_text=True))[1]
    replaced = web_client.post(f"/councils/import/{token}", data={
        "csrf_token": csrf, "action": "replace"})
    assert replaced.status_code == 302 and "Proper Clerk" not in profile.read_text()


def test_what_an_imported_protocol_does_not_tell_is_asked_for(web_client, web_folder):
    """Anytown's protocol names no council: nothing tells its tier or nation, and the page
    asks the clerk to choose them."""
    from conftest import ROOT
    source = (ROOT / "clause_library" / "sources" / "anytown.txt").read_bytes()
    answer = _upload(web_client, "anytown.txt", source)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = web_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "not found in the imported protocol" in page
    profile = (web_folder / f"{answer.headers['Location'].rsplit('/', 1)[1]}.yaml").read_text()
    assert 'nation: "not found: choose"' in profile and 'tier: "not found: choose"' in profile


def test_an_upload_that_is_not_a_protocol_is_refused_with_its_reason(web_client, web_folder):
    before = sorted(p.name for p in web_folder.iterdir())
    empty = _upload(web_client, "", b"")
    assert empty.status_code == 422 and "No file was chosen" in empty.get_data(as_text=True)
    shopping = _upload(web_client, "list.txt", b"Eggs.\n\nMilk.\n\nBread and butter.\n")
    assert shopping.status_code == 422
    text = shopping.get_data(as_text=True)
    assert "Traceback" not in text and "What to do:" in text
    assert sorted(p.name for p in web_folder.iterdir()) == before


def test_the_importers_doubts_are_checked_before_a_first_build(web_client, web_folder):
    """Each value the import could not read for certain is shown beside its field as
    'Please check: ...'; nothing is built or downloaded until each is confirmed."""
    from conftest import ROOT
    source = (ROOT / "clause_library" / "sources" / "halstead.txt").read_bytes()
    stem = _upload(web_client, "ours.txt", source).headers["Location"].rsplit("/", 1)[1]
    profile = web_folder / f"{stem}.yaml"
    page = unescape(web_client.get(f"/councils/{stem}").get_data(as_text=True))
    marked = re.findall(r'<div class="please-check" id="d-f-([a-z-]+)"><p><strong>Please '
                        r'check:</strong> ([^<]+)</p>', page)
    assert marked, "no value marked for checking"
    assert all("_" not in why and "'false'" not in why for _, why in marked)
    assert web_client.get(f"/councils/{stem}/protocol.docx").status_code == 409
    token, base = _form_token(web_client, f"/councils/{stem}")
    assert web_client.post(f"/councils/{stem}/build",
                           data={"csrf_token": token}).status_code == 409
    # the clerk answers what was not found and confirms the guesses
    token, base = _form_token(web_client, f"/councils/{stem}")
    form = {"csrf_token": token, "base": base,
            "confirm": [f"council.{f.split('-', 1)[1].replace('-', '_')}"
                        for f, _ in marked]}
    if "council-nation" in dict(marked):
        form["council.nation"] = "england"
    saved = web_client.post(f"/councils/{stem}", data=form)
    assert saved.status_code == 302, unescape(saved.get_data(as_text=True))[-3000:]
    assert "# Please check" not in profile.read_text()
    assert "# checked" in profile.read_text()
    docx = web_client.get(f"/councils/{stem}/protocol.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(docx.data)).paragraphs)
    assert "Halstead Town Council" in text


def test_the_live_preview_follows_the_form_and_says_what_stops_it(web_client, web_folder):
    """As the clerk types (htmx), the preview is made from the form without saving; a
    value check refuses, or a date that is none, is said in the preview's place."""
    path = web_folder / f"{MILCOMBE}.yaml"
    before = path.read_bytes()
    token, base = _form_token(web_client, f"/councils/{MILCOMBE}")
    live = f"/councils/{MILCOMBE}/live"
    hx = {"HX-Request": "true"}
    r = web_client.post(live, headers=hx, data={"csrf_token": token, "base": base,
                                                "roles.chair": "Warden of the Marches"})
    assert "Warden of the Marches" in r.get_data(as_text=True)
    r = web_client.post(live, headers=hx, data={"csrf_token": token, "base": base,
                                                "roles.chair": "W" * 600})
    assert "cannot be made until these are fixed" in r.get_data(as_text=True)
    r = web_client.post(live, headers=hx, data={"csrf_token": token, "base": base,
                                                "adoption.adopted": "30/02/2026"})
    assert "is not a date" in unescape(r.get_data(as_text=True))
    assert path.read_bytes() == before
