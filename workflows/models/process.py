"""Process definitions, instances, and the task index that answers every inbox query."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .people import User


class ProcessDefinition(db.Model):
    """One version of a process: its source files and the parsed spec, stored once."""

    __tablename__ = "process_definition"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_process_definition_key_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    sources: Mapped[dict] = mapped_column(JSON, deferred=True)  # large; only lint and forms read it
    spec_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessInstance(db.Model):
    """The serialized workflow, the truth about where a nomination stands.

    ``version`` is an optimistic lock: of two requests that loaded the same version, the
    second to save fails instead of silently overwriting the first.
    """

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    state: Mapped[str] = mapped_column(Text)
    finished: Mapped[bool] = mapped_column(default=False)
    next_timer_at: Mapped[datetime | None] = mapped_column(index=True)
    # The diagram elements that have run, kept with the state so that pages need not load the engine.
    steps_done: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    definition: Mapped[ProcessDefinition] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class IndexedTask(db.Model):
    """One human task, ready or done, written in the same transaction as its instance.

    Inboxes are plain queries on this table; no workflow is ever deserialized to list them.
    """

    __tablename__ = "task_index"
    __table_args__ = (
        # Covers the inbox: which tasks, and in what order, without touching the table.
        Index("ix_task_index_inbox", "state", "role", "unit_id", "authority_id", "assignee_id", "due_at",
              "created_at", "id"),
        Index("ix_task_index_assignee", "state", "assignee_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    # What the task is about: a nomination, a list proposal, or a council session (one of the three).
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("council_session.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The authority whose office, reviewers, council or head the task is for (None: a unit's task).
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    pooled: Mapped[bool] = mapped_column(default=False)  # may be claimed from / given back to the pool
    state: Mapped[str] = mapped_column(String(16), default="ready")  # ready, completed, cancelled
    form: Mapped[str | None] = mapped_column(String(64))
    secret: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])
