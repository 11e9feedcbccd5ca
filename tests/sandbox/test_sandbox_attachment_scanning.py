"""Attachment scanning: the scanner's verdict on the ATTACHMENT item, a rejected file never downloadable."""

from __future__ import annotations

import json

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import customer, transcript_keys
from test_sandbox_attachments import PDF, upload

from sandbox.config import SandboxConfig
from sandbox.participant.attachment_scanning import EICAR, EicarScanner, scan_status

pytestmark = pytest.mark.sandbox

SCANNER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:attachment-scanner"
INFECTED = b"Please look at this file.\n" + EICAR + b"\n"


def complete(person, attachment_id):
    person.client.complete_attachment_upload(
        AttachmentIds=[attachment_id],
        ClientToken=f"c-{attachment_id}",
        ConnectionToken=person.connection_token,
    )
    return person.sockets[0].item(
        lambda i: i["Type"] == "ATTACHMENT" and i["Attachments"][0]["AttachmentId"] == attachment_id
    )


def test_an_infected_file_is_rejected_never_downloadable_and_recorded_so(make_server, s3_endpoint):
    # Given a sandbox configured with the deployment's scanner key
    server = make_server(attachment_scanner_lambda_arn=SCANNER_ARN)
    started, person = customer(server)
    # When the customer uploads a file holding the EICAR test string and completes the upload
    attachment_id, answer = upload(person, name="invoice.txt", content_type="text/plain", data=INFECTED)
    assert answer.status_code == 200
    item = complete(person, attachment_id)
    # Then the ATTACHMENT item carries Status REJECTED, on the socket and in GetTranscript
    assert item["Attachments"][0]["Status"] == "REJECTED"
    listed = [i for i in person.transcript(MaxResults=100)["Transcript"] if i["Type"] == "ATTACHMENT"]
    assert listed[0]["Attachments"][0]["Status"] == "REJECTED"
    # And GetAttachment refuses it with a clear error
    with pytest.raises(ClientError) as caught:
        person.client.get_attachment(AttachmentId=attachment_id, ConnectionToken=person.connection_token)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "rejected by the attachment scanner" in caught.value.response["Error"]["Message"]
    # And the file is gone from the attachments bucket, as Connect deletes a rejected file
    config = server.sandbox.config
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    key = f"{config.attachments_prefix}/{started['ContactId']}/{attachment_id}"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=config.attachments_bucket, Key=key)
    # And the S3 transcript written at the end records the status
    person.disconnect()
    person.sockets[0].event("chat.ended")
    server.run_async(server.sandbox.transcripts.drain)
    (transcript_key,) = transcript_keys(
        s3, config.transcript_bucket, config.transcript_prefix, started["ContactId"]
    )
    document = json.loads(s3.get_object(Bucket=config.transcript_bucket, Key=transcript_key)["Body"].read())
    attachments = [i["Attachments"] for i in document["Transcript"] if i["Type"] == "ATTACHMENT"]
    assert attachments == [
        [
            {
                "ContentType": "text/plain",
                "AttachmentId": attachment_id,
                "AttachmentName": "invoice.txt",
                "Status": "REJECTED",
            }
        ]
    ]


def test_a_clean_file_is_approved_and_downloadable_with_the_scanner_on(make_server):
    server = make_server(scan_attachments=True)
    _, person = customer(server)
    attachment_id, _ = upload(person)
    assert complete(person, attachment_id)["Attachments"][0]["Status"] == "APPROVED"
    link = person.client.get_attachment(AttachmentId=attachment_id, ConnectionToken=person.connection_token)
    assert httpx.get(link["Url"]).content == PDF


def test_without_a_scanner_nothing_is_scanned(server):
    # The deployment's default: no scanner, so the EICAR file is shared as any other
    _, person = customer(server)
    attachment_id, _ = upload(person, name="eicar.txt", content_type="text/plain", data=INFECTED)
    assert complete(person, attachment_id)["Attachments"][0]["Status"] == "APPROVED"


def test_the_scanner_gets_the_lambda_request_connect_sends(make_server):
    # Given a sandbox whose scanner records what it is asked
    server = make_server(scan_attachments=True)
    requests = []
    demo = server.sandbox.attachments.scanner

    def recording(request):
        requests.append(request)
        return demo(request)

    server.sandbox.attachments.scanner = recording
    started, person = customer(server)
    attachment_id, _ = upload(person)
    complete(person, attachment_id)
    # Then it had the admin guide's request: the file's id, name, size and S3 location
    (request,) = requests
    config = server.sandbox.config
    key = f"{config.attachments_prefix}/{started['ContactId']}/{attachment_id}"
    assert request["Version"] == "1.0"
    assert request["InstanceId"] == config.instance_id
    file = request["File"]
    assert (file["FileId"], file["FileName"], file["FileSizeInBytes"]) == (attachment_id, "doc.pdf", len(PDF))
    assert isinstance(file["FileCreationTime"], int)
    assert file["FileLocation"]["S3Location"] == {
        "Key": key,
        "Bucket": config.attachments_bucket,
        "Arn": f"arn:aws:s3:::{config.attachments_bucket}/{key}",
    }


@pytest.mark.parametrize(
    "scanner",
    [
        lambda request: {"Status": "MAYBE"},
        lambda request: "APPROVED",
        lambda request: 1 / 0,
    ],
    ids=["unknown status", "not an object", "raises"],
)
def test_a_failing_or_unclear_scanner_rejects(scanner):
    # Connect marks an attachment rejected when its scanner keeps failing
    assert scan_status(scanner, {}) == "REJECTED"


def test_the_demo_scanner_reads_the_object_it_is_pointed_at():
    objects = {("b", "k/clean"): PDF, ("b", "k/bad"): INFECTED}
    scanner = EicarScanner(lambda bucket, key: objects[(bucket, key)])

    def request(key):
        return {"File": {"FileLocation": {"S3Location": {"Bucket": "b", "Key": key}}}}

    assert scanner(request("k/clean")) == {"Status": "APPROVED"}
    assert scanner(request("k/bad")) == {"Status": "REJECTED"}


def test_the_deployment_key_turns_the_scanner_on_and_enable_attachments_off_turns_it_off():
    assert SandboxConfig.from_values({"attachmentScannerLambdaArn": SCANNER_ARN}).scans_attachments
    assert not SandboxConfig().scans_attachments
    assert not SandboxConfig(scan_attachments=True, enable_attachments=False).scans_attachments
