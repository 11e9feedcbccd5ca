"""Participant Service REST routes (`/participant/...`), wire-compatible with boto3 and ChatJS."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Participant
from sandbox.participant.attachments import AttachmentService
from sandbox.participant.backend import ParticipantBackend
from sandbox.participant.throttling import SendThrottle
from sandbox.participant.websocket_hub import WebSocketHub
from sandbox.web.errors import AccessDeniedException, InternalServerException, ValidationException
from sandbox.web.http import http_base, json_body, ok, service_endpoint, validate, ws_base

SERVICE = "connectparticipant"
BEARER = "x-amz-bearer"


class ParticipantResponses:
    """Parses Participant Service requests and calls the backends: one method per operation."""

    def __init__(
        self,
        participants: ParticipantBackend,
        chats: Chats,
        attachments: AttachmentService,
        throttle: SendThrottle,
    ) -> None:
        self.participants = participants
        self.chats = chats
        self.attachments = attachments
        self.throttle = throttle

    async def create_connection(self, request: Request) -> Response:
        """CreateParticipantConnection."""
        token = _bearer(request)
        body = await _body(request, "CreateParticipantConnection")
        return ok(self.participants.create_connection(token, body, ws_base(request)))

    async def send_message(self, request: Request) -> Response:
        """SendMessage."""
        participant, body = await self._writer(request, "SendMessage")
        self.throttle.check(participant, "SendMessage")
        return ok(self.chats.send_message(participant, body))

    async def send_event(self, request: Request) -> Response:
        """SendEvent."""
        participant, body = await self._writer(request, "SendEvent")
        self.throttle.check(participant, "SendEvent")
        return ok(self.participants.send_event(participant, body))

    async def get_transcript(self, request: Request) -> Response:
        """GetTranscript."""
        participant = self.participants.participant_for_connection(_bearer(request), write=False)
        body = await _body(request, "GetTranscript")
        return ok(self.participants.transcript(participant, body))

    async def disconnect(self, request: Request) -> Response:
        """DisconnectParticipant."""
        participant = self.participants.participant_for_connection(_bearer(request), write=False)
        body = await _body(request, "DisconnectParticipant")
        self.participants.disconnect(participant, body)
        return ok()

    async def start_attachment_upload(self, request: Request) -> Response:
        """StartAttachmentUpload."""
        participant, body = await self._writer(request, "StartAttachmentUpload")
        return ok(self.attachments.start_upload(participant, body, http_base(request)))

    async def complete_attachment_upload(self, request: Request) -> Response:
        """CompleteAttachmentUpload."""
        participant, body = await self._writer(request, "CompleteAttachmentUpload")
        status = await self.attachments.scan(participant, body)
        # Checked again after the scan, which awaits: the chat may have ended meanwhile.
        participant = self.participants.participant_for_connection(_bearer(request))
        self.attachments.complete_upload(participant, body, status)
        return ok()

    async def get_attachment(self, request: Request) -> Response:
        """GetAttachment."""
        participant = self.participants.participant_for_connection(_bearer(request), write=False)
        body = await _body(request, "GetAttachment")
        return ok(self.attachments.get_attachment(participant, body, http_base(request)))

    async def _writer(self, request: Request, operation: str) -> tuple[Participant, dict[str, Any]]:
        """The active participant making a write, and the request body.

        Checked again once the body is in: the chat may have ended while it arrived, and from here
        to the write nothing awaits, so accepting an item and ending the chat cannot interleave.
        """
        token = _bearer(request)
        self.participants.participant_for_connection(token)  # refuse early, before reading the body
        body = await _body(request, operation)
        return self.participants.participant_for_connection(token), body


async def _body(request: Request, operation: str) -> dict[str, Any]:
    body = await json_body(request, ValidationException)
    validate(SERVICE, operation, body, ValidationException)
    return body


def _bearer(request: Request) -> str:
    token = request.headers.get(BEARER)
    if not token:
        raise AccessDeniedException("Missing X-Amz-Bearer token")
    return token


def participant_routes(
    participants: ParticipantBackend,
    chats: Chats,
    attachments: AttachmentService,
    hub: WebSocketHub,
    throttle: SendThrottle,
) -> list[BaseRoute]:
    """The Participant Service routes, the attachment URLs and the WebSocket endpoint."""
    responses = ParticipantResponses(participants, chats, attachments, throttle)
    endpoint = service_endpoint(InternalServerException)
    return [
        Route("/participant/connection", endpoint(responses.create_connection), methods=["POST"]),
        Route("/participant/message", endpoint(responses.send_message), methods=["POST"]),
        Route("/participant/event", endpoint(responses.send_event), methods=["POST"]),
        Route("/participant/transcript", endpoint(responses.get_transcript), methods=["POST"]),
        Route("/participant/disconnect", endpoint(responses.disconnect), methods=["POST"]),
        Route(
            "/participant/start-attachment-upload",
            endpoint(responses.start_attachment_upload),
            methods=["POST"],
        ),
        Route(
            "/participant/complete-attachment-upload",
            endpoint(responses.complete_attachment_upload),
            methods=["POST"],
        ),
        Route("/participant/attachment", endpoint(responses.get_attachment), methods=["POST"]),
        Route("/sandbox/attachments/{attachment_id}", attachments.upload, methods=["PUT"]),
        Route("/sandbox/attachments/{attachment_id}", attachments.download, methods=["GET"]),
        WebSocketRoute("/participant/websocket", hub.endpoint),
    ]
