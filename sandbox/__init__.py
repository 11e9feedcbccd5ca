"""Local Amazon Connect chat sandbox: `python -m sandbox` (see `sandbox.app.create_app`)."""
