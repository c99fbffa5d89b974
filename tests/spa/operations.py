"""Every GraphQL document the SPA sends, read by running its own operations.js in Node, checked against a schema."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, parse, validate

from tests.spa.modules import SPA_DIR, run_spa_script

COLLECT = """
const { createApi, live } = await import(spa + 'operations.js');
const documents = [];
let calling = null;
const api = createApi((query) => {
  documents.push({ name: calling, query });
  return Promise.resolve({});
});
for (const [name, call] of Object.entries(api)) {
  calling = name;
  await call();
}
for (const [name, subscribe] of Object.entries(live)) documents.push({ name, query: subscribe().query });
console.log(JSON.stringify(documents));
"""


def spa_documents(spa_dir: Path = SPA_DIR) -> dict[str, str]:
    """createApi's methods and the live subscriptions, each with the document it sends."""
    documents: list[dict[str, str]] = run_spa_script(COLLECT, spa_dir=spa_dir)
    return {document["name"]: document["query"] for document in documents}


def invalid_documents(schema: GraphQLSchema, spa_dir: Path = SPA_DIR) -> dict[str, list[GraphQLError]]:
    """The SPA's documents that the schema would refuse, with graphql-core's validation errors."""
    errors = {name: validate(schema, parse(query)) for name, query in spa_documents(spa_dir).items()}
    return {name: found for name, found in errors.items() if found}
