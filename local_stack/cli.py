"""The `gather` command: `gather dev` brings up the whole local stack on this machine."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import time
from pathlib import Path

from local_stack.stack import LocalStack, StackOptions


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
    return parser


def _say(message: str) -> None:
    print(f"  {message}", flush=True)


def dev(arguments: argparse.Namespace) -> int:
    data_dir: Path = arguments.data_dir
    if arguments.fresh and (data_dir / "dynamodb").exists():
        shutil.rmtree(data_dir / "dynamodb")
    started = time.monotonic()
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
        ),
        progress=_say,
    )
    try:
        stack.prepare()
    except KeyboardInterrupt:
        stack.stop()
        print("Stopped.", flush=True)
        return 130
    except BaseException:
        stack.stop()
        raise
    stack_file = stack.write_stack_file()
    demo_users = ", ".join(f"{user.username} / {user.password}" for user in stack.cognito.users)
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
        f"  Demo users  {demo_users}\n"
        f"  stack.json  {stack_file}\n"
        "Press Ctrl-C to stop.",
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
