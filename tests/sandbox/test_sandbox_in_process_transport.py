"""The start-chat function's Connect client reaches the sandbox's app without a socket, answered alike."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import pytest
import urllib3.util.connection
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.web.in_process_transport import InProcessTransport

pytestmark = pytest.mark.sandbox


def in_process_connect(server: Any) -> Any:
    """A boto3 `connect` client for the sandbox, answered by its in-process transport."""
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    client = boto3.client("connect", endpoint_url=f"{server.url}/connect", config=config)
    server.sandbox.connect_transport.attach(client)
    return client


def request(server: Any, **change: Any) -> dict[str, Any]:
    config = server.sandbox.config
    return {
        "InstanceId": config.instance_id,
        "ContactFlowId": config.contact_flow_id,
        "ParticipantDetails": {"DisplayName": "Ann"},
        **change,
    }


def test_a_start_goes_through_the_app_without_a_connection(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the in-process client, and no way to open a socket
    client = in_process_connect(server)

    def no_sockets(*_: Any, **__: Any) -> None:
        raise AssertionError("the in-process transport opened a connection")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", no_sockets)

    # When a chat is started through it
    started = client.start_chat_contact(**request(server))

    # Then the sandbox has that contact, and botocore parsed the app's answer
    assert started["ContactId"] in server.sandbox.store.contacts
    assert started["ParticipantToken"]


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"InstanceId": "not-our-instance"}, "ResourceNotFoundException", 404),
        ({"ParticipantDetails": {"DisplayName": ""}}, "InvalidParameterException", 400),
    ],
)
def test_an_error_is_answered_as_over_http(
    server: Any, change: dict[str, Any], code: str, status: int
) -> None:
    # Given the same invalid request over HTTP and in-process
    over_http = boto3.client(
        "connect",
        endpoint_url=f"{server.url}/connect",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )
    answers = []
    for client in (over_http, in_process_connect(server)):
        # When it is sent
        with pytest.raises(ClientError) as raised:
            client.start_chat_contact(**request(server, **change))
        answers.append(raised.value.response)

    # Then both clients see the same error, status and message
    (http_answer, in_process_answer) = answers
    assert in_process_answer["Error"] == http_answer["Error"]
    assert in_process_answer["Error"]["Code"] == code
    assert (
        in_process_answer["ResponseMetadata"]["HTTPStatusCode"]
        == status
        == (http_answer["ResponseMetadata"]["HTTPStatusCode"])
    )


def test_post_chats_runs_the_function_without_a_connection(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given no way for botocore to open a socket (httpx, the test's own client, does not use urllib3)
    def no_sockets(*_: Any, **__: Any) -> None:
        raise AssertionError("the function's Connect client opened a connection")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", no_sockets)

    # When a chat is started through the emulated API Gateway route
    answer = httpx.post(f"{server.url}/chats", json={"ParticipantDetails": {"DisplayName": "Ann"}})

    # Then the real handler started it through the in-process transport
    assert answer.status_code == 200
    contact_id = answer.json()["data"]["startChatResult"]["ContactId"]
    assert contact_id in server.sandbox.store.contacts


class _LoopThread:
    """An event loop in a thread, as the sandbox's server runs one."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


@pytest.fixture
def loop_thread() -> Iterator[_LoopThread]:
    running = _LoopThread()
    yield running
    running.stop()


def _client_of(app: Any, loop: asyncio.AbstractEventLoop, **config: Any) -> Any:
    client = boto3.client(
        "connect",
        endpoint_url="http://127.0.0.1:9/connect",  # nothing listens there: only the transport answers
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(parameter_validation=False, retries={"mode": "standard", "max_attempts": 1}, **config),
    )
    InProcessTransport(app, lambda: loop).attach(client)
    return client


def test_an_app_that_fails_is_a_500_to_the_client(loop_thread: _LoopThread) -> None:
    # Given an app whose route raises
    async def broken(request: Request) -> Response:
        raise RuntimeError("boom")

    app = Starlette(routes=[Route("/connect/contact/chat", broken, methods=["PUT"])])
    client = _client_of(app, loop_thread.loop)

    # When a request reaches it, Then the client gets the service error a server's 500 is, not the exception
    with pytest.raises(ClientError) as raised:
        client.start_chat_contact(InstanceId="i", ContactFlowId="f", ParticipantDetails={"DisplayName": "A"})
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_an_app_that_never_answers_is_the_clients_read_timeout(loop_thread: _LoopThread) -> None:
    # Given an app whose route never answers (it waits for an event nobody sets)
    cancelled = threading.Event()

    async def hanging(request: Request) -> Response:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()
        raise AssertionError("unreachable")

    app = Starlette(routes=[Route("/connect/contact/chat", hanging, methods=["PUT"])])
    client = _client_of(app, loop_thread.loop, read_timeout=0.2)

    # When a request reaches it, Then the client sees its read timeout, and the app's work is cancelled
    with pytest.raises(ReadTimeoutError):
        client.start_chat_contact(InstanceId="i", ContactFlowId="f", ParticipantDetails={"DisplayName": "A"})
    assert cancelled.wait(30)


def test_a_call_on_the_loops_own_thread_is_refused(loop_thread: _LoopThread) -> None:
    # Given a client whose transport's loop is the one running the call
    app = Starlette(routes=[])
    client = _client_of(app, loop_thread.loop)

    async def call() -> None:
        client.start_chat_contact(InstanceId="i", ContactFlowId="f", ParticipantDetails={"DisplayName": "A"})

    # When it sends from that loop's thread, Then it is refused at once instead of blocking the loop
    with pytest.raises(RuntimeError, match="event loop's own thread"):
        asyncio.run_coroutine_threadsafe(call(), loop_thread.loop).result(30)
