"""single_page_app/components/avatar.js and format.js in Node: initials and colours that never change for a
user, and times written in the interface's language whatever the machine's locale."""

from __future__ import annotations

import re

import pytest

from tests.spa.modules import run_spa_script

AVATARS = """
const { initials, colourOf, AVATAR_COLOURS } = await import(spa + 'components/avatar.js');
console.log(JSON.stringify({
  initials: input.names.map(initials),
  colours: input.ids.map(colourOf),
  again: input.ids.map(colourOf),
  count: AVATAR_COLOURS,
}));
"""

TIMES = """
const { formatRange, dayParts, LANGUAGE } = await import(spa + 'format.js');
console.log(JSON.stringify({
  language: LANGUAGE,
  range: formatRange('2031-03-14T17:30:00Z', '2031-03-14T19:00:00Z', 'Europe/Berlin'),
  start: formatRange('2031-03-14T17:30:00Z', null, 'Asia/Tokyo'),
  tile: dayParts('2031-03-14T23:30:00Z', 'Asia/Tokyo'),
}));
"""


def test_initials_and_colours() -> None:
    names = ["Ada Lovelace", "grace", "  Linus  Benedict Torvalds ", "", "😀 Smile", "李 小龍"]
    ids = ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8", "i9"]
    result = run_spa_script(AVATARS, {"names": names, "ids": ids})
    assert result["initials"] == ["AL", "G", "LT", "?", "😀S", "李小"]
    assert result["colours"] == result["again"]
    assert all(0 <= colour < result["count"] for colour in result["colours"])
    assert len(set(result["colours"])) > 3, "ids spread over the colours"


def test_times_are_english_in_the_events_zone_and_the_visitors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The visitor here is the Node process: in New York, with a German locale."""
    for name, value in (("TZ", "America/New_York"), ("LANG", "de_DE.UTF-8"), ("LC_ALL", "de_DE.UTF-8")):
        monkeypatch.setenv(name, value)
    result = run_spa_script(TIMES)
    spaced = {
        key: re.sub(r"\s", " ", value)
        for key, value in {
            **result["range"],
            **{"start": result["start"]["event"], "start viewer": result["start"]["viewer"]},
        }.items()
    }
    assert result["language"] == "en"
    assert spaced == {
        "event": "Fri, Mar 14, 2031, 6:30 \u2013 8:00 PM GMT+1",
        "viewer": "Fri, Mar 14, 2031, 1:30 \u2013 3:00 PM EDT",
        "start": "Sat, Mar 15, 2031, 2:30 AM GMT+9",
        "start viewer": "Fri, Mar 14, 2031, 1:30 PM EDT",
    }
    assert result["tile"] == {"month": "Mar", "day": "15", "weekday": "Sat"}
