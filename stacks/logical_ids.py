"""Logical ids that stay as first deployed while the constructs that own the resources are regrouped.

A resource whose logical id changes is replaced by CloudFormation: a new, empty Connect instance, new
buckets and key, a new API URL, and Connect refuses to create a second flow, queue or hours of the same
name before the old one is gone. The stack therefore computes each id from the path the resource had
when it was first deployed, with CDK's own scheme (aws-cdk-lib core/lib/private/uniqueid.ts).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

# CDK leaves these path components out of the id, and out of its readable part, respectively.
_HIDDEN = "Default"
_HIDDEN_FROM_HUMAN = "Resource"
_HASH_LENGTH = 8
_MAX_HUMAN_LENGTH = 240
_MAX_ID_LENGTH = 255


def _alphanumeric(component: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", component)


def _without_repeats(components: Sequence[str]) -> list[str]:
    # CDK drops a component that the previous one ends with (Api/Api → Api).
    kept: list[str] = []
    for component in components:
        if not kept or not kept[-1].endswith(component):
            kept.append(component)
    return kept


def unique_id(components: Sequence[str]) -> str:
    """The logical id CDK gives a resource at this path of construct ids below its stack."""
    visible = [c for c in components if c != _HIDDEN]
    if not visible:
        raise ValueError("a logical id needs at least one path component")
    if len(visible) == 1 and len(_alphanumeric(visible[0])) <= _MAX_ID_LENGTH:
        return _alphanumeric(visible[0])
    digest = hashlib.md5("/".join(visible).encode(), usedforsecurity=False).hexdigest()
    human = "".join(_alphanumeric(c) for c in _without_repeats(visible) if c != _HIDDEN_FROM_HUMAN)
    return human[:_MAX_HUMAN_LENGTH] + digest[:_HASH_LENGTH].upper()


def deployed_path(components: Sequence[str], deployed_scopes: Mapping[str, str]) -> list[str]:
    """The path as first deployed: a unit's construct id replaced by the scope it was created in then."""
    if not components:
        return []
    head, *rest = components
    return [deployed_scopes.get(head, head), *rest]
