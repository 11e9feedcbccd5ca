"""The demo website: an ordinary page at `/` that embeds the built widget as a customer's site would."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
WIDGET_FILE = WIDGET_DIR / "dist" / "connect-chat.js"
DEMO_PAGE = WIDGET_DIR / "demo" / "index.html"


def _file(path: Path, media_type: str) -> Response:
    if not path.is_file():
        # Only a broken checkout gets here: the built widget is committed.
        return PlainTextResponse(f"{path.name} is missing from this checkout", status_code=404)
    # no-cache: a rebuilt widget shows up on the next reload while you work on it.
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})


async def demo_page(request: Request) -> Response:
    """GET / — the demo site."""
    return _file(DEMO_PAGE, "text/html; charset=utf-8")


async def widget_script(request: Request) -> Response:
    """GET /connect-chat.js — the widget, exactly the file a site would host."""
    return _file(WIDGET_FILE, "text/javascript; charset=utf-8")


def website_routes() -> list[Route]:
    """Routes of the demo website."""
    return [
        Route("/", demo_page, methods=["GET"]),
        Route("/connect-chat.js", widget_script, methods=["GET"]),
    ]
