"""Agents: queues and routing with offers, the agent API (`/sandbox/agents`) and its event stream,
and the demo agent."""
