"""Amazon Lex V2 code hook input events, in the full shape Lex sends (fields the hook ignores included)."""

from __future__ import annotations

from typing import Any

BOT = {
    "id": "TRIAGEBOT1",
    "name": "ChatTriage",
    "aliasId": "TSTALIASID",
    "aliasName": "live",
    "localeId": "en_US",
    "version": "1",
}


def slot(value: str) -> dict[str, Any]:
    """A filled scalar slot, resolved to ``value``."""
    return {
        "shape": "Scalar",
        "value": {"originalValue": value, "interpretedValue": value, "resolvedValues": [value]},
    }


def lex_event(
    intent: str,
    *,
    transcript: str = "",
    slots: dict[str, Any] | None = None,
    confirmation: str = "None",
    attributes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A DialogCodeHook event for ``intent`` as Lex V2 sends it from a chat (text input)."""
    intent_state = {
        "name": intent,
        "slots": slots or {},
        "state": "InProgress",
        "confirmationState": confirmation,
    }
    return {
        "messageVersion": "1.0",
        "invocationSource": "DialogCodeHook",
        "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8",
        "sessionId": "ed5cd5c4-8d4a-4b1e-9b3c-5e6f7a8b9c0d",
        "inputTranscript": transcript,
        "bot": dict(BOT),
        "interpretations": [
            {"intent": intent_state, "nluConfidence": {"score": 1.0}, "interpretationSource": "Lex"},
            {
                "intent": {
                    "name": "FallbackIntent",
                    "slots": {},
                    "state": "InProgress",
                    "confirmationState": "None",
                }
            },
        ],
        "proposedNextState": None,
        "requestAttributes": {"x-amz-lex:accept-content-types": "PlainText,CustomPayload"},
        "sessionState": {
            "activeContexts": [],
            "sessionAttributes": dict(attributes or {}),
            "intent": intent_state,
            "originatingRequestId": "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        },
        "transcriptions": [{"transcription": transcript, "transcriptionConfidence": 1.0}],
    }
