"""`python -m sandbox`: the local Amazon Connect chat sandbox on http://127.0.0.1:8080."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from lambdas.start_chat.environment import START_CHAT_AUTH_MODES
from sandbox.app import create_app
from sandbox.clock import Clock, ManualClock
from sandbox.config import ConfigError, SandboxConfig
from sandbox.server import SandboxServer, bind, uvicorn_config

ROOT = Path(__file__).resolve().parent.parent
# The sandbox follows the same settings a deployment would, parsed as the stack parses them (README's
# configuration table says which keys matter only deployed).
DEFAULT_CONFIG = ROOT / "cdk.json"
# Git-ignored: the embedded S3's objects (transcripts, attachments) survive a restart here.
DEFAULT_DATA_DIR = ROOT / ".sandbox"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; flags override the config file, which overrides the defaults."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.add_argument("--s3-endpoint", help="S3 endpoint for transcripts/attachments (default: embedded)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="where the embedded S3 keeps its objects across restarts (default: .sandbox/ in the repository)",
    )
    parser.add_argument(
        "--no-data-dir", action="store_true", help="keep the embedded S3's objects in memory only"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None,
        help="JSON file of deployment config keys, or a cdk.json, checked as cdk synth checks them "
        "(default: this repository's cdk.json)",
    )
    parser.add_argument("--chat-duration-minutes", type=int, help="ChatDurationInMinutes, 60-10080")
    parser.add_argument("--disconnect-wait-seconds", type=int, help="disconnect flow Wait, in seconds")
    parser.add_argument("--chat-concurrency", type=int, help="chats per agent, 1-10")
    parser.add_argument("--greeting", help="first message of the inbound flow")
    parser.add_argument("--allowed-origin", action="append", dest="allowed_origins", help="extra CORS origin")
    parser.add_argument("--max-active-chats", type=int, help="concurrent active chats quota (default 100)")
    parser.add_argument("--transcript-bucket", help="bucket for chat transcripts")
    parser.add_argument("--transcript-prefix", help="key prefix for chat transcripts")
    parser.add_argument("--no-attachments", action="store_true", help="disable attachments")
    parser.add_argument(
        "--scan-attachments",
        action="store_true",
        help="run the demo attachment scanner (rejects files holding the EICAR test string), as with "
        "attachmentScannerLambdaArn",
    )
    parser.add_argument("--no-demo-agent", action="store_true", help="do not run the demo agent")
    parser.add_argument(
        "--start-chat-auth",
        choices=START_CHAT_AUTH_MODES,
        help="jwt: POST /chats needs a start token (sign one with python -m sandbox.sign_token)",
    )
    parser.add_argument(
        "--chat-bot", action="store_true", help="the triage bot (bots/) talks first, as with chatBot=true"
    )
    parser.add_argument(
        "--manual-clock",
        action="store_true",
        help='time moves only through POST /sandbox/clock {"advanceSeconds": N} (demos of the timers)',
    )
    parser.add_argument(
        "--no-throttle",
        action="store_true",
        help="do not throttle SendMessage/SendEvent per participant (load tests)",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def build_config(args: argparse.Namespace) -> SandboxConfig:
    """The configuration from defaults, the config file and the flags."""
    config = SandboxConfig()
    if args.config:
        config = SandboxConfig.from_file(args.config, config)
    return config.with_overrides(
        host=args.host,
        port=args.port,
        s3_endpoint=args.s3_endpoint,
        data_dir=None if args.no_data_dir else str(args.data_dir),
        chat_duration_minutes=args.chat_duration_minutes,
        disconnect_wait_seconds=args.disconnect_wait_seconds,
        chat_concurrency=args.chat_concurrency,
        greeting=args.greeting,
        allowed_origins=tuple(args.allowed_origins) if args.allowed_origins else None,
        max_active_chats=args.max_active_chats,
        transcript_bucket=args.transcript_bucket,
        transcript_prefix=args.transcript_prefix,
        enable_attachments=False if args.no_attachments else None,
        scan_attachments=True if args.scan_attachments else None,
        demo_agent=False if args.no_demo_agent else None,
        start_chat_auth=args.start_chat_auth,
        chat_bot=True if args.chat_bot else None,
        throttle_sends=False if args.no_throttle else None,
    )


def clock_for(args: argparse.Namespace) -> Clock | None:
    """The manual clock with `--manual-clock`; otherwise None (the application's real clock)."""
    return ManualClock() if args.manual_clock else None


def main(argv: list[str] | None = None) -> int:
    """Start the sandbox and serve until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("botocore", "botocore.configprovider", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        config = build_config(args)
    except ConfigError as error:
        print(f"sandbox: {error}", file=sys.stderr)
        return 2
    try:
        sock = bind(config.host, config.port)
    except OSError as error:
        print(f"sandbox: cannot listen on {config.host}:{config.port}: {error}", file=sys.stderr)
        return 1
    app = create_app(config, clock_for(args))
    base = config.base_url
    print(f"Amazon Connect chat sandbox on {base}")
    print(f"  demo website:         {base}/  (the chat widget, embedded as a site would)")
    print(f"  start a chat:         POST {base}/chats")
    print(f"  Connect API:          {base}/connect  (boto3 connect endpoint_url)")
    print(f"  Participant Service:  {base}  (boto3 connectparticipant endpoint_url, ChatJS endpoint)")
    print(f"  agent API:            {base}/sandbox/agents")
    print(f"  sandbox info:         {base}/sandbox/info")
    if args.manual_clock:
        print(f"  manual clock:         POST {base}/sandbox/clock  (time moves only when told)")
    if config.chat_bot:
        print(f"  Lex V2 runtime:       {base}/lex  (boto3 lexv2-runtime endpoint_url; the triage bot)")
    if config.scans_attachments:
        print("  attachment scanner:   the demo scanner (rejects files holding the EICAR test string)")
    demo = "on (answers every chat; --no-demo-agent to switch off)" if config.demo_agent else "off"
    print(f"  demo agent:           {demo}")
    sys.stdout.flush()
    if not config.s3_endpoint:
        print(f"  S3 objects kept in:   {config.data_dir or 'memory only (--no-data-dir)'}")
    settings = uvicorn_config(app, config.host, config.port, log_level=args.log_level)
    server = SandboxServer(settings, app.state.sandbox, owns_process=True)
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
