// A graphql-codegen plugin: `Operations`, each named operation's result and variables by its name, so that
// spa_types/spa.d.ts can type a request by the name its document gives (typescript-operations names the types).
const { Kind } = require('graphql');

const TYPE_SUFFIX = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };

module.exports = {
  plugin(_schema, documents) {
    const rows = documents
      .flatMap(({ document }) => document?.definitions ?? [])
      .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name)
      .map(({ name, operation }) => {
        const type = `${name.value}${TYPE_SUFFIX[operation]}`;
        return `  ${name.value}: { result: ${type}; variables: ${type}Variables };`;
      });
    return `\nexport interface Operations {\n${rows.join('\n')}\n}\n`;
  },
};
