"""Size of the built chat widget: raw and gzipped bytes of widget/dist/connect-chat.js (JS and CSS in one
file, no runtime dependencies), against the official Amazon Connect chat-interface bundle (~2.3 MB raw,
~579 KB gzipped).

Prints ``widget_size raw_bytes=... gzip_bytes=... target_gzip_bytes=16384 ok=...``.
Run: ``python -m bench.widget_size``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

WIDGET = Path(__file__).resolve().parent.parent / "widget" / "dist" / "connect-chat.js"
TARGET_GZIP_BYTES = 16 * 1024
OFFICIAL_GZIP_BYTES = 579 * 1024


def measure(path: Path = WIDGET) -> tuple[int, int]:
    """Raw and gzipped (level 9, as a CDN would serve it) sizes in bytes."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> None:
    """Print the figures; the target is a report, not a failure."""
    raw, packed = measure()
    ok = packed <= TARGET_GZIP_BYTES
    print(
        f"widget_size raw_bytes={raw} gzip_bytes={packed} target_gzip_bytes={TARGET_GZIP_BYTES} ok={ok} "
        f"vs_official={OFFICIAL_GZIP_BYTES / packed:.0f}x_smaller"
    )


if __name__ == "__main__":
    main()
