"""Metrics as Amazon Connect reports them, read with boto3 `connect` from a running sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import (
    Participant,
    accept,
    advance,
    agent_api,
    connect_client,
    customer,
    login_agent,
    start_chat,
)

from sandbox.agents.routing import OFFER_SECONDS

pytestmark = pytest.mark.sandbox

CURRENT = [
    ("AGENTS_ONLINE", "COUNT"),
    ("AGENTS_AVAILABLE", "COUNT"),
    ("AGENTS_ON_CONTACT", "COUNT"),
    ("AGENTS_NON_PRODUCTIVE", "COUNT"),
    ("CONTACTS_IN_QUEUE", "COUNT"),
    ("OLDEST_CONTACT_AGE", "SECONDS"),
    ("SLOTS_ACTIVE", "COUNT"),
    ("SLOTS_AVAILABLE", "COUNT"),
]


def current(server, **extra):
    config = server.sandbox.config
    request = {
        "InstanceId": config.instance_id,
        "Filters": {"Queues": [config.queue_id], "Channels": ["CHAT"]},
        "CurrentMetrics": [{"Name": name, "Unit": unit} for name, unit in CURRENT],
        **extra,
    }
    return connect_client(server).get_current_metric_data(**request)


def values(result):
    return {c["Metric"]["Name"]: c["Value"] for c in result["Collections"]}


def test_current_metrics_follow_agents_and_the_queue(clocked_server, manual_clock):
    # Given an agent on Break, and an Available agent with two slots holding one chat and one offer
    on_break = login_agent(clocked_server, "Bea")
    agent_api(clocked_server).put(f"/sandbox/agents/{on_break}/status", json={"status": "Break"})
    busy = login_agent(clocked_server, "Al", concurrency=2)
    first, _ = customer(clocked_server, name="One")
    accept(clocked_server, busy, first["ContactId"])
    customer(clocked_server, name="Two")  # offered to Al
    customer(clocked_server, name="Three")  # waits: Al is full, Bea on Break
    advance(clocked_server, manual_clock, 10)
    # When metrics are read by queue
    answer = current(clocked_server, Groupings=["QUEUE"])
    # Then
    (result,) = answer["MetricResults"]
    assert result["Dimensions"]["Queue"]["Id"] == clocked_server.sandbox.config.queue_id
    assert result["Dimensions"]["Queue"]["Arn"].endswith(f"/queue/{clocked_server.sandbox.config.queue_id}")
    assert values(result) == {
        "AGENTS_ONLINE": 2,
        "AGENTS_AVAILABLE": 1,
        "AGENTS_ON_CONTACT": 1,
        "AGENTS_NON_PRODUCTIVE": 1,
        "CONTACTS_IN_QUEUE": 2,
        "OLDEST_CONTACT_AGE": 10,
        "SLOTS_ACTIVE": 2,
        "SLOTS_AVAILABLE": 0,
    }
    assert answer["DataSnapshotTime"] == datetime.fromtimestamp(manual_clock.now(), UTC)
    assert answer["ApproximateTotalCount"] == 1


def test_current_metrics_filter_by_channel(clocked_server):
    login_agent(clocked_server)
    chat = values(current(clocked_server)["MetricResults"][0])
    assert chat["AGENTS_ONLINE"] == 1 and chat["SLOTS_AVAILABLE"] == 2
    config = clocked_server.sandbox.config
    voice = current(
        clocked_server,
        Filters={"Queues": [config.queue_id], "Channels": ["VOICE", "CHAT"]},
        Groupings=["CHANNEL"],
    )["MetricResults"]
    by_channel = {r["Dimensions"]["Channel"]: values(r)["AGENTS_ONLINE"] for r in voice}
    assert by_channel == {"VOICE": 0, "CHAT": 1}


@pytest.mark.parametrize(
    "change",
    [
        {"Filters": {"Channels": ["CHAT"]}},
        {"Filters": {"Queues": ["q"], "RoutingProfiles": ["rp"]}},
        {"CurrentMetrics": [{"Name": "OLDEST_CONTACT_AGE", "Unit": "COUNT"}]},
        {"CurrentMetrics": [{"Name": "NOT_A_METRIC", "Unit": "COUNT"}]},
        {"Groupings": ["ROUTING_PROFILE"]},
    ],
)
def test_current_metrics_refuse_what_connect_refuses(clocked_server, change):
    with pytest.raises(ClientError) as raised:
        current(clocked_server, **change)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"


def historical(server, start, end, metrics, filters=None, **extra):
    config = server.sandbox.config
    return connect_client(server).get_metric_data_v2(
        ResourceArn=server.sandbox.connect.instance_arn,
        StartTime=datetime.fromtimestamp(start, UTC),
        EndTime=datetime.fromtimestamp(end, UTC),
        Filters=filters or [{"FilterKey": "QUEUE", "FilterValues": [config.queue_id]}],
        Metrics=metrics,
        **extra,
    )["MetricResults"]


def test_historical_metrics_count_misses_creations_queues_and_handled(clocked_server, manual_clock):
    start = manual_clock.now()
    # Given a chat whose customer has not connected yet (the flow has not queued it)
    waiting = start_chat(clocked_server, "Wes")
    # And a chat first offered to Al, who lets the 20 s pass, then accepted by Bo
    first, _ = customer(clocked_server, name="Ann")
    al = login_agent(clocked_server, "Al")
    advance(clocked_server, manual_clock, OFFER_SECONDS)
    bo = login_agent(clocked_server, "Bo")
    accept(clocked_server, bo, first["ContactId"])
    advance(clocked_server, manual_clock, 1)
    names = ["CONTACTS_QUEUED", "CONTACTS_HANDLED", "AGENT_NON_RESPONSE"]
    metrics = [{"Name": name} for name in names]
    # Then only the chat the flow transferred to the queue counts as queued
    (total,) = historical(clocked_server, start, manual_clock.now(), metrics)
    assert values(total) == {"CONTACTS_QUEUED": 1, "CONTACTS_HANDLED": 1, "AGENT_NON_RESPONSE": 1}
    by_agent = historical(clocked_server, start, manual_clock.now(), metrics, Groupings=["AGENT"])
    assert {r["Dimensions"]["AGENT"]: values(r) for r in by_agent} == {
        al: {"CONTACTS_QUEUED": 0, "CONTACTS_HANDLED": 0, "AGENT_NON_RESPONSE": 1},
        bo: {"CONTACTS_QUEUED": 0, "CONTACTS_HANDLED": 1, "AGENT_NON_RESPONSE": 0},
    }
    # When the waiting customer connects, the flow queues that chat: now it counts
    wes = Participant(clocked_server, waiting["ParticipantToken"])
    wes.connect()
    wes.open_socket()
    advance(clocked_server, manual_clock, 1)
    (total,) = historical(clocked_server, start, manual_clock.now(), metrics[:1])
    assert values(total) == {"CONTACTS_QUEUED": 2}
    # A time range before any of it counts nothing
    (before,) = historical(clocked_server, start - 60, start, metrics)
    assert set(values(before).values()) == {0}


def test_contacts_created_by_initiation_method(clocked_server, manual_clock):
    start = manual_clock.now()
    customer(clocked_server, name="Ann")
    customer(clocked_server, name="Cy")
    advance(clocked_server, manual_clock, 1)
    end = manual_clock.now()
    created = [{"Name": "CONTACTS_CREATED"}]
    (grouped,) = historical(clocked_server, start, end, created, Groupings=["INITIATION_METHOD"])
    assert grouped["Dimensions"] == {"INITIATION_METHOD": "API"}
    assert values(grouped) == {"CONTACTS_CREATED": 2}
    api_only = [
        {
            "Name": "CONTACTS_CREATED",
            "MetricFilters": [{"MetricFilterKey": "INITIATION_METHOD", "MetricFilterValues": ["API"]}],
        }
    ]
    assert values(historical(clocked_server, start, end, api_only)[0]) == {"CONTACTS_CREATED": 2}
    inbound = [
        {
            "Name": "CONTACTS_CREATED",
            "MetricFilters": [{"MetricFilterKey": "INITIATION_METHOD", "MetricFilterValues": ["INBOUND"]}],
        }
    ]
    assert values(historical(clocked_server, start, end, inbound)[0]) == {"CONTACTS_CREATED": 0}
    by_filter = [
        {"FilterKey": "QUEUE", "FilterValues": [clocked_server.sandbox.config.queue_id]},
        {"FilterKey": "INITIATION_METHOD", "FilterValues": ["API"]},
    ]
    assert values(historical(clocked_server, start, end, created, by_filter)[0]) == {"CONTACTS_CREATED": 2}


def test_historical_metrics_refuse_what_connect_refuses(clocked_server, manual_clock):
    now = manual_clock.now()
    queue = [{"FilterKey": "QUEUE", "FilterValues": [clocked_server.sandbox.config.queue_id]}]
    cases = [
        (now - 60, now + 3600, [{"Name": "CONTACTS_QUEUED"}], queue),  # EndTime in the future
        (now, now - 60, [{"Name": "CONTACTS_QUEUED"}], queue),  # backwards
        (now - 40 * 86400, now, [{"Name": "CONTACTS_QUEUED"}], queue),  # over 35 days
        (now - 60, now, [{"Name": "CONTACTS_QUEUED"}], [{"FilterKey": "CHANNEL", "FilterValues": ["CHAT"]}]),
        (now - 60, now, [{"Name": "NOT_A_METRIC"}], queue),
        (now - 60, now, [{"Name": "CONTACTS_CREATED"}], [{"FilterKey": "AGENT", "FilterValues": ["a"]}]),
    ]
    for start, end, metrics, filters in cases:
        with pytest.raises(ClientError) as raised:
            historical(clocked_server, start, end, metrics, filters)
        assert raised.value.response["Error"]["Code"] == "InvalidParameterException", (metrics, filters)


def test_describe_contact_reports_api_initiation_and_the_handling_agent(clocked_server, manual_clock):
    started, _ = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    advance(clocked_server, manual_clock, 3)
    accept(clocked_server, agent_id, started["ContactId"])
    contact = connect_client(clocked_server).describe_contact(
        InstanceId=clocked_server.sandbox.config.instance_id, ContactId=started["ContactId"]
    )["Contact"]
    assert contact["InitiationMethod"] == "API"
    assert contact["AgentInfo"]["Id"] == agent_id
    assert contact["AgentInfo"]["ConnectedToAgentTimestamp"] == datetime.fromtimestamp(
        manual_clock.now(), UTC
    )
