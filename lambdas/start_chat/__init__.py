"""The start-chat Lambda: ``POST /chats`` starts an Amazon Connect chat contact.

Packaged alone (the ``lambdas/`` directory is the asset root), so modules here import each other
relatively and depend only on the standard library, boto3/botocore, Powertools and pydantic.
"""
