"""OpenAPI document of the start-chat API, generated from the pydantic models.

``python -m lambdas.start_chat.openapi`` prints it; ``make openapi`` writes it to ``openapi.json`` next
to this module, and a unit test fails when the committed file no longer matches the models.

Built here rather than by Powertools' REST resolver (``get_openapi_json_schema``): the function does not
use that resolver (its import alone costs about 95 ms of cold start, see api.py), and with it the route
would take its body as a validated parameter (``enable_validation=True``), answering an invalid body with
its own 422 instead of this API's 400 naming every field.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from .cors import ALLOWED_HEADERS, ALLOWED_METHODS
from .models import ErrorResponse, StartChatRequest, StartChatResponse

_ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ERROR}},
    }
    if headers:
        response["headers"] = headers
    return response


def _string_header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


def build_openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``POST /chats`` and its preflight."""
    _, schemas = models_json_schema(
        [
            (StartChatRequest, "validation"),
            (StartChatResponse, "serialization"),
            (ErrorResponse, "serialization"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    cors = {
        "Access-Control-Allow-Origin": _string_header("The request's Origin, when it is on the allow-list."),
        "Vary": _string_header("Origin"),
    }
    post = {
        "operationId": "startChat",
        "summary": "Start a chat contact",
        "description": (
            "Starts an Amazon Connect chat in the deployment's instance and contact flow (never taken from "
            "the request; unknown fields are ignored) and returns what the widget needs to connect. "
            "Browsers must send an Origin on the deployment's allow-list; requests without Origin are "
            "non-browser clients. With startChatAuth=jwt, an Authorization: Bearer start token from the "
            "site's backend is required. Every answer carries a continuation token (data.continuation) "
            "that a later PersistentChat request must present."
        ),
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StartChatRequest"}}},
        },
        "responses": {
            "200": {
                "description": "Chat started.",
                "headers": cors,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/StartChatResponse"}}
                },
            },
            "400": _error(
                "Invalid request: error.fields names every failing field (VALIDATION_ERROR), or "
                "Amazon Connect rejected it (CHAT_REQUEST_REJECTED)."
            ),
            "401": _error(
                "startChatAuth=jwt only: the Authorization: Bearer start token is missing "
                "(AUTH_TOKEN_REQUIRED), expired (AUTH_TOKEN_EXPIRED) or not valid (AUTH_TOKEN_INVALID).",
                {"WWW-Authenticate": _string_header('Bearer error="invalid_token"')},
            ),
            "403": _error(
                "The Origin is not on the allow-list (ORIGIN_NOT_ALLOWED), or a PersistentChat request "
                "lacks a valid, unexpired continuation token for its SourceContactId "
                "(CONTINUATION_TOKEN_REQUIRED, CONTINUATION_TOKEN_INVALID, CONTINUATION_TOKEN_EXPIRED)."
            ),
            "429": _error(
                "Throttled (THROTTLED).",
                {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
            ),
            "500": _error("Unexpected or configuration error (INTERNAL_ERROR)."),
            "502": _error("Amazon Connect refused the deployment's configuration (CHAT_SERVICE_ERROR)."),
            "503": _error("Amazon Connect unreachable or failing (CHAT_SERVICE_UNAVAILABLE)."),
        },
    }
    preflight = {
        "operationId": "startChatPreflight",
        "summary": "CORS preflight",
        "responses": {
            "204": {
                "description": "Origin allowed.",
                "headers": {
                    **cors,
                    "Access-Control-Allow-Methods": _string_header(ALLOWED_METHODS),
                    "Access-Control-Allow-Headers": _string_header(ALLOWED_HEADERS),
                    "Access-Control-Max-Age": _string_header("Seconds the preflight may be cached."),
                },
            },
            "403": _error("The Origin is not on the allow-list (ORIGIN_NOT_ALLOWED)."),
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amazon Connect Chat start-chat API",
            "version": "1.0.0",
            "description": "Starts customer chats for the embeddable chat widget.",
        },
        "paths": {"/chats": {"post": post, "options": preflight}},
        "components": {"schemas": schemas["$defs"]},
    }


def render_openapi_json() -> str:
    """The document as committed in ``openapi.json`` (2-space indent, trailing newline)."""
    return json.dumps(build_openapi_document(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Print the OpenAPI document to stdout."""
    print(render_openapi_json(), end="")


if __name__ == "__main__":
    main()
