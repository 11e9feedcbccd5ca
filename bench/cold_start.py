"""Cold start of the start-chat Lambda against the floor of any boto3 Lambda, and the asset's size.

Each sample is a fresh interpreter timed from spawn to its first answer, with Connect stubbed
(botocore Stubber, no network):

- handler: imports ``start_chat.handler`` from the unpacked asset zip (as Lambda does, no .pyc),
  injects a stubbed client and handles one ``POST /chats`` event;
- floor: imports boto3, creates the same Connect client and makes the same stubbed call;
- libraries: the floor plus what the design requires before any of our code runs (pydantic with one
  model, Powertools Logger, Metrics and the REST resolver), to tell their cost from ours.

Prints ``cold_start handler_median_ms=... floor_median_ms=... ratio=...`` (target ratio <= 1.25),
``cold_start libraries_median_ms=...`` and ``cold_start asset_zip_bytes=...`` (target <= 64 KB).
Run: ``python -m bench.cold_start [runs]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"
# The same exclusions as the stack's asset (stacks/start_chat_api.py, Code.from_asset).
EXCLUDED_DIRS = {"__pycache__", ".mypy_cache"}
EXCLUDED_NAMES = {"openapi.json"}
RUNS = 15
TARGET_RATIO = 1.25
TARGET_ASSET_BYTES = 64 * 1024

STUB_ANSWER = '{"ContactId": "c-1", "ParticipantId": "p-1", "ParticipantToken": "t-1"}'

HANDLER_RUN = f"""
import json
import boto3
from botocore.stub import Stubber
from start_chat import connect_client
from start_chat.handler import lambda_handler

class Context:
    function_name = "start-chat"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:start-chat"
    aws_request_id = "bench"

client = boto3.client("connect", config=connect_client.CLIENT_CONFIG)
stubber = Stubber(client)
stubber.add_response("start_chat_contact", {STUB_ANSWER})
stubber.activate()
connect_client.set_connect_client(client)
event = {{
    "resource": "/chats", "path": "/chats", "httpMethod": "POST",
    "headers": {{"Origin": "https://www.example.com", "Content-Type": "application/json"}},
    "multiValueHeaders": {{}}, "queryStringParameters": None, "pathParameters": None,
    "requestContext": {{"requestId": "bench", "stage": "prod"}},
    "body": json.dumps({{"ParticipantDetails": {{"DisplayName": "Ada"}}}}), "isBase64Encoded": False,
}}
assert lambda_handler(event, Context())["statusCode"] == 200
import time, sys
sys.stderr.write(f"DONE_NS={{time.time_ns()}}\\n")
"""

FLOOR_RUN = f"""
import boto3
from botocore.config import Config
from botocore.stub import Stubber

client = boto3.client(
    "connect",
    config=Config(retries={{"mode": "standard", "max_attempts": 3}}, connect_timeout=2, read_timeout=3),
)
stubber = Stubber(client)
stubber.add_response("start_chat_contact", {STUB_ANSWER})
stubber.activate()
client.start_chat_contact(InstanceId="i", ContactFlowId="f", ParticipantDetails={{"DisplayName": "Ada"}})
import time, sys
sys.stderr.write(f"DONE_NS={{time.time_ns()}}\\n")
"""


LIBRARIES_RUN = FLOOR_RUN.replace(
    "import boto3\n",
    """import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel

class Model(BaseModel):
    name: str

Model.model_validate({"name": "Ada"})
""",
    1,
)


def build_asset_zip(destination: Path) -> Path:
    """Zip the contents of ``lambdas/`` as the stack's asset (so ``start_chat/`` is at the root)."""
    archive = destination / "start_chat_asset.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for path in sorted(LAMBDAS_DIR.rglob("*")):
            relative = path.relative_to(LAMBDAS_DIR)
            if path.is_dir() or EXCLUDED_DIRS & set(relative.parts) or relative.name in EXCLUDED_NAMES:
                continue
            if path.suffix == ".pyc":
                continue
            zipped.write(path, relative.as_posix())
    return archive


def _environment(python_path: str | None) -> dict[str, str]:
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "POWERTOOLS_", "PYTHON", "CONNECT_"))
    }
    environ.update(
        {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_EC2_METADATA_DISABLED": "true",
            "CONNECT_INSTANCE_ID": "11111111-2222-3333-4444-555555555555",
            "CONNECT_CONTACT_FLOW_ID": "66666666-7777-8888-9999-000000000000",
            "ALLOWED_ORIGINS": '["https://www.example.com"]',
            "POWERTOOLS_SERVICE_NAME": "start-chat",
            "POWERTOOLS_METRICS_NAMESPACE": "ConnectChatBench",
            "POWERTOOLS_TRACE_DISABLED": "true",
            # The asset ships without .pyc, so Lambda compiles the package on every cold start.
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if python_path:
        environ["PYTHONPATH"] = python_path
    return environ


def time_fresh_process(code: str, environ: dict[str, str], cwd: str) -> float:
    """Milliseconds from spawning ``python -c code`` to the moment it reports its first answer."""
    started = time.time_ns()
    finished = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=cwd, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"benchmark process failed:\n{finished.stderr}")
    done = next(line for line in finished.stderr.splitlines() if line.startswith("DONE_NS="))
    return (int(done.removeprefix("DONE_NS=")) - started) / 1e6


def main(runs: int = RUNS) -> None:
    """Measure and print the cold-start medians, their ratio and the asset size."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = build_asset_zip(Path(scratch))
        unpacked = Path(scratch) / "task"
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
            asset_files = len(zipped.namelist())
        asset_bytes = archive.stat().st_size
        handler_env = _environment(str(unpacked))
        floor_env = _environment(None)
        variants = {
            "handler": (HANDLER_RUN, handler_env),
            "floor": (FLOOR_RUN, floor_env),
            # Plugin scanning off, as the handler's package does: the libraries at their cheapest.
            "libraries": (LIBRARIES_RUN, {**floor_env, "PYDANTIC_DISABLE_PLUGINS": "__all__"}),
        }
        samples: dict[str, list[float]] = {name: [] for name in variants}
        for code, environ in variants.values():  # one discarded round warms the file cache
            time_fresh_process(code, environ, scratch)
        for _ in range(runs):  # interleaved, so machine noise hits every variant alike
            for name, (code, environ) in variants.items():
                samples[name].append(time_fresh_process(code, environ, scratch))

    median = {name: statistics.median(values) for name, values in samples.items()}
    fastest = {name: min(values) for name, values in samples.items()}
    ratio = median["handler"] / median["floor"]
    print(
        f"cold_start handler_median_ms={median['handler']:.1f} floor_median_ms={median['floor']:.1f} "
        f"ratio={ratio:.3f} target_ratio<={TARGET_RATIO} {'ok' if ratio <= TARGET_RATIO else 'ABOVE_TARGET'} "
        f"runs={runs} handler_min_ms={fastest['handler']:.1f} floor_min_ms={fastest['floor']:.1f} "
        f"min_ratio={fastest['handler'] / fastest['floor']:.3f}"
    )
    print(
        f"cold_start libraries_median_ms={median['libraries']:.1f} "
        f"libraries_ratio={median['libraries'] / median['floor']:.3f} "
        f"own_code_ms={median['handler'] - median['libraries']:.1f}"
    )
    print(
        f"cold_start asset_zip_bytes={asset_bytes} asset_zip_kb={asset_bytes / 1024:.1f} "
        f"asset_files={asset_files} target_kb<={TARGET_ASSET_BYTES // 1024} "
        f"{'ok' if asset_bytes <= TARGET_ASSET_BYTES else 'ABOVE_TARGET'}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
