"""A council's protocol that makes a point twice is imported and built making it once:
the repeat (the smallest unit that carries only that point, a list item) is left out,
listed by the import as something the clerk can put back, and struck through in the
redline with its reason; rejecting every change gives the original back."""
from __future__ import annotations

import re

from generator.importer.doubts import NOT_FOUND
from generator.library.points import points_made_twice
from generator.review.lossless import rejected_text, squash

TEXT = """Ashcombe Parish Council

Member and Officer Protocol

1. Purpose

1.1 The Council works well only when its councillors and the Clerk work well together: their roles are different, and each needs the other.

2. Expectations

2.1 Councillors can expect from the Clerk:

- A working partnership;
- A timely response to enquiries and complaints; and
- Regular, up to date information on matters relevant to their needs.

3. Complaints

3.1 A complaint that a councillor has breached the Code of Conduct is made to the Monitoring Officer of Ashcombe District Council, who consults the Independent Person.
"""

REPEAT = "A working partnership"


def _imported(invoke, tmp_path):
    (tmp_path / "ashcombe.txt").write_text(TEXT, encoding="utf-8")
    result = invoke("import", tmp_path / "ashcombe.txt", "--out", tmp_path / "in")
    assert result.exit_code == 0, result.output
    profile = tmp_path / "in" / "ashcombe-parish-council.yaml"
    text = profile.read_text(encoding="utf-8")
    for key, value in (("tier", "parish"), ("nation", "england"),
                       ("governance", "committee"), ("political_groups", "false")):
        text = text.replace(f'  {key}: "{NOT_FOUND}"', f"  {key}: {value}")
    profile.write_text(text, encoding="utf-8")
    return result.output, profile


def test_the_repeat_is_listed_by_the_import_with_how_to_keep_it(invoke, tmp_path):
    output, profile = _imported(invoke, tmp_path)
    said = " ".join(output.split())
    assert f'2.1: "{REPEAT};" (Councillors and officers need each other): paragraph 1.1 ' \
           "says it" in said
    listed = [line for line in profile.read_text(encoding="utf-8").splitlines()
              if REPEAT in line]
    assert listed and "paragraph 1.1 says it" in listed[0] and \
        "ashcombe-parish-council-clauses/04-expectations.yaml" in listed[0]
    clauses = (tmp_path / "in" / "ashcombe-parish-council-clauses" /
               "04-expectations.yaml").read_text(encoding="utf-8")
    assert re.search(REPEAT + r";\s*\{# points: partnership #\}", clauses)


def test_the_protocol_makes_the_point_once_and_the_redline_strikes_the_repeat(
        invoke, tmp_path, library):
    _, profile = _imported(invoke, tmp_path)
    out = tmp_path / "out"
    built = invoke("build", profile, "--out", out, "--redline")
    assert built.exit_code == 0, built.output
    folder = out / "ashcombe-parish-council"
    md = (folder / "ashcombe-parish-council-member-officer-protocol.md").read_text()
    assert REPEAT not in md and md.count("work well together") == 1
    assert "A timely response to enquiries and complaints" in md

    summary = (folder / "ashcombe-parish-council-redline-summary.md").read_text()
    assert re.search(r"Left out: “A working partnership;?” \(2\.1\): paragraph 1\.1 already "
                     r"says this \(Councillors and officers need each other\)\.",
                     " ".join(summary.split())), summary

    docx = (folder / "ashcombe-parish-council-redline.docx").read_bytes()
    back = squash(rejected_text(docx))
    for line in TEXT.splitlines()[4:]:
        words = re.sub(r"^[-\d.\s]+", "", line)
        if len(words.split()) > 2:        # every provision and item, the repeat too
            assert squash(words) in back, words

    from generator.pipeline import check_profile
    doc = check_profile(profile, library).document
    assert not points_made_twice(doc)
    (left,) = [c for c in doc.clauses() if c.left_out]
    assert [t.rstrip(";") for t in left.left_out] == [REPEAT]


def test_build_against_the_councils_own_file_strikes_the_repeat_with_its_reason(
        invoke, tmp_path):
    _, profile = _imported(invoke, tmp_path)
    out = tmp_path / "out"
    built = invoke("build", profile, "--out", out, "--against", tmp_path / "ashcombe.txt")
    assert built.exit_code == 0, built.output
    folder = out / "ashcombe-parish-council"
    summary = " ".join((folder / "ashcombe-parish-council-redline-summary.md").read_text()
                       .split())
    assert "Left out: “A working partnership;” (2.1): paragraph 1.1 already says this " \
           "(Councillors and officers need each other)." in summary
    back = squash(rejected_text((folder / "ashcombe-parish-council-redline.docx")
                                .read_bytes()))
    assert squash(REPEAT) in back


def test_a_paragraph_matching_a_pointer_to_another_clause_is_that_clauses_wording(library):
    """A complaint route matched to a library sentence that only sends the reader to the
    clause on complaints ("... is made as paragraph 15.6 sets out") stands for that
    clause: the council's words replace it, rather than the library's clause being added
    beside them."""
    import yaml

    from generator.importer.run import audit_bytes, import_files
    text = ("Ashcombe Parish Council\n\nMember and Officer Protocol\n\n"
            "1. The Clerk may raise a grievance about a councillor's behaviour under the "
            "council's grievance procedure.\n\n"
            "2. A complaint that a councillor has breached the Code of Conduct is made to the "
            "Monitoring Officer of Ashcombe District Council.\n")
    a = audit_bytes(text.encode(), "ashcombe.txt", library)
    files = import_files(a, "ashcombe", library)
    wrong = yaml.safe_load(files["ashcombe-clauses/15-wrong.yaml"].decode().split("\n", 1)[1])
    placed = {c["variants"][0]["source"]: c["id"] for c in wrong["clauses"]}
    assert placed["house 2"] == "wrong.code-complaints"
    profile = yaml.safe_load(files["ashcombe.yaml"])
    assert "wrong.code-complaints" not in profile["drafting"]["exclude"]
