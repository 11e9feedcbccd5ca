"""Chat transcripts written to S3 at chat end, in Connect's object format and key layout."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from sandbox.contacts.model import Contact
from sandbox.contacts.signals import Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranscriptObject:
    """A transcript ready to upload: its key and JSON document."""

    key: str
    document: dict[str, Any]


def transcript_key(prefix: str, contact_id: str, started_at: float) -> str:
    """`<prefix>/<YYYY>/<MM>/<DD>/<ContactId>_<YYYYMMDD>T<hh>:<mm>_UTC.json` for the contact's start time."""
    moment = datetime.fromtimestamp(started_at, tz=UTC)
    name = f"{contact_id}_{moment:%Y%m%dT%H:%M}_UTC.json"
    return f"{prefix.strip('/')}/{moment:%Y/%m/%d}/{name}"


def build_transcript(contact: Contact, prefix: str, account_id: str) -> TranscriptObject:
    """Snapshot a contact's transcript (call on the event loop, upload from anywhere).

    Ephemeral items (typing, receipts pushed as MESSAGEMETADATA) are never in `contact.items`.
    """
    items = [dict(item) for item in contact.items]
    for item in items:
        item.pop("InitialContactId", None)
    document = {
        "Version": "2019-08-26",
        "AWSAccountId": account_id,
        "InstanceId": contact.instance_id,
        "InitialContactId": contact.initial_contact_id,
        "ContactId": contact.id,
        "Participants": [{"ParticipantId": pid} for pid in contact.participants],
        "Transcript": items,
    }
    return TranscriptObject(transcript_key(prefix, contact.id, contact.initiated_at), document)


class TranscriptWriter:
    """Uploads transcript objects with boto3 (blocking: run it in a worker thread)."""

    def __init__(self, s3: Any, bucket: str) -> None:
        self.s3 = s3
        self.bucket = bucket

    def write(self, transcript: TranscriptObject) -> None:
        """Put the transcript object in the bucket."""
        body = json.dumps(transcript.document, ensure_ascii=False).encode()
        self.s3.put_object(Bucket=self.bucket, Key=transcript.key, Body=body, ContentType="application/json")
        log.info("transcript written to s3://%s/%s", self.bucket, transcript.key)


class TranscriptArchiver:
    """Writes every ended contact's transcript, like Connect does, without blocking the event loop.

    Uploads run in worker threads; `drain` waits for those still running (shutdown, tests).
    """

    def __init__(self, contact_ended: Signal[[Contact]], prefix: str, account_id: str) -> None:
        self.prefix = prefix
        self.account_id = account_id
        # Set by `start` once S3 is up (the embedded S3 server starts with the app).
        self.writer: TranscriptWriter | None = None
        self._writes: set[asyncio.Task[None]] = set()
        contact_ended.connect(self._on_contact_ended)

    def start(self, writer: TranscriptWriter) -> None:
        """Write transcripts with `writer` from now on."""
        self.writer = writer

    async def drain(self) -> None:
        """Wait until every pending transcript upload has finished."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)

    def _on_contact_ended(self, contact: Contact) -> None:
        if self.writer is None:
            log.warning("contact %s ended before S3 was ready; transcript not written", contact.id)
            return
        transcript = build_transcript(contact, self.prefix, self.account_id)
        task = asyncio.get_running_loop().create_task(self._write(self.writer, transcript))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, writer: TranscriptWriter, transcript: TranscriptObject) -> None:
        try:
            await run_in_threadpool(writer.write, transcript)
        except Exception:
            log.exception("writing the transcript %s failed", transcript.key)
