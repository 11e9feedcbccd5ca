"""The Amazon Connect side: instance (new or existing), encrypted transcript and attachment storage,
hours of operation, the chat queue, a routing profile with chat concurrency, approved origins."""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations
from aws_cdk import aws_connect as connect
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from . import names
from .config import DAYS, DeploymentConfig, OpeningHours
from .log_retention import retention

# Where agents' Contact Control Panel runs.
AGENT_ORIGINS = ("https://*.my.connect.aws", "https://*.awsapps.com")

# Connect reads 00:00-00:00 as the whole day; the config refuses it, so it is built unvalidated here.
ALL_DAY = OpeningHours.model_construct(start="00:00", end="00:00")


def _time_slice(hh_mm: str) -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    hours, minutes = hh_mm.split(":")
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(
        hours=int(hours), minutes=int(minutes)
    )


class ContactCenter(Construct):
    """Everything in Amazon Connect a chat needs before an agent can take it.

    Attributes the rest of the stack uses: `instance_arn`, `instance_id`, `queue_arn`,
    `hours_of_operation_arn` (None when an existing queue's own hours apply), `transcript_bucket`.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: DeploymentConfig) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        if config.instance_arn is None:
            # The alias is the login URL (https://ALIAS.my.connect.aws), unique worldwide: unless one is
            # configured, derive it from the account and region so the default deploys anywhere.
            alias = config.instance_alias or Fn.sub("chat-${AWS::AccountId}-${AWS::Region}")
            instance = connect.CfnInstance(
                self,
                "Instance",
                identity_management_type="CONNECT_MANAGED",
                instance_alias=alias,
                # Chat needs no flag: it is always on. Calls stay off in a chat-only contact center.
                attributes=connect.CfnInstance.AttributesProperty(
                    inbound_calls=False, outbound_calls=False, contactflow_logs=True
                ),
            )
            self.instance_arn: str = instance.attr_arn
            self.instance_id: str = instance.attr_id
            # Connect writes flow logs (with contact attributes) here; left to itself it keeps them forever.
            logs.LogGroup(
                self,
                "FlowLogs",
                log_group_name=f"/aws/connect/{alias}",
                retention=retention(config.log_retention_days),
                removal_policy=RemovalPolicy.DESTROY,
            )
        else:
            self.instance_arn = config.instance_arn
            self.instance_id = Fn.select(1, Fn.split("/", config.instance_arn))

        self.transcript_bucket: s3.Bucket | None = None
        if config.creates_storage:
            self._storage(config)

        self.hours_of_operation_arn: str | None = config.hours_of_operation_arn
        if config.queue_arn is not None:
            self.queue_arn: str = config.queue_arn
        else:
            if self.hours_of_operation_arn is None:
                self.hours_of_operation_arn = self._hours(config)
            queue = connect.CfnQueue(
                self,
                "ChatQueue",
                instance_arn=self.instance_arn,
                name=f"{stack.stack_name} website chat",
                description="Chats started from the website widget",
                hours_of_operation_arn=self.hours_of_operation_arn,
            )
            self.queue_arn = queue.attr_queue_arn
        CfnOutput(stack, names.OUTPUT_QUEUE_ARN, value=self.queue_arn)

        if config.create_routing_profile:
            profile = connect.CfnRoutingProfile(
                self,
                "ChatRoutingProfile",
                instance_arn=self.instance_arn,
                name=f"{stack.stack_name} website chat agents",
                description=f"Agents who take website chats, up to {config.chat_concurrency} at a time",
                default_outbound_queue_arn=self.queue_arn,
                media_concurrencies=[
                    connect.CfnRoutingProfile.MediaConcurrencyProperty(
                        channel="CHAT", concurrency=config.chat_concurrency
                    )
                ],
                queue_configs=[
                    connect.CfnRoutingProfile.RoutingProfileQueueConfigProperty(
                        delay=0,
                        priority=1,
                        queue_reference=connect.CfnRoutingProfile.RoutingProfileQueueReferenceProperty(
                            channel="CHAT", queue_arn=self.queue_arn
                        ),
                    )
                ],
            )
            CfnOutput(
                stack,
                names.OUTPUT_ROUTING_PROFILE_ARN,
                value=profile.attr_routing_profile_arn,
                description="Give this routing profile to the agents who take chats",
            )

        # One after the other: Connect throttles bursts of instance configuration calls.
        previous: Construct | None = None
        for index, origin in enumerate(config.allowed_origins):
            approved = connect.CfnApprovedOrigin(
                self, f"ApprovedOrigin{index}", instance_id=self.instance_arn, origin=origin
            )
            if previous is not None:
                approved.node.add_dependency(previous)
            previous = approved

        # With an existing instance the bot is registered by its owner (Flows → Amazon Lex in the console):
        # associating it again would fail, and deleting the stack would unregister it.
        self.lex_association: connect.CfnIntegrationAssociation | None = None
        if config.lex_bot_alias_arn is not None and config.creates_instance:
            self.lex_association = connect.CfnIntegrationAssociation(
                self,
                "LexBot",
                instance_id=self.instance_arn,
                integration_type="LEX_BOT",
                integration_arn=config.lex_bot_alias_arn,
            )
        CfnOutput(stack, names.OUTPUT_INSTANCE_ID, value=self.instance_id)

    def _hours(self, config: DeploymentConfig) -> str:
        schedule = config.hours if config.hours is not None else dict.fromkeys(DAYS, ALL_DAY)
        hours = connect.CfnHoursOfOperation(
            self,
            "ChatHours",
            instance_arn=self.instance_arn,
            name=f"{Stack.of(self).stack_name} website chat hours",
            description="24/7" if config.hours is None else "When website chats are answered",
            time_zone=config.hours_time_zone,
            config=[
                connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                    day=day, start_time=_time_slice(slot.start), end_time=_time_slice(slot.end)
                )
                for day, slot in sorted(schedule.items(), key=lambda item: DAYS.index(item[0]))
            ],
        )
        return hours.attr_hours_of_operation_arn

    def _storage(self, config: DeploymentConfig) -> None:
        key = kms.Key(
            self,
            "StorageKey",
            description="Encrypts Amazon Connect chat transcripts and attachments",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # S3 server access logs can only be delivered to an SSE-S3 bucket.
        access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(config.transcript_retention_days),
                    noncurrent_version_expiration=Duration.days(1),
                )
            ],
        )
        Validations.of(access_logs).acknowledge(
            Acknowledgment(
                id="AwsSolutions-S1",
                reason="This is the access-log bucket; logging it into itself would loop.",
            )
        )

        def chat_bucket(construct_id: str, log_prefix: str, cors: list[s3.CorsRule] | None) -> s3.Bucket:
            return s3.Bucket(
                self,
                construct_id,
                encryption=s3.BucketEncryption.KMS,
                encryption_key=key,
                bucket_key_enabled=True,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                versioned=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                server_access_logs_bucket=access_logs,
                server_access_logs_prefix=log_prefix,
                removal_policy=RemovalPolicy.RETAIN,
                cors=cors,
                lifecycle_rules=[
                    s3.LifecycleRule(
                        expiration=Duration.days(config.transcript_retention_days),
                        noncurrent_version_expiration=Duration.days(7),
                    )
                ],
            )

        def storage_config(
            construct_id: str, resource_type: str, bucket: s3.Bucket, prefix: str
        ) -> connect.CfnInstanceStorageConfig:
            return connect.CfnInstanceStorageConfig(
                self,
                construct_id,
                instance_arn=self.instance_arn,
                resource_type=resource_type,
                storage_type="S3",
                s3_config=connect.CfnInstanceStorageConfig.S3ConfigProperty(
                    bucket_name=bucket.bucket_name,
                    bucket_prefix=prefix,
                    encryption_config=connect.CfnInstanceStorageConfig.EncryptionConfigProperty(
                        encryption_type="KMS", key_id=key.key_arn
                    ),
                ),
            )

        self.transcript_bucket = chat_bucket("Transcripts", "transcripts/", None)
        transcripts = storage_config(
            "TranscriptStorage", "CHAT_TRANSCRIPTS", self.transcript_bucket, config.transcript_prefix
        )
        stack = Stack.of(self)
        CfnOutput(stack, names.OUTPUT_TRANSCRIPT_BUCKET, value=self.transcript_bucket.bucket_name)
        CfnOutput(stack, names.OUTPUT_TRANSCRIPT_PREFIX, value=config.transcript_prefix)

        if config.enable_attachments:
            # Browsers upload and download with pre-signed URLs: the website's customers, and agents
            # in the Contact Control Panel (served from Connect's own domains).
            cors = [
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                    allowed_origins=[*config.allowed_origins, *AGENT_ORIGINS],
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ]
            attachments_bucket = chat_bucket("Attachments", "attachments/", cors)
            attachments = storage_config(
                "AttachmentStorage", "ATTACHMENTS", attachments_bucket, config.attachments_prefix
            )
            # Created in parallel, storage configs have failed with TooManyRequestsException.
            attachments.node.add_dependency(transcripts)
            CfnOutput(stack, names.OUTPUT_ATTACHMENTS_BUCKET, value=attachments_bucket.bucket_name)
