"""Input limits: oversized, deeply nested, alias-bombed, tagged or garbled input gets a
clear error (file, line, what to do), quickly, and never a traceback."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import FIXTURES, PROFILES
from generator.profile.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_yaml

EXAMPLE = (PROFILES / "milcombe-parish-council.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


NAME_LINE = line_of(EXAMPLE, "name: Milcombe Parish Council")
TIER_LINE = line_of(EXAMPLE, "tier: parish")

BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")]
) + "\ncouncil: {name: *i, tier: parish}\n"


def build_text(invoke, tmp_path, text: str | bytes, name: str = "council.yaml"):
    """Build a profile holding ``text``; returns (exit code, output, out folder)."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = tmp_path / "out"
    result = invoke("build", path, "--out", out)
    assert "Traceback" not in result.output
    return result.exit_code, result.output, out


def assert_nothing_written(out: Path) -> None:
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]


def test_python_object_tag_is_refused_and_never_runs(invoke, tmp_path):
    marker = tmp_path / "ran"
    text = EXAMPLE.replace("name: Milcombe Parish Council",
                           f"name: !!python/object/apply:os.system ['touch {marker}']")
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert f"council.yaml:{NAME_LINE}:9: error: council.name: the tag " \
           "!!python/object/apply:os.system is not allowed here" in output
    assert "remove the tag" in output
    assert not marker.exists()
    assert_nothing_written(out)


@pytest.mark.parametrize("value, tag", [
    ("!!python/object/new:os.system [echo]", "!!python/object/new:os.system"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!python/object:__main__.Evil {a: 1}", "!!python/object:__main__.Evil"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!council plain", "!council"),
])
def test_every_other_tag_is_refused(value, tag):
    src, problems = parse_yaml(f"council:\n  name: {value}\n  tier: parish\n", "p.yaml")
    assert src is None
    assert [(p.line, p.field) for p in problems] == [(2, "council.name")]
    assert f"the tag {tag} is not allowed here" in problems[0].message


def test_alias_bomb_is_refused_quickly(invoke, tmp_path):
    start = time.perf_counter()
    code, output, out = build_text(invoke, tmp_path, BILLION_LAUGHS)
    assert time.perf_counter() - start < 5
    assert code == 1
    assert f"the file expands to more than {MAX_NODES:,} values (an alias '*name' " \
           "repeated many times?)" in output
    assert "council.yaml:" in output and "write the values out plainly" in output
    assert_nothing_written(out)


def test_alias_that_contains_itself():
    src, problems = parse_yaml("council: &c\n  name: *c\n  tier: parish\n", "p.yaml")
    assert src is None
    assert problems[0].line == 1
    assert "refers to the value that contains it" in problems[0].message


def test_modest_aliases_still_work():
    src, problems = parse_yaml("a: &t Town Clerk\nb: *t\n", "p.yaml")
    assert problems == [] and src.data == {"a": "Town Clerk", "b": "Town Clerk"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 5_000, 100_000])
def test_deep_flow_nesting_is_refused_quickly(depth):
    text = "council: " + "[" * depth + "]" * depth + "\n"
    start = time.perf_counter()
    src, problems = parse_yaml(text, "p.yaml")
    assert time.perf_counter() - start < 1.0
    assert src is None
    assert problems[0].message == f"values are nested more than {MAX_DEPTH} levels deep"
    assert problems[0].line == 1 and problems[0].column is not None


@pytest.mark.parametrize("text", [
    "".join(" " * i + f"k{i}:\n" for i in range(200)),            # block mappings
    "council:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),  # block sequences
    "a: " + "{b: " * 300 + "1" + "}" * 300 + "\n",                  # flow mappings
])
def test_deep_block_nesting_is_refused(text):
    start = time.perf_counter()
    src, problems = parse_yaml(text, "p.yaml")
    assert time.perf_counter() - start < 1.0
    assert src is None
    assert problems[0].line is not None
    assert "nested more than" in problems[0].message or "YAML syntax error" in \
        problems[0].message


def test_nesting_a_profile_needs_is_fine():
    text = "a:" + "".join("\n" + "  " * i + f"k{i}:" for i in range(1, 30)) + " 1\n"
    src, problems = parse_yaml(text, "p.yaml")
    assert problems == []


def test_profile_larger_than_the_limit(invoke, tmp_path):
    text = EXAMPLE + "# " + "padding " * (MAX_BYTES // 8) + "\n"
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert f"the profile is {len(text.encode()):,} bytes; the most allowed is " \
           f"{MAX_BYTES:,}" in output
    assert "council.yaml" in output and "check that this is the right file" in output
    assert_nothing_written(out)


def test_too_many_values(tmp_path):
    text = "council:\n" + "".join(f"  key{i}: v\n" for i in range(MAX_NODES))
    src, problems = parse_yaml(text, "p.yaml")
    assert src is None
    assert f"more than {MAX_NODES:,} values; a profile or section file holds far fewer" \
        in problems[0].message


def test_value_longer_than_any_title(invoke, tmp_path):
    text = EXAMPLE.replace("head_officer: Parish Clerk", "head_officer: " + "Clerk " * 100)
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert "roles.head_officer: is too long (at most 500 characters)" in output
    assert_nothing_written(out)


@pytest.mark.parametrize("escape, code_point", [
    ("\\x01", "U+0001"), ("\\0", "U+0000"), ("\\e", "U+001B"), ("\\x7f", "U+007F"),
    ("\\ud800", "U+D800"), ("\\uffff", "U+FFFF"), ("\\v", "U+000B"),
])
def test_invisible_characters_made_by_escapes(invoke, tmp_path, escape, code_point):
    text = EXAMPLE.replace("name: Milcombe Parish Council",
                           f'name: "Milcombe{escape} Parish Council"')
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert f"council.yaml:{NAME_LINE}:9: error: council.name: the text holds the invisible " \
           f"character {code_point}, which a document cannot hold" in output
    assert_nothing_written(out)


def test_raw_control_character_in_the_file(invoke, tmp_path):
    text = EXAMPLE.replace("tier: parish", "tier: parish\x07")
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert f"council.yaml:{TIER_LINE}: error: the file holds the control character U+0007, " \
           "which YAML does not allow" in output


def test_nul_byte_in_the_file(invoke, tmp_path):
    text = EXAMPLE.replace("tier: parish", "tier: par\x00ish")
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert f"council.yaml:{TIER_LINE}: error: the file contains a NUL character" in output


def test_binary_file_as_a_profile(invoke, tmp_path):
    code, output, out = build_text(invoke, tmp_path, bytes(range(256)) * 4, "image.yaml")
    assert code == 1
    assert "image.yaml:2:118: error: the profile is not UTF-8 text" in output


def test_welsh_and_emoji_text_is_fine(invoke, tmp_path):
    text = EXAMPLE.replace("name: Milcombe Parish Council",
                           "name: Cyngor Cymuned Llanfair ŵ ŷ â 🏛️")
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 0, output
    md = (out / "council" / "council-member-officer-protocol.md").read_text(encoding="utf-8")
    assert md.startswith("# Cyngor Cymuned Llanfair ŵ ŷ â 🏛️: ")


def test_library_file_that_is_not_utf8(invoke):
    folder = FIXTURES / "library-latin1"
    result = invoke("library", "check", "--path", folder)
    assert result.exit_code == 1
    assert f"{folder / '01-intro.yaml'}:9:22: error: the library file is not UTF-8 text: " \
           "the byte 0xE9 here is probably 'é'" in result.output
    assert "save the file as UTF-8" in result.output


def test_house_library_that_is_not_utf8_stops_a_build(tmp_path, capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(PROFILES / "milcombe-parish-council.yaml"), "--out",
              str(tmp_path / "out"), "--library", str(FIXTURES / "library-latin1")])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "01-intro.yaml:9:22: error: the library file is not UTF-8 text" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["!!bool maybe", "!!timestamp 2025-13-45", "!!int nope",
                                   "!!float x"])
def test_value_that_does_not_fit_its_tag_is_kept_as_text(value):
    """PyYAML raises all sorts of errors for these; the text is kept and validation
    says what is wrong with it."""
    src, problems = parse_yaml(f"council:\n  political_groups: {value}\n", "p.yaml")
    assert problems == []
    assert src.data["council"]["political_groups"] == value.split(" ", 1)[1]


def run_main(args: list[str], capsys) -> tuple[int, str]:
    from generator.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return exit_info.value.code, captured.out + captured.err


def test_reference_docx_that_is_a_device(tmp_path, capsys):
    """/dev/zero never ends: reading it would fill the memory."""
    code, output = run_main(["build", PROFILES / "milcombe-parish-council.yaml", "--out",
                             tmp_path / "out", "--reference-docx", "/dev/zero"], capsys)
    assert code == 1
    assert "/dev/zero: error: reference_docx: the reference Word file is not a regular " \
           "file" in output


def test_profile_naming_a_device_as_its_reference_docx(invoke, tmp_path):
    text = EXAMPLE + "document:\n  reference_docx: /dev/zero\n"
    code, output, out = build_text(invoke, tmp_path, text)
    assert code == 1
    assert "document.reference_docx: '/dev/zero' is outside the profile's folder" in output
    assert_nothing_written(out)


def test_reference_docx_that_is_a_zip_bomb(tmp_path, capsys):
    import zipfile

    from generator.render.docx_template import MAX_REFERENCE_UNPACKED

    bomb = tmp_path / "template.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", bytes(MAX_REFERENCE_UNPACKED + 1))
    assert bomb.stat().st_size < 1024 * 1024
    code, output = run_main(["build", PROFILES / "milcombe-parish-council.yaml", "--out",
                             tmp_path / "out", "--reference-docx", bomb], capsys)
    assert code == 1
    assert f"the reference Word file unpacks to {MAX_REFERENCE_UNPACKED + 1:,} bytes" in output
    assert not (tmp_path / "out").exists()


def test_profile_that_is_a_device_or_a_pipe(tmp_path, capsys):
    """/dev/zero would never end and a pipe with no writer would wait for ever."""
    import os

    pipe = tmp_path / "council.yaml"
    os.mkfifo(pipe)
    start = time.perf_counter()
    code, output = run_main(["build", "/dev/zero", pipe, "--out", tmp_path / "out"], capsys)
    assert time.perf_counter() - start < 30
    assert code == 1
    assert "/dev/zero: error: /dev/zero is not a regular file (a device or a pipe?)" in output
    assert f"{pipe}: error: {pipe} is not a regular file" in output
    assert "built 0, failed 2" in output
