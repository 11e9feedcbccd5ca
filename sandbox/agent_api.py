"""The agent API (`/sandbox/agents...`) used by the agent console and by tests.

An accepted contact gives the agent its own ParticipantToken: from then on the agent talks the
same Participant Service protocol as the customer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.agent_snapshot import agent_snapshot
from sandbox.routing import AVAILABLE, Routing, RoutingError

Handler = Callable[[Request], Awaitable[Any]]


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _endpoint(handler: Handler, status: int = 200) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        try:
            result = await handler(request)
        except RoutingError as error:
            return _error(error.status, error.code, error.message)
        return JSONResponse(result if result is not None else {}, status_code=status)

    run.__name__ = handler.__name__
    return run


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise RoutingError(400, "InvalidJson", "the body is not valid JSON") from error
    if not isinstance(body, dict):
        raise RoutingError(400, "InvalidJson", "the body must be a JSON object")
    return body


def agent_routes(routing: Routing) -> list[BaseRoute]:
    """Log in/out, status, offers (accept/reject), leave and clear."""

    async def login(request: Request) -> dict[str, Any]:
        body = await _body(request)
        name = body.get("name", "Agent")
        concurrency = body.get("concurrency", routing.chat_concurrency)
        status = body.get("status", AVAILABLE)
        if not isinstance(name, str) or not 1 <= len(name) <= 256:
            raise RoutingError(400, "InvalidName", "name must be 1 to 256 characters")
        if not isinstance(concurrency, int) or isinstance(concurrency, bool):
            raise RoutingError(400, "InvalidConcurrency", "concurrency must be an integer")
        return agent_snapshot(routing, routing.login(name, concurrency, status))

    async def list_agents(request: Request) -> dict[str, Any]:
        return {"agents": [agent_snapshot(routing, agent) for agent in routing.agents.values()]}

    async def get_agent(request: Request) -> dict[str, Any]:
        return agent_snapshot(routing, routing.agent(request.path_params["agent_id"]))

    async def logout(request: Request) -> None:
        routing.logout(request.path_params["agent_id"])

    async def set_status(request: Request) -> dict[str, Any]:
        status = (await _body(request)).get("status")
        return agent_snapshot(routing, routing.set_status(request.path_params["agent_id"], status))

    async def accept(request: Request) -> dict[str, Any]:
        participant = routing.accept(request.path_params["agent_id"], request.path_params["contact_id"])
        return {
            "contactId": participant.contact.id,
            "participantId": participant.id,
            "participantToken": participant.participant_token,
            "displayName": participant.display_name,
        }

    async def reject(request: Request) -> None:
        routing.reject(request.path_params["agent_id"], request.path_params["contact_id"])

    async def leave(request: Request) -> None:
        routing.leave(request.path_params["agent_id"], request.path_params["contact_id"])

    async def clear(request: Request) -> None:
        routing.clear(request.path_params["agent_id"], request.path_params["contact_id"])

    contact = "/sandbox/agents/{agent_id}/contacts/{contact_id}"
    return [
        Route("/sandbox/agents", _endpoint(login, 201), methods=["POST"]),
        Route("/sandbox/agents", _endpoint(list_agents), methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", _endpoint(get_agent), methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", _endpoint(logout), methods=["DELETE"]),
        Route("/sandbox/agents/{agent_id}/status", _endpoint(set_status), methods=["PUT"]),
        Route(f"{contact}/accept", _endpoint(accept), methods=["POST"]),
        Route(f"{contact}/reject", _endpoint(reject), methods=["POST"]),
        Route(f"{contact}/leave", _endpoint(leave), methods=["POST"]),
        Route(f"{contact}/clear", _endpoint(clear), methods=["POST"]),
    ]
