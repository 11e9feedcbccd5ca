"""The committed sandbox/agents/workspace/dist/agent-workspace.js is a fresh build of its source (with the
widget's shared modules) within its size budget, so `make sandbox` needs no npm."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from browser_helpers import WIDGET, ensure_node_modules, tool

from bench.widget_size import measure
from bench.workspace_size import TARGET_GZIP_BYTES, WORKSPACE

pytestmark = pytest.mark.browser


def test_committed_build_matches_the_source(tmp_path: Path) -> None:
    # Given a fresh build of the workspace by the widget's esbuild step
    ensure_node_modules()
    out = tmp_path / "agent-workspace.js"
    result = subprocess.run(
        [tool("node"), "build.mjs", "--workspace", str(out)],
        cwd=WIDGET,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    # Then it is byte for byte the committed file (rebuild with `npm run build` in widget/)
    assert out.read_bytes() == WORKSPACE.read_bytes(), (
        "agent-workspace.js is stale: run `npm run build` in widget/"
    )


def test_committed_build_shares_the_widget_modules_and_stays_small() -> None:
    # One copy of the protocol client in the source tree: the workspace imports the widget's
    source = WORKSPACE.parent.parent / "src"
    imports = "\n".join(path.read_text() for path in source.glob("*.js"))
    for shared in ("protocol.js", "markdown.js", "timers.js"):
        assert f"widget/src/{shared}'" in imports
    assert "class ChatConnection" not in imports
    # At most 24 KB gzipped (bench/workspace_size.py reports it)
    _, gzipped = measure(WORKSPACE)
    assert gzipped <= TARGET_GZIP_BYTES, f"{gzipped} bytes gzipped, over the {TARGET_GZIP_BYTES} budget"
