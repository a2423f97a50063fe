"""The domain of emulation and commendation work: engine, routing, persistence and audit.

Importing this package has no side effects; nothing here knows about HTTP.
"""
