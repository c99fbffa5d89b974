"""SPA hosting: a private bucket behind CloudFront with OAC, security headers, fallback, caching, config.json."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from typing import Any

import pytest
from aws_cdk.assertions import Match

from spa_contract.config_json import ClientConfig, client_config
from spa_contract.csp import content_security_policy
from tests.cdk.conftest import Synthesized, synthesize

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def token(value: Any) -> str:
    return "{" + json.dumps(value, sort_keys=True, separators=(",", ":")) + "}"


def distribution_config(synthesized: Synthesized) -> dict[str, Any]:
    _, distribution = synthesized.only("AWS::CloudFront::Distribution")
    config: dict[str, Any] = distribution["Properties"]["DistributionConfig"]
    return config


def deployments(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {key: value["Properties"] for key, value in synthesized.of_type("Custom::CDKBucketDeployment").items()}


def test_bucket_is_private_and_tls_only(synthesized: Synthesized) -> None:
    _, bucket = synthesized.only("AWS::S3::Bucket")
    assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["Properties"]["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "WebsiteConfiguration" not in bucket["Properties"]
    _, policy = synthesized.only("AWS::S3::BucketPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {"Bool": {"aws:SecureTransport": "false"}} in [
        s.get("Condition") for s in statements if s["Effect"] == "Deny"
    ]
    for statement in statements:
        if statement["Effect"] == "Allow":
            # Nobody anonymous: only CloudFront (for this distribution) and the stack's own cleanup role.
            assert statement["Principal"] not in ("*", {"AWS": "*"})
            if statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}:
                assert statement["Action"] == "s3:GetObject"
                assert "AWS:SourceArn" in statement["Condition"]["StringEquals"]


def test_cloudfront_uses_origin_access_control_not_an_identity(synthesized: Synthesized) -> None:
    synthesized.template.resource_count_is("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0)
    oac_id, _ = synthesized.only("AWS::CloudFront::OriginAccessControl")
    synthesized.template.has_resource_properties(
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    )
    (origin,) = distribution_config(synthesized)["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""


def test_https_only_compressed_and_headers_on_every_behavior(synthesized: Synthesized) -> None:
    config = distribution_config(synthesized)
    headers_id, _ = synthesized.only("AWS::CloudFront::ResponseHeadersPolicy")
    for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behavior["Compress"] is True
        assert behavior["AllowedMethods"] == ["GET", "HEAD"]
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": headers_id}
    assert config["DefaultRootObject"] == "index.html"


def test_client_side_routes_fall_back_to_index_html(synthesized: Synthesized) -> None:
    responses = distribution_config(synthesized)["CustomErrorResponses"]
    assert sorted(responses, key=lambda r: r["ErrorCode"]) == [
        {"ErrorCode": code, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 0}
        for code in (403, 404)
    ]


def test_index_html_is_never_cached_and_static_files_are_cached_long(synthesized: Synthesized) -> None:
    config = distribution_config(synthesized)
    by_path = {behavior["PathPattern"]: behavior for behavior in config["CacheBehaviors"]}
    for path in ("/index.html", "/config.json"):
        assert by_path[path]["CachePolicyId"] == CACHING_DISABLED
    policy_ref = config["DefaultCacheBehavior"]["CachePolicyId"]["Ref"]
    policy = synthesized.resources[policy_ref]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0  # so no-store at the origin means not cached at the edge
    assert policy["MaxTTL"] == 365 * 24 * 3600
    assert policy["ParametersInCacheKeyAndForwardedToOrigin"]["EnableAcceptEncodingBrotli"] is True

    deployed = list(deployments(synthesized).values())
    entry = [d for d in deployed if d.get("Include") == ["index.html", "config.json"]]
    assert len(entry) == 1
    assert entry[0]["Exclude"] == ["*"]
    assert entry[0]["SystemMetadata"] == {"cache-control": "no-store"}
    static = [d for d in deployed if "index.html" in d.get("Exclude", [])]
    assert len(static) == 1
    assert "s-maxage=31536000" in static[0]["SystemMetadata"]["cache-control"]


def test_deploy_invalidates_the_distribution(synthesized: Synthesized) -> None:
    distribution_id, _ = synthesized.only("AWS::CloudFront::Distribution")
    invalidating = [d for d in deployments(synthesized).values() if "DistributionId" in d]
    assert len(invalidating) == 1
    assert invalidating[0]["DistributionId"] == {"Ref": distribution_id}
    assert invalidating[0]["DistributionPaths"] == ["/*"]
    assert invalidating[0]["Include"] == ["index.html", "config.json"]


def test_security_headers_and_a_strict_csp(synthesized: Synthesized) -> None:
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    _, policy = synthesized.only("AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert headers["StrictTransportSecurity"]["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"

    # The CSP is joined from literal text and deploy-time values; keep each value as one opaque token.
    csp = "".join(
        part if isinstance(part, str) else token(part)
        for part in headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Join"][1]
    )
    directives = {name: sources for name, *sources in (directive.split() for directive in csp.split(";"))}
    region = synthesized.stack.region
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]

    assert directives["connect-src"] == [
        "'self'",  # /config.json
        f"https://{token({'Fn::GetAtt': [api_id, 'GraphQLDns']})}",
        f"wss://{token({'Fn::GetAtt': [api_id, 'RealtimeDns']})}",
        f"https://cognito-idp.{region}.{token({'Ref': 'AWS::URLSuffix'})}",
    ]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)
    # Exactly the policy the browser tests hold the local stack to: the one builder.
    assert csp == content_security_policy(
        api_origin=directives["connect-src"][1],
        realtime_origin=directives["connect-src"][2],
        cognito_endpoint=directives["connect-src"][3],
    )


def test_viewer_tls(dev: Synthesized, prod: Synthesized) -> None:
    # With a custom domain (prod here): TLS 1.2+ only. The default *.cloudfront.net certificate's policy is fixed.
    prod.template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "Aliases": ["events.example.org"],
                    "ViewerCertificate": {
                        "AcmCertificateArn": Match.string_like_regexp("^arn:aws:acm:us-east-1:"),
                        "MinimumProtocolVersion": "TLSv1.2_2021",
                        "SslSupportMethod": "sni-only",
                    },
                }
            )
        },
    )
    assert "ViewerCertificate" not in distribution_config(dev)


def test_config_json_is_generated_at_deploy_time_with_the_spa_shape(synthesized: Synthesized) -> None:
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    pool_id = synthesized.logical_id(synthesized.stack.auth.user_pool)
    client_id = synthesized.logical_id(synthesized.stack.auth.client)
    (entry,) = [d for d in deployments(synthesized).values() if "DistributionId" in d]
    # The second source is config.json's data; its markers become deploy-time values.
    config_key = entry["SourceObjectKeys"][1].removesuffix(".zip")
    config = json.loads((synthesized.outdir / f"asset.{config_key}" / "config.json").read_text())
    markers = entry["SourceMarkers"][1]

    def value(text: str) -> Any:
        return markers.get(text, text)

    assert set(config) == set(ClientConfig.__annotations__)
    shared = client_config(graphql_url="", realtime_url="", region="", api_key="", auth=None)
    assert (config["limits"], config["errorFields"]) == (shared["limits"], shared["errorFields"])
    assert set(config["auth"]) == {"userPoolId", "userPoolClientId", "cognitoEndpoint"}
    assert value(config["graphqlUrl"]) == {"Fn::GetAtt": [api_id, "GraphQLUrl"]}
    assert value(config["realtimeUrl"]) == {"Fn::GetAtt": [api_id, "RealtimeUrl"]}
    assert value(config["apiKey"]) == {"Fn::GetAtt": [synthesized.only("AWS::AppSync::ApiKey")[0], "ApiKey"]}
    assert config["region"] == synthesized.stack.region
    assert value(config["auth"]["userPoolId"]) == {"Ref": pool_id}
    assert value(config["auth"]["userPoolClientId"]) == {"Ref": client_id}
    assert config["auth"]["cognitoEndpoint"].startswith(f"https://cognito-idp.{synthesized.stack.region}.")


def test_spa_files_come_from_the_spa_folder(dev: Synthesized) -> None:
    spa = dev.stack.stage.spa_directory
    (entry,) = [d for d in deployments(dev).values() if "DistributionId" in d]
    files_key = entry["SourceObjectKeys"][0].removesuffix(".zip")
    staged = {
        p.relative_to(dev.outdir / f"asset.{files_key}").as_posix()
        for p in (dev.outdir / f"asset.{files_key}").rglob("*")
        if p.is_file()
    }
    assert "index.html" in staged
    assert "config.json" not in staged  # generated at deploy time, never taken from the folder
    assert staged == {p.relative_to(spa).as_posix() for p in spa.rglob("*") if p.is_file() and p.name != "config.json"}
    # robots.txt is an object, so CloudFront serves it as it is (the 403/404 fallback to index.html never
    # applies), deployed and cached with the other static files.
    assert "robots.txt" in staged
    (static,) = [d for d in deployments(dev).values() if "index.html" in d.get("Exclude", [])]
    assert not any(fnmatch("robots.txt", pattern) for pattern in static["Exclude"])


def test_fingerprinted_assets_are_cached_for_a_year(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A build step's `assets/` folder gets its own long-lived, immutable deployment (the SPA has none today)."""
    spa = tmp_path_factory.mktemp("spa")
    (spa / "assets").mkdir()
    (spa / "index.html").write_text('<!doctype html><script type="module" src="/assets/app.3f9a1c.js"></script>')
    (spa / "assets" / "app.3f9a1c.js").write_text("export {};\n")
    (spa / "config.json").write_text('{"graphqlUrl": "http://127.0.0.1:4000/graphql"}')  # a local one: never shipped
    built = synthesize(tmp_path_factory.mktemp("cdk-assets"), "eu-west-1", stage="dev", spaDirectory=str(spa))
    deployed = list(deployments(built).values())
    fingerprinted = [d for d in deployed if d.get("Include") == ["assets/*"]]
    assert len(fingerprinted) == 1
    assert fingerprinted[0]["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    (static,) = [d for d in deployed if "index.html" in d.get("Exclude", [])]
    assert "assets/*" in static["Exclude"]
    # The entry deployment waits for both, so index.html never points at files not yet uploaded.
    entry_id = next(key for key, d in deployments(built).items() if "DistributionId" in d)
    assert len(built.resources[entry_id]["DependsOn"]) >= 2
