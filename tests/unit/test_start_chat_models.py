"""Start-chat request validation: Connect's limits, the deployment's policy, and properties over any input."""

from __future__ import annotations

import re
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdas.start_chat import models
from lambdas.start_chat.models import (
    RequestPolicy,
    StartChatRequest,
    StartChatValidationError,
    validate_start_chat_request,
)
from lambdas.start_chat.settings import Settings
from lambdas.start_chat.start_chat import build_start_chat_params

pytestmark = pytest.mark.unit

POLICY = RequestPolicy(
    allowed_attributes=frozenset({"customerName", "orderId"}),
    markdown_enabled=True,
    max_chat_duration_minutes=1500,
)
KNOWN_CONTENT_TYPES = [
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
]


def _input_shape() -> Any:
    operation = (
        botocore.session.get_session().get_service_model("connect").operation_model("StartChatContact")
    )
    assert operation.input_shape is not None
    return operation.input_shape


INPUT_SHAPE = _input_shape()


def fields_of(error: StartChatValidationError) -> list[str]:
    """The failing field paths."""
    return [problem.field for problem in error.problems]


def valid(**overrides: Any) -> dict[str, Any]:
    """A minimal valid body with ``overrides``."""
    return {"ParticipantDetails": {"DisplayName": "Ada"}, **overrides}


def rejects(payload: Any, policy: RequestPolicy = POLICY) -> list[str]:
    """The fields named when ``payload`` is rejected (fails the test if it is accepted)."""
    with pytest.raises(StartChatValidationError) as caught:
        validate_start_chat_request(payload, policy)
    return fields_of(caught.value)


# --- the model's limits are Connect's --------------------------------------------------------------


def _member(*path: str) -> Any:
    shape = INPUT_SHAPE
    for name in path:
        shape = shape.members[name]
    return shape


def test_limits_match_the_botocore_service_model() -> None:
    # Given the StartChatContact input shape of the installed botocore
    # When its limits are read
    display_name = _member("ParticipantDetails", "DisplayName")
    duration = _member("ChatDurationInMinutes")
    token = _member("ClientToken")
    source = _member("PersistentChat", "SourceContactId")
    rehydration = _member("PersistentChat", "RehydrationType")

    # Then the request model uses the same ones
    assert (display_name.metadata["min"], display_name.metadata["max"]) == (1, models.MAX_DISPLAY_NAME_LENGTH)
    assert (duration.metadata["min"], duration.metadata["max"]) == (
        models.MIN_CHAT_DURATION_MINUTES,
        models.MAX_CHAT_DURATION_MINUTES,
    )
    assert token.metadata["max"] == models.MAX_CLIENT_TOKEN_LENGTH
    assert source.metadata["max"] == models.MAX_CONTACT_ID_LENGTH
    assert set(rehydration.enum) == {"ENTIRE_PAST_SESSION", "FROM_SEGMENT"}
    documented = _member("SupportedMessagingContentTypes").documentation
    assert set(re.findall(r"<code>([a-z]+/[a-z0-9.\-]+)</code>", documented)) == set(KNOWN_CONTENT_TYPES)


# --- examples --------------------------------------------------------------------------------------


def test_display_name_is_trimmed() -> None:
    # Given a name with surrounding whitespace
    # When it is validated
    request = validate_start_chat_request(valid(ParticipantDetails={"DisplayName": "  Ada L. \n"}), POLICY)

    # Then the trimmed name is kept
    assert request.ParticipantDetails.DisplayName == "Ada L."


@pytest.mark.parametrize(
    "display_name",
    ["", "   ", "x" * 257, None, 42, ["Ada"]],
    ids=["empty", "blank", "long", "null", "int", "list"],
)
def test_display_name_limits(display_name: Any) -> None:
    # Given an invalid display name
    # When it is validated
    # Then the field is named
    assert rejects(valid(ParticipantDetails={"DisplayName": display_name})) == [
        "ParticipantDetails.DisplayName"
    ]


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "Please enter a name (it cannot be empty or only spaces)."),
        ("  \t ", "Please enter a name (it cannot be empty or only spaces)."),
        ("x" * 257, "A name can be at most 256 characters."),
    ],
    ids=["empty", "blank", "long"],
)
def test_display_name_problems_read_as_written_for_a_person(display_name: str, message: str) -> None:
    # Given a blank or too long name (pydantic's own words were "Value should have at least 1 item")
    # When it is validated
    with pytest.raises(StartChatValidationError) as caught:
        validate_start_chat_request(valid(ParticipantDetails={"DisplayName": display_name}), POLICY)

    # Then the message says what is wrong in words a person uses
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("ParticipantDetails.DisplayName", message)
    ]


def test_display_name_of_256_characters_after_trimming_is_accepted() -> None:
    # Given 256 characters padded with spaces
    # When validated
    request = validate_start_chat_request(
        valid(ParticipantDetails={"DisplayName": f"  {'é' * 256}  "}), POLICY
    )

    # Then it passes
    assert len(request.ParticipantDetails.DisplayName) == 256


def test_only_allowed_attributes_are_kept_and_dropped_ones_counted() -> None:
    # Given allowed and other attributes
    payload = valid(Attributes={"customerName": "Ada", "orderId": "42", "tier": "gold", "segment": "x"})

    # When validated
    request = validate_start_chat_request(payload, POLICY)

    # Then only the allowed ones remain, and the others are counted
    assert request.Attributes == {"customerName": "Ada", "orderId": "42"}
    assert request.dropped_attribute_count == 2


def test_attribute_size_counts_forwarded_utf8_bytes() -> None:
    # Given forwarded attributes exactly at the limit in UTF-8 bytes, plus a large dropped one
    name_bytes = len(b"customerName")
    at_limit = "é" * ((models.MAX_ATTRIBUTES_BYTES - name_bytes) // 2)
    payload = valid(Attributes={"customerName": at_limit, "dropped": "x" * 100_000})

    # When validated, then it passes; one byte more does not
    assert validate_start_chat_request(payload, POLICY).Attributes == {"customerName": at_limit}
    assert rejects(valid(Attributes={"customerName": at_limit + "x"})) == ["Attributes"]


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"first name": "Ada"}, "Attributes.first name"),
        ({"": "Ada"}, "Attributes."),
        ({"customerName": 7}, "Attributes.customerName"),
        ({"customerName": None}, "Attributes.customerName"),
        (["customerName"], "Attributes"),
    ],
)
def test_attribute_names_and_values(attributes: Any, field: str) -> None:
    # Given an invalid attribute map
    # When validated
    # Then the entry is named
    assert rejects(valid(Attributes=attributes)) == [field]


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"ContentType": "text/html", "Content": "hi"}, "InitialMessage.ContentType"),
        ({"ContentType": "application/json", "Content": "{}"}, "InitialMessage.ContentType"),
        ({"ContentType": "text/plain", "Content": ""}, "InitialMessage.Content"),
        ({"ContentType": "text/plain", "Content": " \n "}, "InitialMessage.Content"),
        ({"ContentType": "text/plain", "Content": "x" * 1025}, "InitialMessage.Content"),
        ({"Content": "hi"}, "InitialMessage.ContentType"),
    ],
)
def test_initial_message_limits(message: dict[str, Any], field: str) -> None:
    # Given an invalid initial message
    # When validated
    # Then the field is named
    assert rejects(valid(InitialMessage=message)) == [field]


def test_markdown_depends_on_the_deployment() -> None:
    # Given markdown in the initial message and the content types
    payload = valid(
        InitialMessage={"ContentType": "text/markdown", "Content": "**hi**"},
        SupportedMessagingContentTypes=["text/plain", "text/markdown"],
    )
    without_markdown = RequestPolicy(frozenset(), markdown_enabled=False, max_chat_duration_minutes=1500)

    # When validated with markdown on, then off
    validate_start_chat_request(payload, POLICY)
    fields = rejects(payload, without_markdown)

    # Then only the deployment without markdown rejects both fields
    assert fields == ["InitialMessage.ContentType", "SupportedMessagingContentTypes"]


@pytest.mark.parametrize(
    "types",
    [[], ["text/markdown"], ["text/plain", "text/plain"], ["text/plain", "image/png"], "text/plain"],
    ids=["empty", "no-plain", "duplicate", "unknown", "not-a-list"],
)
def test_supported_content_types(types: Any) -> None:
    # Given an invalid list
    # When validated
    fields = rejects(valid(SupportedMessagingContentTypes=types))

    # Then the list (or its bad item) is named
    assert fields[0].startswith("SupportedMessagingContentTypes")


def test_every_known_content_type_is_accepted() -> None:
    # Given all the types Connect documents
    # When validated
    request = validate_start_chat_request(valid(SupportedMessagingContentTypes=KNOWN_CONTENT_TYPES), POLICY)

    # Then they pass unchanged
    assert request.SupportedMessagingContentTypes == KNOWN_CONTENT_TYPES


@pytest.mark.parametrize("minutes", [59, 10081, 1501, "120", 120.0, True], ids=str)
def test_chat_duration_limits(minutes: Any) -> None:
    # Given a duration outside 60..deployment maximum, or not an integer
    # When validated
    # Then it is rejected
    assert rejects(valid(ChatDurationInMinutes=minutes)) == ["ChatDurationInMinutes"]


@pytest.mark.parametrize(
    ("persistent", "fields"),
    [
        ({}, ["PersistentChat.RehydrationType", "PersistentChat.SourceContactId"]),
        ({"RehydrationType": "ALL", "SourceContactId": "c"}, ["PersistentChat.RehydrationType"]),
        ({"RehydrationType": "FROM_SEGMENT", "SourceContactId": ""}, ["PersistentChat.SourceContactId"]),
        (
            {"RehydrationType": "FROM_SEGMENT", "SourceContactId": "c" * 257},
            ["PersistentChat.SourceContactId"],
        ),
    ],
)
def test_persistent_chat_limits(persistent: dict[str, Any], fields: list[str]) -> None:
    # Given invalid persistent-chat options
    # When validated
    # Then each bad field is named
    assert rejects(valid(PersistentChat=persistent)) == fields


@pytest.mark.parametrize("token", ["", "t" * 501, 5], ids=["empty", "long", "int"])
def test_client_token_limits(token: Any) -> None:
    # Given an invalid client token
    # When validated
    # Then it is rejected
    assert rejects(valid(ClientToken=token)) == ["ClientToken"]


def test_unknown_fields_are_ignored() -> None:
    # Given the extras the official widget sends
    payload = valid(InstanceId="other", ContactFlowId="other", Username="ada", Extra={"nested": [1]})

    # When validated
    request = validate_start_chat_request(payload, POLICY)

    # Then they are not part of the request
    assert set(request.model_dump(exclude_none=True)) == {"ParticipantDetails"}


def test_nulls_for_optional_fields_mean_absent() -> None:
    # Given explicit nulls
    payload = valid(
        Attributes=None,
        InitialMessage=None,
        SupportedMessagingContentTypes=None,
        ChatDurationInMinutes=None,
        PersistentChat=None,
        ClientToken=None,
    )

    # When validated, then it passes with nothing set
    assert validate_start_chat_request(payload, POLICY).model_dump(exclude_none=True) == {
        "ParticipantDetails": {"DisplayName": "Ada"}
    }


@pytest.mark.parametrize("payload", [None, [], "{}", 1, 1.5, True], ids=repr)
def test_payload_must_be_an_object(payload: Any) -> None:
    # Given a JSON value that is not an object
    # When validated
    # Then it is rejected without field problems
    assert rejects(payload) == []


def test_validation_requires_a_policy() -> None:
    # Given no policy in the context
    # When validated directly through pydantic
    # Then it refuses rather than guessing the deployment's rules
    with pytest.raises(TypeError, match="RequestPolicy"):
        StartChatRequest.model_validate(valid(Attributes={}))


def test_error_messages_do_not_echo_values() -> None:
    # Given invalid values carrying personal data
    payload = valid(
        ParticipantDetails={"DisplayName": "Secretname" * 30},
        InitialMessage={"ContentType": "text/secret", "Content": "Secretmessage" * 100},
        Attributes={"customerName": "Secretvalue" * 5000},
    )

    # When validated
    with pytest.raises(StartChatValidationError) as caught:
        validate_start_chat_request(payload, POLICY)

    # Then no message repeats them
    messages = " ".join(problem.message for problem in caught.value.problems)
    assert "Secret" not in messages


# --- properties ------------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# Objects shaped like requests, with any value in any place.
request_like = st.fixed_dictionaries(
    {},
    optional={
        "ParticipantDetails": json_values | st.fixed_dictionaries({"DisplayName": json_values}),
        "Attributes": json_values
        | st.dictionaries(st.sampled_from(["customerName", "orderId", "x y"]), json_values),
        "InitialMessage": json_values
        | st.fixed_dictionaries({"ContentType": json_values | st.just("text/plain"), "Content": json_values}),
        "SupportedMessagingContentTypes": json_values | st.lists(st.sampled_from(KNOWN_CONTENT_TYPES)),
        "ChatDurationInMinutes": json_values,
        "PersistentChat": json_values
        | st.fixed_dictionaries({"RehydrationType": json_values, "SourceContactId": json_values}),
        "ClientToken": json_values,
    },
)

policies = st.builds(
    RequestPolicy,
    allowed_attributes=st.frozensets(st.sampled_from(["customerName", "orderId", "tier"])),
    markdown_enabled=st.booleans(),
    max_chat_duration_minutes=st.integers(models.MIN_CHAT_DURATION_MINUTES, models.MAX_CHAT_DURATION_MINUTES),
)

names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=270)
attribute_names = st.sampled_from(["customerName", "orderId", "tier", "other_1"]) | st.from_regex(
    r"\A[A-Za-z0-9_-]{1,12}\Z"
)
attribute_values = st.text(max_size=50) | st.just("v" * 16_000) | st.just("é" * 9_000) | st.just("x" * 32_756)
# Mostly-valid requests, so the property also sees many accepted ones (and limits being approached).
near_valid_requests = st.fixed_dictionaries(
    {"ParticipantDetails": st.fixed_dictionaries({"DisplayName": names})},
    optional={
        "Attributes": st.dictionaries(attribute_names, attribute_values, max_size=4),
        "InitialMessage": st.fixed_dictionaries(
            {
                "ContentType": st.sampled_from(["text/plain", "text/markdown"]),
                "Content": st.text(max_size=1030),
            }
        ),
        "SupportedMessagingContentTypes": st.lists(st.sampled_from(KNOWN_CONTENT_TYPES), max_size=6),
        "ChatDurationInMinutes": st.integers(0, 11_000),
        "PersistentChat": st.fixed_dictionaries(
            {
                "RehydrationType": st.sampled_from(["ENTIRE_PAST_SESSION", "FROM_SEGMENT"]),
                "SourceContactId": st.text(max_size=260),
            }
        ),
        "ClientToken": st.text(max_size=510),
    },
)


def _settings_for(policy: RequestPolicy) -> Settings:
    return Settings.model_validate(
        {
            "CONNECT_INSTANCE_ID": "11111111-2222-3333-4444-555555555555",
            "CONNECT_CONTACT_FLOW_ID": "66666666-7777-8888-9999-000000000000",
            "ALLOWED_ATTRIBUTES": sorted(policy.allowed_attributes),
            "CHAT_DURATION_MINUTES": policy.max_chat_duration_minutes,
            "ENABLE_MARKDOWN": policy.markdown_enabled,
        }
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=json_values | request_like, policy=policies)
def test_no_input_crashes_the_validator(payload: Any, policy: RequestPolicy) -> None:
    # Given any JSON value
    # When it is validated
    # Then it is either accepted or rejected with named problems, never another exception
    try:
        validate_start_chat_request(payload, policy)
        problems = []
    except StartChatValidationError as exc:
        problems = exc.problems
    assert all(problem.message for problem in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=near_valid_requests, policy=policies)
def test_accepted_requests_satisfy_connect_limits(payload: dict[str, Any], policy: RequestPolicy) -> None:
    # Given a request the validator accepts
    try:
        request = validate_start_chat_request(payload, policy)
    except StartChatValidationError:
        return

    # When it becomes StartChatContact parameters
    params = build_start_chat_params(request, _settings_for(policy))

    # Then botocore's own validation of the service model passes
    report = ParamValidator().validate(params, INPUT_SHAPE)
    assert not report.has_errors(), report.generate_report()
    # And the limits the model does not encode hold too
    assert params["ParticipantDetails"]["DisplayName"] == params["ParticipantDetails"]["DisplayName"].strip()
    attributes = params.get("Attributes", {})
    assert set(attributes) <= policy.allowed_attributes
    assert all(re.fullmatch(models.ATTRIBUTE_NAME_PATTERN, name) for name in attributes)
    assert (
        sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items()) <= models.MAX_ATTRIBUTES_BYTES
    )
    types = params["SupportedMessagingContentTypes"]
    assert "text/plain" in types
    assert len(set(types)) == len(types)
    assert set(types) <= set(KNOWN_CONTENT_TYPES)
    if not policy.markdown_enabled:
        assert "text/markdown" not in types
        assert params.get("InitialMessage", {}).get("ContentType") != "text/markdown"
    assert len(params.get("InitialMessage", {}).get("Content", "")) <= models.MAX_MESSAGE_LENGTH
    assert (
        models.MIN_CHAT_DURATION_MINUTES
        # Left out, Connect applies its default (sent only when it differs from the deployment's limit).
        <= params.get("ChatDurationInMinutes", models.DEFAULT_CHAT_DURATION_MINUTES)
        <= policy.max_chat_duration_minutes
    )


LONE_SURROGATE = "Ada \ud800"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ParticipantDetails": {"DisplayName": LONE_SURROGATE}}, "ParticipantDetails.DisplayName"),
        (
            {"InitialMessage": {"ContentType": "text/plain", "Content": LONE_SURROGATE}},
            "InitialMessage.Content",
        ),
        (
            {"PersistentChat": {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "\udfff"}},
            "PersistentChat.SourceContactId",
        ),
        ({"ClientToken": LONE_SURROGATE}, "ClientToken"),
        ({"Attributes": {"customerName": LONE_SURROGATE}}, "Attributes.customerName"),
    ],
    ids=["display-name", "message", "source-contact", "client-token", "attribute"],
)
def test_lone_surrogates_are_refused_in_every_string_field(overrides: dict[str, Any], field: str) -> None:
    # Given a field holding a lone surrogate (valid JSON, but no UTF-8 can hold it)
    # When it is validated
    # Then that field is named
    assert rejects(valid(**overrides)) == [field]


def test_paired_surrogates_and_other_unicode_are_text() -> None:
    # Given a name with an emoji (a surrogate pair in JSON) and accents
    request = validate_start_chat_request(valid(ParticipantDetails={"DisplayName": "Zoë \U0001f600"}), POLICY)

    # Then it passes unchanged
    assert request.ParticipantDetails.DisplayName == "Zoë \U0001f600"
