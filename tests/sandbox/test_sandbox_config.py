"""Sandbox configuration: the same deployment keys as cdk.json, then flags on top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.__main__ import DEFAULT_CONFIG, build_config, parse_args
from sandbox.config import DEFAULT_GREETING, HONOURED_KEYS, ConfigError, SandboxConfig
from stacks.config import CONFIG_KEYS

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


def test_readme_says_which_config_keys_the_sandbox_honours() -> None:
    # README's configuration table: every key is either honoured locally or deploy-only with a reason.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("| key | meaning | default | limits | sandbox |", 1)[1].split("\n\n", 1)[0]
    rows = [line.removesuffix(" |") for line in table.splitlines() if line.startswith("| `")]
    column = {row.split("`")[1]: row.rsplit(" | ", 1)[1] for row in rows}
    assert set(column) == set(CONFIG_KEYS)
    for key, note in column.items():
        if key in HONOURED_KEYS:
            assert note == "honoured", key
        else:
            assert note.startswith("deploy-only: "), key


def test_without_a_file_the_sandbox_has_the_deployment_defaults() -> None:
    config = SandboxConfig()
    assert config.transcript_prefix == "connect/chat-transcripts"
    assert config.attachments_prefix == "connect/chat-attachments"
    with pytest.raises(ConfigError, match="hoursTimeZone"):
        SandboxConfig(hours_time_zone="Mars/Olympus_Mons")
