"""Attachments: upload URL served by the sandbox (with CORS), bytes in S3, download, limits."""

from __future__ import annotations

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import customer

pytestmark = pytest.mark.sandbox

PDF = b"%PDF-1.4 sandbox test document\n" * 10


def upload(person, name="doc.pdf", content_type="application/pdf", data=PDF):
    started = person.client.start_attachment_upload(
        ContentType=content_type,
        AttachmentSizeInBytes=len(data),
        AttachmentName=name,
        ConnectionToken=person.connection_token,
    )
    meta = started["UploadMetadata"]
    answer = httpx.put(meta["Url"], content=data, headers=meta["HeadersToInclude"])
    return started["AttachmentId"], answer


def test_attachment_round_trip(server, s3_endpoint):
    started, person = customer(server)
    attachment_id, answer = upload(person)
    assert answer.status_code == 200
    person.client.complete_attachment_upload(
        AttachmentIds=[attachment_id], ClientToken="c-1", ConnectionToken=person.connection_token
    )
    item = person.sockets[0].item(lambda i: i["Type"] == "ATTACHMENT")
    assert item["Attachments"] == [
        {
            "ContentType": "application/pdf",
            "AttachmentId": attachment_id,
            "AttachmentName": "doc.pdf",
            "Status": "APPROVED",
        }
    ]
    link = person.client.get_attachment(AttachmentId=attachment_id, ConnectionToken=person.connection_token)
    assert link["AttachmentSizeInBytes"] == len(PDF)
    assert httpx.get(link["Url"]).content == PDF
    config = server.sandbox.config
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    key = f"{config.attachments_prefix}/{started['ContactId']}/{attachment_id}"
    assert s3.get_object(Bucket=config.attachments_bucket, Key=key)["Body"].read() == PDF
    kinds = [i["Type"] for i in person.transcript(MaxResults=100)["Transcript"]]
    assert "ATTACHMENT" in kinds


def test_upload_url_answers_cors_preflight(server):
    _, person = customer(server, socket=False)
    started = person.client.start_attachment_upload(
        ContentType="image/png",
        AttachmentSizeInBytes=3,
        AttachmentName="a.png",
        ConnectionToken=person.connection_token,
    )
    answer = httpx.options(
        started["UploadMetadata"]["Url"],
        headers={
            "Origin": "http://shop.example:8000",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] in {"*", "http://shop.example:8000"}


@pytest.mark.parametrize(
    ("name", "content_type", "size"),
    [
        ("virus.exe", "application/octet-stream", 10),
        ("photo.png", "application/pdf", 10),
        ("huge.pdf", "application/pdf", 21 * 1024 * 1024),
    ],
)
def test_start_upload_limits(server, name, content_type, size):
    _, person = customer(server, socket=False)
    with pytest.raises(ClientError) as caught:
        person.client.start_attachment_upload(
            ContentType=content_type,
            AttachmentSizeInBytes=size,
            AttachmentName=name,
            ConnectionToken=person.connection_token,
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_complete_before_upload_conflicts_and_wrong_sizes_are_refused(server):
    _, person = customer(server, socket=False)
    started = person.client.start_attachment_upload(
        ContentType="text/plain",
        AttachmentSizeInBytes=5,
        AttachmentName="a.txt",
        ConnectionToken=person.connection_token,
    )
    with pytest.raises(ClientError) as caught:
        person.client.complete_attachment_upload(
            AttachmentIds=[started["AttachmentId"]], ClientToken="x", ConnectionToken=person.connection_token
        )
    assert caught.value.response["Error"]["Code"] == "ConflictException"
    url = started["UploadMetadata"]["Url"]
    assert httpx.put(url, content=b"too many bytes").status_code == 400
    assert httpx.put(url.replace("sig=", "sig=0"), content=b"12345").status_code == 403
    assert httpx.put(url, content=b"12345").status_code == 200


def test_unknown_attachment_is_a_validation_error(server):
    _, person = customer(server, socket=False)
    with pytest.raises(ClientError) as caught:
        person.client.get_attachment(AttachmentId="nope", ConnectionToken=person.connection_token)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_attachments_can_be_disabled(make_server):
    server = make_server(enable_attachments=False)
    _, person = customer(server, socket=False)
    with pytest.raises(ClientError) as caught:
        upload(person)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
