"""A clerk in a real browser (Debian's Chromium, headless, driven by Playwright) against
``protocol-gen serve`` running as a real process."""
from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument
from playwright.sync_api import expect

NEW = "little-snoring-parish-council"
MILCOMBE = "milcombe-parish-council"


def _add_council(page, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("link", name="Add a council").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a council")
    page.get_by_label("What is the council's name?").fill("Little Snoring Parish Council")
    page.get_by_label("What is the council's name?").press("Tab")
    # the questions that apply to a parish appear once the name suggests the tier
    expect(page.get_by_label("What is the clerk's title?")).to_have_value("Parish Clerk")
    page.get_by_label("Which district or unitary council's Monitoring Officer").fill(
        "Example District Council")
    # a date picker where the browser has one
    adopted = page.get_by_label("On what date did (or will) the council adopt it?")
    assert adopted.get_attribute("type") == "date"
    adopted.fill("2026-05-11")
    adopted.press("Tab")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("In which month is the next review due?")).to_have_value("2027-05")
    page.get_by_role("button", name="Add the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Little Snoring Parish Council")


def test_a_clerk_creates_edits_previews_and_downloads(page, web_server, web_folder, tmp_path):
    _add_council(page, web_server)
    path = web_folder / f"{NEW}.yaml"
    assert "# Council profile: Little Snoring Parish Council" in path.read_text()

    # the adoption date has a date picker on the edit page too
    assert page.locator("#f-adoption-adopted").get_attribute("type") == "date"
    expect(page.locator("#f-adoption-adopted")).to_have_value("2026-05-11")

    # the live preview follows the chair's title as it is typed, before saving
    preview = page.locator("#preview")
    expect(preview).not_to_contain_text("Lord Warden")
    page.locator("#f-roles-chair").fill("Lord Warden")
    expect(preview).to_contain_text("Lord Warden", timeout=15_000)
    assert "Lord Warden" not in path.read_text()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert "chair: Lord Warden" in path.read_text()

    # the preview with provenance: leave a clause out, and stay where it was
    page.get_by_role("link", name="Choose wordings and paragraphs").click()
    row = page.locator(".clause-row").nth(2)
    clause_id = row.get_attribute("id").removeprefix("c-")
    expect(row.locator(".why")).to_contain_text("Wording ")
    row.get_by_role("button", name="Leave out").click()
    expect(page.get_by_role("status")).to_contain_text("Left out")
    stub = page.locator(f"[id='c-{clause_id}']")
    expect(stub).to_have_class("clause-row stub")
    expect(stub.get_by_role("button", name="Put it back")).to_be_focused()
    assert clause_id in path.read_text()

    # downloads: the DOCX opens in python-docx and says what the profile says
    page.get_by_role("link", name="Download the protocol").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Word document (DOCX)").click()
    docx = tmp_path / "protocol.docx"
    info.value.save_as(docx)
    text = "\n".join(p.text for p in WordDocument(str(docx)).paragraphs)
    assert "Little Snoring Parish Council" in text and "Lord Warden" in text

    # build, change the version and the chair, build again: the redline shows it
    page.get_by_role("button", name="Build now").click()
    expect(page.get_by_role("status")).to_contain_text("Built")
    page.get_by_role("link", name="Change the council's details").click()
    page.locator("#f-adoption-version").fill("1.1")
    page.locator("#f-roles-chair").fill("Chair of the Council")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.get_by_role("link", name="Download the protocol").first.click()
    page.get_by_role("button", name="Build now").click()
    expect(page.get_by_role("status")).to_contain_text("earlier version")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the redline").click()
    redline = tmp_path / "redline.docx"
    info.value.save_as(redline)
    body = WordDocument(str(redline)).element.body.xml
    assert "w:ins" in body and "w:del" in body and "Chair of the Council" in body


def test_keyboard_only(page, web_server, web_folder):
    page.goto(web_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to the main content" in focused
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Add a council":
            break
    else:
        raise AssertionError("'Add a council' cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows no focus outline"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a council")
    page.keyboard.press("Tab")
    for _ in range(30):
        if page.evaluate("document.activeElement.name") == "name":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("Keyhaven Parish Council")
    page.keyboard.press("Tab")
    expect(page.locator("#f-head_officer")).to_be_visible()
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == "create":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the 'Add the council' button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyhaven Parish Council")
    assert (web_folder / "keyhaven-parish-council.yaml").is_file()


def _tab_to(page, test: str, most: int = 30) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"nothing matching {test!r} can be reached with Tab")


def test_signing_in_with_the_keyboard_only(page, web_server_with_token):
    """On a shared machine every page first asks for the access token."""
    from conftest import WEB_TOKEN
    page.goto(web_server_with_token + f"/councils/{MILCOMBE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    _tab_to(page, "document.activeElement.id === 'token'")
    page.keyboard.type("not-the-token")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("That token is not right")
    expect(page.get_by_label("Access token")).to_have_attribute("aria-invalid", "true")
    assert page.get_by_label("Access token").get_attribute("aria-describedby") == \
        alert.get_attribute("id")
    _tab_to(page, "document.activeElement.id === 'token'")
    page.keyboard.type(WEB_TOKEN)
    _tab_to(page, "document.activeElement.textContent === 'Sign in'", 3)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Milcombe Parish Council")
    assert page.url.endswith(f"/councils/{MILCOMBE}")
    page.goto(web_server_with_token + "/")                 # signed in once, for the session
    expect(page.get_by_role("heading", level=1)).to_have_text("Councils")


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]]


def test_every_page_has_no_wcag_aa_violations(chromium, web_server, web_folder):
    context = chromium.new_context(bypass_csp=True)   # to inject axe-core
    page = context.new_page()
    name = "milcombe-parish-council"
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tierr: parish\n")
    pages = ["/", "/councils/new", f"/councils/{name}", f"/councils/{name}/preview",
             f"/councils/{name}/outputs", "/councils/broken", "/councils/nope"]
    found = {}
    for url in pages:
        page.goto(web_server + url)
        if v := _violations(page):
            found[url] = v
    # the pages as they are with problems shown
    page.goto(web_server + "/councils/new")
    page.get_by_role("button", name="Add the council").click()
    if v := _violations(page):
        found["/councils/new (errors)"] = v
    page.goto(web_server + f"/councils/{name}")
    page.locator("#f-council-name").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#problems")).to_be_visible()
    if v := _violations(page):
        found[f"/councils/{name} (errors)"] = v
    context.close()
    assert not found, found


def test_the_sign_in_page_has_no_wcag_aa_violations(chromium, web_server_with_token):
    context = chromium.new_context(bypass_csp=True)   # to inject axe-core
    page = context.new_page()
    found = {}
    page.goto(web_server_with_token + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    if v := _violations(page):
        found["/login"] = v
    page.get_by_label("Access token").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    if v := _violations(page):
        found["/login (wrong token)"] = v
    context.close()
    assert not found, found


def test_the_councils_list_fills_in_by_itself(chromium, web_server, web_folder):
    """Councils not checked yet say so, and the list updates itself (htmx) until every
    row is checked, without reloading the page; the page meets WCAG 2.2 AA meanwhile."""
    text = (web_folder / f"{MILCOMBE}.yaml").read_text()
    for i in range(300):                    # more than the server checks in a moment
        (web_folder / f"copy-{i:03}.yaml").write_text(text)
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(web_server + "/")
    expect(page.get_by_role("status")).to_contain_text("councils so far")
    assert page.locator("tr.pending").count() > 0
    assert page.get_by_role("link", name="reload the list").is_visible()
    page.evaluate("window.notReloaded = true")
    violations = _violations(page)
    assert not violations, violations
    expect(page.locator("tr.pending")).to_have_count(0, timeout=90_000)
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("table.councils tbody tr")).to_have_count(302)
    expect(page.get_by_role("status")).to_have_count(0)
    context.close()


def test_without_javascript(chromium, web_server, web_folder):
    """Every step works with JavaScript turned off: the questions that apply come with a
    button, the preview with saving."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(web_server + "/councils/new")
    page.get_by_label("What is the council's name?").fill("Nojay Town Council")
    page.get_by_role("button", name="Show the questions that apply").click()
    expect(page.get_by_label("What is the clerk's title?")).to_have_value("Town Clerk")
    page.get_by_role("button", name="Add the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nojay Town Council")
    page.locator("#f-roles-chair").fill("Keeper of the Bell")
    page.get_by_role("button", name="Preview changes without saving").click()
    expect(page.locator("#preview")).to_contain_text("Keeper of the Bell")
    assert "Keeper of the Bell" not in (web_folder / "nojay-town-council.yaml").read_text()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert "chair: Keeper of the Bell" in (web_folder / "nojay-town-council.yaml").read_text()
    context.close()


def test_a_clerk_starts_from_the_protocol_the_council_already_has(page, web_server,
                                                                  web_folder, tmp_path):
    """The council's current protocol, as a Word file, uploaded from the new council page."""
    import subprocess

    from conftest import ROOT
    word = tmp_path / "our-protocol.docx"
    subprocess.run(["pandoc", str(ROOT / "clause_library" / "sources" / "halstead.txt"),
                    "-f", "markdown", "-o", str(word)], check=True, timeout=120)
    page.goto(web_server + "/councils/new")
    page.get_by_label("The council's current protocol").set_input_files(str(word))
    page.get_by_role("button", name="Import it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Halstead Town Council",
                                                               timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text("Imported our-protocol.docx")
    assert (web_folder / "halstead-town-council.yaml").exists()
    assert (web_folder / "halstead-town-council-clauses").is_dir()
    # nothing chosen: the reason and the fix, on the same page
    page.goto(web_server + "/councils/new")
    page.get_by_role("button", name="Import it").click()
    expect(page.locator("#upload-problems")).to_contain_text("No file was chosen")
