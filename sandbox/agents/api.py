"""The agent API (`/sandbox/agents...`) used by the agent console and by tests.

An accepted contact gives the agent its own ParticipantToken: from then on the agent talks the
same Participant Service protocol as the customer.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.agents.routing import AVAILABLE, Routing, RoutingError
from sandbox.web.http import json_body, ok, service_endpoint


def _unusable_body(message: str) -> RoutingError:
    return RoutingError(400, "InvalidJson", message)


def _internal_error(message: str) -> RoutingError:
    return RoutingError(500, "InternalError", message)


def agent_routes(routing: Routing, default_concurrency: int) -> list[BaseRoute]:
    """Log in/out, status, offers (accept/reject), leave and clear."""
    endpoint = service_endpoint(_internal_error)

    @endpoint
    async def login(request: Request) -> Response:
        body = await json_body(request, _unusable_body)
        name = body.get("name", "Agent")
        concurrency = body.get("concurrency", default_concurrency)
        status = body.get("status", AVAILABLE)
        if not isinstance(name, str) or not 1 <= len(name) <= 256:
            raise RoutingError(400, "InvalidName", "name must be 1 to 256 characters")
        if not isinstance(concurrency, int) or isinstance(concurrency, bool):
            raise RoutingError(400, "InvalidConcurrency", "concurrency must be an integer from 1 to 10")
        if not isinstance(status, str):
            raise RoutingError(400, "InvalidStatus", "status must be a string")
        return JSONResponse(routing.describe(routing.login(name, concurrency, status)), status_code=201)

    @endpoint
    async def list_agents(request: Request) -> Response:
        return ok({"agents": [routing.describe(agent) for agent in routing.agents.values()]})

    @endpoint
    async def get_agent(request: Request) -> Response:
        return ok(routing.describe(routing.agent(request.path_params["agent_id"])))

    @endpoint
    async def logout(request: Request) -> Response:
        routing.logout(request.path_params["agent_id"])
        return ok()

    @endpoint
    async def set_status(request: Request) -> Response:
        status = (await json_body(request, _unusable_body)).get("status")
        if not isinstance(status, str):
            raise RoutingError(400, "InvalidStatus", "status must be a string")
        return ok(routing.describe(routing.set_status(request.path_params["agent_id"], status)))

    @endpoint
    async def accept(request: Request) -> Response:
        participant = routing.accept(request.path_params["agent_id"], request.path_params["contact_id"])
        answer: dict[str, Any] = {
            "contactId": participant.contact.id,
            "participantId": participant.id,
            "participantToken": participant.participant_token,
            "displayName": participant.display_name,
        }
        return ok(answer)

    @endpoint
    async def reject(request: Request) -> Response:
        routing.reject(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()

    @endpoint
    async def leave(request: Request) -> Response:
        routing.leave(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()

    @endpoint
    async def clear(request: Request) -> Response:
        routing.clear(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()

    contact = "/sandbox/agents/{agent_id}/contacts/{contact_id}"
    return [
        Route("/sandbox/agents", login, methods=["POST"]),
        Route("/sandbox/agents", list_agents, methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", get_agent, methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", logout, methods=["DELETE"]),
        Route("/sandbox/agents/{agent_id}/status", set_status, methods=["PUT"]),
        Route(f"{contact}/accept", accept, methods=["POST"]),
        Route(f"{contact}/reject", reject, methods=["POST"]),
        Route(f"{contact}/leave", leave, methods=["POST"]),
        Route(f"{contact}/clear", clear, methods=["POST"]),
    ]
