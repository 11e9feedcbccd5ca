"""``python -m flows``: render and validate, exit statuses and readable output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows import validate_flow
from flows.cli import main

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[3]


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def run_module(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    status, _, _ = run("render", "--out", str(tmp_path))
    assert status == 0
    return tmp_path


def test_render_writes_two_valid_flows_with_fake_arns(tmp_path: Path) -> None:
    status, out, err = run("render", "--out", str(tmp_path / "new-dir"))

    assert status == 0
    assert err == ""
    files = sorted(path.name for path in (tmp_path / "new-dir").iterdir())
    assert files == ["disconnect-flow.json", "inbound-chat-flow.json"]
    for name in files:
        text = (tmp_path / "new-dir" / name).read_text(encoding="utf-8")
        assert validate_flow(json.loads(text)) == []
        assert "111122223333" in text
        assert "00000000-0000-0000-0000-000000000000" in text
        assert name in out


def test_render_options_reach_the_flows(tmp_path: Path) -> None:
    status, _, _ = run("render", "--out", str(tmp_path), "--wait-seconds", "900", "--with-lex-bot")

    inbound = json.loads((tmp_path / "inbound-chat-flow.json").read_text(encoding="utf-8"))
    disconnect = json.loads((tmp_path / "disconnect-flow.json").read_text(encoding="utf-8"))
    assert status == 0
    assert "ConnectParticipantWithLexBot" in {action["Type"] for action in inbound["Actions"]}
    assert disconnect["Actions"][1]["Parameters"]["TimeLimitSeconds"] == "900"
    assert "15 minutes" in disconnect["Actions"][0]["Parameters"]["Text"]


def test_render_is_deterministic(tmp_path: Path) -> None:
    run("render", "--out", str(tmp_path / "one"))
    run("render", "--out", str(tmp_path / "two"))

    for name in ("inbound-chat-flow.json", "disconnect-flow.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_render_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")

    status, _, err = run("render", "--out", str(blocker))

    assert status == 2
    assert err.startswith(f"error: cannot write to {blocker}")


def test_validate_valid_files_exits_0(rendered: Path) -> None:
    status, out, err = run("validate", *(str(path) for path in sorted(rendered.iterdir())))

    assert status == 0
    assert err == ""
    assert f"{rendered / 'disconnect-flow.json'}: OK (7 actions)" in out
    assert f"{rendered / 'inbound-chat-flow.json'}: OK (8 actions)" in out


def test_validate_invalid_flow_exits_1_naming_file_action_path_and_fix(rendered: Path) -> None:
    path = rendered / "disconnect-flow.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["Actions"][1]["Parameters"]["TimeLimitSeconds"] = 900
    path.write_text(json.dumps(document), encoding="utf-8")

    status, out, _ = run("validate", str(rendered / "inbound-chat-flow.json"), str(path))

    assert status == 1
    assert (
        f"{path}: action 'wait-for-customer' at Actions[1].Parameters.TimeLimitSeconds: "
        'TimeLimitSeconds must be a string of whole seconds like "900", found 900'
    ) in out.splitlines()
    assert f"{path}: 1 issue(s)" in out
    assert f"{rendered / 'inbound-chat-flow.json'}: OK" in out


def test_validate_legacy_export_exits_1(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.json"
    legacy.write_text('{"modules": [], "version": "1"}', encoding="utf-8")

    status, out, _ = run("validate", str(legacy))

    assert status == 1
    assert "old console export" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"Version": ', "not valid JSON: Expecting value (line 1, column 13)"),
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "not usable JSON: nested too deeply"),
    ],
    ids=["truncated", "empty", "binary", "deep"],
)
def test_validate_unusable_file_exits_2(tmp_path: Path, content: bytes, message: str, rendered: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(content)

    status, _, err = run("validate", str(rendered / "inbound-chat-flow.json"), str(broken))

    assert status == 2
    assert err.startswith(f"{broken}: {message}")


def test_validate_missing_file_exits_2_even_with_invalid_flows(tmp_path: Path) -> None:
    invalid = tmp_path / "invalid.json"
    invalid.write_text("[]", encoding="utf-8")

    status, _, err = run("validate", str(invalid), str(tmp_path / "missing.json"))

    assert status == 2
    assert f"{tmp_path / 'missing.json'}: cannot read the file: No such file or directory" in err


def test_module_entry_point_exit_statuses(rendered: Path, tmp_path: Path) -> None:
    # Given a valid flow, an invalid one and a file that is not JSON
    valid = rendered / "inbound-chat-flow.json"
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"Version": "2019-10-30"}', encoding="utf-8")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json", encoding="utf-8")

    # When python -m flows validates each, Then the status tells them apart, without tracebacks
    ok, bad, unusable = (
        run_module("validate", str(valid)),
        run_module("validate", str(invalid)),
        run_module("validate", str(garbage)),
    )
    assert (ok.returncode, bad.returncode, unusable.returncode) == (0, 1, 2)
    assert "StartAction" in bad.stdout
    assert "not valid JSON" in unusable.stderr
    assert all("Traceback" not in result.stderr for result in (ok, bad, unusable))


@pytest.mark.parametrize(
    "argv",
    [[], ["validate"], ["render"], ["render", "--out", "x", "--wait-seconds", "0"], ["bogus"]],
    ids=["nothing", "validate-no-file", "render-no-out", "wait-out-of-range", "unknown-command"],
)
def test_usage_errors_exit_2_with_usage(argv: list[str]) -> None:
    result = run_module(*argv)

    assert result.returncode == 2
    assert "usage: python -m flows" in result.stderr
    assert "Traceback" not in result.stderr
