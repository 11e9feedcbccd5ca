"""The committed widget/dist/connect-chat.js is a fresh build of widget/src within its size budget; the JS
unit tests pass."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from browser_helpers import WIDGET, ensure_node_modules, tool

from bench.widget_size import TARGET_GZIP_BYTES, measure

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """widget/node_modules, installed from the lock file when missing."""
    return ensure_node_modules()


def test_committed_build_matches_the_source(node_modules: Path, tmp_path: Path) -> None:
    # Given a fresh build of widget/src
    out = tmp_path / "connect-chat.js"
    result = subprocess.run(
        [tool("node"), "build.mjs", str(out)],
        cwd=WIDGET,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    # Then it is byte for byte the committed file (rebuild with `npm run build` in widget/)
    committed = (WIDGET / "dist" / "connect-chat.js").read_bytes()
    assert out.read_bytes() == committed, "dist/connect-chat.js is stale: run `npm run build` in widget/"


def test_committed_build_is_within_its_size_budget() -> None:
    # The one file a site embeds stays small: at most 16 KB gzipped (bench/widget_size.py reports it)
    _, gzipped = measure(WIDGET / "dist" / "connect-chat.js")
    assert gzipped <= TARGET_GZIP_BYTES, f"{gzipped} bytes gzipped, over the {TARGET_GZIP_BYTES} budget"


def test_widget_unit_tests_pass() -> None:
    # The protocol client, markdown renderer, string tables and DOM-free parts (node:test, no dependencies)
    result = subprocess.run(
        [tool("node"), "--test", "test/"],
        cwd=WIDGET,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout


@pytest.mark.parametrize(
    "bundle",
    [WIDGET / "dist" / "connect-chat.js", WIDGET.parent / "sandbox/agents/workspace/dist/agent-workspace.js"],
    ids=["widget", "workspace"],
)
def test_committed_bundles_use_no_regex_lookbehind(bundle: Path) -> None:
    # Safari 15.4-16.3 (inside the build's target) rejects a lookbehind: the whole script fails to parse
    text = bundle.read_text(encoding="utf-8")
    assert "(?<=" not in text
    assert "(?<!" not in text
