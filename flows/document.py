"""Amazon Connect Flow language vocabulary: limits, names, types and serialization.

The names here are plain strings (not enums) so that a built document is made of
plain JSON values only: CDK's ``Stack.to_json_string`` and ``json.dumps`` both take
it as is.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

FlowDocument = dict[str, Any]
"""A flow-language document: ``{"Version", "StartAction", "Metadata"?, "Actions"}``."""

Action = dict[str, Any]
"""One entry of a document's ``Actions`` list."""

FLOW_LANGUAGE_VERSION: Final = "2019-10-30"

# Keys of a document, of an action, and of its Transitions.
VERSION: Final = "Version"
START_ACTION: Final = "StartAction"
METADATA: Final = "Metadata"
ACTIONS: Final = "Actions"
IDENTIFIER: Final = "Identifier"
TYPE: Final = "Type"
PARAMETERS: Final = "Parameters"
TRANSITIONS: Final = "Transitions"
NEXT_ACTION: Final = "NextAction"
ERRORS: Final = "Errors"
ERROR_TYPE: Final = "ErrorType"
CONDITIONS: Final = "Conditions"
CONDITION: Final = "Condition"
OPERATOR: Final = "Operator"
OPERANDS: Final = "Operands"

# Limits the service enforces on publish (see shared/reference/flow-language.md).
MAX_ACTIONS: Final = 250
MAX_IDENTIFIER_LENGTH: Final = 50
FORBIDDEN_IDENTIFIER_CHARACTERS: Final = frozenset("%:()\\/=$,;[]{}")
MAX_CONTENT_LENGTH: Final = 256_000
MIN_WAIT_SECONDS: Final = 1
MAX_WAIT_SECONDS: Final = 604_800
# A chat text message is at most 1024 characters (Participant Service SendMessage);
# a flow message longer than that could not reach the customer as one message.
MAX_MESSAGE_LENGTH: Final = 1024

# Action types used by the chat flows.
MESSAGE_PARTICIPANT: Final = "MessageParticipant"
UPDATE_CONTACT_EVENT_HOOKS: Final = "UpdateContactEventHooks"
WAIT: Final = "Wait"
DISCONNECT_PARTICIPANT: Final = "DisconnectParticipant"
UPDATE_CONTACT_TARGET_QUEUE: Final = "UpdateContactTargetQueue"
TRANSFER_CONTACT_TO_QUEUE: Final = "TransferContactToQueue"
UPDATE_CONTACT_ATTRIBUTES: Final = "UpdateContactAttributes"
CHECK_HOURS_OF_OPERATION: Final = "CheckHoursOfOperation"
CONNECT_PARTICIPANT_WITH_LEX_BOT: Final = "ConnectParticipantWithLexBot"

# Parameter names of those action types.
TEXT: Final = "Text"
EVENT_HOOKS: Final = "EventHooks"
QUEUE_ID: Final = "QueueId"
AGENT_ID: Final = "AgentId"
ATTRIBUTES: Final = "Attributes"
TARGET_CONTACT: Final = "TargetContact"
HOURS_OF_OPERATION_ID: Final = "HoursOfOperationId"
TIME_LIMIT_SECONDS: Final = "TimeLimitSeconds"
EVENTS: Final = "Events"
LEX_V2_BOT: Final = "LexV2Bot"
ALIAS_ARN: Final = "AliasArn"
LEX_SESSION_ATTRIBUTES: Final = "LexSessionAttributes"
LEX_TIMEOUT_SECONDS: Final = "LexTimeoutSeconds"
# Spelled as the service spells it (the flow-language reference: "LexInitilizationData").
LEX_INITIALIZATION_DATA: Final = "LexInitilizationData"
INITIAL_MESSAGE: Final = "InitialMessage"

# A parameter value starting with this is a JSONPath reference, resolved when the flow runs;
# "$.Attributes.NAME" stands for a contact attribute.
JSONPATH_PREFIX: Final = "$."
ATTRIBUTE_REFERENCE: Final = re.compile(r"\$\.Attributes\.([A-Za-z0-9_-]+)")
# What a Lex block leaves to the rest of the flow: the session attributes its bot ended with.
LEX_SESSION_ATTRIBUTES_PATH: Final = "$.Lex.SessionAttributes."
LEX_SESSION_ATTRIBUTE_REFERENCE: Final = re.compile(r"\$\.Lex\.SessionAttributes\.([A-Za-z0-9_-]+)")
# The agent the contact was last connected to (a disconnect flow routes a returning customer back).
AGENT_ARN_REFERENCE: Final = "$.Agent.ARN"

# Error types an action can branch on.
NO_MATCHING_ERROR: Final = "NoMatchingError"
QUEUE_AT_CAPACITY: Final = "QueueAtCapacity"
INPUT_TIME_LIMIT_EXCEEDED: Final = "InputTimeLimitExceeded"
NO_MATCHING_CONDITION: Final = "NoMatchingCondition"
PARTICIPANT_NOT_FOUND: Final = "ParticipantNotFound"

# Event hooks that UpdateContactEventHooks may set (one per action).
CUSTOMER_REMAINING: Final = "CustomerRemaining"
EVENT_HOOK_NAMES: Final = frozenset(
    {
        "AgentHold",
        "AgentWhisper",
        "CustomerHold",
        "CustomerQueue",
        CUSTOMER_REMAINING,
        "CustomerWhisper",
        "DefaultAgentUI",
        "DisconnectAgentUI",
        "PauseContact",
        "ResumeContact",
    }
)

# Wait: the result when the time runs out, and the events that can end it early.
WAIT_COMPLETED: Final = "WaitCompleted"
CUSTOMER_RETURNED: Final = "CustomerReturned"
BOT_PARTICIPANT_DISCONNECTED: Final = "BotParticipantDisconnected"
WAIT_EVENTS: Final = frozenset({CUSTOMER_RETURNED, BOT_PARTICIPANT_DISCONNECTED})

# CheckHoursOfOperation results.
IN_HOURS: Final = "True"
OUT_OF_HOURS: Final = "False"

EQUALS: Final = "Equals"


def flow_to_json(document: FlowDocument, *, indent: int | None = 2) -> str:
    """Serialize a flow document to JSON text.

    Key order is the document's own (builders insert keys in a fixed order), so the
    output is byte-for-byte stable across runs. ``indent=None`` gives the compact
    form, for example for a CloudFormation ``Content`` string.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(document, indent=indent, separators=separators, ensure_ascii=False)
