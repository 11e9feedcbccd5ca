"""The agent API (`/sandbox/agents...`) used by the agent console and by tests.

An accepted contact gives the agent its own ParticipantToken: from then on the agent talks the
same Participant Service protocol as the customer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.agents.routing import AVAILABLE, Routing, RoutingError
from sandbox.web.http import json_body, ok, service_endpoint


class AgentResponses:
    """Parses agent API requests and calls routing: one method per operation."""

    def __init__(self, routing: Routing, default_concurrency: int) -> None:
        self.routing = routing
        self.default_concurrency = default_concurrency

    async def login(self, request: Request) -> Response:
        """Log an agent in: `{"name", "concurrency", "status"}`, all optional."""
        body = await json_body(request, _unusable_body)
        name = body.get("name", "Agent")
        concurrency = body.get("concurrency", self.default_concurrency)
        status = body.get("status", AVAILABLE)
        if not isinstance(name, str) or not 1 <= len(name) <= 256:
            raise RoutingError(400, "InvalidName", "name must be 1 to 256 characters")
        if not isinstance(concurrency, int) or isinstance(concurrency, bool):
            raise RoutingError(400, "InvalidConcurrency", "concurrency must be an integer from 1 to 10")
        if not isinstance(status, str):
            raise RoutingError(400, "InvalidStatus", "status must be a string")
        agent = self.routing.login(name, concurrency, status)
        return JSONResponse(self.routing.describe(agent), status_code=201)

    async def list_agents(self, request: Request) -> Response:
        """Every logged-in agent."""
        return ok({"agents": [self.routing.describe(agent) for agent in self.routing.agents.values()]})

    async def get_agent(self, request: Request) -> Response:
        """One agent with its contacts (offers, chats, after-contact work)."""
        return ok(self.routing.describe(self.routing.agent(request.path_params["agent_id"])))

    async def logout(self, request: Request) -> Response:
        """Log an agent out."""
        self.routing.logout(request.path_params["agent_id"])
        return ok()

    async def set_status(self, request: Request) -> Response:
        """Change an agent's status: `{"status"}`."""
        status = (await json_body(request, _unusable_body)).get("status")
        if not isinstance(status, str):
            raise RoutingError(400, "InvalidStatus", "status must be a string")
        return ok(self.routing.describe(self.routing.set_status(request.path_params["agent_id"], status)))

    async def accept(self, request: Request) -> Response:
        """Accept an offer; the answer holds the agent's ParticipantToken for this chat."""
        agent_id, contact_id = request.path_params["agent_id"], request.path_params["contact_id"]
        participant = self.routing.accept(agent_id, contact_id)
        return ok(
            {
                "contactId": participant.contact.id,
                "participantId": participant.id,
                "participantToken": participant.participant_token,
                "displayName": participant.display_name,
            }
        )

    async def reject(self, request: Request) -> Response:
        """Reject an offer."""
        self.routing.reject(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()

    async def leave(self, request: Request) -> Response:
        """Leave a connected chat."""
        self.routing.leave(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()

    async def clear(self, request: Request) -> Response:
        """Clear a contact in after-contact work or missed."""
        self.routing.clear(request.path_params["agent_id"], request.path_params["contact_id"])
        return ok()


def _unusable_body(message: str) -> RoutingError:
    return RoutingError(400, "InvalidJson", message)


def _internal_error(message: str) -> RoutingError:
    return RoutingError(500, "InternalError", message)


def agent_routes(routing: Routing, default_concurrency: int) -> list[BaseRoute]:
    """Log in/out, status, offers (accept/reject), leave and clear."""
    responses = AgentResponses(routing, default_concurrency)
    endpoint = service_endpoint(_internal_error)
    contact = "/sandbox/agents/{agent_id}/contacts/{contact_id}"
    return [
        Route("/sandbox/agents", endpoint(responses.login), methods=["POST"]),
        Route("/sandbox/agents", endpoint(responses.list_agents), methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", endpoint(responses.get_agent), methods=["GET"]),
        Route("/sandbox/agents/{agent_id}", endpoint(responses.logout), methods=["DELETE"]),
        Route("/sandbox/agents/{agent_id}/status", endpoint(responses.set_status), methods=["PUT"]),
        Route(f"{contact}/accept", endpoint(responses.accept), methods=["POST"]),
        Route(f"{contact}/reject", endpoint(responses.reject), methods=["POST"]),
        Route(f"{contact}/leave", endpoint(responses.leave), methods=["POST"]),
        Route(f"{contact}/clear", endpoint(responses.clear), methods=["POST"]),
    ]
