// How long a message may be, per content type, in characters. The Participant Service's current API
// reference and botocore's connectparticipant model (ChatContent: 1 to 16,384) give one limit for all
// four types; tests/browser/test_message_limits.py checks this table against the model the sandbox
// enforces, so the two cannot drift apart.
export const MESSAGE_LIMITS = {
  'text/plain': 16384,
  'text/markdown': 16384,
  'application/json': 16384,
  'application/vnd.amazonaws.connect.message.interactive.response': 16384,
};

// The counter appears when this share of the limit is left.
export const COUNTER_FROM = 0.1;
