"""The README's sandbox example works as written (only the port differs)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

from sandbox.server import BackgroundServer

pytestmark = pytest.mark.sandbox

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_boto3_example_runs_against_the_sandbox(server: BackgroundServer) -> None:
    section = README.read_text().split("## The sandbox", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example, "README's sandbox section lost its Python example"
    code = example.group(1).replace("http://127.0.0.1:8080", server.url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README, on purpose
    assert "Hello!" in printed.getvalue()
    assert "'ParticipantRole': 'CUSTOMER'" in printed.getvalue()


def test_readme_metrics_example_runs_against_the_sandbox(server: BackgroundServer) -> None:
    section = README.read_text().split("### Metrics", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example, "README's metrics section lost its Python example"
    code = example.group(1).replace("http://127.0.0.1:8080", server.url)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README, on purpose
    assert namespace["now"]["MetricResults"]  # type: ignore[index]
    assert namespace["today"]["MetricResults"] == []  # type: ignore[index]  # no chat yet: no groups


def test_readme_lex_runtime_example_runs_against_the_sandbox(make_server: Any) -> None:
    server: BackgroundServer = make_server(chat_bot=True)
    section = README.read_text().split("### The triage bot in the sandbox", 1)[1].split("\n### ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example, "README's triage bot section lost its Python example"
    info = server.sandbox.info()
    assert f'"botId": "{info["botId"]}", "botAliasId": "{info["botAliasId"]}"' in example.group(1)
    code = example.group(1).replace("http://127.0.0.1:8080", server.url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README, on purpose
    assert "CustomPayload {'type': 'ElicitSlot', 'slotToElicit': 'Topic'}" in printed.getvalue()
    assert "'topic': 'Billing and payments'" in printed.getvalue()
