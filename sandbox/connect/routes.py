"""Connect control-plane subset (`/connect/...`), wire-compatible with boto3 `connect`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.connect.backend import ConnectBackend
from sandbox.web.errors import InternalServiceException, InvalidParameterException, InvalidRequestException
from sandbox.web.http import json_body, ok, service_endpoint, validate

SERVICE = "connect"


class ConnectResponses:
    """Parses Connect requests and calls the backend: one method per operation."""

    def __init__(self, connect: ConnectBackend) -> None:
        self.connect = connect

    async def start_chat_contact(self, request: Request) -> Response:
        """StartChatContact."""
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "StartChatContact", body, InvalidParameterException)
        return ok(self.connect.start_chat(body))

    async def stop_contact(self, request: Request) -> Response:
        """StopContact."""
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "StopContact", body, InvalidParameterException)
        self.connect.stop_contact(body["InstanceId"], body["ContactId"])
        return ok()

    async def update_participant_role_config(self, request: Request) -> Response:
        """UpdateParticipantRoleConfig: 200 with an empty body, as Connect answers it."""
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "UpdateParticipantRoleConfig", body, InvalidParameterException)
        instance_id, contact_id = request.path_params["instance_id"], request.path_params["contact_id"]
        self.connect.update_participant_role_config(instance_id, contact_id, body["ChannelConfiguration"])
        return Response(status_code=200)

    async def describe_contact(self, request: Request) -> Response:
        """DescribeContact."""
        instance_id, contact_id = request.path_params["instance_id"], request.path_params["contact_id"]
        return ok({"Contact": self.connect.describe(self.connect.find_contact(instance_id, contact_id))})


def connect_routes(connect: ConnectBackend) -> list[BaseRoute]:
    """StartChatContact, StopContact, DescribeContact and UpdateParticipantRoleConfig."""
    responses = ConnectResponses(connect)
    endpoint = service_endpoint(InternalServiceException)
    return [
        Route("/connect/contact/chat", endpoint(responses.start_chat_contact), methods=["PUT"]),
        Route("/connect/contact/stop", endpoint(responses.stop_contact), methods=["POST"]),
        Route(
            "/connect/contact/participant-role-config/{instance_id}/{contact_id}",
            endpoint(responses.update_participant_role_config),
            methods=["PUT"],
        ),
        Route(
            "/connect/contacts/{instance_id}/{contact_id}",
            endpoint(responses.describe_contact),
            methods=["GET"],
        ),
    ]
