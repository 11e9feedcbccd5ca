"""The committed OpenAPI document of the start-chat API matches the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lambdas.start_chat
from lambdas.start_chat.openapi import build_openapi_document, render_openapi_json

pytestmark = pytest.mark.unit

COMMITTED = Path(lambdas.start_chat.__file__).parent / "openapi.json"


def test_committed_openapi_matches_the_models() -> None:
    # Given the committed document and the one generated from the models
    # When compared
    # Then they are identical
    assert COMMITTED.read_text(encoding="utf-8") == render_openapi_json(), (
        "lambdas/start_chat/openapi.json is out of date with the models: run `make openapi` and commit it"
    )


def test_openapi_document_describes_the_api() -> None:
    # Given the generated document
    document = build_openapi_document()

    # When its operations are read
    post = document["paths"]["/chats"]["post"]

    # Then the request, the widget's response shape and every error status are described
    schemas = document["components"]["schemas"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/StartChatRequest")
    assert schemas["StartChatRequest"]["required"] == ["ParticipantDetails"]
    assert set(schemas["StartChatData"]["properties"]) == {"startChatResult", "featurePermissions"}
    assert set(post["responses"]) == {"200", "400", "403", "429", "500", "502", "503"}
    assert "Retry-After" in post["responses"]["429"]["headers"]
    assert json.loads(render_openapi_json()) == document
