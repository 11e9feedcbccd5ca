"""GetTranscript paging in every direction, over boto3, plus a property test of the paging rules."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import customer

from sandbox.participant import transcript_paging

pytestmark = pytest.mark.sandbox

COUNT = 25


@pytest.fixture
def chat(server):
    """A chat whose transcript is the customer's joined event, the greeting and then 25 messages m00..m24."""
    _, person = customer(server, socket=False)
    for index in range(COUNT):
        person.send(f"m{index:02d}")
    everything = person.transcript(MaxResults=100, ScanDirection="FORWARD", SortOrder="ASCENDING")[
        "Transcript"
    ]
    return person, everything


def texts(items):
    return [item.get("Content", item["ContentType"].rsplit(".", 1)[-1]) for item in items]


def test_defaults_are_backward_from_the_newest_sorted_descending(chat):
    person, _everything = chat
    page = person.transcript()
    assert texts(page["Transcript"]) == [f"m{i:02d}" for i in range(24, 14, -1)]
    assert page["NextToken"]
    assert page["InitialContactId"]


def test_chatjs_first_page_and_older_pages(chat):
    person, everything = chat
    # ChatJS: the most recent 15, oldest first
    first = person.transcript(
        MaxResults=15, ScanDirection="BACKWARD", SortOrder="ASCENDING", StartPosition={}
    )
    assert texts(first["Transcript"]) == [f"m{i:02d}" for i in range(10, 25)]
    # ChatJS: older page anchored on the oldest item it has; the anchor is excluded
    older = person.transcript(
        MaxResults=15,
        ScanDirection="BACKWARD",
        SortOrder="ASCENDING",
        StartPosition={"Id": first["Transcript"][0]["Id"]},
    )
    assert [i["Id"] for i in older["Transcript"]] == [i["Id"] for i in everything[:-15]]
    assert texts(older["Transcript"])[-10:] == [f"m{i:02d}" for i in range(10)]
    assert "NextToken" not in older


@pytest.mark.parametrize("direction", ["FORWARD", "BACKWARD"])
@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
def test_next_token_walks_everything_once(chat, direction, order):
    person, everything = chat
    seen, token = [], None
    for _ in range(10):
        kwargs = {"NextToken": token} if token else {}
        page = person.transcript(MaxResults=7, ScanDirection=direction, SortOrder=order, **kwargs)
        items = page["Transcript"]
        times = [i["AbsoluteTime"] for i in items]
        assert times == sorted(times, reverse=order == "DESCENDING")
        seen += items
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(i["Id"] for i in seen) == sorted(i["Id"] for i in everything)
    assert len(seen) == len(everything)


def test_start_position_id_forward_excludes_the_anchor(chat):
    person, everything = chat
    anchor = everything[5]
    page = person.transcript(StartPosition={"Id": anchor["Id"]}, MaxResults=3, SortOrder="ASCENDING")
    assert [i["Id"] for i in page["Transcript"]] == [i["Id"] for i in everything[6:9]]


def test_start_position_absolute_time_is_inclusive(chat):
    person, everything = chat
    moment = everything[10]["AbsoluteTime"]
    forward = person.transcript(StartPosition={"AbsoluteTime": moment}, MaxResults=2, SortOrder="ASCENDING")
    assert [i["Id"] for i in forward["Transcript"]] == [i["Id"] for i in everything[10:12]]
    backward = person.transcript(
        StartPosition={"AbsoluteTime": moment}, ScanDirection="BACKWARD", MaxResults=2, SortOrder="ASCENDING"
    )
    assert [i["Id"] for i in backward["Transcript"]] == [i["Id"] for i in everything[9:11]]


def test_start_position_most_recent(chat):
    person, everything = chat
    page = person.transcript(
        StartPosition={"MostRecent": 2}, ScanDirection="BACKWARD", MaxResults=3, SortOrder="ASCENDING"
    )
    assert [i["Id"] for i in page["Transcript"]] == [i["Id"] for i in everything[-5:-2]]
    forward = person.transcript(StartPosition={"MostRecent": 2}, MaxResults=10, SortOrder="ASCENDING")
    assert [i["Id"] for i in forward["Transcript"]] == [i["Id"] for i in everything[-3:]]


@pytest.mark.parametrize(
    "request_",
    [
        {"StartPosition": {"Id": "a", "MostRecent": 1}},
        {"StartPosition": {"Id": "not-an-item"}},
        {"StartPosition": {"AbsoluteTime": "yesterday"}},
        {"NextToken": "garbage"},
        {"MaxResults": 101},
        {"ScanDirection": "SIDEWAYS"},
        {"SortOrder": "RANDOM"},
        {"StartPosition": {"MostRecent": 101}},
    ],
)
def test_invalid_paging_requests_are_validation_errors(chat, server, request_):
    person, _ = chat
    client = boto3.client(
        "connectparticipant", endpoint_url=server.url, config=Config(parameter_validation=False)
    )
    with pytest.raises(ClientError) as caught:
        client.get_transcript(ConnectionToken=person.connection_token, **request_)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_contact_id_outside_the_chain_is_denied(chat):
    person, _ = chat
    with pytest.raises(ClientError) as caught:
        person.transcript(ContactId="someone-else")
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"


def _items(count: int) -> list[dict]:
    return [{"Id": f"id{i}", "AbsoluteTime": f"2024-01-01T00:00:{i:02d}.000Z"} for i in range(count)]


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(0, 40),
    limit=st.integers(1, 12),
    direction=st.sampled_from(["FORWARD", "BACKWARD"]),
    order=st.sampled_from(["ASCENDING", "DESCENDING"]),
)
def test_paging_property_every_item_once_in_scan_order(count, limit, direction, order):
    items = _items(count)
    seen: list[str] = []
    token = None
    for _ in range(count + 2):
        request = {"MaxResults": limit, "ScanDirection": direction, "SortOrder": order}
        if token:
            request["NextToken"] = token
        page = transcript_paging.page(items, request, "c")
        ids = [i["Id"] for i in page.items]
        assert len(ids) <= limit
        assert ids == sorted(ids, key=lambda x: int(x[2:]), reverse=order == "DESCENDING")
        seen += sorted(ids, key=lambda x: int(x[2:]), reverse=direction == "BACKWARD")
        token = page.next_token
        if token is None:
            break
    expected = [i["Id"] for i in (items if direction == "FORWARD" else list(reversed(items)))]
    assert seen == expected
