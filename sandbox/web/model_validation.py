"""Request validation against botocore's service models, so lengths, ranges and enums match AWS."""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape


@functools.cache
def service_model(name: str) -> ServiceModel:
    """The botocore model of `name` (`connect`, `connectparticipant`), loaded once."""
    return botocore.session.get_session().get_service_model(name)


def body_problems(service: str, operation: str, body: Any) -> list[str]:
    """Everything wrong with a JSON request body for `operation`; empty when it is valid.

    Header and URI members (the bearer token, path ids) are checked by the routes themselves.
    """
    model: OperationModel = service_model(service).operation_model(operation)
    shape = model.input_shape
    if shape is None:
        return []
    problems: list[str] = []
    if not isinstance(body, dict):
        return ["request body must be a JSON object"]
    body_members = {
        name: member
        for name, member in shape.members.items()
        if member.serialization.get("location") not in {"header", "uri", "querystring"}
    }
    for name in shape.required_members:
        if name in body_members and body.get(name) is None:
            problems.append(f"{name} is required")
    for name, value in body.items():
        member = body_members.get(name)
        if member is not None and value is not None:
            _check(member, value, name, problems)
    return problems


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not isinstance(value, dict):
            problems.append(f"{path} must be an object")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(f"{path}.{name} is required")
        if meta.get("union") and sum(item is not None for item in value.values()) != 1:
            problems.append(f"{path} must set exactly one of {', '.join(shape.members)}")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                problems.append(f"{path}.{name} is not a known member")
            elif item is not None:
                _check(member, item, f"{path}.{name}", problems)
    elif kind == "list":
        assert isinstance(shape, ListShape)
        if not isinstance(value, list):
            problems.append(f"{path} must be a list")
            return
        _check_size(len(value), meta, path, "items", problems)
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", problems)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        if not isinstance(value, dict):
            problems.append(f"{path} must be an object")
            return
        _check_size(len(value), meta, path, "entries", problems)
        for key, item in value.items():
            _check(shape.key, key, f"{path} key", problems)
            _check(shape.value, item, f"{path}.{key}", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path} must be a string")
            return
        _check_size(len(value), meta, path, "characters", problems)
        enum: list[str] = getattr(shape, "enum", None) or []
        if enum and value not in enum:
            problems.append(f"{path} must be one of {', '.join(enum)}")
    elif kind in {"integer", "long"}:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path} must be an integer")
            return
        if "min" in meta and value < meta["min"]:
            problems.append(f"{path} must be at least {meta['min']}")
        if "max" in meta and value > meta["max"]:
            problems.append(f"{path} must be at most {meta['max']}")
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append(f"{path} must be a boolean")


def _check_size(size: int, meta: dict[str, Any], path: str, unit: str, problems: list[str]) -> None:
    if "min" in meta and size < meta["min"]:
        problems.append(f"{path} must have at least {meta['min']} {unit}")
    if "max" in meta and size > meta["max"]:
        problems.append(f"{path} must have at most {meta['max']} {unit}")
