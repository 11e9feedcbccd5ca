"""GetTranscript paging: StartPosition, ScanDirection, SortOrder, MaxResults and NextToken.

Semantics (service model documentation and observed ChatJS use):
- ScanDirection defaults to BACKWARD without a StartPosition (an empty one counts as none) and to
  FORWARD with one; SortOrder defaults to DESCENDING; MaxResults to 10.
- Without a StartPosition, BACKWARD starts at the most recent item and FORWARD at the oldest.
- `StartPosition.Id` is an exclusive anchor (ChatJS pages back from the oldest item it has).
  `AbsoluteTime` is inclusive. `MostRecent: n` starts at the n-th most recent item (0 = newest).
- Items are picked by scanning from the start in the scan direction, then the page is sorted.
- NextToken continues the same scan after the last item picked; it is opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from sandbox.web.errors import ValidationException

DEFAULT_MAX_RESULTS = 10
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$")


@dataclass(frozen=True)
class TranscriptPage:
    """One page of items and the token for the next, if any."""

    items: list[dict[str, Any]]
    next_token: str | None


def page(items: list[dict[str, Any]], request: dict[str, Any], contact_id: str) -> TranscriptPage:
    """Select a page of `items` (oldest first) for a validated GetTranscript request body."""
    max_results = request.get("MaxResults")
    limit = DEFAULT_MAX_RESULTS if max_results is None else max_results
    start_position = {k: v for k, v in (request.get("StartPosition") or {}).items() if v is not None}
    if len(start_position) > 1:
        raise ValidationException("StartPosition accepts only one of Id, AbsoluteTime and MostRecent")
    token = request.get("NextToken")
    if token:
        direction, start = _resume(items, token, contact_id)
    else:
        default_direction = "FORWARD" if start_position else "BACKWARD"
        direction = request.get("ScanDirection") or default_direction
        start = _start_index(items, start_position, direction)
    step = 1 if direction == "FORWARD" else -1
    picked: list[int] = []
    index = start
    while 0 <= index < len(items) and len(picked) < limit:
        picked.append(index)
        index += step
    more = bool(picked) and 0 <= index < len(items)
    next_token = _token(contact_id, direction, items[picked[-1]]["Id"]) if more else None
    picked.sort(reverse=(request.get("SortOrder") or "DESCENDING") == "DESCENDING")
    return TranscriptPage([items[i] for i in picked], next_token)


def _start_index(items: list[dict[str, Any]], position: dict[str, Any], direction: str) -> int:
    forward = direction == "FORWARD"
    if not position:
        return 0 if forward else len(items) - 1
    if "Id" in position:
        anchor = next((i for i, item in enumerate(items) if item["Id"] == position["Id"]), None)
        if anchor is None:
            raise ValidationException("StartPosition.Id does not name an item of this transcript")
        return anchor + 1 if forward else anchor - 1
    if "AbsoluteTime" in position:
        moment = position["AbsoluteTime"]
        if not isinstance(moment, str) or not _TIME.match(moment):
            raise ValidationException("StartPosition.AbsoluteTime must be like 2019-11-08T02:41:28.172Z")
        moment = _normalise(moment)
        if forward:
            return next((i for i, item in enumerate(items) if item["AbsoluteTime"] >= moment), len(items))
        return max((i for i, item in enumerate(items) if item["AbsoluteTime"] <= moment), default=-1)
    most_recent = int(position["MostRecent"])
    index = len(items) - 1 - most_recent
    return max(index, 0) if forward and items else index


def _normalise(moment: str) -> str:
    """Pad the fraction to milliseconds so string comparison with stored times is exact."""
    head, _, fraction = moment[:-1].partition(".")
    return f"{head}.{(fraction or '0').ljust(3, '0')}Z"


def _token(contact_id: str, direction: str, anchor_id: str) -> str:
    raw = json.dumps({"c": contact_id, "d": direction, "a": anchor_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _resume(items: list[dict[str, Any]], token: str, contact_id: str) -> tuple[str, int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        direction, anchor_id = data["d"], data["a"]
        valid = data["c"] == contact_id and direction in {"FORWARD", "BACKWARD"}
    except (ValueError, KeyError, TypeError, binascii.Error):
        valid = False
    if not valid:
        raise ValidationException("Invalid NextToken")
    anchor = next((i for i, item in enumerate(items) if item["Id"] == anchor_id), None)
    if anchor is None:
        raise ValidationException("Invalid NextToken")
    return direction, anchor + (1 if direction == "FORWARD" else -1)
