"""The `gather` command: `gather dev` brings up the whole local stack on this machine."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from local_stack.cognito.pool import DemoUser
from local_stack.console import Console, Mode
from local_stack.dynamodb_local import DynamoDBLocalError
from local_stack.reloader import Reload
from local_stack.stack import LocalStack, PortUnavailable, StackOptions
from mirror.app import DeploymentRefused
from mirror.field_accounting import UnaccountedFields
from resolvers.identity import ADMINS_GROUP


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gather", description="Gather's local tooling.")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="Run DynamoDB Local, demo data, the API, the playground and the SPA.")
    dev.add_argument("--host", default="127.0.0.1", help="Interface to listen on (default: 127.0.0.1).")
    dev.add_argument("--port", type=int, default=4000, help="Port of the API, playground and SPA (default: 4000).")
    dev.add_argument(
        "--tls-port",
        type=int,
        default=4443,
        help="Port of the same API, SPA and real-time endpoint over HTTPS/WSS, with a certificate from the data "
        "dir's own CA (default: 4443; 0 picks a free port).",
    )
    dev.add_argument("--data-dir", type=Path, default=Path(".gather"), help="Where data, keys and stack.json live.")
    dev.add_argument("--api-key", help="Use this API key instead of the one generated for the data dir.")
    dev.add_argument("--fresh", action="store_true", help="Start from an empty database with new demo data.")
    dev.add_argument(
        "--dynamodb-endpoint",
        help="Use a DynamoDB that is already running (or AWS itself) instead of starting DynamoDB Local.",
    )
    dev.add_argument("--table-name", default="gather", help="Table to use or create (default: gather).")
    dev.add_argument("--workers", type=int, default=4, help="Concurrent Lambda execution environments (default: 4).")
    output = dev.add_mutually_exclusive_group()
    output.add_argument("--quiet", action="store_true", help="Print only requests that failed unexpectedly.")
    output.add_argument("--json", action="store_true", help="Print each request and notice as one JSON line.")
    dev.add_argument(
        "--no-reload", dest="reload", action="store_false", help="Do not reload resolvers/ and schema.graphql on save."
    )
    return parser


def _say(message: str) -> None:
    print(f"  {message}", flush=True)


def _console_mode(arguments: argparse.Namespace) -> Mode:
    return "json" if arguments.json else "quiet" if arguments.quiet else "normal"


def _reported(console: Console) -> Callable[[Reload], None]:
    def report(reload: Reload) -> None:
        what = "schema.graphql" if reload.what == "schema" else ", ".join(reload.changed)
        if reload.error:
            console.say(f"{what} not reloaded: {reload.error}\n  Still serving the last good deployment and schema.")
            return
        if reload.what == "schema":
            console.say(f"Reloaded {what} in {reload.seconds:.2f} s")
        else:
            console.say(f"Reloaded {what}: new deployment warm in {reload.seconds:.2f} s")
        for change in reload.changes:
            console.say(f"  {change}")

    return report


def _demo_user(user: DemoUser) -> str:
    role = " (admin)" if ADMINS_GROUP in user.groups else ""
    return f"{user.username} / {user.password}{role}"


def dev(arguments: argparse.Namespace) -> int:
    data_dir: Path = arguments.data_dir
    if arguments.fresh and (data_dir / "dynamodb").exists():
        shutil.rmtree(data_dir / "dynamodb")
    started = time.monotonic()
    console = Console(_console_mode(arguments))
    print("Starting Gather's local stack", flush=True)
    stack = LocalStack(
        StackOptions(
            host=arguments.host,
            port=arguments.port,
            data_dir=data_dir,
            api_key=arguments.api_key,
            dynamodb_endpoint=arguments.dynamodb_endpoint,
            table_name=arguments.table_name,
            workers=arguments.workers,
            tls_port=arguments.tls_port,
            reload=arguments.reload,
            on_request=console.request,
            on_notice=console.notice,
            on_reload=_reported(console),
            on_stream_batch=console.stream_batch,
            on_stream_failure=console.stream_failure,
        ),
        progress=_say,
    )
    try:
        stack.prepare()
    except KeyboardInterrupt:
        stack.stop()
        print("Stopped.", flush=True)
        return 130
    except PortUnavailable as error:
        stack.stop()
        example = f"{error.flag} {error.port + 400}"
        print(f'{error}.\nChoose another port with {error.flag} (make dev ARGS="{example}").', file=sys.stderr)
        return 2
    except (DynamoDBLocalError, BotoCoreError, ClientError, UnaccountedFields, DeploymentRefused) as error:
        # A part that would not start, or a --dynamodb-endpoint that does not answer: the reason, not a traceback.
        stack.stop()
        print(f"Could not start the local stack: {error}", file=sys.stderr, flush=True)
        return 1
    except BaseException:
        stack.stop()
        raise
    stack_file = stack.write_stack_file()
    failures = stack.consumer.failures_path if stack.consumer else "-"
    demo_users = ", ".join(_demo_user(user) for user in stack.cognito.users)
    print(
        f"\nReady in {time.monotonic() - started:.1f} s\n"
        f"  SPA         {stack.base_url}/\n"
        f"  API         {stack.graphql_url}\n"
        f"  Playground  {stack.graphql_url}  (open it in a browser)\n"
        f"  HTTPS/WSS   {stack.https_graphql_url}  (Amplify needs it)\n"
        f"  Local CA    {stack.tls.ca_certificate if stack.tls else '-'}  (trust it: see the README)\n"
        f"  API key     {stack.api_key}\n"
        f"  DynamoDB    {stack.dynamodb_endpoint}  table {arguments.table_name}\n"
        f"  Cognito     {stack.cognito.endpoint}  (local user pool)\n"
        f"  Emails      {stack.cognito.outbox_path}  (codes Cognito would email; also printed here)\n"
        f"  Demo users  {demo_users}\n"
        f"  Stream      the consumer on the table's stream; failed batches go to {failures}\n"
        f"  stack.json  {stack_file}\n"
        + (
            "  Reload      on save: resolvers/, spa_contract/ (new deployment), schema.graphql\n"
            if arguments.reload
            else ""
        )
        + "Press Ctrl-C to stop.",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C after its clean shutdown
        stack.serve()
    if stack.failure is not None:
        print(f"Stopped: {stack.failure}", file=sys.stderr, flush=True)
        return 1
    print("Stopped.", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "dev":
        return dev(arguments)
    return 2


if __name__ == "__main__":
    sys.exit(main())
