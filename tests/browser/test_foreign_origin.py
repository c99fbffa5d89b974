"""A front end on another loopback origin (as a Vite dev server would be) queries the API and subscribes, in Chromium.

The page is served by a server of its own on another port, so every call it makes is cross-origin: the
API must answer CORS (its x-api-key and JSON body need a preflight) and the real-time endpoint must take a
foreign Origin, as AppSync does. The page speaks AppSync's protocol itself, with the key in the ``header``
query parameter.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from playwright.async_api import Browser, expect

from tests.browser.helpers import api, create_event, unique
from tests.conftest import RunningStack

COMMENT = """mutation($id: ID!, $c: String!) {
  commentOnEvent(eventId: $id, content: $c) { id eventId content author { displayName } }
}"""

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>Another front end</title>
<ul id="events"></ul>
<p id="state">connecting</p>
<ol id="comments"></ol>
<script type="module">
const config = %(config)s;
const response = await fetch(config.graphqlUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': config.apiKey },
  body: JSON.stringify({ query: '{ listEvents(limit: 100) { items { id title } } }' }),
});
for (const event of (await response.json()).data.listEvents.items) {
  document.querySelector('#events').append(Object.assign(document.createElement('li'), { textContent: event.title }));
}
const auth = { host: new URL(config.graphqlUrl).host, 'x-api-key': config.apiKey };
const socket = new WebSocket(`${config.realtimeUrl}?header=${btoa(JSON.stringify(auth))}&payload=e30=`, ['graphql-ws']);
socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
socket.onmessage = ({ data }) => {
  const message = JSON.parse(data);
  if (message.type === 'connection_ack') {
    const query = 'subscription($id: ID!) { onCommentAdded(eventId: $id) { __typename content } }';
    const data = JSON.stringify({ query, variables: { id: config.eventId } });
    const payload = { data, extensions: { authorization: auth } };
    socket.send(JSON.stringify({ id: 'comments', type: 'start', payload }));
  } else if (message.type === 'start_ack') {
    document.querySelector('#state').textContent = 'subscribed';
  } else if (message.type === 'data') {
    const comment = message.payload.data.onCommentAdded;
    const text = `${comment.__typename}: ${comment.content}`;
    document.querySelector('#comments').append(Object.assign(document.createElement('li'), { textContent: text }));
  }
};
</script>
"""


@pytest.fixture
def foreign_origin() -> Iterator[tuple[str, dict[str, str]]]:
    """A static server on its own loopback port; the test puts the page's configuration in the dict."""
    config: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (PAGE % {"config": json.dumps(config)}).encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", config
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


async def test_a_page_on_another_origin_queries_and_subscribes(
    browser: Browser, local_stack: RunningStack, foreign_origin: tuple[str, dict[str, str]]
) -> None:
    origin, config = foreign_origin
    stack = local_stack.stack
    assert urlparse(origin).port != urlparse(stack.base_url).port
    event = await create_event(local_stack)
    config.update(
        graphqlUrl=stack.graphql_url,
        realtimeUrl=stack.client_config()["realtimeUrl"],
        apiKey=stack.api_key,
        eventId=event["id"],
    )
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(origin)
        await expect(page.locator("#events li", has_text=event["title"])).to_have_count(1)
        await expect(page.locator("#state")).to_have_text("subscribed")
        text = unique("Cross-origin hello")
        await api(local_stack, COMMENT, {"id": event["id"], "c": text}, user="Wren")
        await expect(page.locator("#comments li")).to_have_text([f"Comment: {text}"])
    finally:
        await context.close()
