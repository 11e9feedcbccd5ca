"""Connect control-plane subset (`/connect/...`), wire-compatible with boto3 `connect`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.connect.backend import ConnectBackend
from sandbox.web.errors import InternalServiceException, InvalidParameterException, InvalidRequestException
from sandbox.web.http import json_body, ok, service_endpoint, validate

SERVICE = "connect"


def connect_routes(connect: ConnectBackend) -> list[BaseRoute]:
    """StartChatContact, StopContact and DescribeContact."""
    endpoint = service_endpoint(InternalServiceException)

    @endpoint
    async def start_chat_contact(request: Request) -> Response:
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "StartChatContact", body, InvalidParameterException)
        return ok(connect.start_chat(body))

    @endpoint
    async def stop_contact(request: Request) -> Response:
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "StopContact", body, InvalidParameterException)
        connect.stop_contact(body["InstanceId"], body["ContactId"])
        return ok()

    @endpoint
    async def describe_contact(request: Request) -> Response:
        contact = connect.find_contact(request.path_params["instance_id"], request.path_params["contact_id"])
        return ok({"Contact": connect.describe(contact)})

    return [
        Route("/connect/contact/chat", start_chat_contact, methods=["PUT"]),
        Route("/connect/contact/stop", stop_contact, methods=["POST"]),
        Route("/connect/contacts/{instance_id}/{contact_id}", describe_contact, methods=["GET"]),
    ]
