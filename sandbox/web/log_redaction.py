"""Keep bearer tokens and chat content out of the sandbox's logs.

uvicorn logs WebSocket handshakes as `"WebSocket /participant/websocket?token=..."` on its
`uvicorn.error` logger even with the access log off, and botocore's DEBUG lines carry request and
response bodies (transcripts, attachments, StartChatContact answers with ParticipantTokens). The
filters here are installed on those loggers by `install()`, which `uvicorn_config` calls, so both
`python -m sandbox` and `BackgroundServer` run with them.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# A path or URL with a query string: keep the path, drop the query (tokens, signatures).
_QUERY = re.compile(r"((?:[a-z]+://[^\s/?#\"']*)?/[^\s?#\"']*)\?[^\s#\"']*", re.IGNORECASE)
# Loggers that print request paths with their query strings.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
# botocore loggers whose DEBUG records include request/response headers and bodies.
BOTOCORE_BODY_LOGGERS = (
    "botocore.endpoint",
    "botocore.parsers",
    "botocore.auth",
    "botocore.hooks",
    "botocore.httpsession",
    "botocore.retryhandler",
    "botocore.awsrequest",
    "botocore.client",
    "botocore.regions",
)


def strip_query(text: str) -> str:
    """`text` with the query string of every path or URL in it removed."""
    return _QUERY.sub(r"\1", text) if "?" in text else text


def _strip_arg(value: Any) -> Any:
    return strip_query(value) if isinstance(value, str) else value


class StripQueryStrings(logging.Filter):
    """Remove query strings from a record's message and arguments (the record is changed in place).

    Also drops the WebSocket frame dumps websockets logs at DEBUG on uvicorn's logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.levelno < logging.INFO and any(type(arg).__name__ == "Frame" for arg in args):
            return False  # websockets' frame dumps (uvicorn.error at DEBUG) carry chat content
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_strip_arg(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _strip_arg(value) for key, value in record.args.items()}
        return True


class DropBelowInfo(logging.Filter):
    """Drop DEBUG records (botocore's carry bodies and headers, so tokens and chat content)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


def _add_once(logger: logging.Logger, kind: type[logging.Filter]) -> None:
    if not any(isinstance(existing, kind) for existing in logger.filters):
        logger.addFilter(kind())


def install() -> None:
    """Install the filters (idempotent; call after uvicorn has configured its logging)."""
    for name in UVICORN_LOGGERS:
        _add_once(logging.getLogger(name), StripQueryStrings)
    for name in BOTOCORE_BODY_LOGGERS:
        _add_once(logging.getLogger(name), DropBelowInfo)
