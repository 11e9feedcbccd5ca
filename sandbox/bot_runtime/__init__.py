"""A local Amazon Lex V2 runtime for the bots of ``bots/``: the sandbox's stand-in for Lex.

``recognizer``: deterministic matching of text against a definition's sample utterances and slot values
(exact after normalising case, punctuation and spaces; it is not Lex's NLU). ``lex_runtime``: sessions,
turns and the code hook called in-process with the real Lex V2 event. ``chat_bots``: the flow's Lex block
in a chat (bot messages as Amazon Connect posts them). ``routes``: ``RecognizeText`` for boto3
``lexv2-runtime``.
"""
