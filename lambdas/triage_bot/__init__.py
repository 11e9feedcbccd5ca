"""The triage bot's code hook: Amazon Lex V2 calls it on every turn of the bot's intents.

Packaged alone (the ``lambdas/`` directory is the asset root, without the other functions), so
modules here import each other relatively and depend only on the standard library, Powertools
and pydantic. No boto3: the hook answers Lex and calls no AWS service.
"""

import os

# No pydantic plugins are used; skipping the entry-point scan keeps the cold start short.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
