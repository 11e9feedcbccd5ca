"""Command line: render the chat flows to JSON files, or validate flow-language files.

Exit status: 0 when everything is valid, 1 when a flow has issues, 2 on a usage error
or a file that cannot be read or is not JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final, TextIO

from flows import arns
from flows.disconnect import build_disconnect_flow
from flows.document import MAX_WAIT_SECONDS, MIN_WAIT_SECONDS, flow_to_json
from flows.inbound import build_inbound_flow
from flows.params import DEFAULT_WAIT_SECONDS, DisconnectFlowParams, InboundFlowParams
from flows.validator import validate_flow

EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2

INBOUND_FILE: Final = "inbound-chat-flow.json"
DISCONNECT_FILE: Final = "disconnect-flow.json"

# Clearly fake identifiers (documentation account, all-zero IDs): replace them on import.
_EXAMPLE_INSTANCE: Final = arns.instance_arn(
    "us-east-1", "111122223333", "00000000-0000-0000-0000-000000000000"
)
EXAMPLE_QUEUE_ARN: Final = arns.resource_arn(
    _EXAMPLE_INSTANCE, arns.QUEUE, "00000000-0000-0000-0000-000000000001"
)
EXAMPLE_HOURS_ARN: Final = arns.resource_arn(
    _EXAMPLE_INSTANCE, arns.OPERATING_HOURS, "00000000-0000-0000-0000-000000000002"
)
EXAMPLE_DISCONNECT_FLOW_ARN: Final = arns.resource_arn(
    _EXAMPLE_INSTANCE, arns.CONTACT_FLOW, "00000000-0000-0000-0000-000000000003"
)
EXAMPLE_LEX_ALIAS_ARN: Final = "arn:aws:lex:us-east-1:111122223333:bot-alias/EXAMPLEBOT/EXAMPLEALIAS"


def _wait_seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of seconds: {text!r}") from None
    if not MIN_WAIT_SECONDS <= value <= MAX_WAIT_SECONDS:
        raise argparse.ArgumentTypeError(f"must be between {MIN_WAIT_SECONDS} and {MAX_WAIT_SECONDS}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows",
        description="Render the Amazon Connect chat flows, or validate flow-language JSON files.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="write the inbound and disconnect flows as JSON, with placeholder ARNs",
        description=f"Write {INBOUND_FILE} and {DISCONNECT_FILE} into DIR, with clearly fake ARNs "
        "to replace, for review or console import.",
    )
    render.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory")
    render.add_argument(
        "--wait-seconds",
        type=_wait_seconds,
        default=DEFAULT_WAIT_SECONDS,
        metavar="N",
        help=f"how long the disconnect flow waits for the customer (default {DEFAULT_WAIT_SECONDS})",
    )
    render.add_argument(
        "--with-lex-bot", action="store_true", help="add the Lex V2 bot step to the inbound flow"
    )
    validate = commands.add_parser(
        "validate",
        help="check flow-language JSON files",
        description="Check flow-language JSON files; exit 0 if all are valid, 1 if any is not, "
        "2 if a file cannot be read or is not JSON.",
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="flow-language JSON file")
    return parser


def _render(out: Path, wait_seconds: int, with_lex_bot: bool, stdout: TextIO, stderr: TextIO) -> int:
    inbound = build_inbound_flow(
        InboundFlowParams(
            queue_arn=EXAMPLE_QUEUE_ARN,
            hours_of_operation_arn=EXAMPLE_HOURS_ARN,
            disconnect_flow_arn=EXAMPLE_DISCONNECT_FLOW_ARN,
            lex_bot_alias_arn=EXAMPLE_LEX_ALIAS_ARN if with_lex_bot else None,
        )
    )
    disconnect = build_disconnect_flow(
        DisconnectFlowParams(queue_arn=EXAMPLE_QUEUE_ARN, wait_seconds=wait_seconds)
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, document in ((INBOUND_FILE, inbound), (DISCONNECT_FILE, disconnect)):
            target = out / name
            target.write_text(flow_to_json(document) + "\n", encoding="utf-8")
            print(f"wrote {target}", file=stdout)
    except OSError as error:
        print(f"error: cannot write to {out}: {error.strerror or error}", file=stderr)
        return EXIT_USAGE
    return EXIT_OK


def _validate(files: Sequence[Path], stdout: TextIO, stderr: TextIO) -> int:
    status = EXIT_OK
    for path in files:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            print(f"{path}: cannot read the file: {error.strerror or error}", file=stderr)
            status = EXIT_USAGE
            continue
        except UnicodeDecodeError:
            print(f"{path}: not UTF-8 text; a flow must be a UTF-8 JSON file", file=stderr)
            status = EXIT_USAGE
            continue
        except json.JSONDecodeError as error:
            print(
                f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                file=stderr,
            )
            status = EXIT_USAGE
            continue
        except RecursionError:
            print(f"{path}: not usable JSON: nested too deeply", file=stderr)
            status = EXIT_USAGE
            continue
        issues = validate_flow(document)
        for issue in issues:
            print(f"{path}: {issue}", file=stdout)
        if issues:
            print(f"{path}: {len(issues)} issue(s)", file=stdout)
            status = max(status, EXIT_INVALID)
        else:
            print(f"{path}: OK ({len(document['Actions'])} actions)", file=stdout)
    return status


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Usage errors are reported by argparse, which exits with status 2.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    arguments = _parser().parse_args(argv)
    if arguments.command == "render":
        return _render(arguments.out, arguments.wait_seconds, arguments.with_lex_bot, out, err)
    return _validate(arguments.files, out, err)
