"""Cold start of the triage bot's code hook Lambda against the floor of any Python Lambda.

Measured like ``bench/cold_start.py`` (fresh interpreters, interleaved, medians and the paired ratio):

- handler: imports ``triage_bot.handler`` from the unpacked asset (the ``lambdas/`` folder without
  ``start_chat/``, no .pyc) and answers one Lex V2 event (the bot's first turn: a ListPicker);
- floor: the hook needs no AWS SDK, so its floor is a bare interpreter that parses the same event
  as JSON and answers a JSON response: what no Python Lambda can go below.

Prints ``code_hook_cold_start handler_median_ms=... floor_median_ms=... ratio=...`` and the asset size.
Run: ``python -m bench.code_hook_cold_start [runs]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import zipfile
from pathlib import Path

from bench._fresh_process import REPORT_DONE, build_asset_zip, sample_interleaved
from bench.cold_start import _environment
from bots import code_hook_script
from lambdas.triage_bot.environment import code_hook_environment

RUNS = 15
EVENT = {
    "messageVersion": "1.0",
    "invocationSource": "DialogCodeHook",
    "inputMode": "Text",
    "sessionId": "bench",
    "inputTranscript": "I need help",
    "bot": {"id": "BENCHBOT01", "name": "ChatTriage", "aliasId": "TSTALIASID", "localeId": "en_US"},
    "sessionState": {
        "sessionAttributes": {},
        "intent": {
            "name": "Triage",
            "slots": {"Topic": None},
            "state": "InProgress",
            "confirmationState": "None",
        },
    },
}

HANDLER_RUN = f"""
import json
from triage_bot.handler import lambda_handler

class Context:
    function_name = "triage-bot"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:triage-bot"
    aws_request_id = "bench"

answer = lambda_handler(json.loads({json.dumps(json.dumps(EVENT))}), Context())
assert answer["sessionState"]["dialogAction"]["type"] == "ElicitSlot"
{REPORT_DONE}"""

FLOOR_RUN = f"""
import json
event = json.loads({json.dumps(json.dumps(EVENT))})
answer = json.dumps({{"sessionState": {{"dialogAction": {{"type": "ElicitSlot"}}}}, "messages": []}})
{REPORT_DONE}"""


def main(runs: int = RUNS) -> None:
    """Measure and print the code hook's cold-start medians, their ratio and its asset size."""
    with tempfile.TemporaryDirectory() as scratch:
        excluded = frozenset({"__pycache__", ".mypy_cache", "start_chat"})
        archive = build_asset_zip(Path(scratch), excluded, frozenset())
        unpacked = Path(scratch) / "task"
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
        hook_environment = code_hook_environment(code_hook_script())
        variants = {
            "handler": (HANDLER_RUN, {**_environment(str(unpacked)), **hook_environment}),
            "floor": (FLOOR_RUN, _environment(None)),
        }
        samples = sample_interleaved(variants, runs, scratch)
        asset_bytes = archive.stat().st_size
    handler, floor = samples.median("handler"), samples.median("floor")
    print(
        f"code_hook_cold_start handler_median_ms={handler:.1f} floor_median_ms={floor:.1f} "
        f"ratio={handler / floor:.3f} paired_ratio={samples.paired_ratio('handler', 'floor'):.3f} "
        f"runs={runs} asset_zip_bytes={asset_bytes}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
