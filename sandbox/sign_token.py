"""`python -m sandbox.sign_token CUSTOMER_ID`: a start token the sandbox accepts with `startChatAuth=jwt`.

Plays the part of a website's backend: signs an HS256 JWT (`sub` = the customer id, `iat`, `exp` at
most 10 minutes later, optional `attributes`) with the sandbox's own secret, a file under `.sandbox/`
created on first use. Send it as `Authorization: Bearer <token>` on `POST /chats`.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

import jwt

from lambdas.start_chat.auth import MAX_START_TOKEN_SECONDS

DEFAULT_SECRET_FILE = Path(__file__).resolve().parent.parent / ".sandbox" / "start-token-secret"


def load_or_create_secret(path: Path) -> bytes:
    """The sandbox's start-token secret, generated (readable by this user only) when `path` is missing."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48).encode()
        # O_EXCL: two sandboxes starting at once agree on the first one's secret.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "wb") as file:
            file.write(value)
        return value


def sign_start_token(
    secret: bytes,
    customer_id: str,
    *,
    attributes: dict[str, str] | None = None,
    lifetime_seconds: int = 300,
    now: float | None = None,
) -> str:
    """An HS256 start token for `customer_id`, valid `lifetime_seconds` from `now` (default: the time)."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, object] = {"sub": customer_id, "iat": issued, "exp": issued + lifetime_seconds}
    if attributes:
        claims["attributes"] = attributes
    return jwt.encode(claims, secret, algorithm="HS256")


def main(argv: list[str] | None = None) -> int:
    """Print a start token signed with the sandbox's secret."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.sign_token", description=__doc__)
    parser.add_argument("customer_id", help="the site's id of the customer (the token's sub)")
    parser.add_argument("--attributes", help='JSON object of contact attributes, e.g. \'{"tier": "gold"}\'')
    parser.add_argument(
        "--lifetime", type=int, default=300, help=f"seconds, at most {MAX_START_TOKEN_SECONDS} (default 300)"
    )
    parser.add_argument("--secret-file", type=Path, default=DEFAULT_SECRET_FILE, help="the sandbox's secret")
    args = parser.parse_args(argv)
    attributes = json.loads(args.attributes) if args.attributes else None
    if attributes is not None and not isinstance(attributes, dict):
        parser.error("--attributes must be a JSON object")
    if not 0 < args.lifetime <= MAX_START_TOKEN_SECONDS:
        parser.error(f"--lifetime must be 1 to {MAX_START_TOKEN_SECONDS} seconds")
    secret = load_or_create_secret(args.secret_file)
    print(sign_start_token(secret, args.customer_id, attributes=attributes, lifetime_seconds=args.lifetime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
