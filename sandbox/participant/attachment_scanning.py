"""Attachment scanning as Amazon Connect does it, in-process: the scanner Lambda's contract, a demo scanner.

Connect invokes the instance's scanner Lambda with the file's S3 location (admin guide, "Set up attachment
scanning") and shares the file only on `{"Status": "APPROVED"}`; an error, or no valid answer, marks it
REJECTED. The sandbox calls a Python callable with that same event, so the demo scanner below and a
scanner of your own written as a Lambda handler take the same input and give the same answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

APPROVED = "APPROVED"
REJECTED = "REJECTED"

# The anti-malware test file every scanner detects (eicar.org), split so that no scanner on a
# developer's machine quarantines this module.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

# A scanner: the Lambda's request in, its response out.
Scanner = Callable[[dict[str, Any]], dict[str, Any]]


def scan_request(
    *, instance_id: str, file_id: str, created_ms: int, name: str, size: int, bucket: str, key: str
) -> dict[str, Any]:
    """The request Connect sends the scanner Lambda for one uploaded attachment."""
    return {
        "Version": "1.0",
        "InstanceId": instance_id,
        "File": {
            "FileId": file_id,
            "FileCreationTime": created_ms,
            "FileName": name,
            "FileSizeInBytes": size,
            "FileLocation": {
                "S3Location": {"Key": key, "Bucket": bucket, "Arn": f"arn:aws:s3:::{bucket}/{key}"}
            },
        },
    }


def scan_status(scanner: Scanner, request: dict[str, Any]) -> str:
    """APPROVED or REJECTED: the scanner's answer, REJECTED when it fails or answers anything else."""
    try:
        answer = scanner(request)
    except Exception:  # a failing scanner must not share the file; Connect rejects it too
        logger.exception("attachment scanner failed; the attachment is rejected")
        return REJECTED
    status = answer.get("Status") if isinstance(answer, dict) else None
    if status not in (APPROVED, REJECTED):
        logger.warning("attachment scanner answered no valid Status; the attachment is rejected")
        return REJECTED
    return str(status)


class EicarScanner:
    """The sandbox's demo scanner: rejects a file holding the EICAR test string, approves any other.

    `read_object(bucket, key)` returns the object's bytes, as a Lambda scanner reads them from S3.
    """

    def __init__(self, read_object: Callable[[str, str], bytes]) -> None:
        self._read_object = read_object

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        """The scanner Lambda's contract: the request in, `{"Status": ...}` out."""
        location = request["File"]["FileLocation"]["S3Location"]
        data = self._read_object(location["Bucket"], location["Key"])
        return {"Status": REJECTED if EICAR in data else APPROVED}
