"""CDK constructs and the stack of the Amazon Connect chat deployment (infrastructure only)."""
