"""Typed environment of the start-chat Lambda, parsed once per container.

The CDK stack and the sandbox set these variables; the names are a contract with them:

=========================  ==========================================================  =================
variable                   meaning                                                     default
=========================  ==========================================================  =================
CONNECT_INSTANCE_ID        Amazon Connect instance id (or ARN)                         required
CONNECT_CONTACT_FLOW_ID    inbound contact flow id                                     required
ALLOWED_ORIGINS            JSON array of browser origins, e.g. ["https://a.example"]   ``[]``
ALLOWED_ATTRIBUTES         JSON array of contact attribute names the API forwards      ``["customerName"]``
CHAT_DURATION_MINUTES      default and maximum ChatDurationInMinutes, 60..10080        ``1500``
ENABLE_ATTACHMENTS         "true"/"false": featurePermissions.ATTACHMENTS              ``true``
ENABLE_MARKDOWN            "true"/"false": allow text/markdown messages                ``true``
=========================  ==========================================================  =================
"""

import functools
import json
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .models import (
    ATTRIBUTE_NAME_PATTERN,
    DEFAULT_CHAT_DURATION_MINUTES,
    MAX_CHAT_DURATION_MINUTES,
    MIN_CHAT_DURATION_MINUTES,
    RequestPolicy,
)

# scheme://host[:port], the form browsers send in the Origin header (no path, no trailing slash).
_ORIGIN_PATTERN = re.compile(r"^https?://[^/?#\s:]+(:[0-9]{1,5})?$", re.IGNORECASE)


class SettingsError(RuntimeError):
    """The Lambda's environment is missing a variable or holds an invalid value."""


def _json_array(value: Any, example: str) -> Any:
    """Decode an env var that holds a JSON array."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise PydanticCustomError(
            "json_array", "must be a JSON array of strings, e.g. {example}", {"example": example}
        ) from None


class Settings(BaseModel):
    """Deployment configuration read from the Lambda environment (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    connect_instance_id: Annotated[
        str, Field(validation_alias="CONNECT_INSTANCE_ID", min_length=1, max_length=100)
    ]
    connect_contact_flow_id: Annotated[
        str, Field(validation_alias="CONNECT_CONTACT_FLOW_ID", min_length=1, max_length=500)
    ]
    allowed_origins: Annotated[tuple[str, ...], Field(validation_alias="ALLOWED_ORIGINS")] = ()
    allowed_attributes: Annotated[tuple[str, ...], Field(validation_alias="ALLOWED_ATTRIBUTES")] = (
        "customerName",
    )
    chat_duration_minutes: Annotated[
        int,
        Field(
            validation_alias="CHAT_DURATION_MINUTES",
            ge=MIN_CHAT_DURATION_MINUTES,
            le=MAX_CHAT_DURATION_MINUTES,
        ),
    ] = DEFAULT_CHAT_DURATION_MINUTES
    enable_attachments: Annotated[bool, Field(validation_alias="ENABLE_ATTACHMENTS")] = True
    enable_markdown: Annotated[bool, Field(validation_alias="ENABLE_MARKDOWN")] = True

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _decode_origins(cls, value: Any) -> Any:
        return _json_array(value, '["https://www.example.com"]')

    @field_validator("allowed_attributes", mode="before")
    @classmethod
    def _decode_attributes(cls, value: Any) -> Any:
        return _json_array(value, '["customerName"]')

    @field_validator("allowed_origins")
    @classmethod
    def _check_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if not _ORIGIN_PATTERN.match(origin):
                raise PydanticCustomError(
                    "origin",
                    "'{origin}' is not an origin: use scheme://host[:port], no path or trailing slash",
                    {"origin": origin},
                )
        # Browsers send scheme and host in lower case.
        return tuple(origin.lower() for origin in origins)

    @field_validator("allowed_attributes")
    @classmethod
    def _check_attribute_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if not re.fullmatch(ATTRIBUTE_NAME_PATTERN, name):
                raise PydanticCustomError(
                    "attribute_name",
                    "'{name}' is not a valid attribute name (letters, digits, '-' and '_' only)",
                    {"name": name},
                )
        return names

    @property
    def request_policy(self) -> RequestPolicy:
        """The deployment-dependent rules a start-chat request is validated against."""
        return RequestPolicy(
            allowed_attributes=frozenset(self.allowed_attributes),
            markdown_enabled=self.enable_markdown,
            max_chat_duration_minutes=self.chat_duration_minutes,
        )


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse ``environ`` into :class:`Settings`, raising :class:`SettingsError` with every problem named."""
    # An empty variable counts as unset, so a stack can always set every name.
    present = {name: value for name, value in environ.items() if value != ""}
    try:
        return Settings.model_validate(present)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"Invalid start-chat environment: {problems}") from None


@functools.cache
def get_settings() -> Settings:
    """The container's settings, parsed from ``os.environ`` on first use.

    Tests that change the environment call ``get_settings.cache_clear()`` to parse it again.
    A failed parse is not cached: the next call reports the problem again.
    """
    return load_settings(os.environ)
