"""Chat transcripts written to S3 at chat end, in Connect's object format and key layout."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.contacts import Contact

log = logging.getLogger(__name__)

# Ephemeral and bookkeeping items are not part of the stored transcript.
_LEFT_OUT = {"MESSAGEMETADATA"}


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
    """Snapshot a contact's transcript (call on the event loop, upload from anywhere)."""
    items = [dict(item) for item in contact.items if item["Type"] not in _LEFT_OUT]
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
