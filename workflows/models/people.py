"""Units, users, their roles, their API tokens and browser sessions, and the sign-in throttle's counters."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow

ROLES = (
    "unit_clerk", "unit_head", "secretariat", "reviewer", "council_member", "council_chair",
    "auditor", "admin",
)
# Roles whose work is bounded by the user's own unit.
UNIT_ROLES = frozenset({"unit_clerk", "unit_head"})
# Roles held everywhere; the others are held within an authority (workflows/models/authorities.py).
GLOBAL_ROLES = frozenset({"auditor", "admin"})
# The diagram's role a role within an authority acts as: the office does the secretariat's steps,
# the head signs (the diagram's chair lane). The council's chair presides; signing is the head's.
ACTS_AS = {"office": "secretariat", "reviewer": "reviewer", "council_member": "council_member",
           "head": "council_chair"}


class Unit(db.Model):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_vi: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))  # None: follow the browser
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="user")
    authority_roles: Mapped[list["AuthorityRole"]] = relationship(  # noqa: F821
        "AuthorityRole", cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[str]:
        """Global and unit roles, and the diagram roles the user acts as in some authority."""
        return frozenset(r.role for r in self.role_rows) | frozenset(
            ACTS_AS[r.role] for r in self.authority_roles if r.role in ACTS_AS)

    @property
    def grants(self) -> frozenset[tuple[str, int]]:
        """(diagram role, authority id) for every step the user may take within an authority."""
        return frozenset((ACTS_AS[r.role], r.authority_id) for r in self.authority_roles if r.role in ACTS_AS)

    @property
    def authority_ids(self) -> frozenset[int]:
        """The authorities the user holds any role in."""
        return frozenset(r.authority_id for r in self.authority_roles)

    def acts_as(self, role: str, authority_id: int | None) -> bool:
        """Whether the user may take a step of the diagram's ``role`` within the authority."""
        return (role, authority_id) in self.grants

    def holds(self, role: str, authority_id: int | None) -> bool:
        """Whether the user holds ``role`` (a role within an authority) in that authority."""
        return any(r.role == role and r.authority_id == authority_id for r in self.authority_roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(db.Model):
    """A bearer token; only its sha256 is stored, so a database leak leaks no usable token."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class UserSession(db.Model):
    """A browser session kept on the server; the cookie holds only its random token, stored here as a sha256.

    It ends (``ended_at`` and ``end_reason`` set) at sign-out, when the password changes, when the
    user is deactivated, or when found idle or too old; an ended session is never resumed.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(64))  # the client's address at sign-in
    device: Mapped[str | None] = mapped_column(String(100))  # browser and system, for the user to recognise it

    user: Mapped[User] = relationship(lazy="joined")


class SignInCounter(db.Model):
    """Recent password attempts for one account, one source address, or one account from one source.

    ``scope`` says which: "account" (``source`` is ""), "source" (``username`` is "") or "pair".
    ``next_at`` is the earliest moment the next attempt is checked; ``last_success_at`` (pairs only)
    marks a source the account signed in from, which the account's and the source's delays spare.
    """

    __tablename__ = "sign_in_counter"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None]
    next_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
