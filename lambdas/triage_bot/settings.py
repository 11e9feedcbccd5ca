"""Typed configuration of the code hook: what the bot says and which topics it offers.

By default the container parses ``os.environ`` once (:func:`get_settings`); a host running the hook
in-process (the sandbox, tests) parses its own mapping with :func:`load_settings` and passes it.
A plain dataclass checked by hand, not a pydantic model: the hook's cold start stays near a bare
interpreter's (``bench/code_hook_cold_start.py``).
"""

import dataclasses
import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .environment import ENV_SCRIPT

# Amazon Connect shows at most this many elements in a ListPicker page.
MAX_LIST_PICKER_ELEMENTS = 6


class SettingsError(RuntimeError):
    """The hook's environment is missing its script or holds an invalid one."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass(frozen=True)
class Script:
    """Every line the bot says (JSON keys: these names in camelCase); ``{Topic}`` stands for the topic."""

    topics: tuple[str, ...]
    topic_question: str
    topic_subtitle: str
    retry_question: str
    confirm_question: str
    yes: str
    no: str
    handoff: str
    unmatched_handoff: str
    unmatched_topic: str
    return_question: str
    same_issue: str
    new_issue: str
    back_to_agent: str
    topic_attribute: str

    @classmethod
    def from_json(cls, data: object) -> "Script":
        """The script from its JSON object; SettingsError names every missing, unknown or invalid key."""
        if not isinstance(data, dict):
            raise SettingsError(f"{ENV_SCRIPT} must be a JSON object")
        keys = {_camel(field.name): field.name for field in dataclasses.fields(cls)}
        problems = [f"unknown key {key!r}" for key in data if key not in keys]
        problems += [f"{key} is missing" for key in keys if key not in data]
        values: dict[str, object] = {}
        for key, name in keys.items():
            value = data.get(key)
            if name == "topics":
                if not isinstance(value, list) or not 1 <= len(value) <= MAX_LIST_PICKER_ELEMENTS:
                    problems.append(f"topics must list 1 to {MAX_LIST_PICKER_ELEMENTS} topics")
                    continue
                value = tuple(value)
            for text in value if isinstance(value, tuple) else (value,):
                if key in data and (not isinstance(text, str) or not text.strip()):
                    problems.append(f"{key} must hold non-empty text")
            values[name] = value
        if problems:
            raise SettingsError(f"{ENV_SCRIPT} is invalid: " + "; ".join(dict.fromkeys(problems)))
        return cls(**values)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, object]:
        """The script as its JSON object (the inverse of :meth:`from_json`)."""
        return {
            _camel(field.name): list(value)
            if isinstance(value := getattr(self, field.name), tuple)
            else value
            for field in dataclasses.fields(self)
        }


@dataclass(frozen=True)
class Settings:
    """The code hook's settings."""

    script: Script


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse the hook's settings from an environment mapping; SettingsError says what is wrong."""
    raw = environ.get(ENV_SCRIPT)
    if raw is None:
        raise SettingsError(f"{ENV_SCRIPT} is not set: deploy the hook with code_hook_environment()")
    try:
        data = json.loads(raw)
    except ValueError:
        raise SettingsError(f"{ENV_SCRIPT} is not JSON") from None
    return Settings(Script.from_json(data))


@functools.cache
def get_settings() -> Settings:
    """The container's settings, parsed from ``os.environ`` once."""
    return load_settings(os.environ)
