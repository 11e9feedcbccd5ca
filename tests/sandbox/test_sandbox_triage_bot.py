"""The sandbox runs the triage bot of bots/ with the code hook of lambdas/: in chats (the flows' Lex
blocks, bot messages as Connect posts them) and over boto3 lexv2-runtime RecognizeText."""

from __future__ import annotations

import json
from typing import Any

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import (
    CLIENT_CONFIG,
    Participant,
    Socket,
    accept,
    advance,
    connect_client,
    contact_state,
    customer,
    login_agent,
)

from bots import triage
from sandbox.bot_runtime.chat_bots import DEFAULT_TIMEOUT_SECONDS, INTERACTIVE
from sandbox.clock import ManualClock
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.sandbox

BILLING = triage.TOPICS[0].value


@pytest.fixture
def bot_server(make_server: Any, manual_clock: ManualClock) -> BackgroundServer:
    server: BackgroundServer = make_server(clock=manual_clock, chat_bot=True)
    return server


def bot_says(socket: Socket) -> dict[str, Any]:
    """The bot's next message, checked to come as Amazon Connect posts Lex messages."""
    item = socket.item(lambda i: i["Type"] == "MESSAGE" and i.get("DisplayName") == "BOT")
    assert item["ParticipantRole"] == "SYSTEM"
    return item


def template(item: dict[str, Any]) -> dict[str, Any]:
    assert item["ContentType"] == INTERACTIVE
    content: dict[str, Any] = json.loads(item["Content"])
    return content


def triage_to_the_queue(socket: Socket, person: Any) -> None:
    """The customer picks billing and confirms; every bot turn is consumed."""
    template(bot_says(socket))
    person.send(BILLING)
    template(bot_says(socket))
    person.send(triage.YES)
    assert bot_says(socket)["ContentType"] == "text/plain"


def attributes(server: BackgroundServer, contact_id: str) -> dict[str, str]:
    described = connect_client(server).describe_contact(
        InstanceId=server.sandbox.config.instance_id, ContactId=contact_id
    )
    found: dict[str, str] = described["Contact"].get("Attributes", {})
    return found


def test_the_bot_asks_the_topic_confirms_and_hands_off_with_it(bot_server: BackgroundServer) -> None:
    # Given a chat: the greeting, then the bot opens with the topic list
    started, person = customer(bot_server)
    socket = person.sockets[0]
    socket.message(role="SYSTEM")
    picker = template(bot_says(socket))
    assert picker["templateType"] == "ListPicker"
    titles = [element["title"] for element in picker["data"]["content"]["elements"]]
    assert titles == [topic.value for topic in triage.TOPICS]
    assert contact_state(bot_server, started["ContactId"]) == "IN_FLOW"
    # When the customer picks a topic (a pick comes back as its title) and confirms
    person.send(BILLING)
    confirm = template(bot_says(socket))
    assert confirm["templateType"] == "QuickReply"
    person.send(triage.YES)
    # Then the bot hands off, and the chat is queued with the topic as a contact attribute
    assert bot_says(socket)["Content"] == triage.HANDOFF.replace("{Topic}", BILLING)
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert attributes(bot_server, started["ContactId"])[triage.TOPIC_ATTRIBUTE] == BILLING


def test_free_text_is_asked_once_more_then_handed_off(bot_server: BackgroundServer) -> None:
    started, person = customer(bot_server)
    socket = person.sockets[0]
    template(bot_says(socket))
    person.send("my cat ate the router")
    assert template(bot_says(socket))["data"]["content"]["title"] == triage.RETRY_QUESTION
    person.send("seriously, the cat")
    assert bot_says(socket)["Content"] == triage.UNMATCHED_HANDOFF
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert attributes(bot_server, started["ContactId"])[triage.TOPIC_ATTRIBUTE] == triage.UNMATCHED_TOPIC


def test_a_silent_customer_is_queued_when_the_bot_times_out(
    bot_server: BackgroundServer, manual_clock: ManualClock
) -> None:
    started, person = customer(bot_server)
    template(bot_says(person.sockets[0]))
    advance(bot_server, manual_clock, DEFAULT_TIMEOUT_SECONDS - 1)
    assert contact_state(bot_server, started["ContactId"]) == "IN_FLOW"
    advance(bot_server, manual_clock, 1)
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"


def test_the_agent_sees_the_bot_turns(bot_server: BackgroundServer) -> None:
    started, person = customer(bot_server)
    triage_to_the_queue(person.sockets[0], person)
    agent = accept(bot_server, login_agent(bot_server), started["ContactId"])
    items = agent.transcript(MaxResults=100, SortOrder="ASCENDING")["Transcript"]
    bot_items = [i for i in items if i.get("DisplayName") == "BOT"]
    assert [i["ContentType"] for i in bot_items] == [INTERACTIVE, INTERACTIVE, "text/plain"]
    assert {i["ParticipantRole"] for i in bot_items} == {"SYSTEM"}


def test_a_returning_customer_is_asked_same_issue_or_new(
    bot_server: BackgroundServer, manual_clock: ManualClock
) -> None:
    # Given a triaged chat the agent accepted and left
    started, person = customer(bot_server)
    socket = person.sockets[0]
    triage_to_the_queue(socket, person)
    agent_id = login_agent(bot_server)
    accept(bot_server, agent_id, started["ContactId"]).disconnect()
    wait = bot_server.sandbox.config.disconnect_wait_seconds
    advance(bot_server, manual_clock, wait - 1)
    # When the customer comes back
    person.send("Hey, I'm back")
    # Then the bot asks with a QuickReply; something new triages again with the new topic
    question = template(bot_says(socket))
    assert question["templateType"] == "QuickReply"
    assert question["data"]["content"]["title"] == triage.RETURN_QUESTION
    person.send(triage.NEW_ISSUE_TITLE)
    assert template(bot_says(socket))["templateType"] == "ListPicker"
    person.send("My account")
    template(bot_says(socket))
    person.send("yes")
    bot_says(socket)
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert attributes(bot_server, started["ContactId"])[triage.TOPIC_ATTRIBUTE] == "My account"


def test_boto3_lexv2_runtime_talks_to_the_sandbox_bot(bot_server: BackgroundServer) -> None:
    info = bot_server.sandbox.info()
    lex = boto3.client(
        "lexv2-runtime",
        endpoint_url=info["lexRuntimeEndpoint"],
        region_name="us-east-1",
        config=CLIENT_CONFIG,
    )
    ids = {"botId": info["botId"], "botAliasId": info["botAliasId"], "localeId": info["botLocaleId"]}
    first = lex.recognize_text(**ids, sessionId="dev-1", text="I need help")
    assert first["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Topic"}
    assert first["messages"][0]["contentType"] == "CustomPayload"
    picked = lex.recognize_text(**ids, sessionId="dev-1", text="it is about billing")
    assert picked["sessionState"]["intent"]["slots"]["Topic"]["value"]["interpretedValue"] == BILLING
    done = lex.recognize_text(**ids, sessionId="dev-1", text="yes")
    assert done["sessionState"]["dialogAction"]["type"] == "Close"
    assert done["sessionState"]["sessionAttributes"][triage.TOPIC_ATTRIBUTE] == BILLING
    with pytest.raises(ClientError) as missing:
        lex.recognize_text(**{**ids, "botAliasId": "NOSUCHALIAS"}, sessionId="dev-1", text="hi")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_recognize_text_is_validated_against_the_botocore_model(bot_server: BackgroundServer) -> None:
    import httpx

    info = bot_server.sandbox.info()
    url = (
        f"{info['lexRuntimeEndpoint']}/bots/{info['botId']}/botAliases/{info['botAliasId']}/botLocales/en_US"
    )
    answer = httpx.post(f"{url}/sessions/s/text", json={"text": ""})
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "ValidationException"


def test_without_chat_bot_there_is_no_lex_runtime(clocked_server: BackgroundServer) -> None:
    assert clocked_server.sandbox.info()["chatBot"] is False
    started, person = customer(clocked_server)
    person.sockets[0].message(role="SYSTEM")
    assert contact_state(clocked_server, started["ContactId"]) == "QUEUED"


def test_same_issue_goes_back_to_the_queue_in_the_sandbox(
    bot_server: BackgroundServer, manual_clock: ManualClock
) -> None:
    # The sandbox has no agent queues: "$.Agent.ARN" takes its error branch, to the chat queue.
    started, person = customer(bot_server)
    triage_to_the_queue(person.sockets[0], person)
    accept(bot_server, login_agent(bot_server), started["ContactId"]).disconnect()
    person.send("back again")
    template(bot_says(person.sockets[0]))
    person.send(triage.SAME_ISSUE_TITLE)
    assert bot_says(person.sockets[0])["Content"] == triage.BACK_TO_AGENT
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert attributes(bot_server, started["ContactId"])[triage.TOPIC_ATTRIBUTE] == BILLING


def test_a_failing_code_hook_takes_the_error_branch(bot_server: BackgroundServer) -> None:
    # Given a chat in the bot, and a code hook that now fails
    started, person = customer(bot_server)
    template(bot_says(person.sockets[0]))
    runtime = bot_server.sandbox.bot
    assert runtime is not None

    def broken(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("the hook is down")

    runtime.code_hook = broken
    # When the customer answers / Then NoMatchingError: the flow queues the chat without a topic
    person.send(BILLING)
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert triage.TOPIC_ATTRIBUTE not in attributes(bot_server, started["ContactId"])


def test_an_intent_without_a_branch_is_no_matching_condition(bot_server: BackgroundServer) -> None:
    started, person = customer(bot_server)
    template(bot_says(person.sockets[0]))
    runtime = bot_server.sandbox.bot
    assert runtime is not None

    def closes_elsewhere(event: dict[str, Any]) -> dict[str, Any]:
        intent = {"name": triage.SAME_ISSUE, "slots": {}, "state": "Fulfilled", "confirmationState": "None"}
        state = {
            "sessionAttributes": {triage.TOPIC_ATTRIBUTE: "x"},
            "intent": intent,
            "dialogAction": {"type": "Close"},
        }
        return {"sessionState": state, "messages": []}

    runtime.code_hook = closes_elsewhere
    person.send(BILLING)
    # The inbound flow branches on Triage and FallbackIntent only: SameIssue goes straight to the queue.
    assert contact_state(bot_server, started["ContactId"]) == "QUEUED"
    assert triage.TOPIC_ATTRIBUTE not in attributes(bot_server, started["ContactId"])


INTERACTIVE_RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"


def widget_start(server: BackgroundServer) -> Participant:
    """A chat started as the widget starts it (POST /chats: the start-chat Lambda), its customer connected."""
    answer = httpx.post(
        f"{server.url}/chats",
        json={"ParticipantDetails": {"DisplayName": "Ann"}},
        headers={"Origin": server.url},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    person = Participant(server, answer.json()["data"]["startChatResult"]["ParticipantToken"])
    person.connect(("CONNECTION_CREDENTIALS",))
    return person


@pytest.mark.parametrize("chat_bot", [True, False])
def test_with_the_bot_a_widget_chat_takes_interactive_responses(make_server: Any, chat_bot: bool) -> None:
    # Given a sandbox with or without the bot, and a chat started by the widget through the Lambda
    server = make_server(chat_bot=chat_bot)
    person = widget_start(server)
    (contact,) = server.sandbox.store.contacts.values()

    # Then StartChatContact got the interactive response type exactly when the bot is on
    assert (INTERACTIVE_RESPONSE in contact.supported_content_types) is chat_bot
    # And so the customer may answer an interactive message with one, or is refused
    answer = json.dumps({"templateType": "ListPicker", "data": {"content": {"title": "Billing"}}})
    if chat_bot:
        assert person.send(answer, INTERACTIVE_RESPONSE)["Id"]
    else:
        with pytest.raises(ClientError, match="Unsupported content type"):
            person.send(answer, INTERACTIVE_RESPONSE)
