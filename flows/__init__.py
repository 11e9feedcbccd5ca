"""Amazon Connect chat flows as code, and a validator for the flow language.

Pure Python (standard library only): the CDK stacks deploy these documents and the
local sandbox executes the very same ones.

Public API:

- :class:`InboundFlowParams`, :func:`build_inbound_flow`, :func:`inbound_flow_json`:
  the inbound chat flow (greet, set the disconnect flow, check hours, queue).
- :class:`DisconnectFlowParams`, :func:`build_disconnect_flow`, :func:`disconnect_flow_json`:
  the disconnect flow (tell the customer how long they have, Wait for them, queue again
  or say goodbye and end the chat).
- :func:`validate_flow` returns a list of :class:`FlowIssue`; :func:`check_flow` raises
  :class:`FlowValidationError` carrying them all; ``flows.validator.ISSUE_CODES`` lists
  every issue code with the rule it stands for.
- :func:`flow_to_json`: stable JSON text of any flow document.

The flow language's vocabulary, shared with the sandbox's flow engine so that nothing re-types it:

- ``flows.document``: action types, parameter names, error types, results, keys and limits.
- ``flows.transitions``: how a document is followed (start action, success, condition and
  error branches), for the validator, the engine and the tests alike.
- ``flows.wait_time``: how long a Wait waits (the one rule for ``TimeLimitSeconds``).
- ``flows.arns``: Connect ARNs and ids.

Builders return plain dicts and validate their own output before returning it.
ARN parameters are not parsed, so CloudFormation tokens can be passed straight through.
Command line: ``python -m flows render --out DIR`` and ``python -m flows validate FILE...``.
"""

from flows.disconnect import build_disconnect_flow, disconnect_flow_json
from flows.document import FLOW_LANGUAGE_VERSION, MAX_WAIT_SECONDS, FlowDocument, flow_to_json
from flows.inbound import build_inbound_flow, inbound_flow_json
from flows.params import DEFAULT_WAIT_SECONDS, DisconnectFlowParams, InboundFlowParams
from flows.validator import FlowIssue, FlowValidationError, check_flow, validate_flow

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "FLOW_LANGUAGE_VERSION",
    "MAX_WAIT_SECONDS",
    "DisconnectFlowParams",
    "FlowDocument",
    "FlowIssue",
    "FlowValidationError",
    "InboundFlowParams",
    "build_disconnect_flow",
    "build_inbound_flow",
    "check_flow",
    "disconnect_flow_json",
    "flow_to_json",
    "inbound_flow_json",
    "validate_flow",
]
