"""Deciding authorities — the bloc, a member agency, a unit with legal status inside an agency —
and the roles people hold within them."""

from sqlalchemy import ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db

# A foreign key that closes a cycle between tables (a nomination names its list decision, the
# decision its nomination): created after both tables, and checked at commit, so that a backup's
# rows can be loaded table by table in either order.
CYCLE = {"use_alter": True, "deferrable": True, "initially": "DEFERRED"}

KINDS = ("bloc", "agency", "unit_with_legal_status")
# Roles held within an authority: its emulation office, its reviewers, its council, its head (who signs).
ROLES = ("office", "reviewer", "council_member", "council_chair", "head")


class Authority(db.Model):
    """An organisation that decides awards: its head signs, its council advises, its office runs the work.

    ``parent_id``: an agency's parent is the bloc it is a member of; a unit with legal status has
    its agency as parent. ``unit_id`` is the member agency the authority is (None for the bloc);
    ``collective_id`` the department that is a unit with legal status, whose staff it decides for.
    ``symbol`` ends its numbers: ``15/QĐ-VPTW``, ``3/TTr-VPTW``.
    """

    __tablename__ = "authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_vi: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    symbol: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class AuthorityRole(db.Model):
    """A role a user holds within one authority; one person may hold roles in several."""

    __tablename__ = "authority_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    authority: Mapped[Authority] = relationship(lazy="joined")


def bloc_id_default(context):
    """Rows made without an authority belong to the bloc (the authority everything had before)."""
    return context.connection.execute(
        text("SELECT id FROM authority WHERE kind = 'bloc' ORDER BY id LIMIT 1")).scalar()
