"""What the cold-start benchmarks share: the Lambda asset as the stack zips it, a fresh interpreter timed
from spawn to its first answer, and interleaved sampling of several variants.

Every variant ends with ``REPORT_DONE``: it reports the time of its answer and exits without interpreter
teardown, so its CPU time covers the same span as its wall time.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"
REPORT_DONE = """
import os, sys, time
sys.stderr.write(f"DONE_NS={time.time_ns()}\\n")
sys.stderr.flush()
os._exit(0)
"""


def build_asset_zip(destination: Path, excluded_dirs: frozenset[str], excluded_names: frozenset[str]) -> Path:
    """Zip the contents of ``lambdas/`` as a function's asset (its package at the root), no .pyc."""
    archive = destination / "asset.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for path in sorted(LAMBDAS_DIR.rglob("*")):
            relative = path.relative_to(LAMBDAS_DIR)
            if path.is_dir() or excluded_dirs & set(relative.parts) or relative.name in excluded_names:
                continue
            if path.suffix == ".pyc":
                continue
            zipped.write(path, relative.as_posix())
    return archive


def time_fresh_process(code: str, environ: Mapping[str, str], cwd: str) -> tuple[float, float]:
    """Milliseconds from spawning ``python -c code`` to its first answer, and the CPU time it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time_ns()
    finished = subprocess.run(
        [sys.executable, "-c", code], env=dict(environ), cwd=cwd, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode != 0:
        raise RuntimeError(f"benchmark process failed:\n{finished.stderr}")
    done = next(line for line in finished.stderr.splitlines() if line.startswith("DONE_NS="))
    cpu_seconds = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return (int(done.removeprefix("DONE_NS=")) - started) / 1e6, cpu_seconds * 1000


@dataclass(frozen=True)
class Samples:
    """Each variant's wall-clock and CPU milliseconds, one sample per round."""

    wall: dict[str, list[float]]
    cpu: dict[str, list[float]]

    def median(self, name: str) -> float:
        return statistics.median(self.wall[name])

    def cpu_median(self, name: str) -> float:
        return statistics.median(self.cpu[name])

    def fastest(self, name: str) -> float:
        return min(self.wall[name])

    def paired_ratio(self, name: str, base: str) -> float:
        """Median of each round's own ratio: the two samples of a round ran seconds apart, so a slow
        spell of the machine shifts both; steadier than the ratio of medians on a busy machine."""
        return statistics.median(a / b for a, b in zip(self.wall[name], self.wall[base], strict=True))


def sample_interleaved(variants: Mapping[str, tuple[str, Mapping[str, str]]], runs: int, cwd: str) -> Samples:
    """Run every variant (code, environment) ``runs`` times, interleaved, after one discarded round.

    Interleaved so that machine noise hits every variant alike; the order rotates each round, so no
    variant always runs right after another one (or first). The discarded round warms the file cache."""
    for code, environ in variants.values():
        time_fresh_process(code, environ, cwd)
    names = list(variants)
    samples = Samples({name: [] for name in names}, {name: [] for name in names})
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            code, environ = variants[name]
            wall_ms, cpu_ms = time_fresh_process(code, environ, cwd)
            samples.wall[name].append(wall_ms)
            samples.cpu[name].append(cpu_ms)
    return samples
