"""The SPA's files as CloudFront serves them: static, CSP-clean, no CDN, within the size budget."""

from __future__ import annotations

import gzip
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mirror.app import CLOUDFRONT_MIN_COMPRESSED

SPA = Path(__file__).resolve().parents[2] / "single_page_app"
SOURCES = sorted(path for path in SPA.rglob("*") if path.is_file())
TEXT_SOURCES = [path for path in SOURCES if path.suffix in {".html", ".js", ".css", ".svg"}]
BUDGET = 100 * 1024
"""The whole cold load (files, config.json and the first API answer) must stay below this."""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _index_tags() -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed((SPA / "index.html").read_text())
    return parser.tags


def test_only_static_files_without_a_build_step() -> None:
    assert {path.suffix for path in SOURCES} <= {".html", ".js", ".css", ".svg", ".txt"}
    assert [path.name for path in SOURCES if path.suffix == ".txt"] == ["robots.txt"]
    assert len([path for path in SOURCES if path.suffix == ".css"]) == 1, "one stylesheet"
    assert not (SPA / "package.json").exists()


def test_index_has_no_inline_script_or_style_and_absolute_asset_urls() -> None:
    """CloudFront's CSP refuses inline code, and /events/<id> is index.html too, so assets need absolute URLs."""
    tags = _index_tags()
    for tag, attrs in tags:
        assert "style" not in attrs, f"inline style on <{tag}>"
        assert not any(name.startswith("on") for name in attrs), f"inline handler on <{tag}>"
        for name in ("src", "href"):
            url = attrs.get(name)
            if url and tag in {"script", "link"}:
                assert url.startswith("/"), f"<{tag} {name}={url}> must be absolute"
                assert not url.startswith("//"), f"<{tag} {name}={url}> names another host"
    assert [attrs.get("src") for tag, attrs in tags if tag == "script"] == ["/app.js"]
    assert "<style" not in (SPA / "index.html").read_text()


STATIC_IMPORT = re.compile(r"^import\s[^'\"]*['\"](\.{1,2}/[^'\"]+)['\"]", re.MULTILINE)
DYNAMIC_IMPORT = re.compile(r"\bimport\(\s*['\"](\.{1,2}/[^'\"]+)['\"]\s*\)")


def _static_graph(entry: str) -> set[str]:
    """Every module `entry` imports statically, directly or not, as absolute paths ("/auth.js")."""
    seen: set[str] = set()
    pending = [entry]
    while pending:
        module = pending.pop()
        text = (SPA / module.lstrip("/")).read_text()
        for relative in STATIC_IMPORT.findall(text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(module), relative))
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def test_modules_of_the_first_render_are_preloaded() -> None:
    """Without modulepreload the browser discovers imports one level at a time. The landing page's view is
    preloaded too; the other views (and what only they import) load when first needed."""
    preloaded = {attrs.get("href") for tag, attrs in _index_tags() if attrs.get("rel") == "modulepreload"}
    assert preloaded == _static_graph("/app.js") | {"/views/list.js"} | _static_graph("/views/list.js")
    lazy = {"/" + relative.removeprefix("./") for relative in DYNAMIC_IMPORT.findall((SPA / "app.js").read_text())}
    assert lazy == {"/views/list.js", "/views/event.js", "/views/form.js", "/views/profile.js"}
    # Live updates are the event page's alone: its WebSocket client is not part of the cold load.
    assert "/realtime.js" in _static_graph("/views/event.js")
    assert "/realtime.js" not in preloaded
    modules = {"/" + path.relative_to(SPA).as_posix() for path in SOURCES if path.suffix == ".js"}
    reachable = _static_graph("/app.js") | {"/app.js"}
    for view in lazy:
        reachable |= {view} | _static_graph(view)
    assert reachable == modules, f"modules nothing imports: {modules - reachable}"


@pytest.mark.parametrize("path", TEXT_SOURCES, ids=lambda path: path.relative_to(SPA).as_posix())
def test_no_csp_breakers_and_no_other_hosts(path: Path) -> None:
    text = path.read_text()
    for pattern in (r"\binnerHTML\b", r"\bouterHTML\b", r"insertAdjacentHTML", r"\beval\(", r"new Function\("):
        assert not re.search(pattern, text), f"{pattern} in {path.name}"
    assert not re.search(r"\.style\b|setAttribute\(\s*['\"]style", text), f"inline style set in {path.name}"
    urls = re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'\"]*", text)
    # Links a visitor may follow are not requests the page makes: the place on OpenStreetMap (issue 19).
    followed = ("http://www.w3.org/2000/svg", "https://www.openstreetmap.org/search?query=")
    assert [url for url in urls if not url.startswith(followed)] == [], f"another host in {path.name}"


def _sent_size(path: Path) -> int:
    """Bytes on the wire: gzipped from CLOUDFRONT_MIN_COMPRESSED up, as CloudFront and the mirror send them."""
    body = path.read_bytes()
    return len(gzip.compress(body, mtime=0)) if len(body) >= CLOUDFRONT_MIN_COMPRESSED else len(body)


def test_files_are_far_below_the_budget() -> None:
    """What the first render fetches (index.html and everything it names: styles, icon, preloaded modules) must leave
    room in the cold load's budget for config.json and the first API answer. The other views (and the event page's
    real-time client) load only when visited; a cold load straight onto any of them still fits in one budget.
    Counted as sent: compressed, as CloudFront and the mirror send them to browsers."""
    first = {SPA / "index.html"}
    for tag, attrs in _index_tags():
        url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" else None
        if url and url != "/config.json":
            first.add(SPA / url.lstrip("/"))
    cold = sum(_sent_size(path) for path in first)
    assert cold < BUDGET * 0.75, f"{cold} bytes of files leave too little of {BUDGET} for config and data"
    lazy = {"/" + relative.removeprefix("./") for relative in DYNAMIC_IMPORT.findall((SPA / "app.js").read_text())}
    for view in lazy:
        extra = {SPA / module.lstrip("/") for module in {view} | _static_graph(view)} - first
        total = cold + sum(_sent_size(path) for path in extra)
        assert total < BUDGET, f"{total} bytes of files for a cold load of {view}"
