"""The `gather dev` console: a line per request, the handler's JSON logs made readable, three modes."""

from __future__ import annotations

import json

from local_stack.console import Console
from mirror.lambda_runtime import Invocation, RuntimeNotice
from mirror.request_log import RequestRecord

REFUSED = json.dumps({"level": "INFO", "message": "Refused", "errorType": "EventFull", "field": "Mutation.rsvp"})
UNEXPECTED = json.dumps(
    {
        "level": "ERROR",
        "message": "Unexpected error",
        "correlation_id": "r-1",
        "exception": "Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'id'",
    }
)
METRIC = json.dumps(
    {
        "_aws": {
            "CloudWatchMetrics": [{"Namespace": "Gather", "Metrics": [{"Name": "UnexpectedErrors", "Unit": "Count"}]}]
        },
        "UnexpectedErrors": [1.0],
    }
)


def _invocation(field: str, logs: str = "", batch: int | None = None, error: str | None = None) -> Invocation:
    failure = {"errorType": error, "errorMessage": "it failed", "stackTrace": []} if error else None
    return Invocation("id", field, batch, 12.4, failure, logs)


def _record(*invocations: Invocation, errors: tuple[str, ...] = ()) -> RequestRecord:
    return RequestRecord("r-1", "query", "Upcoming", 48.7, list(invocations), list(errors))


def test_one_line_per_request_then_readable_log_lines() -> None:
    printed: list[str] = []
    record = _record(
        _invocation("Query.listEvents", REFUSED + "\nplain print output\n"),
        _invocation("Event.host", batch=12),
        errors=("EventFull",),
    )
    Console("normal", printed.append).request(record)
    [text] = printed
    first, *rest = text.splitlines()
    assert "query Upcoming" in first
    assert "49 ms" in first
    assert "2 Lambda invocations: Query.listEvents 12 ms, Event.host[batch of 12] 12 ms" in first
    assert first.endswith("errors: EventFull")
    assert rest == ["    INFO    Refused  errorType=EventFull", "    plain print output"]


def test_an_unexpected_error_prints_its_traceback_and_metric() -> None:
    printed: list[str] = []
    Console("normal", printed.append).request(_record(_invocation("Query.getEvent", f"{UNEXPECTED}\n{METRIC}\n")))
    lines = printed[0].splitlines()
    assert lines[1] == "    ERROR   Unexpected error"
    assert lines[2:5] == [
        "      Traceback (most recent call last):",
        '        File "x.py", line 1',
        "      KeyError: 'id'",
    ]
    assert lines[5] == "    metric  UnexpectedErrors 1 Count"


def test_a_lambda_side_failure_is_shown_with_its_type() -> None:
    printed: list[str] = []
    Console("normal", printed.append).request(_record(_invocation("Query.getEvent", error="Sandbox.Timedout")))
    assert printed[0].splitlines()[1] == "    Query.getEvent: Sandbox.Timedout: it failed"


def test_quiet_prints_only_unexpected_failures() -> None:
    printed: list[str] = []
    console = Console("quiet", printed.append)
    console.request(_record(_invocation("Query.listEvents", REFUSED), errors=("EventFull",)))
    assert printed == []
    console.request(_record(_invocation("Query.listEvents", REFUSED), _invocation("Query.getEvent", UNEXPECTED)))
    assert "Unexpected error" in printed[0]
    assert "Refused" not in printed[0]


def test_json_prints_one_parsable_line_per_request_and_notice() -> None:
    printed: list[str] = []
    console = Console("json", printed.append)
    console.request(_record(_invocation("Event.host", REFUSED, batch=3), errors=("EventFull",)))
    console.notice(RuntimeNotice("replaced", "Lambda environment 12 exited (signal: killed); replaced by 13"))
    request, notice = (json.loads(line) for line in printed)
    assert request["operationName"] == "Upcoming"
    assert request["errorTypes"] == ["EventFull"]
    assert request["invocations"][0]["batch_size"] == 3
    assert request["invocations"][0]["logs"][0]["errorType"] == "EventFull"
    assert notice["notice"] == "replaced"
