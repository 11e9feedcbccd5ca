"""Amazon Lex V2 bots as code, and a validator for them.

Pure Python (standard library only), like ``flows/``: the CDK stack deploys these definitions
(``AWS::Lex::Bot``) and the sandbox's Lex runtime executes the very same ones.

- ``bots.model``: :class:`BotDefinition` and its parts (intents, utterances, slots, slot types).
- ``bots.validator``: :func:`validate_bot` lists every problem, :func:`check_bot` raises them all.
- ``bots.triage``: the shipped triage bot, :func:`build_triage_bot`, and what its code hook says.
"""

from bots.model import BotDefinition, Intent, Slot, SlotType, SlotValue
from bots.triage import build_triage_bot, code_hook_script
from bots.validator import BotIssue, BotValidationError, check_bot, validate_bot

__all__ = [
    "BotDefinition",
    "BotIssue",
    "BotValidationError",
    "Intent",
    "Slot",
    "SlotType",
    "SlotValue",
    "build_triage_bot",
    "check_bot",
    "code_hook_script",
    "validate_bot",
]
