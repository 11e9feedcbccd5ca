"""Review hardening: no secrets in logs, socket URL lifetimes, CORS and Host checks, bounded memory."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from sandbox_helpers import (
    WAIT,
    Socket,
    accept,
    advance,
    customer,
    login_agent,
    start_chat,
    transcript_keys,
)
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as ws_connect

from sandbox.contacts.model import IDEMPOTENCY_SECONDS
from sandbox.web.log_redaction import strip_query

pytestmark = pytest.mark.sandbox

EVENT = "application/vnd.amazonaws.connect.event."
PDF = b"%PDF-1.4 secret attachment body\n" * 4
# The test's own WebSocket client would log its handshake (URL with token): it is not the sandbox.
TEST_CLIENT_LOGGERS = ("httpx", "httpcore", "tests.")
QUIET_CLIENT = logging.getLogger("tests.sandbox.quiet_ws_client")
QUIET_CLIENT.setLevel(logging.CRITICAL + 1)


def open_quiet_socket(url: str) -> Socket:
    socket = Socket(ws_connect(url, open_timeout=WAIT, legacy=True, logger=QUIET_CLIENT))
    socket.subscribe()
    return socket


def test_strip_query_keeps_paths():
    assert (
        strip_query('WebSocket /participant/websocket?token=abc" 403')
        == 'WebSocket /participant/websocket" 403'
    )
    assert strip_query("GET http://127.0.0.1:1/sandbox/attachments/x?sig=1&expires=2 ok") == (
        "GET http://127.0.0.1:1/sandbox/attachments/x ok"
    )
    assert strip_query("no query here") == "no query here"


def test_a_whole_chat_logs_no_token_and_no_message_text(make_server, caplog):
    server = make_server()
    # Every logger at DEBUG, uvicorn's included (they do not propagate to the root logger).
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        caplog.set_level(logging.DEBUG, logger=name)
        logging.getLogger(name).addHandler(caplog.handler)
    try:
        started, person = customer(server, socket=False)
        socket = open_quiet_socket(person.websocket_url)
        secret_text = "my-secret-message-text-42"
        sent = person.send(secret_text)
        socket.message(secret_text)
        person.send_event(EVENT + "typing")
        person.send_event(EVENT + "message.read", json.dumps({"messageId": sent["Id"]}))
        upload = person.client.start_attachment_upload(
            ContentType="application/pdf",
            AttachmentSizeInBytes=len(PDF),
            AttachmentName="secret.pdf",
            ConnectionToken=person.connection_token,
        )
        meta = upload["UploadMetadata"]
        assert httpx.put(meta["Url"], content=PDF, headers=meta["HeadersToInclude"]).status_code == 200
        person.client.complete_attachment_upload(
            AttachmentIds=[upload["AttachmentId"]], ClientToken="c-1", ConnectionToken=person.connection_token
        )
        download = person.client.get_attachment(
            AttachmentId=upload["AttachmentId"], ConnectionToken=person.connection_token
        )
        assert httpx.get(download["Url"]).content == PDF
        person.transcript(MaxResults=100)
        # A refused handshake is logged by uvicorn too.
        with pytest.raises(InvalidStatus):
            ws_connect(person.websocket_url + "x", open_timeout=WAIT, logger=QUIET_CLIENT)
        person.disconnect()
        socket.event("chat.ended")
        server.run_async(server.sandbox.transcripts.drain)
    finally:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
            logging.getLogger(name).removeHandler(caplog.handler)
    socket_token = person.websocket_url.split("token=", 1)[1]
    secrets = {
        "ParticipantToken": started["ParticipantToken"],
        "ConnectionToken": person.connection_token,
        "socket token": socket_token,
        "message text": secret_text,
        "attachment bytes": "secret attachment body",
        "upload signature": meta["Url"].split("sig=", 1)[1],
    }
    assert caplog.records, "nothing was captured"
    assert any(r.name.startswith("uvicorn") for r in caplog.records), "uvicorn's records were not captured"
    for record in caplog.records:
        if record.name.startswith(TEST_CLIENT_LOGGERS):
            continue  # the test's own HTTP client (the sandbox does not use httpx)
        line = f"{record.name} {record.getMessage()}"
        for what, secret in secrets.items():
            assert secret not in line, f"{what} in a log line of {record.name}: {line[:300]}"


def test_socket_url_works_until_its_connection_expiry(clocked_server, manual_clock):
    started = start_chat(clocked_server)
    from sandbox_helpers import Participant

    person = Participant(clocked_server, started["ParticipantToken"])
    answer = person.connect()
    expiry = answer["Websocket"]["ConnectionExpiry"]
    grant = clocked_server.run(lambda: next(iter(clocked_server.sandbox.store.by_socket_token.values())))
    from sandbox.clock import iso_ms

    assert iso_ms(grant.expires_at) == expiry
    advance(clocked_server, manual_clock, 3600)
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(person.websocket_url, open_timeout=WAIT)
    assert refused.value.response.status_code == 403
    assert clocked_server.run(lambda: len(clocked_server.sandbox.store.by_socket_token)) == 0


def test_socket_url_is_used_up_when_its_socket_closes(server):
    _, person = customer(server)
    person.sockets[0].close()

    def tokens() -> int:
        return server.run(lambda: len(server.sandbox.store.by_socket_token))

    deadline = __import__("time").monotonic() + WAIT
    while tokens() and __import__("time").monotonic() < deadline:
        __import__("time").sleep(0.02)
    assert tokens() == 0
    with pytest.raises(InvalidStatus):
        ws_connect(person.websocket_url, open_timeout=WAIT)
    # A new CreateParticipantConnection gives a new URL that works.
    person.connect()
    person.open_socket()


def test_socket_urls_of_a_participant_who_left_stop_working(server):
    started, person = customer(server)
    agent_id = login_agent(server)
    offer_deadline = __import__("time").monotonic() + WAIT
    while not httpx.get(f"{server.url}/sandbox/agents/{agent_id}").json()["contacts"]:
        assert __import__("time").monotonic() < offer_deadline
        __import__("time").sleep(0.02)
    agent = accept(server, agent_id, started["ContactId"])
    spare = agent.connect()["Websocket"]["Url"]  # handed out, never opened
    agent.disconnect()
    person.sockets[0].event("participant.left")
    with pytest.raises(InvalidStatus):
        ws_connect(spare, open_timeout=WAIT)


# CORS and Host ------------------------------------------------------------------------------------

PREFLIGHT = {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}


def test_participant_service_and_attachment_urls_allow_any_origin(server):
    for path in ("/participant/connection", "/sandbox/attachments/some-id"):
        answer = httpx.options(
            f"{server.url}{path}", headers={**PREFLIGHT, "Access-Control-Request-Headers": "x-amz-bearer"}
        )
        assert answer.status_code == 200, path
        assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/sandbox/agents",
        "/sandbox/info",
        "/sandbox/agents/a1/contacts/c1/accept",
        "/sandbox/agents/a1/events",
        "/sandbox/clock",
    ],
)
def test_agent_api_and_info_are_same_origin_only(server, path):
    preflight = httpx.options(f"{server.url}{path}", headers=PREFLIGHT)
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers
    cross = httpx.post(f"{server.url}{path}", headers={"Origin": "https://evil.example"}, json={})
    assert cross.status_code == 403
    assert "access-control-allow-origin" not in cross.headers


def test_agent_api_answers_local_tools_and_its_own_origin_without_cors_headers(server):
    plain = httpx.get(f"{server.url}/sandbox/info")
    assert plain.status_code == 200
    assert "access-control-allow-origin" not in plain.headers
    same = httpx.get(f"{server.url}/sandbox/agents", headers={"Origin": server.url})
    assert same.status_code == 200
    assert "access-control-allow-origin" not in same.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_host_names_are_accepted(server, host):
    answer = httpx.get(f"{server.url}/sandbox/info", headers={"Host": f"{host}:{server.port}"})
    assert answer.status_code == 200


def test_other_host_names_are_refused_against_dns_rebinding(server):
    for path in ("/sandbox/info", "/sandbox/agents", "/participant/connection"):
        answer = httpx.get(f"{server.url}{path}", headers={"Host": f"attacker.example:{server.port}"})
        assert answer.status_code == 400, path
    with pytest.raises(InvalidStatus):
        ws_connect(
            f"ws://127.0.0.1:{server.port}/participant/websocket?token=x",
            additional_headers={"Host": "attacker.example"},
            open_timeout=WAIT,
        )


# Receipts ------------------------------------------------------------------------------------------


def test_receipts_are_not_transcript_items_but_fold_into_the_message(server):
    started, person = customer(server)
    message = person.send("read me")
    person.send_event(EVENT + "message.read", json.dumps({"messageId": message["Id"]}))
    pushed = person.sockets[0].item(lambda i: i["Type"] == "MESSAGEMETADATA")
    items = person.transcript(MaxResults=100)["Transcript"]
    assert all(i["Type"] != "MESSAGEMETADATA" for i in items)
    assert pushed["Id"] not in {i["Id"] for i in items}
    stored = next(i for i in items if i["Id"] == message["Id"])
    assert (
        stored["MessageMetadata"]["Receipts"][0]["ReadTimestamp"]
        == (pushed["MessageMetadata"]["Receipts"][0]["ReadTimestamp"])
    )
    # The S3 transcript shows the same items as GetTranscript.
    contact = server.run(lambda: server.sandbox.store.contacts[started["ContactId"]])
    person.disconnect()
    person.sockets[0].event("chat.ended")
    server.run_async(server.sandbox.transcripts.drain)
    s3 = server.sandbox.s3
    [key] = transcript_keys(s3, server.sandbox.config.transcript_bucket, "", contact.id)
    document = json.loads(
        s3.get_object(Bucket=server.sandbox.config.transcript_bucket, Key=key)["Body"].read()
    )
    in_s3 = {i["Id"]: i for i in document["Transcript"]}
    assert all(i["Type"] != "MESSAGEMETADATA" for i in document["Transcript"])
    assert in_s3[message["Id"]]["MessageMetadata"] == stored["MessageMetadata"]


# Bounded memory -----------------------------------------------------------------------------------


def test_client_tokens_are_forgotten_after_ten_minutes(clocked_server, manual_clock):
    _, person = customer(clocked_server, socket=False)
    first = person.client.send_message(
        ContentType="text/plain", Content="once", ClientToken="t-1", ConnectionToken=person.connection_token
    )
    again = person.client.send_message(
        ContentType="text/plain", Content="once", ClientToken="t-1", ConnectionToken=person.connection_token
    )
    assert again["Id"] == first["Id"]
    for n in range(5):
        person.client.send_event(
            ContentType=EVENT + "typing", ClientToken=f"typing-{n}", ConnectionToken=person.connection_token
        )
    store = clocked_server.sandbox.store
    participant = clocked_server.run(lambda: store.by_connection_token[person.connection_token])
    assert clocked_server.run(lambda: len(participant.answered)) == 6
    advance(clocked_server, manual_clock, IDEMPOTENCY_SECONDS + 1)
    assert clocked_server.run(lambda: len(participant.answered)) == 0


def test_client_token_cache_has_a_size_limit(clocked_server):
    _, person = customer(clocked_server, socket=False)
    store = clocked_server.sandbox.store
    participant = clocked_server.run(lambda: store.by_connection_token[person.connection_token])

    def fill() -> int:
        for n in range(participant.answered.limit + 50):
            participant.answered[f"k-{n}"] = {}
        return len(participant.answered)

    assert clocked_server.run(fill) == participant.answered.limit


def test_start_chat_client_tokens_expire_and_match_id_or_arn(clocked_server, manual_clock):
    sandbox = clocked_server.sandbox
    arn = sandbox.connect.instance_arn
    first = start_chat(clocked_server, ClientToken="start-1")
    by_arn = (
        __import__("sandbox_helpers")
        .connect_client(clocked_server)
        .start_chat_contact(
            InstanceId=arn,
            ContactFlowId=sandbox.config.contact_flow_id,
            ParticipantDetails={"DisplayName": "Ann"},
            ClientToken="start-1",
        )
    )
    assert by_arn["ContactId"] == first["ContactId"]
    advance(clocked_server, manual_clock, IDEMPOTENCY_SECONDS + 1)
    later = start_chat(clocked_server, ClientToken="start-1")
    assert later["ContactId"] != first["ContactId"]
    assert clocked_server.run(lambda: len(sandbox.store.start_tokens)) == 1


def test_ended_contacts_are_removed_after_the_retention_window(make_server, manual_clock):
    server = make_server(clock=manual_clock, ended_contact_retention_seconds=3600)
    started, person = customer(server)
    upload = person.client.start_attachment_upload(
        ContentType="application/pdf",
        AttachmentSizeInBytes=len(PDF),
        AttachmentName="a.pdf",
        ConnectionToken=person.connection_token,
    )
    person.disconnect()
    person.sockets[0].event("chat.ended")
    store = server.sandbox.store
    connect = __import__("sandbox_helpers").connect_client(server)
    instance = server.sandbox.config.instance_id
    advance(server, manual_clock, 3599)
    assert connect.describe_contact(InstanceId=instance, ContactId=started["ContactId"])["Contact"]["Id"]
    assert person.transcript(MaxResults=10)["Transcript"]
    advance(server, manual_clock, 2)

    def sizes() -> tuple[int, ...]:
        return (
            len(store.contacts),
            len(store.by_participant_token),
            len(store.by_connection_token),
            len(store.by_socket_token),
            len(store.attachments),
        )

    assert server.run(sizes) == (0, 0, 0, 0, 0)
    assert upload["AttachmentId"]
    with pytest.raises(connect.exceptions.ResourceNotFoundException):
        connect.describe_contact(InstanceId=instance, ContactId=started["ContactId"])
    assert person.client.create_participant_connection  # the token now leads nowhere:
    with pytest.raises(person.client.exceptions.AccessDeniedException):
        person.transcript(MaxResults=10)


def test_the_default_retention_keeps_ended_contacts_a_day(clocked_server, manual_clock):
    started, person = customer(clocked_server)
    person.disconnect()
    person.sockets[0].event("chat.ended")
    advance(clocked_server, manual_clock, 86399)
    assert clocked_server.run(lambda: started["ContactId"] in clocked_server.sandbox.store.contacts)
    advance(clocked_server, manual_clock, 2)
    assert clocked_server.run(lambda: started["ContactId"] not in clocked_server.sandbox.store.contacts)


def test_attachments_are_found_by_id_without_scanning_contacts(server):
    _, person = customer(server, socket=False)
    upload = person.client.start_attachment_upload(
        ContentType="application/pdf",
        AttachmentSizeInBytes=len(PDF),
        AttachmentName="a.pdf",
        ConnectionToken=person.connection_token,
    )
    store = server.sandbox.store
    assert server.run(lambda: store.attachments[upload["AttachmentId"]].name) == "a.pdf"


# Nits ---------------------------------------------------------------------------------------------


def test_upload_url_refuses_a_put_after_completion_and_downloads_say_nosniff(server):
    _, person = customer(server, socket=False)
    upload = person.client.start_attachment_upload(
        ContentType="application/pdf",
        AttachmentSizeInBytes=len(PDF),
        AttachmentName="a.pdf",
        ConnectionToken=person.connection_token,
    )
    meta = upload["UploadMetadata"]
    assert httpx.put(meta["Url"], content=PDF, headers=meta["HeadersToInclude"]).status_code == 200
    person.client.complete_attachment_upload(
        AttachmentIds=[upload["AttachmentId"]], ClientToken="c-1", ConnectionToken=person.connection_token
    )
    again = httpx.put(meta["Url"], content=PDF, headers=meta["HeadersToInclude"])
    assert again.status_code == 403
    url = person.client.get_attachment(
        AttachmentId=upload["AttachmentId"], ConnectionToken=person.connection_token
    )
    download = httpx.get(url["Url"])
    assert download.headers["x-content-type-options"] == "nosniff"


def test_oversized_bodies_are_refused_from_the_declared_length(server):
    _, person = customer(server, socket=False)

    def chunks():
        yield b"{" + b" " * (300 * 1024)
        yield b"}"

    answer = httpx.post(
        f"{server.url}/participant/message",
        content=chunks(),
        headers={"X-Amz-Bearer": person.connection_token, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert "too large" in answer.json()["Message"]
