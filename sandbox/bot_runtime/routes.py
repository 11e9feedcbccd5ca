"""Lex V2 runtime ``RecognizeText`` (``/lex/...``), wire-compatible with boto3 ``lexv2-runtime``.

A developer points boto3 at ``endpoint_url=<sandbox>/lex`` and talks to the sandbox's bot as to a
deployed alias: same path, same body (validated against botocore's model), same answer and errors.
Only the request's ``sessionState.sessionAttributes`` is honoured from the caller's session state.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.bot_runtime.lex_runtime import LexRuntime
from sandbox.web.errors import InternalServerException, ResourceNotFoundException, ValidationException
from sandbox.web.http import json_body, ok, service_endpoint, validate

SERVICE = "lexv2-runtime"
PREFIX = "/lex"


class LexRuntimeResponses:
    """Parses RecognizeText requests and answers them with the runtime of the addressed alias."""

    def __init__(self, runtimes: Mapping[tuple[str, str], LexRuntime]) -> None:
        """``runtimes``: (bot id, alias id) -> runtime."""
        self.runtimes = runtimes

    async def recognize_text(self, request: Request) -> Response:
        """RecognizeText."""
        params = request.path_params
        runtime = self.runtimes.get((params["bot_id"], params["alias_id"]))
        if runtime is None or runtime.bot.locale_id != params["locale_id"]:
            raise ResourceNotFoundException(
                f"No bot alias {params['alias_id']} of bot {params['bot_id']} in locale {params['locale_id']}"
            )
        body = await json_body(request, ValidationException)
        validate(SERVICE, "RecognizeText", body, ValidationException)
        attributes = (body.get("sessionState") or {}).get("sessionAttributes")
        return ok(runtime.recognize_text(params["session_id"], body["text"], attributes))


def lex_runtime_routes(runtimes: Mapping[tuple[str, str], LexRuntime]) -> list[BaseRoute]:
    """RecognizeText for each bot alias the sandbox runs."""
    responses = LexRuntimeResponses(runtimes)
    endpoint = service_endpoint(InternalServerException)
    path = PREFIX + "/bots/{bot_id}/botAliases/{alias_id}/botLocales/{locale_id}/sessions/{session_id}/text"
    return [Route(path, endpoint(responses.recognize_text), methods=["POST"])]
