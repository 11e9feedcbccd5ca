"""Audit findings 8 and 9: hostile input is refused cleanly and never breaks the sandbox for others.

Lone surrogates (valid JSON, not UTF-8), deep nesting, wrong-typed WebSocket frames, oversized bodies
and unexpected methods each get the API's own error answer.
"""

from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import WAIT, accept, agent_api, customer, login_agent

pytestmark = pytest.mark.sandbox

LONE = '"Ada \\ud800"'  # JSON text of a string with an unpaired surrogate


def post_raw(server, path: str, body: str, method: str = "POST", **headers: str) -> httpx.Response:
    """Send a JSON body given as text (so it can hold what json.dumps would never produce)."""
    return httpx.request(
        method,
        f"{server.url}{path}",
        content=body.encode(),
        headers={"Content-Type": "application/json", **headers},
        timeout=WAIT,
    )


def test_a_lone_surrogate_in_a_message_is_a_validation_error_and_breaks_nothing(server):
    # Given a chat with an agent
    agent_id = login_agent(server)
    started, person = customer(server)
    agent = accept(server, agent_id, started["ContactId"])
    # When the customer sends a message holding a lone surrogate
    answer = post_raw(
        server,
        "/participant/message",
        f'{{"ContentType": "text/plain", "Content": {LONE}}}',
        **{"X-Amz-Bearer": person.connection_token},
    )
    # Then it is a 400 ValidationException, and the transcript and agent list still answer
    assert answer.status_code == 400
    assert answer.headers["x-amzn-errortype"] == "ValidationException"
    assert person.transcript()["Transcript"]
    assert agent.transcript()["Transcript"]
    assert agent_api(server).get("/sandbox/agents").status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        (
            "/connect/contact/chat",
            '{{"InstanceId": "{i}", "ContactFlowId": "{f}", "ParticipantDetails": {{"DisplayName": {n}}}}}',
            "InvalidRequestException",
        ),
        ("/participant/connection", '{{"Type": ["WEBSOCKET"], "X": {n}}}', "ValidationException"),
        ("/participant/event", '{{"ContentType": {n}}}', "ValidationException"),
        ("/participant/start-attachment-upload", '{{"AttachmentName": {n}}}', "ValidationException"),
    ],
    ids=["start-chat-contact", "connection", "event", "attachment"],
)
def test_lone_surrogates_are_refused_at_every_service_boundary(server, path, body, error):
    # Given a participant, and a request body holding a lone surrogate
    _, person = customer(server, socket=False)
    config = server.sandbox.config
    text = body.format(i=config.instance_id, f=config.contact_flow_id, n=LONE)
    token = person.participant_token if path.endswith("connection") else person.connection_token
    # When it is sent
    method = "PUT" if path.startswith("/connect") else "POST"
    answer = post_raw(server, path, text, method, **{"X-Amz-Bearer": token, "Authorization": SIGV4})
    # Then the service's validation error answers
    assert answer.status_code == 400, answer.text
    assert answer.headers["x-amzn-errortype"] == error


def test_a_lone_surrogate_in_an_agent_name_is_refused(server):
    answer = post_raw(server, "/sandbox/agents", f'{{"name": {LONE}}}')
    assert answer.status_code == 400
    assert agent_api(server).get("/sandbox/agents").status_code == 200


def test_a_lone_surrogate_display_name_on_post_chats_is_refused_by_the_lambda(server):
    answer = post_raw(server, "/chats", f'{{"ParticipantDetails": {{"DisplayName": {LONE}}}}}')
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"][0]["field"] == "ParticipantDetails.DisplayName"


SIGV4 = (
    "AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/connect/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)
