"""Each sandbox gives the one in-process start-chat Lambda its own settings and Connect client."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.sandbox

SHOP = "https://shop.example"
BANK = "https://bank.example"
BANK_INSTANCE = "0b0b0b0b-0000-4000-8000-00000000ba4c"


def post_chat(url: str, origin: str, **extra: Any) -> httpx.Response:
    """POST /chats from a browser on ``origin``."""
    request = {"ParticipantDetails": {"DisplayName": "Ann"}, **extra}
    return httpx.post(f"{url}/chats", json=request, headers={"Origin": origin}, timeout=30)


def test_two_sandboxes_in_one_process_keep_their_own_lambda_settings(make_server):
    # Given two sandboxes in this process with different deployments (instance, origins, features, limit)
    environ_before = dict(os.environ)
    shop = make_server(allowed_origins=(SHOP,), chat_duration_minutes=1500)
    bank = make_server(
        allowed_origins=(BANK,),
        instance_id=BANK_INSTANCE,
        chat_duration_minutes=600,
        enable_attachments=False,
        enable_markdown=False,
    )

    # When each is asked to start chats, in turns
    shop_first = post_chat(shop.url, SHOP, ChatDurationInMinutes=1000)
    bank_answer = post_chat(bank.url, BANK)
    bank_too_long = post_chat(bank.url, BANK, ChatDurationInMinutes=1000)
    shop_second = post_chat(shop.url, SHOP)

    # Then each chat starts in its own sandbox's instance, with that deployment's features
    assert shop_first.status_code == 200, shop_first.text
    assert shop_second.status_code == 200, shop_second.text
    assert bank_answer.status_code == 200, bank_answer.text
    shop_data, bank_data = shop_first.json()["data"], bank_answer.json()["data"]
    assert shop_data["featurePermissions"] == {"ATTACHMENTS": True, "MESSAGING_MARKDOWN": True}
    assert bank_data["featurePermissions"] == {"ATTACHMENTS": False, "MESSAGING_MARKDOWN": False}
    shop_contact = shop.sandbox.store.contacts[shop_data["startChatResult"]["ContactId"]]
    bank_contact = bank.sandbox.store.contacts[bank_data["startChatResult"]["ContactId"]]
    assert (shop_contact.instance_id, shop_contact.duration_minutes) == (
        shop.sandbox.config.instance_id,
        1000,
    )
    assert (bank_contact.instance_id, bank_contact.duration_minutes) == (BANK_INSTANCE, 600)
    assert bank_contact.supported_content_types == ("text/plain",)
    # And each enforces its own limit and allow-list
    assert bank_too_long.status_code == 400
    assert bank_too_long.json()["error"]["fields"][0]["field"] == "ChatDurationInMinutes"
    assert post_chat(shop.url, BANK).json()["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    assert post_chat(bank.url, SHOP).json()["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    # And neither wrote the process environment
    assert dict(os.environ) == environ_before
