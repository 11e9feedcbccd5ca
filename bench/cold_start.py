"""Cold start of the start-chat Lambda against the floor of any boto3 Lambda, and the asset's size.

Each sample is a fresh interpreter timed from spawn to its first answer, with Connect stubbed
(botocore Stubber, no network):

- handler: what Lambda does: imports ``start_chat.handler`` from the unpacked asset zip (no .pyc; the
  handler imports boto3 itself), then handles one ``POST /chats`` event, its Connect and Secrets Manager
  clients created by the handler's own ``aws_clients`` (as in a first invocation) and stubbed;
- floor: imports boto3, creates the same Connect client and makes the same stubbed call, with Python's
  default GC (the handler's pause-and-freeze of the GC, ``start_chat/gc_pause.py``, would make any boto3
  Lambda faster too, the floor included: part of the handler's margin is GC policy, not less work);
- libraries: the floor plus what the design requires before any of our code runs (pydantic with one
  model, Powertools Logger and Metrics), loaded the way the handler loads them and
  its client (GC paused, then frozen: ``start_chat/gc_pause.py``), to tell their cost from ours.

Every variant runs with the same interpreter, flags and environment (bar ``PYTHONPATH`` pointing at the
asset), the same number of times, interleaved in an order that rotates each round; medians are reported,
and ``paired_ratio``, the median of each round's handler/floor ratio.
Each process exits right after its answer (``os._exit``), so its CPU time covers the same span as its
wall time: on a loaded machine CPU time is the steadier of the two, and is reported alongside.

Prints ``cold_start handler_median_ms=... floor_median_ms=... ratio=...`` (target ratio <= 1.25),
``cold_start handler_cpu_median_ms=...``, ``cold_start libraries_median_ms=...`` and
``cold_start asset_zip_bytes=...`` (target <= 64 KB).
Run: ``python -m bench.cold_start [runs]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from pathlib import Path

from bench._fresh_process import REPORT_DONE, build_asset_zip, sample_interleaved
from lambdas.start_chat.chat_timeouts import ChatTimeouts
from lambdas.start_chat.environment import lambda_environment
from lambdas.start_chat.models import DEFAULT_CHAT_DURATION_MINUTES

# The same exclusions as the stack's asset (stacks/start_chat_function.py, Code.from_asset).
EXCLUDED_DIRS = frozenset({"__pycache__", ".mypy_cache", "triage_bot"})
EXCLUDED_NAMES = frozenset({"openapi.json"})
RUNS = 15
TARGET_RATIO = 1.25
TARGET_ASSET_BYTES = 64 * 1024

CONTINUATION_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:continuation-AbCdEf"  # noqa: S105 (an ARN)
# The function's environment, built as the stack builds it.
LAMBDA_ENVIRONMENT = lambda_environment(
    instance_id="11111111-2222-3333-4444-555555555555",
    contact_flow_id="66666666-7777-8888-9999-000000000000",
    allowed_origins=["https://www.example.com"],
    allowed_attributes=["customerName"],
    chat_duration_minutes=DEFAULT_CHAT_DURATION_MINUTES,
    enable_attachments=True,
    enable_markdown=True,
    enable_interactive_messages=False,
    continuation_secret_id=CONTINUATION_SECRET_ARN,
    continuation_window_hours=48,
    start_chat_auth="none",
    start_token_secret_id=None,
    chat_timeouts=ChatTimeouts(),
)

STUB_ANSWER = '{"ContactId": "c-1", "ParticipantId": "p-1", "ParticipantToken": "t-1"}'

HANDLER_RUN = f"""
import json
from start_chat.handler import lambda_handler
from botocore.stub import Stubber
from start_chat import aws_clients

class Context:
    function_name = "start-chat"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:start-chat"
    aws_request_id = "bench"

stubber = Stubber(aws_clients.get_connect_client())
stubber.add_response("start_chat_contact", {STUB_ANSWER})
stubber.activate()
# The container's keys as deployed (Powertools Parameters over the container's Secrets Manager
# client), answered by a stub: the cold start includes reading the continuation key.
secrets = Stubber(aws_clients.get_secrets_client())
secrets.add_response("get_secret_value", {{"Name": "continuation", "SecretString": "k" * 64}})
secrets.activate()
event = {{
    "resource": "/chats", "path": "/chats", "httpMethod": "POST",
    "headers": {{"Origin": "https://www.example.com", "Content-Type": "application/json"}},
    "multiValueHeaders": {{}}, "queryStringParameters": None, "pathParameters": None,
    "requestContext": {{"requestId": "bench", "stage": "prod"}},
    "body": json.dumps({{"ParticipantDetails": {{"DisplayName": "Ada"}}}}), "isBase64Encoded": False,
}}
assert lambda_handler(event, Context())["statusCode"] == 200
{REPORT_DONE}"""

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
{REPORT_DONE}"""


# The libraries as the handler loads them: imports and client creation with the GC paused, then frozen
# (start_chat/gc_pause.py), so that handler - libraries is the cost of our own code.
LIBRARIES_RUN = f"""
import gc
gc.disable()
import boto3
from botocore.config import Config
from botocore.stub import Stubber
from aws_lambda_powertools import Logger, Metrics
from pydantic import BaseModel

class Model(BaseModel):
    name: str

gc.freeze()
gc.enable()
Model.model_validate({{"name": "Ada"}})
gc.disable()
client = boto3.client(
    "connect",
    config=Config(retries={{"mode": "standard", "max_attempts": 3}}, connect_timeout=2, read_timeout=3),
)
gc.freeze()
gc.enable()
stubber = Stubber(client)
stubber.add_response("start_chat_contact", {STUB_ANSWER})
stubber.activate()
client.start_chat_contact(InstanceId="i", ContactFlowId="f", ParticipantDetails={{"DisplayName": "Ada"}})
{REPORT_DONE}"""


def _environment(python_path: str | None) -> dict[str, str]:
    # PYDANTIC_: importing lambdas.start_chat (above) switches plugins off in this process; each
    # variant says for itself whether they are off.
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in LAMBDA_ENVIRONMENT
        and not name.startswith(("AWS_", "POWERTOOLS_", "PYTHON", "PYDANTIC_"))
    }
    environ.update(
        {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_EC2_METADATA_DISABLED": "true",
            **LAMBDA_ENVIRONMENT,
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


def main(runs: int = RUNS) -> None:
    """Measure and print the cold-start medians, their ratio and the asset size."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = build_asset_zip(Path(scratch), EXCLUDED_DIRS, EXCLUDED_NAMES)
        unpacked = Path(scratch) / "task"
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
            asset_files = len(zipped.namelist())
        asset_bytes = archive.stat().st_size
        floor_env = _environment(None)
        variants = {
            "handler": (HANDLER_RUN, _environment(str(unpacked))),
            "floor": (FLOOR_RUN, floor_env),
            # Plugin scanning off, as the handler's package does: the libraries at their cheapest.
            "libraries": (LIBRARIES_RUN, {**floor_env, "PYDANTIC_DISABLE_PLUGINS": "__all__"}),
        }
        samples = sample_interleaved(variants, runs, scratch)

    handler, floor, libraries = (samples.median(name) for name in ("handler", "floor", "libraries"))
    ratio = handler / floor
    print(
        f"cold_start handler_median_ms={handler:.1f} floor_median_ms={floor:.1f} "
        f"ratio={ratio:.3f} target_ratio<={TARGET_RATIO} {'ok' if ratio <= TARGET_RATIO else 'ABOVE_TARGET'} "
        f"runs={runs} handler_min_ms={samples.fastest('handler'):.1f} "
        f"floor_min_ms={samples.fastest('floor'):.1f} "
        f"min_ratio={samples.fastest('handler') / samples.fastest('floor'):.3f} "
        f"paired_ratio={samples.paired_ratio('handler', 'floor'):.3f}"
    )
    print(
        f"cold_start handler_cpu_median_ms={samples.cpu_median('handler'):.1f} "
        f"floor_cpu_median_ms={samples.cpu_median('floor'):.1f} "
        f"cpu_ratio={samples.cpu_median('handler') / samples.cpu_median('floor'):.3f} "
        f"libraries_cpu_median_ms={samples.cpu_median('libraries'):.1f}"
    )
    print(
        f"cold_start libraries_median_ms={libraries:.1f} libraries_ratio={libraries / floor:.3f} "
        f"own_code_ms={handler - libraries:.1f}"
    )
    print(
        f"cold_start asset_zip_bytes={asset_bytes} asset_zip_kb={asset_bytes / 1024:.1f} "
        f"asset_files={asset_files} target_kb<={TARGET_ASSET_BYTES // 1024} "
        f"{'ok' if asset_bytes <= TARGET_ASSET_BYTES else 'ABOVE_TARGET'}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
