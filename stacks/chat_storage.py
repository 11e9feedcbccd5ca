"""Where Amazon Connect keeps chat transcripts and attachments: KMS-encrypted, logged, expiring buckets."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_connect as connect
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

# Where agents' Contact Control Panel runs.
AGENT_ORIGINS = ("https://*.my.connect.aws", "https://*.awsapps.com")


class ChatStorage(Construct):
    """The instance's storage configs for transcripts and, when enabled, attachments.

    Attributes: `transcript_bucket`, `attachments_bucket` (None without attachments).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_arn: str,
        retention_days: int,
        transcript_prefix: str,
        attachments_prefix: str | None,
        browser_origins: Sequence[str],
    ) -> None:
        """`attachments_prefix` None: no attachments storage. `browser_origins`: the websites that
        upload and download attachments with pre-signed URLs."""
        super().__init__(scope, construct_id)
        self._instance_arn = instance_arn
        self._retention_days = retention_days
        self.key = kms.Key(
            self,
            "StorageKey",
            description="Encrypts Amazon Connect chat transcripts and attachments",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self._access_logs = self._access_log_bucket()
        self.transcript_bucket = self._chat_bucket("Transcripts", "transcripts/", None)
        transcripts = self._storage_config(
            "TranscriptStorage", "CHAT_TRANSCRIPTS", self.transcript_bucket, transcript_prefix
        )
        self.attachments_bucket: s3.Bucket | None = None
        if attachments_prefix is not None:
            # Browsers upload and download with pre-signed URLs: the website's customers, and agents
            # in the Contact Control Panel (served from Connect's own domains).
            cors = s3.CorsRule(
                allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                allowed_origins=[*browser_origins, *AGENT_ORIGINS],
                allowed_headers=["*"],
                max_age=3000,
            )
            self.attachments_bucket = self._chat_bucket("Attachments", "attachments/", [cors])
            attachments = self._storage_config(
                "AttachmentStorage", "ATTACHMENTS", self.attachments_bucket, attachments_prefix
            )
            # Created in parallel, storage configs have failed with TooManyRequestsException.
            attachments.node.add_dependency(transcripts)

    def _access_log_bucket(self) -> s3.Bucket:
        # S3 server access logs can only be delivered to an SSE-S3 bucket.
        bucket = s3.Bucket(
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
                    expiration=Duration.days(self._retention_days),
                    noncurrent_version_expiration=Duration.days(1),
                )
            ],
        )
        Validations.of(bucket).acknowledge(
            Acknowledgment(
                id="AwsSolutions-S1",
                reason="This is the access-log bucket; logging it into itself would loop.",
            )
        )
        return bucket

    def _chat_bucket(self, construct_id: str, log_prefix: str, cors: list[s3.CorsRule] | None) -> s3.Bucket:
        return s3.Bucket(
            self,
            construct_id,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self._access_logs,
            server_access_logs_prefix=log_prefix,
            removal_policy=RemovalPolicy.RETAIN,
            cors=cors,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(self._retention_days),
                    noncurrent_version_expiration=Duration.days(7),
                )
            ],
        )

    def _storage_config(
        self, construct_id: str, resource_type: str, bucket: s3.Bucket, prefix: str
    ) -> connect.CfnInstanceStorageConfig:
        return connect.CfnInstanceStorageConfig(
            self,
            construct_id,
            instance_arn=self._instance_arn,
            resource_type=resource_type,
            storage_type="S3",
            s3_config=connect.CfnInstanceStorageConfig.S3ConfigProperty(
                bucket_name=bucket.bucket_name,
                bucket_prefix=prefix,
                encryption_config=connect.CfnInstanceStorageConfig.EncryptionConfigProperty(
                    encryption_type="KMS", key_id=self.key.key_arn
                ),
            ),
        )
