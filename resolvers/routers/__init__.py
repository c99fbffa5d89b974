"""One powertools Router per area of the API; each resolver is a thin call into ``resolvers.logic``."""
