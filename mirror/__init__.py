"""A local AppSync: Strawberry serves schema.graphql and every field runs the real Lambda handler."""
