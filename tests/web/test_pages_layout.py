"""Phone and zoom: every page at 390 px wide (a phone, or a desktop zoomed to 400%) in
Debian's Chromium needs no sideways scrolling, puts the preview's explanations below each
paragraph, reaches the edit page's preview from its top, and has no WCAG 2.2 AA violation
(axe-core); at 1280 px too."""
from __future__ import annotations

from conftest import ROOT
from playwright.sync_api import expect
from test_web_browser import _violations

MILCOMBE = "milcombe-parish-council"


def _pages(web_folder) -> list[str]:
    (web_folder / "broken.yaml").write_text("council:\n  name: Broken\n  tierr: parish\n")
    return ["/", "/councils/new", f"/councils/{MILCOMBE}", f"/councils/{MILCOMBE}/preview",
            f"/councils/{MILCOMBE}/outputs", "/councils/northmoor-county-council/preview",
            "/councils/broken", "/councils/nope"]


def _wider_than_the_screen(page) -> list[str]:
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className);
    }""")


def test_no_sideways_scrolling_and_no_violations_on_a_phone(chromium, web_server, web_folder):
    context = chromium.new_context(viewport={"width": 390, "height": 844},
                                   bypass_csp=True)        # to inject axe-core
    page = context.new_page()
    found = {}
    for url in _pages(web_folder):
        page.goto(web_server + url)
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("document.documentElement.scrollWidth") > 390
        if wide or _wider_than_the_screen(page):
            found[url + " (wider than the screen)"] = _wider_than_the_screen(page)
        if v := _violations(page):
            found[url] = v
    # an import: the values to check, and the choice when the council is already listed
    upload = web_folder.parent / "Oakbridge protocol.txt"
    upload.write_text((ROOT / "clause_library" / "sources" / "halstead.txt").read_text(
        encoding="utf-8").replace("Halstead", "Oakbridge"), encoding="utf-8")
    for step in ("Please check", "already in the list"):
        page.goto(web_server + "/councils/new")
        page.get_by_label("The council's current protocol").set_input_files(str(upload))
        page.get_by_role("button", name="Import it").click()
        expect(page.locator("main")).to_contain_text(step, timeout=30_000)
        if _wider_than_the_screen(page):
            found[step + " (wider than the screen)"] = _wider_than_the_screen(page)
        if v := _violations(page):
            found[step] = v
    # the preview's explanation sits below its paragraph, at the text's full width
    page.goto(web_server + f"/councils/{MILCOMBE}/preview")
    row = page.locator(".clause-row").first
    text, why = row.locator(".clause-text").bounding_box(), row.locator(".why").bounding_box()
    assert why["y"] >= text["y"] + text["height"] - 1 and why["width"] > 300
    # the edit page's preview is one link away from the top
    page.goto(web_server + f"/councils/{MILCOMBE}")
    page.get_by_role("link", name="See the protocol as it will read").click()
    expect(page.locator("#preview-heading")).to_be_in_viewport()
    context.close()
    assert not found, found


def test_desktop_pages_have_no_violations(chromium, web_server, web_folder):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for url in _pages(web_folder):
        page.goto(web_server + url)
        if v := _violations(page):
            found[url] = v
    page.goto(web_server + f"/councils/{MILCOMBE}/preview")
    page.locator("details.wordings summary").first.click()       # loaded when opened
    expect(page.locator(".wording.current")).to_have_count(1)
    if v := _violations(page):
        found["preview, wordings open"] = v
    row = page.locator(".clause-row").first           # the explanation beside the text
    text, why = row.locator(".clause-text").bounding_box(), row.locator(".why").bounding_box()
    assert why["x"] > text["x"] + text["width"] - 1
    context.close()
    assert not found, found
