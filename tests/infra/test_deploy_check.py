"""`make deploy`'s pre-check, against stubbed AWS clients: its verdicts and the messages a user acts on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from stacks import deploy_check, names
from stacks.config import load_config
from stacks.start_chat_function import powertools_parameter_name

from .conftest import INSTANCE_ARN, REPO

pytestmark = pytest.mark.unit

REGION = "us-east-1"
ACCOUNT = "111122223333"
LAYER_ARN = "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:1"


class StubbedSession:
    """A boto3 session stand-in: one stubbed client per service, a fixed Region."""

    def __init__(self, region: str | None = REGION) -> None:
        self.region_name = region
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}
        for service in ("sts", "ssm", "connect", "cloudformation"):
            client = boto3.client(
                service, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
            )
            self.clients[service] = client
            self.stubbers[service] = Stubber(client)
            self.stubbers[service].activate()

    def client(self, service: str) -> Any:
        return self.clients[service]


@pytest.fixture
def session() -> Iterator[StubbedSession]:
    stubbed = StubbedSession()
    stubbed.stubbers["sts"].add_response(
        "get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/u", "UserId": "U"}
    )
    yield stubbed
    for stubber in stubbed.stubbers.values():
        stubber.assert_no_pending_responses()


def _layer_exists(session: StubbedSession) -> None:
    session.stubbers["ssm"].add_response(
        "get_parameter",
        {"Parameter": {"Name": powertools_parameter_name(), "Value": LAYER_ARN, "Type": "String"}},
        {"Name": powertools_parameter_name()},
    )


def _instances(session: StubbedSession, *aliases: str) -> None:
    ids = [f"{i:08d}-0000-0000-0000-000000000000" for i in range(len(aliases))]
    summaries = [
        {"Id": id_, "Arn": f"{INSTANCE_ARN.rsplit('/', 1)[0]}/{id_}", "InstanceAlias": alias}
        for id_, alias in zip(ids, aliases, strict=True)
    ]
    session.stubbers["connect"].add_response("list_instances", {"InstanceSummaryList": summaries}, {})


def _no_stack(session: StubbedSession) -> None:
    session.stubbers["cloudformation"].add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {names.STACK_ID} does not exist", 400
    )


def test_nothing_in_the_way(session: StubbedSession) -> None:
    _layer_exists(session)
    _instances(session, "someone-else")
    assert deploy_check.problems(load_config({}), session) == []


def test_a_missing_powertools_parameter_stops_the_deploy_with_the_command_to_check_it(
    session: StubbedSession,
) -> None:
    # Given a Region where Powertools has not published the pinned version's layer
    session.stubbers["ssm"].add_client_error("get_parameter", "ParameterNotFound", "not found", 400)
    _instances(session)
    # When checking, Then the one problem names the parameter, the Region, the fix and the command
    [problem] = deploy_check.problems(load_config({}), session)
    parameter = powertools_parameter_name()
    assert f"The Powertools layer parameter {parameter} does not exist in {REGION}" in problem
    assert "Set powertoolsLayerArn" in problem
    assert f"aws ssm get-parameter --region {REGION} --name {parameter}" in problem


def test_an_own_layer_needs_no_parameter(session: StubbedSession) -> None:
    _instances(session)
    assert deploy_check.problems(load_config({"powertoolsLayerArn": LAYER_ARN}), session) == []


def test_an_instance_left_behind_with_the_default_alias_stops_the_deploy(session: StubbedSession) -> None:
    # Given a failed first deploy left its instance (alias chat-ACCOUNT-REGION) and no stack
    _layer_exists(session)
    _instances(session, f"chat-{ACCOUNT}-{REGION}")
    _no_stack(session)
    [problem] = deploy_check.problems(load_config({}), session)
    assert f"An Amazon Connect instance with the alias chat-{ACCOUNT}-{REGION} already exists" in problem
    assert "instanceArn" in problem and "instanceAlias" in problem


def test_the_stack_s_own_instance_is_no_problem(session: StubbedSession) -> None:
    _layer_exists(session)
    _instances(session, "acme-chat")
    session.stubbers["cloudformation"].add_response(
        "describe_stacks",
        {"Stacks": [{"StackName": names.STACK_ID, "StackStatus": "UPDATE_COMPLETE",
                     "CreationTime": "2026-01-01T00:00:00Z"}]},
        {"StackName": names.STACK_ID},
    )  # fmt: skip
    assert deploy_check.problems(load_config({"instanceAlias": "acme-chat"}), session) == []


def test_an_existing_instance_needs_no_alias_check(session: StubbedSession) -> None:
    _layer_exists(session)
    assert deploy_check.problems(load_config({"instanceArn": INSTANCE_ARN}), session) == []


def test_the_target_is_checked_like_synth_does(session: StubbedSession) -> None:
    config = load_config({"instanceArn": INSTANCE_ARN.replace(ACCOUNT, "999988887777")})
    [problem] = deploy_check.problems(config, session)
    assert "instanceArn is in account 999988887777" in problem


def test_no_region_is_a_problem_of_its_own() -> None:
    [problem] = deploy_check.problems(load_config({}), StubbedSession(region=None))
    assert "No AWS Region is configured" in problem


def test_make_deploy_runs_the_check_first() -> None:
    recipe = (REPO / "Makefile").read_text().split("\ndeploy:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in recipe.splitlines()[1:] if line.strip()]
    assert steps[0] == "$(PY) -m stacks.deploy_check $(CONTEXT)"
    assert steps[-1].startswith("npx --no-install cdk deploy")
