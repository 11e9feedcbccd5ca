"""WAF must not eat chat text: which body rules block, on which fields, over a corpus of requests.

AWS WAF's detectors cannot run here, so the corpus is judged against the synthesized web ACL: a request
passes when no *blocking* rule inspects a field that holds HTML-like or path-like text, and a malicious
request fails when a blocking cross-site-scripting rule inspects the field that carries it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks.api_firewall import (
    BODY_SIZE_RULE,
    COUNTED_BODY_RULES,
    MAX_BODY_BYTES,
    NAME_XSS_RULE,
    RATE_LIMIT_RULE,
)

from .conftest import Synthesized

pytestmark = pytest.mark.infra

# Text WAF's body detectors can mistake for an attack: the reason each rule is counted, not blocking.
SUSPICIOUS = ("<", "../", "169.254.169.254", "http://10.")


def _start_chat(display_name: str = "Sam", message: str | None = None, **attributes: str) -> dict[str, Any]:
    body: dict[str, Any] = {"ParticipantDetails": {"DisplayName": display_name}}
    if message is not None:
        body["InitialMessage"] = {"ContentType": "text/plain", "Content": message}
    if attributes:
        body["Attributes"] = attributes
    return body


LEGITIMATE = [
    _start_chat(message="I <3 your product"),
    _start_chat(message="Is a < b when the plan says b > a?"),
    _start_chat(message="Why does my invoice show <b>bold</b> tags?"),
    _start_chat(message="The docs say: <script> is not allowed in templates. Why?"),
    _start_chat(message="Setup fails at ../config/settings.yaml"),
    _start_chat(message="My router admin page is http://10.0.0.1/admin, is that safe?"),
    _start_chat(message="Our EC2 app calls 169.254.169.254 and gets a timeout"),
    _start_chat(message="x" * 9000),  # longer than the common rule set's 8 KB body limit
    _start_chat(display_name="Ana <Support lead>", message="hello"),
    _start_chat(customerName="Lee & Sons <Ltd>"),
]
MALICIOUS = [
    (_start_chat(display_name="<script>alert(1)</script>"), "/ParticipantDetails/DisplayName"),
    (_start_chat(display_name='<img src=x onerror="fetch(`//evil`)">'), "/ParticipantDetails/DisplayName"),
    (_start_chat(customerName="<svg onload=alert(document.cookie)>"), "/Attributes/customerName"),
]


def _leaves(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, f"{path}/{key}")]
    return [(path, str(value))]


def _blocking_body_rules(acl: dict[str, Any]) -> dict[str, list[str] | None]:
    """Rule name → the JSON paths it inspects (None: the whole body), for every rule that blocks bodies."""
    found: dict[str, list[str] | None] = {}
    for rule in acl["Rules"]:
        statement = rule["Statement"]
        if "ManagedRuleGroupStatement" in statement:
            group = statement["ManagedRuleGroupStatement"]
            counted = {o["Name"] for o in group.get("RuleActionOverrides", []) if "Count" in o["ActionToUse"]}
            if group["Name"] == "AWSManagedRulesCommonRuleSet":
                for name in set(COUNTED_BODY_RULES) - counted:
                    found[f"{group['Name']}/{name}"] = None
        elif "XssMatchStatement" in statement and "Block" in rule.get("Action", {}):
            json_body = statement["XssMatchStatement"]["FieldToMatch"]["JsonBody"]
            found[rule["Name"]] = json_body["MatchPattern"]["IncludedPaths"]
    return found


@pytest.fixture(scope="module")
def acl(defaults: Synthesized) -> dict[str, Any]:
    return defaults.only("AWS::WAFv2::WebACL")["Properties"]


def test_the_common_rule_set_counts_its_body_rules(acl: dict[str, Any]) -> None:
    crs = next(r for r in acl["Rules"] if r["Name"] == "AWSManagedRulesCommonRuleSet")
    overrides = crs["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert {o["Name"]: o["ActionToUse"] for o in overrides} == {
        rule: {"Count": {}} for rule in COUNTED_BODY_RULES
    }


@pytest.mark.parametrize("body", LEGITIMATE, ids=lambda b: str(b)[:60])
def test_legitimate_chat_text_passes(body: dict[str, Any], acl: dict[str, Any]) -> None:
    blocking = _blocking_body_rules(acl)
    for path, text in _leaves(body):
        if not any(marker in text for marker in SUSPICIOUS) and len(text) < 8192:
            continue
        for rule, paths in blocking.items():
            assert paths is not None, f"{rule} blocks on the whole body, which has {path}={text[:40]!r}"
            # The names are inspected: legitimate names may have '<' but not a script (WAF's XSS detector
            # looks for markup that runs, which these lack); the message is never inspected.
            assert path not in paths or "<" not in text or not _looks_like_script(text), (rule, path)


@pytest.mark.parametrize(("body", "path"), MALICIOUS, ids=lambda x: str(x)[:50])
def test_script_in_names_and_attributes_is_still_blocked(
    body: dict[str, Any], path: str, acl: dict[str, Any]
) -> None:
    assert any(leaf_path == path and _looks_like_script(text) for leaf_path, text in _leaves(body))
    paths = _blocking_body_rules(acl)[NAME_XSS_RULE]
    assert paths is not None and path in paths


def test_the_name_rule_never_inspects_the_message(acl: dict[str, Any], synth: Any) -> None:
    for paths in _blocking_body_rules(acl).values():
        assert paths is not None and not any(p.startswith("/InitialMessage") for p in paths)
    # Every forwarded attribute is inspected, whatever the configuration
    configured = synth({"allowedAttributes": ["customerName", "orderId"]})
    rule = next(
        r for r in configured.only("AWS::WAFv2::WebACL")["Properties"]["Rules"] if r["Name"] == NAME_XSS_RULE
    )
    assert rule["Statement"]["XssMatchStatement"]["FieldToMatch"]["JsonBody"]["MatchPattern"][
        "IncludedPaths"
    ] == [
        "/ParticipantDetails/DisplayName",
        "/Attributes/customerName",
        "/Attributes/orderId",
    ]


def _looks_like_script(text: str) -> bool:
    lowered = text.lower()
    return "<script" in lowered or "onerror=" in lowered or "onload=" in lowered or "javascript:" in lowered


def _custom_response(acl: dict[str, Any], rule_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    rule = next(r for r in acl["Rules"] if r["Name"] == rule_name)
    response = rule["Action"]["Block"]["CustomResponse"]
    body = json.loads(acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]["Content"])
    return response, body


@pytest.mark.parametrize(("rule_name", "status"), [(RATE_LIMIT_RULE, 429), (BODY_SIZE_RULE, 413)])
def test_waf_answers_are_readable_by_the_widget_and_hold_no_data(
    acl: dict[str, Any], rule_name: str, status: int
) -> None:
    response, body = _custom_response(acl, rule_name)
    headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
    assert response["ResponseCode"] == status
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in headers["Access-Control-Expose-Headers"]
    # The API's error shape, fixed text only.
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}


def test_bodies_far_above_the_largest_valid_request_are_blocked(acl: dict[str, Any]) -> None:
    rule = next(r for r in acl["Rules"] if r["Name"] == BODY_SIZE_RULE)
    size = rule["Statement"]["SizeConstraintStatement"]
    assert size["FieldToMatch"]["Body"]["OversizeHandling"] == "MATCH"
    assert (size["ComparisonOperator"], size["Size"]) == ("GT", MAX_BODY_BYTES)
    limit = acl["AssociationConfig"]["RequestBody"]["API_GATEWAY"]["DefaultSizeInspectionLimit"]
    assert int(limit.removeprefix("KB_")) * 1024 == MAX_BODY_BYTES
    largest_valid = {
        **_start_chat("n" * 256, "m" * 1024),
        "Attributes": {"customerName": "a" * 32_000},
        "ClientToken": "t" * 500,
    }
    assert len(json.dumps(largest_valid).encode()) * 1.5 < MAX_BODY_BYTES
