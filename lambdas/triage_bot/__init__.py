"""The triage bot's code hook: Amazon Lex V2 calls it on every turn of the bot's intents.

Packaged alone (the ``lambdas/`` directory is the asset root, without the other functions), so
modules here import each other relatively and depend only on the standard library and Powertools'
Logger: no boto3 (the hook calls no AWS service) and no pydantic (typed dicts and a dataclass keep
its cold start near a bare interpreter's; ``bench/code_hook_cold_start.py``).
"""
