"""Chat attachments: upload/download URLs served by the sandbox, bytes kept in S3 through boto3."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sandbox.clock import Clock, iso_ms
from sandbox.config import SandboxConfig
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Attachment, Participant
from sandbox.contacts.store import ContactStore
from sandbox.participant.attachment_scanning import APPROVED, REJECTED, Scanner, scan_request, scan_status
from sandbox.web.errors import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)

UPLOAD_URL_SECONDS = 300
# The file types Amazon Connect accepts as chat attachments.
ALLOWED_TYPES = {
    ".csv": {"text/csv"},
    ".doc": {"application/msword"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".heic": {"image/heic"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".mov": {"video/quicktime"},
    ".mp4": {"video/mp4"},
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".ppt": {"application/vnd.ms-powerpoint"},
    ".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    ".rtf": {"application/rtf", "text/rtf"},
    ".txt": {"text/plain"},
    ".wav": {"audio/wav", "audio/x-wav", "audio/wave"},
    ".xls": {"application/vnd.ms-excel"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}


class AttachmentService:
    """StartAttachmentUpload / CompleteAttachmentUpload / GetAttachment and the URLs they hand out."""

    def __init__(
        self,
        config: SandboxConfig,
        clock: Clock,
        store: ContactStore,
        chats: Chats,
        s3: Any = None,
        scanner: Scanner | None = None,
    ) -> None:
        """`scanner`: the instance's attachment scanner (None: every upload is approved unscanned)."""
        self.config = config
        self.clock = clock
        self.store = store
        self.chats = chats
        # The boto3 S3 client; set once S3 is up (the embedded server starts with the app).
        self.s3 = s3
        self.scanner = scanner
        self._secret = secrets.token_bytes(32)

    def _check_enabled(self) -> None:
        if not self.config.enable_attachments:
            raise ValidationException("Attachments are not enabled for this instance")

    def start_upload(self, participant: Participant, body: dict[str, Any], base: str) -> dict[str, Any]:
        """Register an upload and answer with a URL the client PUTs the bytes to."""
        self._check_enabled()
        known = participant.answered.get(body["ClientToken"])
        if known is not None:
            return known
        name, content_type, size = body["AttachmentName"], body["ContentType"], body["AttachmentSizeInBytes"]
        allowed = ALLOWED_TYPES.get(PurePosixPath(name).suffix.lower())
        if allowed is None or content_type.split(";")[0].strip().lower() not in allowed:
            raise ValidationException("This file type is not supported as an attachment")
        if size > self.config.attachment_max_bytes:
            raise ValidationException(f"Attachments are limited to {self.config.attachment_max_bytes} bytes")
        contact = participant.contact
        attachment = Attachment(str(uuid.uuid4()), contact, participant, name, content_type, size)
        self.store.add_attachment(attachment)
        expires = int(self.clock.now()) + UPLOAD_URL_SECONDS
        response = {
            "AttachmentId": attachment.id,
            "UploadMetadata": {
                "Url": self._url(base, attachment.id, "upload", expires),
                "UrlExpiry": iso_ms(expires),
                "HeadersToInclude": {"Content-Type": content_type},
            },
        }
        participant.answered[body["ClientToken"]] = response
        return response

    async def scan(self, participant: Participant, body: dict[str, Any]) -> str:
        """The scanner's verdict on an uploaded attachment, before CompleteAttachmentUpload shares it.

        Runs off the event loop (the scanner reads the file from S3); a REJECTED file is deleted from
        the bucket, as Connect deletes it.
        """
        self._check_enabled()
        attachment = self._find(participant, body["AttachmentIds"][0])
        if self.scanner is None or attachment.completed or not attachment.uploaded:
            return attachment.status
        key = self._object_key(attachment)
        request = scan_request(
            instance_id=self.config.instance_id,
            file_id=attachment.id,
            created_ms=int(self.clock.now() * 1000),
            name=attachment.name,
            size=attachment.size,
            bucket=self.config.attachments_bucket,
            key=key,
        )
        status = await run_in_threadpool(scan_status, self.scanner, request)
        if status == REJECTED:
            await run_in_threadpool(self.s3.delete_object, Bucket=self.config.attachments_bucket, Key=key)
        return status

    def complete_upload(self, participant: Participant, body: dict[str, Any], status: str = APPROVED) -> None:
        """Put an uploaded attachment into the chat as an ATTACHMENT item carrying the scanner's `status`."""
        self._check_enabled()
        attachment = self._find(participant, body["AttachmentIds"][0])
        if attachment.completed:
            return
        if not attachment.uploaded:
            raise ConflictException("The attachment has not been uploaded yet")
        self.chats.check_room(participant.contact, 0)
        attachment.completed = True
        attachment.status = status
        self.chats.post(
            participant.contact,
            attachment.participant,
            "ATTACHMENT",
            attachment.content_type,
            attachments=[
                {
                    "ContentType": attachment.content_type,
                    "AttachmentId": attachment.id,
                    "AttachmentName": attachment.name,
                    "Status": status,
                }
            ],
        )

    def get_attachment(self, participant: Participant, body: dict[str, Any], base: str) -> dict[str, Any]:
        """A short-lived download URL for an attachment of the participant's chat."""
        attachment = self._find(participant, body["AttachmentId"])
        if not attachment.completed:
            raise ValidationException("The attachment is not available")
        if attachment.status == REJECTED:
            raise ValidationException("The attachment was rejected by the attachment scanner")
        expires = int(self.clock.now()) + (body.get("UrlExpiryInSeconds") or 300)
        return {
            "Url": self._url(base, attachment.id, "download", expires),
            "UrlExpiry": iso_ms(expires),
            "AttachmentSizeInBytes": attachment.size,
        }

    def _find(self, participant: Participant, attachment_id: str) -> Attachment:
        attachment = participant.contact.attachments.get(attachment_id)
        if attachment is None:
            raise ValidationException("Unknown AttachmentId")
        return attachment

    def _signature(self, attachment_id: str, action: str, expires: int) -> str:
        message = f"{attachment_id}:{action}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _url(self, base: str, attachment_id: str, action: str, expires: int) -> str:
        signature = self._signature(attachment_id, action, expires)
        query = f"action={action}&expires={expires}&sig={signature}"
        return f"{base}/sandbox/attachments/{quote(attachment_id)}?{query}"

    def _authorised(self, request: Request, action: str) -> Attachment:
        attachment_id = request.path_params["attachment_id"]
        try:
            expires = int(request.query_params.get("expires", ""))
        except ValueError:
            expires = 0
        signature = request.query_params.get("sig", "")
        good = hmac.compare_digest(signature, self._signature(attachment_id, action, expires))
        if not good or request.query_params.get("action") != action or expires < self.clock.now():
            raise AccessDeniedException("The URL is not valid or has expired")
        attachment = self.store.attachments.get(attachment_id)
        if attachment is None or attachment.status == REJECTED:
            raise ResourceNotFoundException("No such attachment")
        return attachment

    def _object_key(self, attachment: Attachment) -> str:
        return f"{self.config.attachments_prefix}/{attachment.key}"

    async def upload(self, request: Request) -> Response:
        """PUT to an upload URL: store the bytes in the attachments bucket."""
        try:
            attachment = self._authorised(request, "upload")
            if attachment.contact.ended:
                raise AccessDeniedException("The chat has ended")
            if attachment.completed:
                raise AccessDeniedException("The upload has been completed; the URL is no longer valid")
            chunks: list[bytes] = []
            received = 0
            async for chunk in request.stream():
                received += len(chunk)
                if received > attachment.size:
                    raise ValidationException(f"More than the declared {attachment.size} bytes")
                chunks.append(chunk)
            if received != attachment.size:
                raise ValidationException(f"Expected {attachment.size} bytes, received {received}")
            data = b"".join(chunks)
        except (ValidationException, AccessDeniedException, ResourceNotFoundException) as error:
            return error.response()
        await run_in_threadpool(
            self.s3.put_object,
            Bucket=self.config.attachments_bucket,
            Key=self._object_key(attachment),
            Body=data,
            ContentType=attachment.content_type,
        )
        attachment.uploaded = True
        return Response(status_code=200)

    async def download(self, request: Request) -> Response:
        """GET a download URL: the bytes from the attachments bucket."""
        try:
            attachment = self._authorised(request, "download")
        except (AccessDeniedException, ResourceNotFoundException) as error:
            return error.response()
        obj = await run_in_threadpool(
            self.s3.get_object,
            Bucket=self.config.attachments_bucket,
            Key=self._object_key(attachment),
        )
        data = await run_in_threadpool(obj["Body"].read)
        disposition = f"attachment; filename*=UTF-8''{quote(attachment.name)}"
        headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
        return Response(data, media_type=attachment.content_type, headers=headers)
