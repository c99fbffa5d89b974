"""Invokes the real handler once, as Lambda does with active tracing, over moto's DynamoDB.

``python -m tests.unit.traced_invocation <event as JSON>``, run with Lambda's variables plus X-Ray's daemon
address and trace header: the X-Ray SDK sends what it traced to that address; the result goes to stdout.
"""

from __future__ import annotations

import json
import sys
import time

import boto3
from moto import mock_aws

from local_stack.tables import ensure_table
from mirror.lambda_environment import LocalLambdaContext
from resolvers import settings
from resolvers.function_settings import MEMORY_MB, SERVICE_NAME


def main(payload: str) -> None:
    with mock_aws():
        # Before the handler is imported, so the Tracer has not patched botocore yet: only the handler's
        # own calls are traced.
        ensure_table(boto3.client("dynamodb"), settings.table_name())
        from resolvers.handler import lambda_handler

        context = LocalLambdaContext("traced-invocation", time.time() + 10, SERVICE_NAME, MEMORY_MB)
        print(json.dumps(lambda_handler(json.loads(payload), context)))


if __name__ == "__main__":
    main(sys.argv[1])
