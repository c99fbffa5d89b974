"""What the SPA is told and held to, built once for both places it runs: `gather dev` and CloudFront.

- ``config_json``: the /config.json document (endpoints, and the API's limits and editable fields);
- ``csp``: the Content-Security-Policy CloudFront sends, which the browser tests apply to the local stack.

Neither imports CDK or the mirror, so both the local stack and the CDK app read them.
"""
