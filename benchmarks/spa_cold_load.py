"""The SPA's cold load against a blank page, in one Chromium run.

For each load, a fresh browser context (empty cache, no storage) opens the page and we record:
- bytes transferred: the sum of Chromium's encodedDataLength (headers and body as received) of every request
  until the network is idle, i.e. HTML, JS, CSS, favicon, config.json and the first listEvents answer;
- time to first event: from navigation start until the first event card is in the DOM (for the blank page: its
  one paragraph), recorded in the page by a MutationObserver that an init script installs before any page code.

The SPA's figures are printed as ratios to the blank page's, and the total transfer against the 100 KB budget.
The mirror compresses the SPA's files as CloudFront does (gzip from 1,000 bytes), so the bytes transferred are
what a visitor's browser receives from either; the bodies' decoded size is shown too.

    python -m benchmarks.spa_cold_load                 # starts its own local stack, as the tests do
    python -m benchmarks.spa_cold_load --base-url http://127.0.0.1:4000   # measures a running `gather dev`
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gzip
import statistics
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from playwright.async_api import Browser, async_playwright

from dev_support.chromium import CHROMIUM, CHROMIUM_ARGS

BUDGET_BYTES = 100 * 1024
SPA_READY = ".event-list article"
BLANK_READY = "#ready"
BLANK_PAGE = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title>'
    b'<link rel="icon" href="data:,"></head><body><p id="ready">Blank page</p></body></html>'
)
RECORD_READY = """(selector) => {
  const check = () => {
    if (window.__ready === undefined && document.querySelector(selector)) window.__ready = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}"""


@dataclass
class Load:
    url: str
    bytes_transferred: int
    ms_to_ready: float
    body_bytes: int = 0
    gzip_bytes: int = 0
    by_url: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.by_url)


async def cold_load(browser: Browser, url: str, ready_selector: str) -> Load:
    """One cold load in a fresh context; bytes per URL as Chromium received them."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        await context.add_init_script(f"({RECORD_READY})({ready_selector!r})")
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        urls: dict[str, str] = {}
        received: dict[str, int] = {}

        def on_request(event: dict[str, Any]) -> None:
            urls[event["requestId"]] = event["request"]["url"]

        def on_finished(event: dict[str, Any]) -> None:
            received[event["requestId"]] = int(event["encodedDataLength"])

        cdp.on("Network.requestWillBeSent", on_request)
        cdp.on("Network.loadingFinished", on_finished)
        await cdp.send("Network.enable")
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        await page.goto(url, wait_until="networkidle")
        await page.wait_for_selector(ready_selector)
        ms_to_ready = float(await page.evaluate("window.__ready"))
        by_url: dict[str, int] = {}
        body_bytes = gzip_bytes = 0
        for request_id, size in received.items():
            key = urls.get(request_id, request_id)
            by_url[key] = by_url.get(key, 0) + size
            body = await cdp.send("Network.getResponseBody", {"requestId": request_id})
            raw = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
            body_bytes += len(raw)
            gzip_bytes += len(gzip.compress(raw, compresslevel=6))
        return Load(
            url=url,
            bytes_transferred=sum(by_url.values()),
            ms_to_ready=ms_to_ready,
            body_bytes=body_bytes,
            gzip_bytes=gzip_bytes,
            by_url=by_url,
        )
    finally:
        await context.close()


@contextmanager
def blank_page_server() -> Iterator[str]:
    """A trivial page from a local server, so the baseline pays for a real HTTP round trip too."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(BLANK_PAGE)))
            self.end_headers()
            self.wfile.write(BLANK_PAGE)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


async def measure(base_url: str, runs: int) -> tuple[list[Load], list[Load]]:
    """Alternates blank and SPA loads in one browser, after one unmeasured warm-up of each."""
    spa_url = base_url.rstrip("/") + "/"
    blanks: list[Load] = []
    spas: list[Load] = []
    with blank_page_server() as blank_url:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                await cold_load(browser, blank_url, BLANK_READY)
                await cold_load(browser, spa_url, SPA_READY)
                for _ in range(runs):
                    blanks.append(await cold_load(browser, blank_url, BLANK_READY))
                    spas.append(await cold_load(browser, spa_url, SPA_READY))
            finally:
                await browser.close()
    return blanks, spas


def report(blanks: list[Load], spas: list[Load]) -> None:
    from benchmarks.common import figure, heading, median

    blank_bytes = median([load.bytes_transferred for load in blanks])
    spa_bytes = median([load.bytes_transferred for load in spas])
    blank_ms = median([load.ms_to_ready for load in blanks])
    spa_ms = median([load.ms_to_ready for load in spas])
    last = spas[-1]
    heading(
        f"SPA cold load, median of {len(spas)} fresh contexts in one Chromium  "
        f"[target: <= {BUDGET_BYTES // 1024} KB transferred: HTML, JS, CSS, config.json, first API answer]"
    )
    figure("bytes transferred: SPA until first event / blank page", f"{spa_bytes:,.0f} / {blank_bytes:,.0f}")
    figure("  ratio to the blank page", f"{spa_bytes / blank_bytes:.1f}x")
    figure("ms to first event rendered / to the blank page's text", f"{spa_ms:.0f} / {blank_ms:.0f}")
    figure("  ratio to the blank page", f"{spa_ms / blank_ms:.1f}x")
    verdict = "within budget" if spa_bytes <= BUDGET_BYTES else "OVER BUDGET"
    figure("SPA transfer against the budget", f"{spa_bytes / BUDGET_BYTES:.0%} of {BUDGET_BYTES:,}", verdict)
    figure("SPA bodies, decoded / gzipped", f"{last.body_bytes:,} / {last.gzip_bytes:,}")
    figure("SPA requests", f"{last.requests}")
    base = last.url.rstrip("/")
    for url, size in sorted(last.by_url.items(), key=lambda item: -item[1]):
        print(f"    {size:>8,}  {url.removeprefix(base) or '/'}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """`python -m benchmarks.spa_cold_load [--base-url URL] [--runs N]`; 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="a running stack (default: start one, as the tests do)")
    parser.add_argument("--runs", type=int, default=5, help="measured loads of each page (default 5)")
    # Run by `python -m benchmarks` (whose command line is not ours), take the defaults.
    args = parser.parse_args([] if argv is None and __name__ != "__main__" else argv)
    if args.base_url:
        blanks, spas = asyncio.run(measure(args.base_url, args.runs))
    else:
        import benchmarks.common  # noqa: F401 - fake AWS credentials for DynamoDB Local
        from local_stack.stack import StackOptions, running_stack

        with running_stack(StackOptions(port=0, data_dir=None, table_name="bench-spa")) as stack:
            blanks, spas = asyncio.run(measure(stack.base_url, args.runs))
    report(blanks, spas)
    return 0 if statistics.median(load.bytes_transferred for load in spas) <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
