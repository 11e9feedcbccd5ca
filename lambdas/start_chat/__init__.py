"""The start-chat Lambda: ``POST /chats`` starts an Amazon Connect chat contact.

Packaged alone (the ``lambdas/`` directory is the asset root), so modules here import each other
relatively and depend only on the standard library, boto3/botocore, Powertools and pydantic.
"""

import os

# No pydantic plugins are used. Without this, building the first model scans the entry points of every
# installed distribution for plugins, a cold-start cost that grows with the number of packages.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
