"""AWS WAF in front of the start-chat API: a per-IP rate limit and AWS managed rule groups."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aws_cdk import Fn
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

RATE_LIMIT_RULE = "RateLimitPerIp"
NAME_XSS_RULE = "CrossSiteScriptingInNames"
BODY_SIZE_RULE = "BodyTooLarge"
THROTTLED_BODY = "throttled"
TOO_LARGE_BODY = "tooLarge"
# The largest valid start-chat body is about 34 KB (32 KB of attributes, Connect's limit, plus the name
# and a 1,024-character message); WAF inspects this much of an API Gateway body (the association's
# limit) and blocks anything longer. Nearly twice the largest valid request: no legitimate body nears it.
BODY_INSPECTION_LIMIT = "KB_64"
MAX_BODY_BYTES = 64 * 1024
# WAF's own answers carry fixed text and no data, so any page may read them: the widget needs the
# status and Retry-After to tell the customer to wait. WAF headers are static, hence "*", not the Origin.
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After"}

# The common rule set's body rules, counted instead of blocking. Chat text is free text: "<3", "a < b",
# "<b>", a path or a URL with an IP address are legitimate messages; the widget and the Contact Control
# Panel show it as text, and the API neither fetches URLs nor reads files. The managed size rule stops
# at 8 KB, below the 32 KB of attributes Connect allows: BODY_SIZE_RULE blocks on size instead.
COUNTED_BODY_RULES = (
    "CrossSiteScripting_BODY",
    "SizeRestrictions_BODY",
    "GenericLFI_BODY",
    "GenericRFI_BODY",
    "EC2MetaDataSSRF_BODY",
)
# Where the start-chat body carries names an agent sees beside the conversation; cross-site scripting
# there is still blocked (by NAME_XSS_RULE).
DISPLAY_NAME_PATH = "/ParticipantDetails/DisplayName"
ATTRIBUTES_PATH = "/Attributes"


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(priority: int, name: str, count_only: list[str] | None = None) -> wafv2.CfnWebACL.RuleProperty:
    """An AWS managed rule group; the rules in `count_only` are counted instead of blocking."""
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in count_only or []
                ]
                or None,
            )
        ),
        visibility_config=_visibility(name),
    )


def _xss_in_names(priority: int, attribute_keys: Sequence[str]) -> wafv2.CfnWebACL.RuleProperty:
    """Blocks cross-site scripting in the display name and the forwarded attributes, not in the message."""
    paths = [DISPLAY_NAME_PATH, *(f"{ATTRIBUTES_PATH}/{key}" for key in attribute_keys)]
    return wafv2.CfnWebACL.RuleProperty(
        name=NAME_XSS_RULE,
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            xss_match_statement=wafv2.CfnWebACL.XssMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    json_body=wafv2.CfnWebACL.JsonBodyProperty(
                        match_pattern=wafv2.CfnWebACL.JsonMatchPatternProperty(included_paths=paths),
                        match_scope="VALUE",
                        # Not JSON at all: inspect it whole (API Gateway refuses such a body anyway).
                        invalid_fallback_behavior="EVALUATE_AS_STRING",
                        oversize_handling="CONTINUE",
                    )
                ),
                text_transformations=[
                    wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="URL_DECODE"),
                    wafv2.CfnWebACL.TextTransformationProperty(priority=1, type="HTML_ENTITY_DECODE"),
                ],
            )
        ),
        visibility_config=_visibility(NAME_XSS_RULE),
    )


def _block(status: int, body_key: str, **headers: str) -> wafv2.CfnWebACL.RuleActionProperty:
    """Blocks with `status`, a custom body in the API's error shape, and headers the widget may read."""
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=status,
                custom_response_body_key=body_key,
                response_headers=[
                    wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=name, value=value)
                    for name, value in {**CORS_HEADERS, **headers}.items()
                ],
            )
        )
    )


def _body_size(priority: int) -> wafv2.CfnWebACL.RuleProperty:
    """Blocks bodies far above the largest valid request with a 413 in the API's error shape."""
    return wafv2.CfnWebACL.RuleProperty(
        name=BODY_SIZE_RULE,
        priority=priority,
        action=_block(413, TOO_LARGE_BODY),
        statement=wafv2.CfnWebACL.StatementProperty(
            size_constraint_statement=wafv2.CfnWebACL.SizeConstraintStatementProperty(
                # Longer than WAF inspects is longer than MAX_BODY_BYTES: it matches too.
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    body=wafv2.CfnWebACL.BodyProperty(oversize_handling="MATCH")
                ),
                comparison_operator="GT",
                size=MAX_BODY_BYTES,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
            )
        ),
        visibility_config=_visibility(BODY_SIZE_RULE),
    )


def _rate_limit(requests_per_five_minutes: int) -> wafv2.CfnWebACL.RuleProperty:
    """Blocks an IP over the limit with a 429 in the API's error shape, and a Retry-After."""
    return wafv2.CfnWebACL.RuleProperty(
        name=RATE_LIMIT_RULE,
        priority=0,
        action=_block(429, THROTTLED_BODY, **{"Retry-After": "60"}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                aggregate_key_type="IP", limit=requests_per_five_minutes, evaluation_window_sec=300
            )
        ),
        visibility_config=_visibility(RATE_LIMIT_RULE),
    )


class ApiFirewall(Construct):
    """A regional web ACL associated with one API Gateway stage. Attribute: `web_acl_name`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage_arn: str,
        rate_limit_per_ip: int,
        attribute_keys: Sequence[str],
    ) -> None:
        """`rate_limit_per_ip`: requests one IP may send in 5 minutes before it is blocked;
        `attribute_keys`: the contact attributes the API forwards (checked for cross-site scripting)."""
        super().__init__(scope, construct_id)
        bodies = {
            THROTTLED_BODY: ("THROTTLED", "Too many requests. Try again in a minute."),
            TOO_LARGE_BODY: ("REQUEST_TOO_LARGE", "The request is too large."),
        }
        acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            description="Start-chat API: per-IP rate limit and AWS managed protections",
            visibility_config=_visibility("StartChatApi"),
            custom_response_bodies={
                key: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps({"error": {"code": code, "message": message}}),
                )
                for key, (code, message) in bodies.items()
            },
            association_config=wafv2.CfnWebACL.AssociationConfigProperty(
                request_body={
                    "API_GATEWAY": wafv2.CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty(
                        default_size_inspection_limit=BODY_INSPECTION_LIMIT
                    )
                }
            ),
            rules=[
                _rate_limit(rate_limit_per_ip),
                _managed(1, "AWSManagedRulesAmazonIpReputationList"),
                _managed(2, "AWSManagedRulesCommonRuleSet", count_only=list(COUNTED_BODY_RULES)),
                _managed(3, "AWSManagedRulesKnownBadInputsRuleSet"),
                _xss_in_names(4, attribute_keys),
                _body_size(5),
            ],
        )
        wafv2.CfnWebACLAssociation(
            self, "WebAclAssociation", resource_arn=stage_arn, web_acl_arn=acl.attr_arn
        )
        # The ACL's Ref is NAME|ID|SCOPE; its CloudWatch metrics are by name.
        self.web_acl_name: str = Fn.select(0, Fn.split("|", acl.ref))
