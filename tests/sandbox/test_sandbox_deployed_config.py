"""The sandbox honours the deployment settings `--config` (or cdk.json) gives, not only the greeting.

Opening hours are checked on the sandbox's clock in the schedule's time zone: each test puts a manual clock
at a chosen local time, so nothing depends on when the suite runs.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from sandbox_helpers import contact_state, customer, transcript_keys, wait_until

from sandbox.__main__ import build_config, parse_args
from sandbox.clock import ManualClock
from sandbox.config import SandboxConfig

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")
CLOSED_MESSAGE = "Acme support is closed; we open at nine."
SETTINGS: dict[str, Any] = {
    "greeting": "Welcome to Acme support.",
    "closedMessage": CLOSED_MESSAGE,
    "continueMessage": "Our agent has left; write again within an hour to carry on.",
    "timeoutMessage": "This chat has closed after a quiet hour.",
    "disconnectWaitSeconds": 3600,
    "hoursTimeZone": "Europe/Berlin",
    # Monday office hours, and a Saturday late shift that runs past midnight into Sunday.
    "hours": {"MONDAY": {"start": "09:00", "end": "17:30"}, "SATURDAY": {"start": "22:00", "end": "02:00"}},
    "transcriptPrefix": "acme/chats",
}


def berlin_clock(when: tuple[int, int, int, int, int]) -> ManualClock:
    """A manual clock at a wall-clock time in Berlin (2026-03-02 is a Monday)."""
    year, month, day, hour, minute = when
    return ManualClock(start=datetime(year, month, day, hour, minute, tzinfo=BERLIN).timestamp())


def test_every_flow_and_storage_setting_of_the_file_is_honoured(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(SETTINGS))
    config = build_config(parse_args(["--config", str(config_file)]))
    assert config.closed_message == CLOSED_MESSAGE
    assert config.continue_message == SETTINGS["continueMessage"]
    assert config.timeout_message == SETTINGS["timeoutMessage"]
    assert config.transcript_prefix == "acme/chats"
    assert config.hours_time_zone == "Europe/Berlin"
    assert config.open_hours == ((0, 540, 1050), (5, 1320, 120))


def test_cdk_json_transcripts_go_where_the_deployment_puts_them() -> None:
    config = build_config(parse_args(["--config", str(ROOT / "cdk.json")]))
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    assert config.transcript_prefix == context["transcriptPrefix"]
    assert config.closed_message == context["closedMessage"]


@pytest.mark.parametrize(
    "when",
    [(2026, 3, 2, 20, 0), (2026, 3, 3, 10, 0), (2026, 3, 8, 2, 0)],
    ids=["monday-evening", "tuesday", "sunday-2am"],
)
def test_a_schedule_closed_now_refuses_the_chat_with_the_closed_message(make_server, when) -> None:
    server = make_server(clock=berlin_clock(when), config=SandboxConfig.from_values(SETTINGS))
    _, person = customer(server)
    assert person.sockets[0].message(role="SYSTEM")["Content"] == SETTINGS["greeting"]
    person.sockets[0].message(CLOSED_MESSAGE, role="SYSTEM")
    person.sockets[0].event("chat.ended")


@pytest.mark.parametrize(
    "when",
    [(2026, 3, 2, 9, 0), (2026, 3, 7, 23, 0), (2026, 3, 8, 1, 59)],
    ids=["monday-nine", "saturday", "sunday-1:59"],
)
def test_a_schedule_open_now_queues_the_chat(make_server, when) -> None:
    server = make_server(clock=berlin_clock(when), config=SandboxConfig.from_values(SETTINGS))
    started, person = customer(server)
    assert person.sockets[0].message(role="SYSTEM")["Content"] == SETTINGS["greeting"]
    wait_until(lambda: contact_state(server, started["ContactId"]) == "QUEUED")


def test_transcripts_are_written_under_the_configured_prefix(make_server, s3_endpoint) -> None:
    server = make_server(config=SandboxConfig.from_values({"transcriptPrefix": "acme/chats"}))
    started, person = customer(server)
    person.disconnect()
    person.sockets[0].event("chat.ended")
    server.run_async(server.sandbox.transcripts.drain)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    keys = transcript_keys(s3, server.sandbox.config.transcript_bucket, "acme/chats/", started["ContactId"])
    assert len(keys) == 1
