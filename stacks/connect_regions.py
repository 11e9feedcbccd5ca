"""The AWS Regions where Amazon Connect is offered: the one list the stack checks a deployment against.

Source: "Amazon Connect endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/connect_region.html
(the same Regions as botocore's endpoint data for `connect`). When Amazon Connect opens a Region, add it here.
"""

from typing import Final

CONNECT_REGIONS: Final = (
    "us-east-1",
    "us-west-2",
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
    "us-gov-west-1",
)
