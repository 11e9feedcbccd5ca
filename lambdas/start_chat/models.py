"""Request and response models of ``POST /chats``, with Amazon Connect's StartChatContact limits.

Validation depends on the deployment (attribute allow-list, markdown, maximum duration): validate with
:func:`validate_start_chat_request`, which passes a :class:`RequestPolicy` as the pydantic context.
"""

from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Limits of StartChatContact (botocore connect 2017-08-08 model and the Connect API reference).
ATTRIBUTE_NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
MAX_ATTRIBUTES_BYTES = 32_768
MIN_CHAT_DURATION_MINUTES = 60
MAX_CHAT_DURATION_MINUTES = 10_080
# What StartChatContact uses when ChatDurationInMinutes is not sent (25 hours); also this project's default.
CONNECT_DEFAULT_CHAT_DURATION_MINUTES = 1500
DEFAULT_CHAT_DURATION_MINUTES = CONNECT_DEFAULT_CHAT_DURATION_MINUTES
MAX_DISPLAY_NAME_LENGTH = 256
MAX_MESSAGE_LENGTH = 1024
MAX_CLIENT_TOKEN_LENGTH = 500
MAX_CONTACT_ID_LENGTH = 256
# Ours, not Connect's: a continuation token (continuation.py) is about 55 characters.
MAX_CONTINUATION_TOKEN_LENGTH = 200
# A validation error stays a few KB however many fields fail, and whatever an attribute's key is.
MAX_REPORTED_PROBLEMS = 20
MAX_REPORTED_PATH_LENGTH = 100

TEXT_PLAIN = "text/plain"
TEXT_MARKDOWN = "text/markdown"
# How a customer answers an interactive message with a JSON response (Amazon Connect's action buttons).
INTERACTIVE_RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"
MessagingContentType = Literal[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
]
InitialMessageContentType = Literal["text/plain", "text/markdown"]
RehydrationType = Literal["ENTIRE_PAST_SESSION", "FROM_SEGMENT"]


class RequestPolicy(NamedTuple):
    """Deployment-dependent request rules, passed to pydantic as the validation context.

    Immutable. A NamedTuple rather than a frozen dataclass: the dataclass decorator compiles six methods
    at import, a cold-start cost of about half a millisecond.
    """

    allowed_attributes: frozenset[str]
    markdown_enabled: bool
    max_chat_duration_minutes: int


def _policy(info: ValidationInfo) -> RequestPolicy:
    if not isinstance(info.context, RequestPolicy):
        raise TypeError("start-chat requests are validated with context=RequestPolicy(...)")
    return info.context


def _markdown_disabled() -> PydanticCustomError:
    return PydanticCustomError("markdown_disabled", "text/markdown is not enabled for this deployment")


def _strip(value: Any) -> Any:
    # Python's notion of whitespace (str.strip), before the length limits apply.
    return value.strip() if isinstance(value, str) else value


def _encodable(value: str) -> str:
    # JSON may carry a lone surrogate ("\\ud800"), which no UTF-8 byte string can hold: Connect, logs
    # and transcripts would fail on it later, so it is refused here, in every string field.
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            raise PydanticCustomError("unpaired_surrogate", "must be valid Unicode text") from None
    return value


# Text that can be encoded as UTF-8 (every string field of the request).
Text = Annotated[str, AfterValidator(_encodable)]


# Strict: JSON types must match exactly ("60" is not a duration). Unknown fields (the official widget
# sends Username, InstanceId, ContactFlowId...) are ignored, never forwarded. Shared as a config, not a
# base class: a common base model would be built (schema, validator, serializer) for nothing.
_REQUEST_CONFIG = ConfigDict(strict=True, frozen=True, extra="ignore")


class ChatParticipant(BaseModel):
    """The customer starting the chat."""

    model_config = _REQUEST_CONFIG

    DisplayName: Annotated[
        Text,
        BeforeValidator(_strip),
        Field(
            description="Name shown to the agent; 1-256 characters after trimming.",
            # The limits are checked by _name_length (with readable messages) and documented here.
            json_schema_extra={"minLength": 1, "maxLength": MAX_DISPLAY_NAME_LENGTH},
        ),
    ]

    @field_validator("DisplayName")
    @classmethod
    def _name_length(cls, value: str) -> str:
        # Written for a person: after the strip, pydantic's own length messages speak of "items".
        if not value:
            raise PydanticCustomError(
                "blank_name", "Please enter a name (it cannot be empty or only spaces)."
            )
        if len(value) > MAX_DISPLAY_NAME_LENGTH:
            raise PydanticCustomError(
                "name_too_long",
                "A name can be at most {maximum} characters.",
                {"maximum": MAX_DISPLAY_NAME_LENGTH},
            )
        return value


class ChatMessage(BaseModel):
    """The first message of the chat, sent on the customer's behalf."""

    model_config = _REQUEST_CONFIG

    ContentType: Annotated[
        InitialMessageContentType, Field(description="text/markdown only when markdown is enabled.")
    ]
    Content: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_MESSAGE_LENGTH)]

    @field_validator("ContentType")
    @classmethod
    def _markdown_only_when_enabled(cls, value: str, info: ValidationInfo) -> str:
        if value == TEXT_MARKDOWN and not _policy(info).markdown_enabled:
            raise _markdown_disabled()
        return value

    @field_validator("Content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "Content must not be blank")
        return value


class PersistentChatOptions(BaseModel):
    """Continue a previous chat (Amazon Connect persistent chat)."""

    model_config = _REQUEST_CONFIG

    RehydrationType: RehydrationType
    SourceContactId: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_CONTACT_ID_LENGTH)]
    ContinuationToken: Annotated[
        Annotated[str, StringConstraints(max_length=MAX_CONTINUATION_TOKEN_LENGTH)] | None,
        Field(
            description="The continuation token the source chat was started with (data.continuation.token); "
            "without a valid, unexpired one the request is refused (403). Not sent to Amazon Connect."
        ),
    ] = None


class StartChatRequest(BaseModel):
    """Body of ``POST /chats``. Only ``ParticipantDetails`` is required."""

    model_config = _REQUEST_CONFIG

    ParticipantDetails: ChatParticipant
    Attributes: Annotated[
        dict[Annotated[str, StringConstraints(pattern=ATTRIBUTE_NAME_PATTERN)], Text] | None,
        Field(
            description="Contact attributes. Only names on the deployment's allow-list are forwarded "
            "(others are dropped); forwarded names and values total at most 32,768 UTF-8 bytes."
        ),
    ] = None
    InitialMessage: ChatMessage | None = None
    SupportedMessagingContentTypes: Annotated[
        list[MessagingContentType] | None,
        Field(description="Must include text/plain; no duplicates; text/markdown only when enabled."),
    ] = None
    ChatDurationInMinutes: Annotated[
        Annotated[int, Field(ge=MIN_CHAT_DURATION_MINUTES, le=MAX_CHAT_DURATION_MINUTES)] | None,
        Field(description="Chat lifetime; defaults to, and may not exceed, the deployment's duration."),
    ] = None
    PersistentChat: PersistentChatOptions | None = None
    ClientToken: Annotated[
        Annotated[Text, StringConstraints(min_length=1, max_length=MAX_CLIENT_TOKEN_LENGTH)] | None,
        Field(description="Idempotency token passed to Amazon Connect; retry with the same one."),
    ] = None

    _dropped_attribute_count: int = PrivateAttr(default=0)

    @property
    def dropped_attribute_count(self) -> int:
        """How many submitted attributes were not on the allow-list (and so not forwarded)."""
        return self._dropped_attribute_count

    @field_validator("Attributes")
    @classmethod
    def _forward_allowed_attributes(
        cls, attributes: dict[str, str] | None, info: ValidationInfo
    ) -> dict[str, str] | None:
        if attributes is None:
            return None
        allowed = _policy(info).allowed_attributes
        forwarded = {name: value for name, value in attributes.items() if name in allowed}
        size = sum(len(name.encode()) + len(value.encode()) for name, value in forwarded.items())
        if size > MAX_ATTRIBUTES_BYTES:
            raise PydanticCustomError(
                "attributes_too_large",
                "Attributes total {size} UTF-8 bytes; the limit is {limit}",
                {"size": size, "limit": MAX_ATTRIBUTES_BYTES},
            )
        return forwarded

    @field_validator("SupportedMessagingContentTypes")
    @classmethod
    def _check_content_types(cls, types: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if types is None:
            return None
        if TEXT_PLAIN not in types:
            raise PydanticCustomError("text_plain_required", "must include text/plain")
        if len(set(types)) != len(types):
            raise PydanticCustomError("duplicates", "must not contain duplicates")
        if TEXT_MARKDOWN in types and not _policy(info).markdown_enabled:
            raise _markdown_disabled()
        return types

    @field_validator("ChatDurationInMinutes")
    @classmethod
    def _within_deployment_maximum(cls, minutes: int | None, info: ValidationInfo) -> int | None:
        maximum = _policy(info).max_chat_duration_minutes
        if minutes is not None and minutes > maximum:
            raise PydanticCustomError(
                "duration_too_long", "must be at most {maximum} for this deployment", {"maximum": maximum}
            )
        return minutes

    @model_validator(mode="wrap")
    @classmethod
    def _count_dropped_attributes(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        request = handler(data)
        submitted = data.get("Attributes") if isinstance(data, dict) else None
        if isinstance(submitted, dict):
            request._dropped_attribute_count = len(submitted) - len(request.Attributes or {})
        return request


class FieldProblem(BaseModel):
    """One invalid request field."""

    model_config = ConfigDict(defer_build=True)  # built on the first error, not at cold start

    field: Annotated[str, Field(description="Dotted path, e.g. ParticipantDetails.DisplayName")]
    message: str


class StartChatValidationError(ValueError):
    """The request body is not a valid start-chat request; ``problems`` names every failing field."""

    def __init__(self, message: str, problems: list[FieldProblem]) -> None:
        super().__init__(message)
        self.problems = problems


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for "the key itself is invalid"
            continue
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path[:MAX_REPORTED_PATH_LENGTH]


def validate_start_chat_request(payload: object, policy: RequestPolicy) -> StartChatRequest:
    """Validate a decoded JSON body against Connect's limits and ``policy``.

    Raises :class:`StartChatValidationError` for any input that is not a valid request, whatever its type.
    """
    if not isinstance(payload, dict):
        raise StartChatValidationError("The request body must be a JSON object.", [])
    try:
        return StartChatRequest.model_validate(payload, context=policy)
    except ValidationError as exc:
        problems = [
            FieldProblem(field=_field_path(e["loc"]), message=e["msg"])
            for e in exc.errors()[:MAX_REPORTED_PROBLEMS]
        ]
        raise StartChatValidationError("The request is not valid.", problems) from None


class StartChatResult(BaseModel):
    """What the widget needs to connect to the chat (never logged: it holds the participant token)."""

    ContactId: str
    ParticipantId: str
    ParticipantToken: str
    ContinuedFromContactId: Annotated[
        str | None, Field(description="Present only when the chat continues a previous contact.")
    ] = None


class FeaturePermissions(BaseModel):
    """Widget features enabled by the deployment."""

    ATTACHMENTS: bool
    MESSAGING_MARKDOWN: bool


class ContinuationGrant(BaseModel):
    """Proof of possession of this chat, to continue it later (persistent chat); keep it like a password."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    token: Annotated[
        str, Field(description="Send as PersistentChat.ContinuationToken to continue this chat.")
    ]
    expires_at: Annotated[
        str, Field(alias="expiresAt", description="When the token stops working (ISO 8601, UTC).")
    ]


class StartChatData(BaseModel):
    """The ``data`` member of a successful response."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    start_chat_result: Annotated[StartChatResult, Field(alias="startChatResult")]
    feature_permissions: Annotated[FeaturePermissions, Field(alias="featurePermissions")]
    continuation: ContinuationGrant | None = None


class StartChatResponse(BaseModel):
    """Body of a 200 answer: the shape the official Amazon Connect chat widget reads."""

    data: StartChatData


class ErrorDetail(BaseModel):
    """A machine-readable code, a human-readable message and, for validation errors, the fields."""

    model_config = ConfigDict(defer_build=True)  # built on the first error, not at cold start

    code: str
    message: str
    fields: list[FieldProblem] | None = None


class ErrorResponse(BaseModel):
    """Body of every error answer."""

    model_config = ConfigDict(defer_build=True)  # built on the first error, not at cold start

    error: ErrorDetail
