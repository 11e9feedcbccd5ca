"""Hypothesis strategies for flow-shaped data, shared by the flows property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Words the validator looks for, so random documents reach its deeper checks.
VOCABULARY = [
    "Version", "StartAction", "Metadata", "Actions", "Identifier", "Type", "Parameters", "Transitions",
    "NextAction", "Errors", "Conditions", "ErrorType", "Condition", "Operator", "Operands", "Equals",
    "2019-10-30", "MessageParticipant", "UpdateContactEventHooks", "Wait", "DisconnectParticipant",
    "UpdateContactTargetQueue", "TransferContactToQueue", "UpdateContactAttributes", "CheckHoursOfOperation",
    "ConnectParticipantWithLexBot", "Text", "EventHooks", "CustomerRemaining", "TimeLimitSeconds", "Events",
    "CustomerReturned", "WaitCompleted", "QueueId", "AgentId", "Attributes", "TargetContact", "Current",
    "HoursOfOperationId", "True", "False", "LexV2Bot", "AliasArn", "NoMatchingError", "QueueAtCapacity",
    "a", "b", "900", "0", "$.x", "",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(VOCABULARY)
)
keys = st.sampled_from(VOCABULARY) | st.text(max_size=10)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


action_like = st.fixed_dictionaries(
    {},
    optional={
        "Identifier": st.sampled_from(["a", "b", "c", "", "x:y"]) | json_values,
        "Type": st.sampled_from(VOCABULARY[17:26]) | json_values,
        "Parameters": st.dictionaries(keys, json_values, max_size=4) | json_values,
        "Transitions": st.fixed_dictionaries(
            {},
            optional={
                "NextAction": st.sampled_from(["a", "b", "c", ""]) | json_values,
                "Errors": st.lists(st.dictionaries(keys, json_values, max_size=3), max_size=3) | json_values,
                "Conditions": st.lists(st.dictionaries(keys, json_values, max_size=3), max_size=3)
                | json_values,
            },
        )
        | json_values,
    },
)
flow_like = st.fixed_dictionaries(
    {},
    optional={
        "Version": st.just("2019-10-30") | json_values,
        "StartAction": st.sampled_from(["a", "b"]) | json_values,
        "Metadata": json_values,
        "Actions": st.lists(action_like, max_size=6) | json_values,
    },
)
