"""Services and rules: the parts use cases are made of.

Each module owns one concern — routing a task, the audit chain, the ballot box, eligibility,
documents on disk, mail in the outbox — and works inside the caller's transaction without
committing it. Services import models, the engine, the rendering and each other; never a use case.
"""
