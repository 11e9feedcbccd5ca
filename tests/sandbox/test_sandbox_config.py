"""Sandbox configuration: the same deployment keys as cdk.json, then flags on top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.__main__ import DEFAULT_CONFIG, build_config, parse_args
from sandbox.config import DEFAULT_GREETING, ConfigError, SandboxConfig

pytestmark = pytest.mark.sandbox


def test_default_config_is_the_repository_cdk_json() -> None:
    # Given no --config, the sandbox reads the deployment's own settings
    args = parse_args([])
    assert args.config == DEFAULT_CONFIG
    config = build_config(args)
    assert config.greeting == DEFAULT_GREETING
    assert config.chat_concurrency == 10
    assert config.disconnect_wait_seconds == 43200


def test_cdk_json_context_and_flags_are_applied_in_order(tmp_path: Path) -> None:
    cdk_json = tmp_path / "cdk.json"
    context = {"greeting": "Hi from the file", "chatConcurrency": 3, "enableMarkdown": False, "hours": None}
    cdk_json.write_text(json.dumps({"app": "x", "context": context}))
    config = build_config(parse_args(["--config", str(cdk_json), "--chat-concurrency", "5"]))
    assert config.greeting == "Hi from the file"
    assert config.enable_markdown is False
    assert config.chat_concurrency == 5  # the flag wins over the file


def test_bad_file_values_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"chatConcurrency": 11}))
    with pytest.raises(ConfigError, match="chatConcurrency"):
        SandboxConfig.from_file(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="JSON object"):
        SandboxConfig.from_file(bad)
