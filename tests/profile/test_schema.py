"""`protocol-gen schema`: valid JSON Schema that accepts every shipped profile and rejects
broken ones; `schema --markdown`: the profile reference kept in docs/."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import FIXTURES, ROOT, all_profiles

REFERENCE = ROOT / "docs" / "profile-reference.md"


def jsonified(value):
    """A YAML value as JSON would hold it (an editor's YAML 1.2 reading: dates as text)."""
    if isinstance(value, dict):
        return {k: jsonified(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonified(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator():
    from click.testing import CliRunner

    from generator.cli import cli
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_schema_is_valid_json_schema(validator):
    schema = validator.schema
    assert schema["required"] == ["council"]
    assert schema["additionalProperties"] is False
    council = schema["$defs"]["Council"]
    assert set(council["required"]) == {"name", "tier"}
    assert schema["$defs"]["Tier"]["enum"][:3] == ["parish", "town", "community"]


@pytest.mark.parametrize("path", all_profiles(), ids=lambda p: p.name)
def test_every_shipped_profile_is_valid(validator, path):
    data = jsonified(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(data)]
    assert errors == []


def test_there_are_shipped_profiles():
    assert len(all_profiles()) >= 2


@pytest.mark.parametrize("name, where", [
    ("typo-key.yaml", "council"),
    ("wrong-type.yaml", "council/political_groups"),
    ("bad-choice.yaml", "council/tier"),
    ("list-not-mapping.yaml", "roles"),
    ("missing-required.yaml", "council"),
])
def test_broken_profiles_fail(validator, name, where):
    data = jsonified(yaml.safe_load((FIXTURES / "bad-profiles" / name).read_text("utf-8")))
    errors = list(validator.iter_errors(data))
    assert errors, name
    assert ["/".join(map(str, e.absolute_path)) for e in errors] == [where]


@pytest.mark.parametrize("field, value", [
    ("next_review", "next May"), ("next_review", "2026-13"), ("adopted", "2025-02-30"),
])
def test_bad_dates_fail(validator, field, value):
    data = {"council": {"name": "X", "tier": "parish"}, "adoption": {field: value}}
    assert list(validator.iter_errors(data))


def test_review_month_and_dates_as_text_pass(validator):
    data = {"council": {"name": "X", "tier": "parish"},
            "adoption": {"adopted": "2025-05-12", "next_review": "2026-05",
                         "history": [{"version": "0.9", "date": "2024-05-13",
                                      "change": "First adoption"}]}}
    assert list(validator.iter_errors(data)) == []


def test_the_committed_profile_reference_is_up_to_date(invoke):
    result = invoke("schema", "--markdown")
    assert result.exit_code == 0
    assert REFERENCE.read_text(encoding="utf-8") == result.stdout, (
        "docs/profile-reference.md is out of date: run "
        "'protocol-gen schema --markdown > docs/profile-reference.md'")


def test_the_reference_describes_every_key():
    from generator.profile.model import Profile
    from generator.profile.fields import submodel
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.startswith("# Council profile reference\n")
    for section, field in Profile.model_fields.items():
        model = submodel(field.annotation)
        assert f"## `{section}`" in text
        for key, sub in model.model_fields.items():
            row = next(line for line in text.splitlines()
                       if line.startswith(f"| `{section}.{key}` |"))
            assert row.count(" | ") == 3, row  # key | type | default | what it does
    tier = next(line for line in text.splitlines() if line.startswith("| `council.tier` |"))
    assert "`london_borough`" in tier and "| required |" in tier
    head = next(line for line in text.splitlines() if line.startswith("| `roles.head_officer`"))
    assert "`Parish Clerk` (parish)" in head and "`Chief Executive` (principal councils)" in head
    assert "In the clause library: `head_officer`." in head


def test_a_profile_written_by_init_is_valid(validator, invoke, tmp_path):
    target = tmp_path / "p.yaml"
    result = invoke("init", target, "--no-input", "--name", "Foo: Bar #1 Town Council",
                    "--political-groups", "--adopted", "2026-03-09", "--minute", "12/3")
    assert result.exit_code == 0, result.output
    data = jsonified(yaml.safe_load(target.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(data)) == []
    assert data["adoption"]["adopted"] == "2026-03-09"
