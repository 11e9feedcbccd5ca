"""Amazon Connect interactive messages (the JSON a Lex ``CustomPayload`` carries to the chat).

Connect delivers such a payload with ContentType ``application/vnd.amazonaws.connect.message.interactive``;
a client that cannot draw a template can still show its ``title``. A pick comes back as plain text: the
element's title, which is why titles are the values the bot recognises.
"""

import json

LIST_PICKER = "ListPicker"
QUICK_REPLY = "QuickReply"
TEMPLATE_VERSION = "1.0"


def _template(template_type: str, content: dict[str, object]) -> str:
    return json.dumps(
        {"templateType": template_type, "version": TEMPLATE_VERSION, "data": {"content": content}},
        ensure_ascii=False,
    )


def list_picker(title: str, subtitle: str, titles: tuple[str, ...]) -> str:
    """A ListPicker: a titled list the customer picks one element of."""
    elements = [{"title": element} for element in titles]
    return _template(LIST_PICKER, {"title": title, "subtitle": subtitle, "elements": elements})


def quick_reply(title: str, titles: tuple[str, ...]) -> str:
    """A QuickReply: a question with a few one-tap answers."""
    return _template(QUICK_REPLY, {"title": title, "elements": [{"title": element} for element in titles]})
