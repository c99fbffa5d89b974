"""The SPA's Content-Security-Policy: CloudFront sends it, and the browser tests hold the local stack to it."""

from __future__ import annotations


def content_security_policy(*, api_origin: str, realtime_origin: str, cognito_endpoint: str) -> str:
    """Same-origin scripts, styles and images only, nothing inline; the page may connect to the site itself
    (for /config.json), the GraphQL API, its real-time endpoint and Cognito's IdP endpoint, nothing else.

    api_origin and realtime_origin are scheme and host (``https://…``, ``wss://…``), tokens in CDK.
    """
    connect = list(dict.fromkeys(["'self'", api_origin, realtime_origin, cognito_endpoint]))
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "manifest-src": ["'self'"],
        "connect-src": connect,
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "upgrade-insecure-requests": [],
    }
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())
