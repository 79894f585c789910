"""The OpenAPI description, tested against the app: a valid OpenAPI 3.1 document
(openapi-spec-validator), every response the API tests see is in it (status, the headers
that matter, the JSON body's schema), and every status and header it lists is produced
by some test.

The API tests are run again in a pytest of their own with this module loaded as a plugin
(``-p test_openapi``): its hooks below record every response the app gives under /api/
(Flask's ``request_finished`` signal) and write them to the file named by
PROTOCOLGEN_API_RECORD. Loaded as a test module, as usual, the hooks do nothing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
import re
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]

API_TESTS = ["tests/web/test_web_api.py", "tests/web/test_api_errors.py",
             "tests/web/test_security.py"]
# the headers the description speaks of (the rest are the same on every response)
HEADERS = {"etag", "location", "retry-after", "www-authenticate", "allow",
           "content-disposition"}
_RECORDS: list[dict] = []


# ---- the recording plugin ----------------------------------------------------------------

def _seen(sender, response, **extra):
    from flask import request
    if not request.path.startswith("/api/") or request.method in ("HEAD", "OPTIONS"):
        return
    rule = request.url_rule.rule if request.url_rule else None
    if rule is None and response.status_code == 405:     # which address, by another method
        adapter = sender.url_map.bind_to_environ(request.environ)
        method = response.headers["Allow"].split(",")[0].strip()
        rule = adapter.match(method=method, return_rule=True)[0].rule
    _RECORDS.append({"method": request.method.lower(), "rule": rule,
                     "status": response.status_code,
                     "headers": sorted(h.lower() for h in response.headers.keys()),
                     "type": response.mimetype,
                     "body": response.get_json(silent=True) if response.is_json else None})


def pytest_configure(config):
    if os.environ.get("PROTOCOLGEN_API_RECORD"):
        from flask import request_finished
        request_finished.connect(_seen, weak=False)


def pytest_unconfigure(config):
    target = os.environ.get("PROTOCOLGEN_API_RECORD")
    if target:
        Path(target).write_text(json.dumps(_RECORDS))


# ---- the tests --------------------------------------------------------------------------

def test_the_description_is_valid_openapi_3_1(web_client):
    from openapi_spec_validator import validate
    spec = web_client.get("/api/openapi.json").get_json()
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule).replace("{fmt}", "{format}")


def _body_errors(spec: dict, schema: dict, body) -> list[str]:
    from jsonschema import Draft202012Validator
    root = {**schema, "components": spec["components"]}
    return [e.message for e in Draft202012Validator(root).iter_errors(body)][:3]


def test_every_response_the_api_tests_see_is_described_and_every_described_one_is_seen(
        tmp_path):
    from generator.web.openapi import description
    spec = description()
    record = tmp_path / "responses.json"
    env = {**os.environ, "PROTOCOLGEN_API_RECORD": str(record),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "web"),
                                          os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "test_openapi",
                          "-p", "no:cacheprovider", *API_TESTS], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:]
    seen = json.loads(record.read_text())
    assert len(seen) > 100

    wrong = []
    produced: set[tuple] = set()
    for r in seen:
        if r["rule"] is None:                       # an address the API does not have
            assert r["status"] == 404, r
            continue
        path = _path(r["rule"])
        op = spec["paths"].get(path, {}).get(r["method"])
        described = op and op["responses"].get(str(r["status"]))
        if not described:
            wrong.append(f"{r['method'].upper()} {path} {r['status']} is not described")
            continue
        produced.add((path, r["method"], str(r["status"])))
        listed = {h.lower() for h in described.get("headers", {})}
        for header in HEADERS & set(r["headers"]):
            if header not in listed:
                wrong.append(f"{r['method'].upper()} {path} {r['status']}: {header} "
                             "is not described")
            produced.add((path, r["method"], str(r["status"]), header))
        content = described.get("content", {})
        if r["type"] not in content and not any(r["type"].startswith(t.split(";")[0])
                                                 for t in content):
            wrong.append(f"{r['method'].upper()} {path} {r['status']}: {r['type']} is not "
                         "described")
        schema = content.get("application/json", {}).get("schema")
        if schema and r["body"] is not None:
            errors = _body_errors(spec, schema, r["body"])
            if errors:
                wrong.append(f"{r['method'].upper()} {path} {r['status']}: body: {errors}")
    assert not wrong, "\n".join(sorted(set(wrong)))

    unseen = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for status, response in op["responses"].items():
                if (path, method, status) not in produced:
                    unseen.append(f"{method.upper()} {path} {status}")
                    continue
                for header in response.get("headers", {}):
                    if (path, method, status, header.lower()) not in produced:
                        unseen.append(f"{method.upper()} {path} {status} {header}")
    assert not unseen, "described but produced by no test:\n" + "\n".join(unseen)
