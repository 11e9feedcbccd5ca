"""The emulated Amazon Connect control plane (`/connect/...`): contacts and metrics, backends and routes."""
