"""Participant Service REST routes (`/participant/...`), wire-compatible with boto3 and ChatJS."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from sandbox.contacts.chats import Chats
from sandbox.participant.attachments import AttachmentService
from sandbox.participant.backend import ParticipantBackend
from sandbox.participant.websocket_hub import WebSocketHub
from sandbox.web.errors import AccessDeniedException, InternalServerException, ValidationException
from sandbox.web.http import http_base, json_body, ok, service_endpoint, validate, ws_base

SERVICE = "connectparticipant"
BEARER = "x-amz-bearer"


def participant_routes(
    participants: ParticipantBackend, chats: Chats, attachments: AttachmentService, hub: WebSocketHub
) -> list[BaseRoute]:
    """The Participant Service routes and the WebSocket endpoint."""
    endpoint = service_endpoint(InternalServerException)

    async def body_of(request: Request, operation: str) -> dict[str, Any]:
        body = await json_body(request, ValidationException)
        validate(SERVICE, operation, body, ValidationException)
        return body

    def bearer(request: Request) -> str:
        token = request.headers.get(BEARER)
        if not token:
            raise AccessDeniedException("Missing X-Amz-Bearer token")
        return token

    @endpoint
    async def create_connection(request: Request) -> Response:
        token = bearer(request)
        body = await body_of(request, "CreateParticipantConnection")
        return ok(participants.create_connection(token, body, ws_base(request)))

    @endpoint
    async def send_message(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request))
        body = await body_of(request, "SendMessage")
        return ok(chats.send_message(participant, body))

    @endpoint
    async def send_event(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request))
        body = await body_of(request, "SendEvent")
        return ok(participants.send_event(participant, body))

    @endpoint
    async def get_transcript(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request), write=False)
        body = await body_of(request, "GetTranscript")
        return ok(participants.transcript(participant, body))

    @endpoint
    async def disconnect(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request), write=False)
        body = await body_of(request, "DisconnectParticipant")
        participants.disconnect(participant, body)
        return ok()

    @endpoint
    async def start_attachment_upload(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request))
        body = await body_of(request, "StartAttachmentUpload")
        return ok(attachments.start_upload(participant, body, http_base(request)))

    @endpoint
    async def complete_attachment_upload(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request))
        body = await body_of(request, "CompleteAttachmentUpload")
        attachments.complete_upload(participant, body)
        return ok()

    @endpoint
    async def get_attachment(request: Request) -> Response:
        participant = participants.participant_for_connection(bearer(request), write=False)
        body = await body_of(request, "GetAttachment")
        return ok(attachments.get_attachment(participant, body, http_base(request)))

    return [
        Route("/participant/connection", create_connection, methods=["POST"]),
        Route("/participant/message", send_message, methods=["POST"]),
        Route("/participant/event", send_event, methods=["POST"]),
        Route("/participant/transcript", get_transcript, methods=["POST"]),
        Route("/participant/disconnect", disconnect, methods=["POST"]),
        Route("/participant/start-attachment-upload", start_attachment_upload, methods=["POST"]),
        Route("/participant/complete-attachment-upload", complete_attachment_upload, methods=["POST"]),
        Route("/participant/attachment", get_attachment, methods=["POST"]),
        Route("/sandbox/attachments/{attachment_id}", attachments.upload, methods=["PUT"]),
        Route("/sandbox/attachments/{attachment_id}", attachments.download, methods=["GET"]),
        WebSocketRoute("/participant/websocket", hub.endpoint),
    ]
