"""Typed configuration of the code hook: what the bot says and which topics it offers.

By default the container parses ``os.environ`` once (:func:`get_settings`); a host running the hook
in-process (the sandbox, tests) parses its own mapping with :func:`load_settings` and passes it.
"""

import functools
import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from .environment import ENV_SCRIPT

# Amazon Connect shows at most this many elements in a ListPicker page.
MAX_LIST_PICKER_ELEMENTS = 6


class SettingsError(RuntimeError):
    """The hook's environment is missing its script or holds an invalid one."""


class Script(BaseModel):
    """Every line the bot says; ``{Topic}`` in a line stands for the chosen topic."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)

    topics: tuple[str, ...] = Field(min_length=1, max_length=MAX_LIST_PICKER_ELEMENTS)
    topic_question: str = Field(min_length=1)
    topic_subtitle: str = Field(min_length=1)
    retry_question: str = Field(min_length=1)
    confirm_question: str = Field(min_length=1)
    yes: str = Field(min_length=1)
    no: str = Field(min_length=1)
    handoff: str = Field(min_length=1)
    unmatched_handoff: str = Field(min_length=1)
    unmatched_topic: str = Field(min_length=1)
    return_question: str = Field(min_length=1)
    same_issue: str = Field(min_length=1)
    new_issue: str = Field(min_length=1)
    back_to_agent: str = Field(min_length=1)
    topic_attribute: str = Field(min_length=1)


class Settings(BaseModel):
    """The code hook's settings."""

    model_config = ConfigDict(frozen=True)

    script: Script


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse the hook's settings from an environment mapping; SettingsError says what is wrong."""
    raw = environ.get(ENV_SCRIPT)
    if raw is None:
        raise SettingsError(f"{ENV_SCRIPT} is not set: deploy the hook with code_hook_environment()")
    try:
        return Settings(script=Script.model_validate_json(raw))
    except ValidationError as error:
        raise SettingsError(f"{ENV_SCRIPT} is invalid: {error}") from None


@functools.cache
def get_settings() -> Settings:
    """The container's settings, parsed from ``os.environ`` once."""
    return load_settings(os.environ)
