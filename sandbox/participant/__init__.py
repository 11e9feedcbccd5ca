"""The emulated Amazon Connect Participant Service: backend, REST routes, WebSocket hub,
attachments and transcript paging."""
