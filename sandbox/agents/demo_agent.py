"""The demo agent: a clearly labelled stand-in that accepts offered chats and answers, so a demo
of the sandbox is never silent. It is switched off with `--no-demo-agent` (and in most tests).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from sandbox.agents.routing import Agent, Routing, RoutingError
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, Participant, Role

log = logging.getLogger(__name__)

DISPLAY_NAME = "Demo agent (sandbox)"
GREETING = "Hi, I'm the sandbox's demo agent, an automatic stand-in for a real agent. How can I help?"
REPLY = "(demo agent) I received your message: {excerpt}"


class DemoAgent:
    """Accepts every offer it gets and echoes the customer's messages."""

    def __init__(self, routing: Routing, chats: Chats, concurrency: int = 10) -> None:
        self.routing = routing
        self.chats = chats
        self.agent = routing.login(DISPLAY_NAME, concurrency, demo=True)
        self.participants: dict[str, Participant] = {}
        routing.offer_made.connect(self._on_offer)
        chats.item_posted.connect(self._on_item)
        chats.contact_ended.connect(self._on_ended)

    def _on_offer(self, agent: Agent, contact: Contact) -> None:
        if agent is self.agent:
            # Accept after the current operation completes, as a person clicking Accept would.
            asyncio.get_running_loop().call_soon(self._accept, contact)

    def _accept(self, contact: Contact) -> None:
        try:
            participant = self.routing.accept(self.agent.id, contact.id)
        except RoutingError:
            return  # the offer went away (chat ended) before we got to it
        self.participants[contact.id] = participant
        self._say(participant, GREETING)

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        participant = self.participants.get(contact.id)
        if participant is None or not participant.active:
            return
        if item["Type"] == "MESSAGE" and item.get("ParticipantRole") == Role.CUSTOMER.value:
            text = item.get("Content", "")
            excerpt = text if len(text) <= 200 else text[:200] + "…"
            asyncio.get_running_loop().call_soon(self._say, participant, REPLY.format(excerpt=excerpt))

    def _on_ended(self, contact: Contact) -> None:
        if self.participants.pop(contact.id, None) is not None:
            try:
                self.routing.clear(self.agent.id, contact.id)
            except RoutingError:
                log.debug("demo agent: nothing to clear for %s", contact.id)

    def _say(self, participant: Participant, text: str) -> None:
        if participant.active:
            body = {"ContentType": "text/plain", "Content": text, "ClientToken": str(uuid.uuid4())}
            self.chats.send_message(participant, body)
