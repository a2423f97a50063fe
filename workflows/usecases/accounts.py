"""Users, passwords and API tokens; every password check goes through the sign-in throttle."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotAuthenticated, Reason
from workflows.models import ApiToken, Unit, User, UserRole
from workflows.models.people import ROLES, UNIT_ROLES
from workflows.services import audit, authorities, throttle
from workflows.usecases import sessions

TOKEN_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8
# How long a re-entered password covers the signatures of one batch.
CONFIRMATION_LIFETIME = timedelta(minutes=5)
# Compared against when the username is unknown, so that both paths cost one hash check.
_DUMMY_HASH = generate_password_hash("not a password")


def create_user(username: str, password: str, *, roles, full_name: str | None = None,
                unit_code: str | None = None, email: str | None = None,
                hash_method: str = "scrypt", authority=None, allow_no_role: bool = False) -> User:
    """Create an active user; unit roles need a unit, bloc-wide roles need none."""
    roles = sorted(set(roles))
    errors = {}
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").isalnum():
        errors["username"] = Reason("user.bad_username")
    if not password or len(password) < MIN_PASSWORD:
        errors["password"] = Reason("password.too_short", min=MIN_PASSWORD)
    unknown = [r for r in roles if r not in ROLES]
    if (not roles and not allow_no_role) or unknown:
        errors["role"] = Reason("user.unknown_roles", roles=unknown, known=list(ROLES)) if unknown \
            else Reason("user.no_role")
    unit = None
    if unit_code:
        unit = db.session.execute(select(Unit).where(Unit.code == unit_code)).scalar_one_or_none()
        if unit is None:
            errors["unit"] = Reason("unit.not_found", code=unit_code)
    elif set(roles) & UNIT_ROLES:
        errors["unit"] = Reason("user.unit_role_needs_unit")
    if errors:
        raise InvalidData("user.cannot_create", fields=errors)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise Conflict("user.exists", username=username)
    user = User(username=username, full_name=full_name or username, email=email, unit=unit,
                password_hash=generate_password_hash(password, method=hash_method))
    user.role_rows = [UserRole(role=r) for r in roles if r not in authorities.LEGACY_ROLES]
    # The secretariat, reviewers, council and chair are roles within an authority: the bloc's, as
    # every such account was before authorities; other authorities' roles are given on their page.
    user.authority_roles = []
    authorities.grant_legacy(user, [r for r in roles if r in authorities.LEGACY_ROLES], authority)
    db.session.add(user)
    return user


def account_roles(user: User) -> list[str]:
    """The roles an account's form shows and sets: global and unit roles, and those held in the bloc."""
    bloc = authorities.bloc()
    return sorted({r.role for r in user.role_rows} | authorities.legacy_roles_in(user, bloc.id))


def set_account_roles(user: User, roles) -> None:
    """Set the global and unit roles and the bloc's roles; roles within other authorities stay."""
    roles = set(roles)
    kept = [row for row in user.role_rows if row.role in roles]
    user.role_rows = kept + [UserRole(role=r) for r in sorted(roles - {row.role for row in kept})
                             if r not in authorities.LEGACY_ROLES]
    authorities.set_legacy_roles(user, roles & set(authorities.LEGACY_ROLES))


def authenticate(username: str, password: str) -> User | None:
    """The active user with this password, or None (the same answer for every failure)."""
    user = find_user(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def find_user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def sign_in(username: str, password: str, *, channel: str) -> User:
    """Check a password for a person signing in, audited, with guessing slowed down.

    The attempt is counted by ``throttle`` before the password is checked; a throttled attempt
    raises TooManyAttempts (with the seconds to wait) and checks nothing.
    """
    username = (username or "")[:64]
    attempt = throttle.admit(username)
    user = authenticate(username, password)
    if user is None:
        audit.record("sign_in_failed", details=_attempt_details(attempt, channel, username=username))
        db.session.commit()
        raise NotAuthenticated("sign_in.failed")
    throttle.succeeded(attempt)
    audit.record("signed_in", actor=user, details=_attempt_details(attempt, channel))
    db.session.commit()
    return user


def _attempt_details(attempt: throttle.Attempt, channel: str, **more) -> dict:
    details = {**more, "channel": channel, "source": attempt.source}
    if attempt.wait:
        details["wait"] = attempt.wait  # the seconds the next attempt from there must wait
    return details


@dataclass(frozen=True)
class PasswordConfirmation:
    """Proof, inside one request, that ``user_id`` has just re-entered their password.

    Only ``confirm_password`` makes one; a batch of signatures checks the password once and
    hands this to each item instead of the password itself.
    """

    user_id: int
    at: datetime

    def covers(self, user) -> bool:
        return self.user_id == user.id and utcnow() - self.at <= CONFIRMATION_LIFETIME


def confirm_password(user: User, password, *, purpose: str, field: str = "password") -> PasswordConfirmation:
    """Check the password of someone already signed in who is about to sign (re-authentication).

    Throttled and counted like a sign-in. The attempt's bookkeeping is committed at once (so the
    caller's rollback keeps a failure): call this before writing anything. Raises InvalidData
    naming ``field``, or TooManyAttempts. The password is never recorded.
    """
    if not isinstance(password, str) or not password:
        raise InvalidData("signature.password_needed", fields={field: Reason("field.required")})
    _check_password(user, password, channel=purpose, field=field, code="signature.wrong_password")
    return PasswordConfirmation(user.id, utcnow())


def _check_password(user: User, password: str, *, channel: str, field: str, code: str) -> None:
    """A signed-in user's password, checked through the throttle; the outcome is committed at once."""
    attempt = throttle.admit(user.username)
    if not check_password_hash(user.password_hash, password) or not user.active:
        audit.record("sign_in_failed", actor=user, details=_attempt_details(attempt, channel, username=user.username))
        db.session.commit()
        raise InvalidData(code, fields={field: Reason("password.wrong")})
    throttle.succeeded(attempt)
    db.session.commit()


def issue_token(username: str, password: str) -> str:
    """Sign in for the API: a fresh bearer token."""
    user = sign_in(username, password, channel="api")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + TOKEN_LIFETIME))
    db.session.commit()
    return token


def change_password(user: User, current: str, new: str, *, hash_method: str = "scrypt") -> None:
    """Replace the user's password after checking the current one.

    Whoever knew the old password may still hold a session or a token: every session of the
    user ends here, the caller's own included (it starts a fresh one), and every token. The
    current password is checked through the throttle, like a sign-in.
    """
    if not new or len(new) < MIN_PASSWORD:
        raise InvalidData("password.too_short", fields={"new_password": Reason("password.too_short", min=MIN_PASSWORD)},
                          min=MIN_PASSWORD)
    _check_password(user, current or "", channel="password_change", field="current_password",
                    code="password.current_wrong")
    user.password_hash = generate_password_hash(new, method=hash_method)
    ended = sessions.end_all(user, "password_changed")
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    audit.record("password_changed", actor=user, details={"sessions_ended": ended} if ended else {})
    db.session.commit()


def set_locale(user: User, locale: str | None) -> None:
    user.locale = locale
    db.session.commit()


def user_for_token(token: str) -> User | None:
    """The active user owning an unexpired token."""
    # The user's roles come in the same statement: every API request needs them.
    row = db.session.execute(_TOKEN, {"token_hash": _digest(token)}).unique().scalar_one_or_none()
    if row is None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row.user


# Built once: every API request runs it. The user's roles, and those held within authorities, come
# in the same statement (a user holds a handful of each, so the join stays small).
_TOKEN = (select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
          .options(joinedload(ApiToken.user).joinedload(User.role_rows),
                   joinedload(ApiToken.user).joinedload(User.authority_roles)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def units() -> list[Unit]:
    return list(db.session.execute(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).scalars())


def purge_sign_in_counters() -> None:
    """Housekeeping: forget throttle counters nobody needs any more."""
    throttle.purge()
