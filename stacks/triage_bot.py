"""The project's triage bot (``chatBot``): the Lex V2 bot from ``bots/``, its code hook Lambda, a version,
an alias that calls the hook, and its registration with the Connect instance."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_connect as connect
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lex as lex
from constructs import Construct

from bots.model import BotDefinition
from lambdas.triage_bot.environment import code_hook_environment

from . import names
from .function_basics import depend_on_role_policy, own_log_group_and_role
from .lex_bot_locale import bot_locale
from .start_chat_function import LAMBDAS_DIR, RUNTIME, pinned_powertools_layer_arn

ALIAS_NAME = "live"
# Lex asks the hook for a response in this version of the event and response formats.
CODE_HOOK_INTERFACE_VERSION = "1.0"


class TriageBot(Construct):
    """Attributes: `alias_arn` (what the flows name), `association` (the flows that use the bot
    must be created after it), `code_hook` (the Lambda)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        definition: BotDefinition,
        code_hook_settings: Mapping[str, object],
        instance_arn: str,
        log_retention_days: int,
        powertools_layer_arn: str | None,
    ) -> None:
        """`code_hook_settings`: the hook's script (``bots.triage.code_hook_script()``)."""
        super().__init__(scope, construct_id)
        self.code_hook = self._code_hook(
            code_hook_environment(code_hook_settings),
            log_retention_days,
            powertools_layer_arn or pinned_powertools_layer_arn(),
        )
        bot = self._bot(definition)
        alias = self._alias(bot, definition.locale_id)
        # Only this alias may call the hook.
        self.code_hook.add_permission(
            "InvokedByLex",
            principal=iam.ServicePrincipal("lexv2.amazonaws.com"),
            action="lambda:InvokeFunction",
            source_arn=alias.attr_arn,
        )
        self.alias_arn: str = alias.attr_arn
        self.association = connect.CfnIntegrationAssociation(
            self,
            "Association",
            instance_id=instance_arn,
            integration_type="LEX_BOT",
            integration_arn=alias.attr_arn,
        )

    def _alias(self, bot: lex.CfnBot, locale_id: str) -> lex.CfnBotAlias:
        """A version of the bot's draft, and the alias that serves it with the code hook."""
        version = lex.CfnBotVersion(
            self,
            "Version",
            bot_id=bot.attr_id,
            bot_version_locale_specification=[
                lex.CfnBotVersion.BotVersionLocaleSpecificationProperty(
                    locale_id=locale_id,
                    bot_version_locale_details=lex.CfnBotVersion.BotVersionLocaleDetailsProperty(
                        source_bot_version="DRAFT"
                    ),
                )
            ],
        )
        alias = lex.CfnBotAlias(
            self,
            "Alias",
            bot_alias_name=ALIAS_NAME,
            bot_id=bot.attr_id,
            bot_version=version.attr_bot_version,
            bot_alias_locale_settings=[
                lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty(
                    locale_id=locale_id,
                    bot_alias_locale_setting=lex.CfnBotAlias.BotAliasLocaleSettingsProperty(
                        enabled=True,
                        code_hook_specification=lex.CfnBotAlias.CodeHookSpecificationProperty(
                            lambda_code_hook=lex.CfnBotAlias.LambdaCodeHookProperty(
                                code_hook_interface_version=CODE_HOOK_INTERFACE_VERSION,
                                lambda_arn=self.code_hook.function_arn,
                            )
                        ),
                    ),
                )
            ],
        )
        return alias

    def _bot(self, definition: BotDefinition) -> lex.CfnBot:
        # A chat bot speaks no audio: its role needs no permission (no Polly, no conversation logs).
        role = iam.Role(
            self,
            "BotRole",
            assumed_by=iam.ServicePrincipal("lexv2.amazonaws.com"),
            description="Lex V2 runtime role of the chat triage bot (text only: no permissions needed)",
        )
        return lex.CfnBot(
            self,
            "Bot",
            name=f"{Stack.of(self).stack_name}-{definition.name}",
            description=definition.description,
            role_arn=role.role_arn,
            # data_privacy is untyped in aws-cdk-lib, so a struct would reach the template camelCased.
            data_privacy={"ChildDirected": definition.child_directed},
            idle_session_ttl_in_seconds=definition.idle_session_ttl_seconds,
            auto_build_bot_locales=True,
            bot_locales=[bot_locale(definition)],
        )

    def _code_hook(
        self, environment: dict[str, str], log_retention_days: int, layer_arn: str
    ) -> lambda_.Function:
        # Our own role: it only writes to its own log group.
        log_group, role = own_log_group_and_role(
            self,
            logs_id="CodeHookLogs",
            role_id="CodeHookRole",
            log_retention_days=log_retention_days,
            description="Triage bot code hook: writes its own log group, calls nothing",
        )
        function = lambda_.Function(
            self,
            "CodeHook",
            description="Code hook of the chat triage bot (Lex V2): builds its interactive messages",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=names.CODE_HOOK_HANDLER,
            # Zipped alone: the lambdas/ folder without the other functions.
            code=lambda_.Code.from_asset(
                str(LAMBDAS_DIR),
                exclude=["start_chat", "**/__pycache__", "*.pyc", "**/.mypy_cache"],
            ),
            layers=[lambda_.LayerVersion.from_layer_version_arn(self, "Powertools", layer_arn)],
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            memory_size=256,
            # Lex waits for a dialog code hook at most 30 seconds; a turn takes milliseconds.
            timeout=Duration.seconds(10),
            environment={
                **environment,
                "POWERTOOLS_SERVICE_NAME": names.CODE_HOOK_SERVICE_NAME,
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        )
        depend_on_role_policy(function, role)
        return function
