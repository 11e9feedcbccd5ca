"""The emulated Amazon Connect control plane (`/connect/...`): backend and routes."""
