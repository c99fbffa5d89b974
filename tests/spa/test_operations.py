"""The SPA's GraphQL documents (operations.js) are valid against schema.graphql, as AppSync would validate them."""

from __future__ import annotations

import shutil
from pathlib import Path

from mirror.appsync_sdl import served_schema
from tests.spa.modules import SPA_DIR
from tests.spa.operations import invalid_documents, spa_documents


def test_every_document_the_spa_sends_is_valid() -> None:
    documents = spa_documents()
    assert {"listEvents", "getEvent", "commentOnEvent", "eventChanged", "commentAdded"} <= set(documents)
    assert invalid_documents(served_schema()) == {}


def test_a_field_the_schema_lacks_is_named(tmp_path: Path) -> None:
    spa = tmp_path / "single_page_app"
    shutil.copytree(SPA_DIR, spa)
    operations = spa / "operations.js"
    text = operations.read_text(encoding="utf-8")
    assert "attendeeCount hasSeat" in text
    operations.write_text(text.replace("attendeeCount hasSeat", "attendeeTotal hasSeat"), encoding="utf-8")
    refused = invalid_documents(served_schema(), spa)
    assert {"listEvents", "getEvent", "myRsvps"} <= set(refused)
    assert all("attendeeTotal" in error.message for errors in refused.values() for error in errors)
