"""single_page_app/components/ics.js in Node: the .ics file an event page offers, read back as a calendar reads it."""

from __future__ import annotations

from typing import Any

from tests.spa.modules import run_spa_script

BUILD = """
const { eventIcs, icsFileName } = await import(spa + 'components/ics.js');
console.log(JSON.stringify({
  first: eventIcs(input.event, { url: input.url, domain: 'gather.example', now: new Date('2031-01-01T00:00:00Z') }),
  later: eventIcs(input.event, { url: input.url, domain: 'gather.example', now: new Date('2031-02-01T00:00:00Z') }),
  name: icsFileName(input.event.title),
}));
"""

EVENT = {
    "id": "e-123",
    "title": "Łódź meetup; tea, cake & " + "ü" * 60,
    "description": "Line one,\nline two; with \\ backslash",
    "venue": "Café Rook, 2nd floor",
    "startsAt": "2031-03-14T18:30:00+01:00",
    "endsAt": "2031-03-14T20:00:00.000Z",
    "timeZone": "Europe/Berlin",
}


def unfolded(ics: str) -> dict[str, str]:
    """Property name → value, after unfolding (RFC 5545 3.1), for the VEVENT."""
    assert ics.endswith("\r\n")
    lines = ics.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines), [line for line in lines if len(line.encode()) > 75]
    joined: list[str] = []
    for line in lines:
        if line.startswith(" "):
            joined[-1] += line[1:]
        else:
            joined.append(line)
    event = joined[joined.index("BEGIN:VEVENT") + 1 : joined.index("END:VEVENT")]
    return dict(line.split(":", 1) for line in event)


def test_the_file_carries_the_event() -> None:
    url = "https://gather.example/events/e-123"
    result: dict[str, Any] = run_spa_script(BUILD, {"event": EVENT, "url": url})
    first, later = unfolded(result["first"]), unfolded(result["later"])
    assert result["first"].startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert first["DTSTART"] == "20310314T173000Z"  # 18:30 in Berlin (UTC+1)
    assert first["DTEND"] == "20310314T200000Z"
    assert first["SUMMARY"] == "Łódź meetup\\; tea\\, cake & " + "ü" * 60
    assert first["LOCATION"] == "Café Rook\\, 2nd floor"
    assert first["DESCRIPTION"] == "Line one\\,\\nline two\\; with \\\\ backslash"
    assert first["URL"] == url
    assert first["UID"] == later["UID"] == "event-e-123@gather.example"  # a second download updates the first
    assert first["DTSTAMP"] == "20310101T000000Z" != later["DTSTAMP"]
    assert result["name"] == "Łodz-meetup-tea-cake-" + "u" * 39 + ".ics"
