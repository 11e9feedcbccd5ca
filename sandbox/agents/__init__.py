"""Agents: queues and routing with offers, the agent API (`/sandbox/agents`) and its event stream,
the demo agent, and the agent workspace page at `/agent` (workspace/)."""
