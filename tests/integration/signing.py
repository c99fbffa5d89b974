"""SigV4 for httpx (and so for gql's HTTPX transport), as an AWS SDK signs a request to AppSync."""

from __future__ import annotations

from collections.abc import Generator, Mapping

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class SigV4(httpx.Auth):
    """Signs each request: method, path, headers and the body's hash, for service ``appsync``."""

    requires_request_body = True

    def __init__(self, access_key_id: str, secret_access_key: str, region: str, token: str | None = None) -> None:
        self.credentials = Credentials(access_key_id, secret_access_key, token)
        self.region = region

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        signed = AWSRequest(
            method=request.method,
            url=str(request.url),
            data=request.content,
            headers={"content-type": request.headers["content-type"]},
        )
        SigV4Auth(self.credentials, "appsync", self.region).add_auth(signed)
        request.headers.update(dict(signed.headers.items()))
        yield request


def signed_with(credentials: Mapping[str, str]) -> SigV4:
    """Signs with credentials as stack.json names them (``accessKeyId``, ``secretAccessKey``, ``sessionToken``,
    ``region``)."""
    key, secret, region = credentials["accessKeyId"], credentials["secretAccessKey"], credentials["region"]
    return SigV4(key, secret, region, credentials.get("sessionToken"))
