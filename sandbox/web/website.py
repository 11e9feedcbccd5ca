"""The sandbox's pages: the demo website at `/` (embedding the built widget as a customer's site would)
and the agent workspace at `/agent`."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
WIDGET_FILE = WIDGET_DIR / "dist" / "connect-chat.js"
DEMO_PAGE = WIDGET_DIR / "demo" / "index.html"
WORKSPACE_DIR = Path(__file__).resolve().parents[1] / "agents" / "workspace"
WORKSPACE_PAGE = WORKSPACE_DIR / "index.html"
WORKSPACE_FILE = WORKSPACE_DIR / "dist" / "agent-workspace.js"


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


async def workspace_page(request: Request) -> Response:
    """GET /agent — the agent workspace."""
    return _file(WORKSPACE_PAGE, "text/html; charset=utf-8")


async def workspace_script(request: Request) -> Response:
    """GET /agent-workspace.js — the workspace's built script."""
    return _file(WORKSPACE_FILE, "text/javascript; charset=utf-8")


def website_routes() -> list[Route]:
    """Routes of the demo website and the agent workspace."""
    return [
        Route("/", demo_page, methods=["GET"]),
        Route("/connect-chat.js", widget_script, methods=["GET"]),
        Route("/agent", workspace_page, methods=["GET"]),
        Route("/agent-workspace.js", workspace_script, methods=["GET"]),
    ]
