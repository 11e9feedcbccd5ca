"""Run every benchmark module in bench/ (or the ones named: `python -m bench cold_start`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Import each bench module and call its main(); a failing benchmark fails the run."""
    available = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")
    )
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        listed = ", ".join(available)
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {listed}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"== {name}", flush=True)
        # Each benchmark runs with its defaults: it must not read the runner's own arguments.
        sys.argv = [f"bench.{name}"]
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
