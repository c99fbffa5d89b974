"""Gather's Lambda resolvers: the one handler AppSync (and the local mirror) invokes for every field."""
