"""HTTP plumbing and pages: the emulated `POST /chats` route, the demo website, request bodies and
service errors shared by every API, local-only access rules and log redaction."""
