"""The Participant Service WebSocket: subscribe, heartbeat, ping and chat item fan-out.

Each socket has one writer task fed by a queue capped in bytes, so publishing is a synchronous
append that domain code can call from anywhere on the loop, and a slow or vanished client is
dropped (close 1013) instead of slowing everyone else down or growing the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from sandbox.contacts.model import Contact, Participant
from sandbox.contacts.signals import Signal
from sandbox.contacts.store import ContactStore

log = logging.getLogger(__name__)

CHAT_TOPIC = "aws/chat"
MAX_FRAME_CHARS = 16 * 1024
MAX_BAD_FRAMES = 50
QUEUE_MAX_BYTES = 1024 * 1024
SOCKETS_PER_PARTICIPANT = 2
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN = 1013
# How long a socket the sandbox closes may take to flush its close frame before it is dropped.
CLOSE_GRACE_SECONDS = 10.0


class SocketConnection:
    """One open WebSocket of one participant, with its queue of frames to send."""

    def __init__(
        self, websocket: WebSocket, participant: Participant, max_bytes: int = QUEUE_MAX_BYTES
    ) -> None:
        self.websocket = websocket
        self.participant = participant
        self.subscribed = False
        self.frames: deque[str] = deque()
        # Frames are ASCII JSON (json.dumps escapes the rest), so characters are bytes.
        self.queued_bytes = 0
        self.max_bytes = max_bytes
        # Set when there is something for the writer to do: frames to send, or the close.
        self.wake = asyncio.Event()
        # The close code once closing has been decided; the writer sends it after the queued frames.
        self.close_code: int | None = None
        self.writer: asyncio.Task[None] | None = None

    @property
    def closing(self) -> bool:
        """A close has been decided: nothing more is queued."""
        return self.close_code is not None

    def send(self, text: str) -> None:
        """Queue a text frame; a client too slow to keep up is disconnected."""
        if self.closing:
            return
        if self.queued_bytes + len(text) > self.max_bytes:
            log.warning("dropping a WebSocket that is not reading (participant %s)", self.participant.id)
            self.frames.clear()  # it will never read them: free them now, and say why it is closed
            self.queued_bytes = 0
            self.close(CLOSE_TRY_AGAIN)
            return
        self.frames.append(text)
        self.queued_bytes += len(text)
        self.wake.set()

    def close(self, code: int = 1000) -> None:
        """Close after the frames already queued."""
        if self.closing:
            return
        self.close_code = code
        self.wake.set()

    async def write_loop(self) -> None:
        """Send queued frames in order, then the close frame once closing."""
        while True:
            await self.wake.wait()
            while self.frames:
                frame = self.frames.popleft()
                self.queued_bytes -= len(frame)
                await self.websocket.send_text(frame)
            if self.close_code is not None:
                await self.websocket.close(self.close_code)
                return
            self.wake.clear()


def chat_frame(item: dict[str, Any]) -> str:
    """The `aws/chat` frame for an item; `content` is the item serialized as a JSON string."""
    return json.dumps({"topic": CHAT_TOPIC, "contentType": "application/json", "content": json.dumps(item)})


class WebSocketHub:
    """Open sockets by participant, and the `/participant/websocket` endpoint."""

    def __init__(self, store: ContactStore, queue_max_bytes: int = QUEUE_MAX_BYTES) -> None:
        self.store = store
        self.queue_max_bytes = queue_max_bytes
        self.sockets: dict[str, list[SocketConnection]] = {}
        # A participant's first socket subscribed to the chat topic: they can now receive items.
        self.subscribed: Signal[[Participant]] = Signal("subscribed")

    def publish(self, contact: Contact, item: dict[str, Any], *, to_left: bool = False) -> None:
        """Push an item to every subscribed socket of the contact's participants, the sender included."""
        frame: str | None = None
        for participant in contact.participants.values():
            if participant.left and not to_left:
                continue
            for conn in self.sockets.get(participant.id, ()):
                if conn.subscribed:
                    frame = frame or chat_frame(item)
                    conn.send(frame)

    async def wait_closed(self) -> None:
        """Wait until every open socket's writer has finished (after `close`: sent its last frames)."""
        writers = [conn.writer for conns in self.sockets.values() for conn in conns if conn.writer]
        if writers:
            await asyncio.wait(writers)

    def close_participant(self, participant: Participant) -> None:
        """Close every socket of a participant once their queued frames are sent."""
        for conn in self.sockets.get(participant.id, ()):
            conn.close()

    async def endpoint(self, websocket: WebSocket) -> None:
        """Serve one client socket for its whole life."""
        token = websocket.query_params.get("token", "")
        participant = self.store.socket_participant(token)
        if participant is None:
            await websocket.close(CLOSE_POLICY)  # before accept: the handshake gets HTTP 403
            return
        await websocket.accept()
        conn = SocketConnection(websocket, participant, self.queue_max_bytes)
        conns = self.sockets.setdefault(participant.id, [])
        conns.append(conn)
        while len(conns) > SOCKETS_PER_PARTICIPANT:
            conns.pop(0).close()
        writer = conn.writer = asyncio.create_task(conn.write_loop())
        try:
            await self._read_loop(conn)
        except WebSocketDisconnect:
            pass
        finally:
            if conn in conns:
                conns.remove(conn)
            if not conns:
                self.sockets.pop(participant.id, None)
            # One socket per URL: a client that reconnects asks CreateParticipantConnection again.
            self.store.forget_socket_token(token)
            await self._finish_writer(conn, writer)

    @staticmethod
    async def _finish_writer(conn: SocketConnection, writer: asyncio.Task[None]) -> None:
        if conn.closing and not writer.done():
            # The sandbox closed this socket (policy, size, too slow): let the writer send the close
            # frame, so the client learns why; a peer that has gone makes the send fail at once.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(writer), CLOSE_GRACE_SECONDS)
        conn.close()
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer

    async def _read_loop(self, conn: SocketConnection) -> None:
        bad_frames = 0
        while True:
            message = await conn.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None or len(text) > MAX_FRAME_CHARS:
                conn.close(CLOSE_TOO_BIG if text else CLOSE_POLICY)
                return
            if not self._handle_frame(conn, text):
                bad_frames += 1
                if bad_frames > MAX_BAD_FRAMES:
                    conn.close(CLOSE_POLICY)
            if conn.closing:
                return

    def _handle_frame(self, conn: SocketConnection, text: str) -> bool:
        try:
            frame = json.loads(text)
        except RecursionError:  # thousands of nested brackets: not a client, close the socket
            conn.close(CLOSE_POLICY)
            return False
        except ValueError:
            conn.send(json.dumps({"topic": "aws/error", "statusCode": 400, "statusContent": "Bad Request"}))
            return False
        topic = frame.get("topic") if isinstance(frame, dict) else None
        if topic == "aws/heartbeat":
            conn.send('{"topic": "aws/heartbeat"}')
        elif topic == "aws/ping":
            conn.send('{"topic": "aws/ping", "statusCode": 200, "statusContent": "OK"}')
        elif topic == "aws/subscribe":
            return self._subscribe(conn, frame.get("content"))
        else:
            status = {"topic": str(topic)[:100], "statusCode": 400, "statusContent": "Unknown topic"}
            conn.send(json.dumps(status))
            return False
        return True

    def _subscribe(self, conn: SocketConnection, content: Any) -> bool:
        topics = content.get("topics") if isinstance(content, dict) else None
        if not isinstance(topics, list):  # not the protocol at all: close the socket
            conn.close(CLOSE_POLICY)
            return False
        if CHAT_TOPIC not in topics:
            failure = {"status": "failure", "topics": [t for t in topics if isinstance(t, str)][:10]}
            conn.send(json.dumps({"topic": "aws/subscribe", "content": failure}))
            return False
        conn.send(
            json.dumps({"topic": "aws/subscribe", "content": {"status": "success", "topics": [CHAT_TOPIC]}})
        )
        if not conn.subscribed:
            conn.subscribed = True
            self.subscribed.emit(conn.participant)
        return True
