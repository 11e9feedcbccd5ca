"""Agents: queues and routing with offers, the agent API (`/sandbox/agents`) and the demo agent."""
