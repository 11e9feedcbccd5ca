"""The start-chat Lambda's typed environment."""

from __future__ import annotations

import pytest

from lambdas.start_chat.chat_timeouts import ChatTimeouts
from lambdas.start_chat.environment import lambda_environment
from lambdas.start_chat.settings import Settings, SettingsError, get_settings, load_settings

pytestmark = pytest.mark.unit

REQUIRED = {"CONNECT_INSTANCE_ID": "instance-1", "CONNECT_CONTACT_FLOW_ID": "flow-1"}


def test_defaults() -> None:
    # Given only the required variables
    # When the environment is loaded
    settings = load_settings(REQUIRED)

    # Then the documented defaults apply
    assert settings == Settings.model_validate(
        {
            **REQUIRED,
            "ALLOWED_ORIGINS": "[]",
            "ALLOWED_ATTRIBUTES": '["customerName"]',
            "CHAT_DURATION_MINUTES": "1500",
            "ENABLE_ATTACHMENTS": "true",
            "ENABLE_MARKDOWN": "true",
        }
    )
    assert settings.allowed_origins == ()
    assert settings.allowed_attributes == ("customerName",)
    assert settings.chat_duration_minutes == 1500
    assert settings.enable_attachments is True
    assert settings.enable_markdown is True
    assert settings.chat_timeouts.timer_list() == []


def test_every_variable_is_read() -> None:
    # Given every variable set, plus unrelated ones
    environ = {
        **REQUIRED,
        "ALLOWED_ORIGINS": '["https://www.example.com", "http://localhost:8080", "HTTPS://Shop.Example.com"]',
        "ALLOWED_ATTRIBUTES": '["customerName", "order-id", "tier_2"]',
        "CHAT_DURATION_MINUTES": "60",
        "ENABLE_ATTACHMENTS": "false",
        "ENABLE_MARKDOWN": "false",
        "PATH": "/usr/bin",
    }

    # When loaded
    settings = load_settings(environ)

    # Then each is typed, origins in the lower case browsers send
    assert settings.allowed_origins == (
        "https://www.example.com",
        "http://localhost:8080",
        "https://shop.example.com",
    )
    assert settings.allowed_attributes == ("customerName", "order-id", "tier_2")
    assert settings.chat_duration_minutes == 60
    assert (settings.enable_attachments, settings.enable_markdown) == (False, False)
    assert settings.request_policy.allowed_attributes == frozenset({"customerName", "order-id", "tier_2"})
    assert settings.request_policy.max_chat_duration_minutes == 60
    assert settings.request_policy.markdown_enabled is False


def test_empty_values_mean_defaults() -> None:
    # Given optional variables set to empty strings
    # When loaded
    settings = load_settings({**REQUIRED, "ALLOWED_ORIGINS": "", "CHAT_DURATION_MINUTES": ""})

    # Then the defaults apply
    assert settings.allowed_origins == ()
    assert settings.chat_duration_minutes == 1500


def test_missing_required_variables_are_all_named() -> None:
    # Given neither required variable
    # When loaded
    with pytest.raises(SettingsError) as caught:
        load_settings({"CONNECT_INSTANCE_ID": ""})

    # Then the message names both
    assert "CONNECT_INSTANCE_ID" in str(caught.value)
    assert "CONNECT_CONTACT_FLOW_ID" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("ALLOWED_ORIGINS", "https://www.example.com", "JSON array"),
        ("ALLOWED_ORIGINS", '{"a": 1}', "ALLOWED_ORIGINS"),
        ("ALLOWED_ORIGINS", "[1]", "ALLOWED_ORIGINS.0"),
        ("ALLOWED_ORIGINS", '["https://www.example.com/"]', "no path or trailing slash"),
        ("ALLOWED_ORIGINS", '["*"]', "not an origin"),
        ("ALLOWED_ORIGINS", '["www.example.com"]', "not an origin"),
        ("ALLOWED_ATTRIBUTES", '["customer name"]', "not a valid attribute name"),
        ("ALLOWED_ATTRIBUTES", "customerName", "JSON array"),
        ("CHAT_DURATION_MINUTES", "59", "CHAT_DURATION_MINUTES"),
        ("CHAT_DURATION_MINUTES", "10081", "CHAT_DURATION_MINUTES"),
        ("CHAT_DURATION_MINUTES", "25h", "CHAT_DURATION_MINUTES"),
        ("ENABLE_ATTACHMENTS", "maybe", "ENABLE_ATTACHMENTS"),
        ("ENABLE_MARKDOWN", "2", "ENABLE_MARKDOWN"),
        ("CONNECT_INSTANCE_ID", "i" * 101, "CONNECT_INSTANCE_ID"),
        ("CUSTOMER_IDLE_MINUTES", "1", "CUSTOMER_IDLE_MINUTES"),
        ("AGENT_AUTO_DISCONNECT_MINUTES", "481", "AGENT_AUTO_DISCONNECT_MINUTES"),
    ],
)
def test_invalid_values_fail_with_a_clear_message(name: str, value: str, hint: str) -> None:
    # Given one invalid variable
    # When loaded
    with pytest.raises(SettingsError) as caught:
        load_settings({**REQUIRED, name: value})

    # Then the message says which and why
    message = str(caught.value)
    assert message.startswith("Invalid start-chat environment: ")
    assert name in message
    assert hint in message


def test_settings_are_parsed_once_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a valid environment
    monkeypatch.setenv("CONNECT_INSTANCE_ID", "instance-1")
    monkeypatch.setenv("CONNECT_CONTACT_FLOW_ID", "flow-1")
    get_settings.cache_clear()
    first = get_settings()

    # When the environment changes
    monkeypatch.setenv("CONNECT_INSTANCE_ID", "instance-2")

    # Then the container keeps its settings until the cache is cleared
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().connect_instance_id == "instance-2"
    get_settings.cache_clear()


def test_lambda_environment_round_trips_through_the_settings() -> None:
    # Given the environment the stack and the sandbox build for a deployment
    environ = lambda_environment(
        instance_id="instance-1",
        contact_flow_id="flow-1",
        allowed_origins=["https://www.example.com", "http://127.0.0.1:8080"],
        allowed_attributes=["customerName", "orderId"],
        chat_duration_minutes=600,
        enable_attachments=False,
        enable_markdown=True,
        enable_interactive_messages=True,
        continuation_secret_id="arn:aws:secretsmanager:us-east-1:111122223333:secret:c-AbCdEf",
        continuation_window_hours=12,
        start_chat_auth="jwt",
        start_token_secret_id="arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
        chat_timeouts=ChatTimeouts(customer_idle_minutes=5, agent_auto_disconnect_minutes=480),
    )

    # When the Lambda parses it
    settings = load_settings(environ)

    # Then every value arrives as it was given, and every variable the settings read was set
    assert settings.model_dump() == {
        "connect_instance_id": "instance-1",
        "connect_contact_flow_id": "flow-1",
        "allowed_origins": ("https://www.example.com", "http://127.0.0.1:8080"),
        "allowed_attributes": ("customerName", "orderId"),
        "chat_duration_minutes": 600,
        "enable_attachments": False,
        "enable_markdown": True,
        "enable_interactive_messages": True,
        "continuation_secret_id": "arn:aws:secretsmanager:us-east-1:111122223333:secret:c-AbCdEf",
        "continuation_window_hours": 12,
        "start_chat_auth": "jwt",
        "start_token_secret_id": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
        "customer_idle_minutes": 5,
        "customer_auto_disconnect_minutes": None,
        "agent_idle_minutes": None,
        "agent_auto_disconnect_minutes": 480,
    }
    assert {field.validation_alias for field in Settings.model_fields.values()} == set(environ)
