"""startChatAuth=jwt: a start needs the site backend's short-lived HS256 JWT (PyJWT verifies it)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from botocore.stub import Stubber

from .conftest import (
    CONNECT_ANSWER,
    MINIMAL_BODY,
    SITE,
    START_TOKEN_SECRET,
    EventFactory,
    Handle,
    ReadOutput,
    body,
    expected_params,
    header,
)

pytestmark = pytest.mark.handler

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def jwt_mode(deployment: dict[str, Any]) -> None:
    deployment["start_chat_auth"] = "jwt"
    deployment["start_token_secret_id"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:start-AbCdEf"


def sign(claims: dict[str, Any], secret: bytes = START_TOKEN_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def valid_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "customer-42", "iat": now, "exp": now + 300, **changes}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_signed_start_names_the_customer_and_the_token_attributes_win(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    # Given a token naming the customer, with attributes (one not on the allow-list)
    token = sign(valid_claims(attributes={"orderId": "from-token", "vip": "yes"}))
    connect_stub.add_response(
        "start_chat_contact",
        CONNECT_ANSWER,
        expected_params(
            Attributes={"customerName": "Ann", "orderId": "from-token", "customerId": "customer-42"}
        ),
    )

    # When the widget starts a chat with it, its body trying to set the same attributes
    request = {
        **MINIMAL_BODY,
        "Attributes": {"customerName": "Ann", "orderId": "from-body", "customerId": "me"},
    }
    response = handle(event(body=request, origin=SITE, headers=bearer(token)))

    # Then the customer id and the token's attributes reach Connect, through the allow-list
    assert response["statusCode"] == 200, response["body"]


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "token-alone"]
)
def test_no_bearer_token_is_a_401_before_anything_else(
    event: EventFactory, handle: Handle, authorization: str | None, captured_output: ReadOutput
) -> None:
    # Given no StartChatContact answer is queued (a call fails the test), and even an invalid body
    headers = {} if authorization is None else {"Authorization": authorization}
    response = handle(event(body={"ParticipantDetails": {}}, origin=SITE, headers=headers))
    assert response["statusCode"] == 401
    assert body(response)["error"]["code"] == "AUTH_TOKEN_REQUIRED"
    assert header(response, "WWW-Authenticate") == 'Bearer error="invalid_token"'
    assert header(response, "Access-Control-Allow-Origin") == SITE  # the widget can read the code
    assert captured_output().metric_blobs[0]["Reason"] == "unauthorized"


def test_an_expired_token_is_a_401_expired(event: EventFactory, handle: Handle) -> None:
    now = int(time.time())
    token = sign({"sub": "customer-42", "iat": now - 900, "exp": now - 600})
    response = handle(event(body=MINIMAL_BODY, origin=SITE, headers=bearer(token)))
    assert (response["statusCode"], body(response)["error"]["code"]) == (401, "AUTH_TOKEN_EXPIRED")


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda: sign(valid_claims(), secret=b"someone-else-s-secret-0123456789abc"), id="other-secret"
        ),
        pytest.param(lambda: sign(valid_claims(), algorithm="HS512"), id="other-algorithm"),
        pytest.param(lambda: jwt.encode(valid_claims(), key=None, algorithm="none"), id="alg-none"),
        pytest.param(lambda: sign(valid_claims(exp=int(time.time()) + 601)), id="lives-over-10-minutes"),
        pytest.param(lambda: sign({k: v for k, v in valid_claims().items() if k != "sub"}), id="no-sub"),
        pytest.param(lambda: sign({k: v for k, v in valid_claims().items() if k != "iat"}), id="no-iat"),
        pytest.param(lambda: sign(valid_claims(sub="")), id="empty-sub"),
        pytest.param(
            lambda: sign(valid_claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 3700)), id="future"
        ),
        pytest.param(lambda: sign(valid_claims(attributes={"orderId": 5})), id="attribute-not-a-string"),
        pytest.param(lambda: sign(valid_claims(attributes=["orderId"])), id="attributes-not-an-object"),
        pytest.param(lambda: "not.a.jwt", id="garbage"),
    ],
)
def test_a_bad_token_is_a_401_invalid(
    event: EventFactory, handle: Handle, make_token: Callable[[], str]
) -> None:
    # Signed when the test runs, not when it is collected: a token made minutes earlier (a slow
    # machine, a long browser tier first) would be refused as expired rather than for its own fault.
    response = handle(event(body=MINIMAL_BODY, origin=SITE, headers=bearer(make_token())))
    assert (response["statusCode"], body(response)["error"]["code"]) == (401, "AUTH_TOKEN_INVALID")


def test_the_token_never_reaches_a_log_line(
    event: EventFactory, handle: Handle, connect_stub: Stubber, captured_output: ReadOutput
) -> None:
    token = sign(valid_claims())
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(Attributes={"customerId": "customer-42"})
    )
    assert handle(event(body=MINIMAL_BODY, origin=SITE, headers=bearer(token)))["statusCode"] == 200
    handle(event(body=MINIMAL_BODY, origin=SITE, headers=bearer(token + "x")))
    assert token.split(".")[2] not in captured_output().text


def test_without_jwt_mode_a_body_cannot_claim_a_customer_id(
    event: EventFactory, handle: Handle, connect_stub: Stubber, deployment: dict[str, Any]
) -> None:
    deployment["start_chat_auth"] = "none"
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())  # no attribute left
    request = {**MINIMAL_BODY, "Attributes": {"customerId": "someone-else"}}
    assert handle(event(body=request, origin=SITE))["statusCode"] == 200


def test_readme_backend_signer_is_accepted(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    # Given the signer README shows a site's backend, run as it is written
    security = README.read_text().split("### Authenticated start", 1)[1]
    code = re.search(r"```python\n(.*?)```", security, re.S)
    assert code is not None
    assert len(code.group(1).strip().splitlines()) <= 10
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 (the README's own example)

    # When the widget starts a chat with the token it signed
    token = namespace["start_chat_token"]("customer-42", START_TOKEN_SECRET.decode())
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(Attributes={"customerId": "customer-42"})
    )
    response = handle(event(body=MINIMAL_BODY, origin=SITE, headers=bearer(token)))

    # Then the chat starts for that customer
    assert response["statusCode"] == 200, response["body"]
