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
    assert set(schemas["StartChatData"]["properties"]) == {
        "startChatResult",
        "featurePermissions",
        "continuation",
    }
    assert set(schemas["ContinuationGrant"]["properties"]) == {"token", "expiresAt"}
    assert "ContinuationToken" in schemas["PersistentChatOptions"]["properties"]
    assert set(post["responses"]) == {"200", "400", "401", "403", "429", "500", "502", "503"}
    for code in ("AUTH_TOKEN_REQUIRED", "AUTH_TOKEN_EXPIRED", "AUTH_TOKEN_INVALID"):
        assert code in post["responses"]["401"]["description"]
    for code in ("CONTINUATION_TOKEN_REQUIRED", "CONTINUATION_TOKEN_INVALID", "CONTINUATION_TOKEN_EXPIRED"):
        assert code in post["responses"]["403"]["description"]
    assert "Retry-After" in post["responses"]["429"]["headers"]
    assert json.loads(render_openapi_json()) == document
