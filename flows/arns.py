"""Amazon Connect ARNs and ids, in one place (the flows, the stacks and the sandbox build and read them).

An instance ARN is ``arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID``; its resources append
``/KIND/ID`` (``queue``, ``contact-flow``, ``operating-hours``, ``contact``, ...).
"""

from typing import Final

QUEUE: Final = "queue"
CONTACT_FLOW: Final = "contact-flow"
OPERATING_HOURS: Final = "operating-hours"
CONTACT: Final = "contact"


def instance_arn(region: str, account_id: str, instance_id: str) -> str:
    """The ARN of an Amazon Connect instance."""
    return f"arn:aws:connect:{region}:{account_id}:instance/{instance_id}"


def resource_arn(instance: str, kind: str, resource_id: str) -> str:
    """The ARN of a resource (``kind`` is one of the constants above) inside an instance ARN."""
    return f"{instance}/{kind}/{resource_id}"


def last_id(value: str) -> str:
    """The id at the end of an ARN (or the value itself when it is already a bare id)."""
    return value.rsplit("/", 1)[-1]
