"""Size of the built agent workspace: raw and gzipped bytes of
sandbox/agents/workspace/dist/agent-workspace.js
(it bundles the widget's protocol client, markdown renderer and timers with its own parts).

Prints ``workspace_size raw_bytes=... gzip_bytes=... target_gzip_bytes=24576 ok=...``.
Run: ``python -m bench.workspace_size``.
"""

from __future__ import annotations

from pathlib import Path

from bench.widget_size import measure

WORKSPACE = (
    Path(__file__).resolve().parent.parent
    / "sandbox"
    / "agents"
    / "workspace"
    / "dist"
    / "agent-workspace.js"
)
TARGET_GZIP_BYTES = 24 * 1024


def main() -> None:
    """Print the figures; the target is a report, not a failure (the build test enforces it)."""
    raw, packed = measure(WORKSPACE)
    print(
        f"workspace_size raw_bytes={raw} gzip_bytes={packed} target_gzip_bytes={TARGET_GZIP_BYTES} "
        f"ok={packed <= TARGET_GZIP_BYTES}"
    )


if __name__ == "__main__":
    main()
