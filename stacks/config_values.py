"""The formats of single deployment config values, as annotated types for :mod:`stacks.config`.

Each type checks one value and says in its message how to find or write a right one; rules that relate
several keys stay in ``DeploymentConfig``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator

from lambdas.start_chat.chat_timeouts import MAX_TIMER_MINUTES, MIN_TIMER_MINUTES
from lambdas.start_chat.models import ATTRIBUTE_NAME_PATTERN

# Retention values CloudWatch Logs accepts (RetentionInDays).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

INSTANCE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[0-9a-f-]{36}$")
CONNECT_RESOURCE_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[0-9a-f-]{36}/[a-z-]+/[0-9a-f-]{36}$"
)
FLOW_ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INSTANCE_ALIAS_PATTERN = re.compile(r"^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$")
# The start-chat API's own rule for attribute names: a key it would refuse is refused at deploy.
ATTRIBUTE_KEY_PATTERN = re.compile(ATTRIBUTE_NAME_PATTERN)
LEX_ALIAS_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias/[A-Za-z0-9]+/[A-Za-z0-9]+$"
)
# A function in the instance's account and Region; Connect takes no alias or version for the scanner.
SCANNER_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$")
LAYER_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[\w-]+:\d+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ORIGIN_PATTERN = re.compile(r"^(https://[a-z0-9.-]+(:\d{1,5})?|http://(localhost|127\.0\.0\.1)(:\d{1,5})?)$")
KEY_PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9!_.*'()/-]{1,128}$")


T = TypeVar("T")


def _matching(pattern: re.Pattern[str], message: str) -> AfterValidator:
    """A check that the whole value matches ``pattern``, failing with ``message``."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


def _checked(check: Callable[[T], None]) -> AfterValidator:
    """A check that raises ``ValueError`` for a wrong value and returns nothing for a right one."""

    def run(value: T) -> T:
        check(value)
        return value

    return AfterValidator(run)


def _origins(value: tuple[str, ...]) -> None:
    for item in value:
        if not ORIGIN_PATTERN.match(item):
            raise ValueError(
                f"{item!r} is not an origin: use scheme://host[:port] with no path or trailing slash, "
                "https only (http is allowed for localhost and 127.0.0.1), lower-case host"
            )
    if len(set(value)) != len(value):
        raise ValueError("lists the same origin twice")


def _attribute_keys(value: tuple[str, ...]) -> None:
    for key in value:
        if not ATTRIBUTE_KEY_PATTERN.match(key) or len(key) > 128:
            raise ValueError(f"{key!r} is not a valid attribute key (letters, digits, '-' and '_')")


def _timer_minutes(value: int) -> None:
    if not MIN_TIMER_MINUTES <= value <= MAX_TIMER_MINUTES:
        raise ValueError(
            f"must be {MIN_TIMER_MINUTES} to {MAX_TIMER_MINUTES} minutes (Amazon Connect's bounds), "
            "or left out to turn the timer off"
        )


def _instance_alias(value: str) -> None:
    if not (1 <= len(value) <= 45) or not INSTANCE_ALIAS_PATTERN.match(value):
        raise ValueError(
            "must be 1-45 letters, digits and inner hyphens, not starting with 'd-' "
            "(it becomes https://ALIAS.my.connect.aws, so it must be unique)"
        )


def _email(value: str) -> None:
    if not EMAIL_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")


def _time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)"
        ) from None


def _log_retention(value: int) -> None:
    if value not in LOG_RETENTION_DAYS:
        raise ValueError(f"must be one of the values CloudWatch Logs accepts: {list(LOG_RETENTION_DAYS)}")


def _key_prefix(value: str) -> None:
    if not KEY_PREFIX_PATTERN.match(value) or value.startswith("/") or value.endswith("/"):
        raise ValueError("must be an S3 key prefix without leading or trailing '/'")


Origins = Annotated[tuple[str, ...], _checked(_origins)]
AttributeKeys = Annotated[tuple[str, ...], _checked(_attribute_keys)]
TimerMinutes = Annotated[int, _checked(_timer_minutes)]
InstanceArn = Annotated[
    str,
    _matching(
        INSTANCE_ARN_PATTERN,
        "must look like arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID "
        "(Amazon Connect console → your instance → Instance ARN)",
    ),
]
ConnectResourceArn = Annotated[
    str,
    _matching(CONNECT_RESOURCE_ARN_PATTERN, "must be the full ARN of a resource in your Connect instance"),
]
FlowId = Annotated[
    str, _matching(FLOW_ID_PATTERN, "must be a flow id (a UUID, the last part of the flow's ARN)")
]
InstanceAlias = Annotated[str, _checked(_instance_alias)]
LexBotAliasArn = Annotated[
    str,
    _matching(
        LEX_ALIAS_ARN_PATTERN,
        "must be a Lex V2 bot alias ARN: arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS",
    ),
]
ScannerLambdaArn = Annotated[
    str,
    _matching(
        SCANNER_ARN_PATTERN,
        "must be a Lambda function ARN without alias or version: "
        "arn:aws:lambda:REGION:ACCOUNT:function:NAME (in the instance's account and Region)",
    ),
]
LayerVersionArn = Annotated[
    str,
    _matching(
        LAYER_ARN_PATTERN,
        "must be a Lambda layer version ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION",
    ),
]
Email = Annotated[str, _checked(_email)]
TimeZoneName = Annotated[str, _checked(_time_zone)]
LogRetentionDays = Annotated[int, _checked(_log_retention)]
KeyPrefix = Annotated[str, _checked(_key_prefix)]
