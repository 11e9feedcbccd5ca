"""Audit finding 11: the embedded S3 and `/connect` are local-only too; agent API writes are JSON.

A web page the developer visits must not reach into the sandbox: not its S3 (read or wipe
transcripts), not `/connect` (a `text/plain` cross-origin POST is sent without a preflight), not the
agent API.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import httpx
import pytest
from sandbox_helpers import WAIT, agent_api, agent_state, contact_state, customer, login_agent

from sandbox.storage.s3_server import EmbeddedS3, ensure_buckets, s3_client

pytestmark = pytest.mark.sandbox

BUCKET = "local-only-check"


@pytest.fixture
def embedded_s3() -> Iterator[tuple[str, object]]:
    """A fresh embedded S3 (as `python -m sandbox` starts it) holding one object."""
    s3 = EmbeddedS3()
    endpoint = s3.start()
    client = s3_client(endpoint, "us-east-1", embedded=True)
    ensure_buckets(client, BUCKET)
    client.put_object(Bucket=BUCKET, Key="transcript.json", Body=b"{}")
    yield endpoint, client
    s3.stop()


def test_embedded_s3_refuses_other_host_names(embedded_s3):
    endpoint, _ = embedded_s3
    answer = httpx.get(f"{endpoint}/{BUCKET}/transcript.json", headers={"Host": "evil.example"}, timeout=WAIT)
    assert answer.status_code == 400


def test_embedded_s3_refuses_browsers_without_cors_headers(embedded_s3):
    endpoint, _ = embedded_s3
    page = {"Origin": "http://evil.example"}
    answer = httpx.get(f"{endpoint}/{BUCKET}/transcript.json", headers=page, timeout=WAIT)
    assert answer.status_code == 403
    assert "access-control-allow-origin" not in answer.headers
    preflight = httpx.options(
        f"{endpoint}/{BUCKET}", headers={**page, "Access-Control-Request-Method": "DELETE"}, timeout=WAIT
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers


def test_embedded_s3_has_no_reachable_reset(embedded_s3):
    endpoint, client = embedded_s3
    for path in ("/moto-api/reset", "/moto-api/", "/moto-api/data.json"):
        assert httpx.post(f"{endpoint}{path}", timeout=WAIT).status_code == 404
    assert client.get_object(Bucket=BUCKET, Key="transcript.json")["Body"].read() == b"{}"


def test_boto3_still_uses_the_embedded_s3_on_localhost(embedded_s3):
    endpoint, _ = embedded_s3
    client = boto3.client(
        "s3",
        endpoint_url=endpoint.replace("127.0.0.1", "localhost"),
        region_name="us-east-1",
        aws_access_key_id="sandbox",
        aws_secret_access_key="sandbox",
    )
    assert client.get_object(Bucket=BUCKET, Key="transcript.json")["Body"].read() == b"{}"


def test_connect_refuses_a_cross_site_text_plain_post(server):
    # Given an active chat
    started, _ = customer(server, socket=False)
    config = server.sandbox.config
    body = f'{{"InstanceId": "{config.instance_id}", "ContactId": "{started["ContactId"]}"}}'
    # When a page on another site POSTs StopContact as text/plain (no preflight, no signature)
    answer = httpx.post(
        f"{server.url}/connect/contact/stop",
        content=body,
        headers={"Content-Type": "text/plain", "Origin": "http://evil.example"},
        timeout=WAIT,
    )
    # Then it is refused and the chat goes on
    assert answer.status_code == 403
    assert answer.headers["x-amzn-errortype"] == "AccessDeniedException"
    assert contact_state(server, started["ContactId"]) != "ENDED"


def test_connect_refuses_unsigned_requests_even_without_an_origin(server):
    config = server.sandbox.config
    answer = httpx.get(f"{server.url}/connect/contacts/{config.instance_id}/nope", timeout=WAIT)
    assert answer.status_code == 403


def test_agent_api_writes_need_a_json_content_type(server):
    # Given an agent with an offer
    started, person = customer(server)
    person.sockets[0].message(role="SYSTEM")  # the greeting: the chat is queued
    agent_id = login_agent(server)
    accept_url = f"{server.url}/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/accept"
    # When the accept comes as a form or text/plain (what a page can send without a preflight)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = httpx.post(accept_url, content=b"", headers=headers, timeout=WAIT)
        # Then it is a 415 in the agent API's error shape, and the offer is still an offer
        assert answer.status_code == 415
        assert answer.json()["error"]["code"] == "UnsupportedMediaType"
    states = [c["state"] for c in agent_state(server, agent_id)["contacts"]]
    assert states == ["OFFERED"]
    # And the JSON write goes through
    assert agent_api(server).post(accept_url).status_code == 200
