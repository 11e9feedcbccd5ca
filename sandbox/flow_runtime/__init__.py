"""Running contact flows: the flow engine and the flows the sandbox builds with `flows/`."""
