#!/usr/bin/env python3
"""CDK entry point: read the deployment config from context and synthesize. No AWS calls, no Docker.

Run by the CDK CLI (`cdk synth`, `cdk deploy`, context from cdk.json and -c flags), or directly
(`python app.py [-c key=value ...]`, as `make synth` does), which reads cdk.json itself.
"""

import argparse
import json
import os
import sys

# Before aws_cdk starts its Node runtime: keep jsii's full-screen Node support banner out of the output.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,19,20,21")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

from stacks.application import context_with_overrides, create_app
from stacks.config import ConfigError


def _context_from_cli() -> tuple[dict[str, object], str | None]:
    if "CDK_CONTEXT_JSON" in os.environ or "CDK_OUTDIR" in os.environ:
        return json.loads(os.environ.get("CDK_CONTEXT_JSON", "{}")), None
    parser = argparse.ArgumentParser(description="Synthesize the stack into cdk.out/ (no AWS access needed).")
    parser.add_argument("-c", "--context", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    try:
        return context_with_overrides(args.context), "cdk.out"
    except ValueError as exc:
        parser.error(str(exc))


def main() -> int:
    context, outdir = _context_from_cli()
    try:
        app, _ = create_app(
            context,
            outdir=outdir,
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=os.environ.get("CDK_DEFAULT_REGION"),
        )
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        app.synth()
    except RuntimeError as exc:
        if "ValidationFailed" not in str(exc):
            raise
        # cdk-nag has printed each finding above; the traceback would only hide them.
        print(
            "error: synth refused: cdk-nag findings above (report in cdk.out/validation-report.json)",
            file=sys.stderr,
        )
        return 1
    print(f"Synthesized into {app.outdir}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
