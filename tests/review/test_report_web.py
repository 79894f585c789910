"""The browser app: the report to the meeting as a download beside the redline, and the
councils list showing reviews due and overdue and councils a change in the law touches."""
from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document as WordDocument
import yaml

from conftest import PROFILES

MILCOMBE = "milcombe-parish-council"


def test_build_now_writes_the_report_and_the_page_offers_it(web_client):
    page = web_client.get(f"/councils/{MILCOMBE}/outputs").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert "report to the meeting" not in page
    web_client.post(f"/councils/{MILCOMBE}/build", data={"csrf_token": token})
    page = web_client.get(f"/councils/{MILCOMBE}/outputs").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+-report\.docx)">Download the report to the meeting',
                     page)
    assert link, page
    data = web_client.get(link.group(1)).get_data()
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(data)).paragraphs)
    assert "That the Council adopts the Member/Officer Protocol at Appendix A" in text


def test_the_list_shows_reviews_due_and_overdue_and_changes_in_the_law(web_folder,
                                                                       web_client):
    (web_folder / "halstead-town-council.yaml").write_bytes(
        (PROFILES / "halstead-town-council.yaml").read_bytes())
    soon = dt.date.today() + dt.timedelta(days=45)
    data = yaml.safe_load((PROFILES / "stourleigh-town-council.yaml").read_text("utf-8"))
    data["adoption"]["next_review"] = f"{soon.year}-{soon.month:02d}"
    data["adoption"]["adopted"] = dt.date.today() - dt.timedelta(days=300)
    data["council"]["name"] = "Soonham Town Council"
    (web_folder / "soonham-town-council.yaml").write_text(yaml.safe_dump(data), "utf-8")
    rows = {r["name"]: r for r in web_client.get("/api/councils").get_json()}
    halstead, soonham = rows["halstead-town-council"], rows["soonham-town-council"]
    assert halstead["review_overdue"]
    assert any(c.startswith("Equality Act 2010, ") for c in halstead["law_changes"])
    assert soonham["review_due"] and not soonham["review_overdue"]
    html = web_client.get("/").get_data(as_text=True)
    halstead = re.search(r'id="edit-halstead-town-council".*?</tr>', html, re.S).group(0)
    assert "Review overdue" in halstead and "Affected by a change in the law" in halstead
    soonham = re.search(r'id="edit-soonham-town-council".*?</tr>', html, re.S).group(0)
    assert "Review due" in soonham and "Review overdue" not in soonham
