"""`make bench` runs every benchmark module: each must have a main() callable without arguments."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_benchmark_has_a_main_the_runner_can_call() -> None:
    names = [m.name for m in pkgutil.iter_modules([str(BENCH)]) if not m.name.startswith("_")]
    assert {"cold_start", "sandbox_load", "widget_size", "widget_start"} <= set(names)
    for name in names:
        main = importlib.import_module(f"bench.{name}").main
        required = [
            p
            for p in inspect.signature(main).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        assert not required, f"bench/{name}.py: main() must be callable with no arguments"


def test_runner_refuses_unknown_names(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.__main__ import main

    assert main(["no_such_bench"]) == 2
    assert "unknown benchmark" in capsys.readouterr().err


def test_benchmarks_get_their_defaults_not_the_runners_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.__main__ as runner

    seen: list[list[str]] = []

    class Fake:
        @staticmethod
        def main() -> None:
            seen.append(list(__import__("sys").argv))

    monkeypatch.setattr(runner.importlib, "import_module", lambda name: Fake)
    assert runner.main(["cold_start", "widget_size"]) == 0
    assert seen == [["bench.cold_start"], ["bench.widget_size"]]
