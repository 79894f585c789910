"""The README's promises: its example profile is valid, its commands exist."""
import re

from conftest import ROOT


def test_readme_example_profile_passes_check(invoke, tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### A council profile\n\n```yaml\n(.*?)```", text, re.S)
    assert block, "the README has lost its example profile"
    profile = tmp_path / "example.yaml"
    profile.write_text(block.group(1), encoding="utf-8")
    result = invoke("check", profile)
    assert result.exit_code == 0 and result.output.strip().endswith(": ok"), result.output


def test_every_command_in_the_readme_table_exists(invoke):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^\| `protocol-gen (\w+)", text, re.M)) - {"COMMAND"}
    assert {"build", "check", "diff", "explain", "library", "init", "schema"} <= commands
    for command in commands:
        assert invoke(command, "--help").exit_code == 0, command
