"""Contract: the environment in the synthesized template parses into the start-chat Lambda's settings."""

from __future__ import annotations

from typing import Any

import pytest

from lambdas.start_chat.settings import Settings, load_settings

from .conftest import NEW_INSTANCE, Synthesized

pytestmark = pytest.mark.infra

# What CloudFormation resolves the template's intrinsics to at deploy time, by attribute.
DEPLOYED_INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
DEPLOYED_FLOW_ID = "ffffffff-0000-4111-8222-333333333333"
DEPLOYED_ATTRIBUTES = {
    "Id": DEPLOYED_INSTANCE_ID,
    "ContactFlowArn": (
        f"arn:aws:connect:us-east-1:111122223333:instance/{DEPLOYED_INSTANCE_ID}/contact-flow/{DEPLOYED_FLOW_ID}"
    ),
}


def deployed_value(value: Any) -> Any:
    """The value CloudFormation gives ``value``: the intrinsics the stack uses evaluated, the rest as is."""
    if not isinstance(value, dict):
        return value
    ((function, argument),) = value.items()
    if function == "Fn::GetAtt":
        return DEPLOYED_ATTRIBUTES[argument[1]]
    if function == "Fn::Split":
        separator, text = argument
        return deployed_value(text).split(separator)
    if function == "Fn::Select":
        index, items = argument
        return deployed_value(items)[index]
    if function == "Ref":  # the stack refers by Ref only to its secrets, which Ref resolves to their ARNs
        return f"arn:aws:secretsmanager:us-east-1:111122223333:secret:{argument}-AbCdEf"
    if function == "Fn::Join":
        separator, parts = argument
        return separator.join(deployed_value(part) for part in parts)
    raise AssertionError(f"the contract test cannot evaluate {function}: teach deployed_value it")


def deployed_environment(synth: Synthesized) -> dict[str, str]:
    """The start-chat function's environment variables, as the deployed function receives them."""
    # The start-chat function; a created instance adds CDK's LogRetention function beside it.
    function = next(
        f for k, f in synth.resources("AWS::Lambda::Function").items() if k.startswith("StartChatApiFunction")
    )
    variables = function["Properties"]["Environment"]["Variables"]
    return {name: deployed_value(value) for name, value in variables.items()}


@pytest.mark.parametrize("deployment", ["new_instance", "existing_instance", "existing_with_lex", "defaults"])
def test_template_environment_parses_into_the_lambda_settings(
    request: pytest.FixtureRequest, deployment: str
) -> None:
    # Given the function's environment in a synthesized template
    environ = deployed_environment(request.getfixturevalue(deployment))

    # When the Lambda parses it as it does at cold start (a SettingsError would fail the test)
    settings = load_settings(environ)

    # Then every setting is set by the stack, none left to the Lambda's defaults
    names = {field.validation_alias for field in Settings.model_fields.values()}
    assert names <= set(environ), f"not set by the stack: {sorted(names - set(environ))}"
    assert settings.connect_instance_id and settings.connect_contact_flow_id


def test_created_instance_and_flow_reach_the_lambda_as_ids(new_instance: Synthesized) -> None:
    # Given a deployment that creates the instance and its inbound flow
    # When the deployed function's environment is parsed
    settings = load_settings(deployed_environment(new_instance))

    # Then it holds their ids (not ARNs), and the configured origins
    assert settings.connect_instance_id == DEPLOYED_INSTANCE_ID
    assert settings.connect_contact_flow_id == DEPLOYED_FLOW_ID
    assert settings.allowed_origins == tuple(NEW_INSTANCE["allowedOrigins"])


@pytest.mark.parametrize(
    ("deployment", "interactive"), [("new_instance", False), ("existing_with_lex", True), ("with_bot", True)]
)
def test_a_bot_in_the_flows_turns_interactive_messages_on(
    request: pytest.FixtureRequest, deployment: str, interactive: bool
) -> None:
    # Given a deployment without a bot, with the user's Lex bot, and with the triage bot (chatBot)
    # When the deployed function's environment is parsed
    settings = load_settings(deployed_environment(request.getfixturevalue(deployment)))

    # Then chats accept interactive responses exactly when a bot talks in the flows
    assert settings.enable_interactive_messages is interactive
