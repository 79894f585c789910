"""The Markdown and the DOCX of one build read back as the same protocol, so `diff` of
the two reports no change."""
from __future__ import annotations

import pytest

from conftest import PROFILES, all_profiles

from generator.review.readback import load_protocol


def draft(tmp_path):
    """A draft with a history of two earlier versions: the 'not yet adopted' row."""
    text = (PROFILES / "milcombe-parish-council.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith(("adopted:",
                                                                                "minute:"))]
    path = tmp_path / "draft-council.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("profile", [*all_profiles(), "draft"],
                         ids=lambda p: getattr(p, "stem", p))
def test_the_two_formats_of_one_build_are_the_same_protocol(invoke, tmp_path, profile):
    if profile == "draft":
        profile = draft(tmp_path)
    out = tmp_path / "out"
    result = invoke("build", profile, "--out", out)
    assert result.exit_code == 0, result.output
    base = out / profile.stem / f"{profile.stem}-member-officer-protocol"
    md, docx = load_protocol(base.with_suffix(".md")), load_protocol(base.with_suffix(".docx"))
    assert md.paragraphs() == docx.paragraphs()
    assert (md.council, md.version, md.date) == (docx.council, docx.version, docx.date)
    result = invoke("diff", base.with_suffix(".md"), base.with_suffix(".docx"))
    assert result.exit_code == 0 and result.output.rstrip().endswith(": none"), result.output
