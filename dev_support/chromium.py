"""How the browser tests and the cold-load benchmark launch Chromium: Debian's, headless, quiet on a closed network."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium; never a browser Playwright downloads."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless on this machine's closed network: no background calls home, no first-run work."""
