"""Administration: user accounts, member units, the award catalogue and process versions.

Only users holding the ``admin`` role may call these functions. Every change is one transaction
with one audit event naming the administrator. Nothing is deleted: users and units are
deactivated, so the trail of who did what, in which unit, stays readable.
"""

import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from workflows.db import db
from workflows.engine import compile_process
from workflows.engine.lint import Problem, validate_files
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    ApiToken,
    AuthorityRole,
    AwardType,
    Nomination,
    ProcessDefinition,
    ProcessInstance,
    Unit,
    User,
)
from workflows.models.people import ROLES, UNIT_ROLES, UserRole
from workflows.services import audit, authorities, instances, reference, throttle
from workflows.services.documents import DOCUMENT_KINDS
from workflows.services.transactions import use_case
from workflows.usecases import accounts, sessions

MIN_PASSWORD = 8
MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_SOURCE_FILES = 40
PROCESS_FILE = f"{instances.PROCESS_KEY}.bpmn"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_UNIT_CODE = re.compile(r"[A-Z0-9_]{1,32}")
_SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def require_admin(actor) -> None:
    """Refuse anyone who is not an active administrator."""
    if actor is None or not actor.active or not actor.has_role("admin"):
        raise NotAllowed("admin.only")


# -- users -------------------------------------------------------------------------------------

def users(actor, *, unit_code: str | None = None, role: str | None = None,
          active: bool | None = None) -> list[User]:
    """Every account, inactive ones included, narrowed by the filters given."""
    require_admin(actor)
    query = select(User).order_by(User.username)
    if unit_code:
        query = query.where(User.unit_id.in_(select(Unit.id).where(Unit.code == unit_code)))
    if role in authorities.LEGACY_ROLES:
        query = query.where(User.id.in_(select(AuthorityRole.user_id).where(
            AuthorityRole.role.in_(authorities.LEGACY_ROLES[role]))))
    elif role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        query = query.where(User.active.is_(active))
    return list(db.session.execute(query).scalars())


def account_roles(target: User) -> list[str]:
    """The roles the account's form sets: global and unit roles, and the bloc's (other authorities'
    are set on their own page)."""
    return accounts.account_roles(target)


def user(actor, username: str) -> User:
    require_admin(actor)
    found = accounts.find_user(username)
    if found is None:
        raise NotFound("user.not_found", username=username)
    return found


@use_case
def create_user(actor, *, username: str, password: str, roles, full_name: str | None = None,
                unit_code: str | None = None, email: str | None = None, hash_method: str = "scrypt") -> User:
    """Open an account; the rules of ``accounts.create_user`` apply, plus a valid e-mail and an active unit."""
    require_admin(actor)
    full_name, email, errors = (full_name or "").strip() or None, _clean_email(email), {}
    _check_person(errors, full_name or username, email)
    unit = reference.unit(unit_code) if unit_code else None
    if unit is not None and not unit.active:
        errors["unit"] = Reason("unit.inactive", code=unit_code)
    try:
        created = accounts.create_user(username, password, roles=roles, full_name=full_name, unit_code=unit_code,
                                       email=email, hash_method=hash_method)
    except InvalidData as refused:
        errors = {**errors, **refused.fields}
    except Conflict as taken:
        errors["username"] = taken.reason
    if errors:
        raise InvalidData("user.cannot_create", fields=errors)
    db.session.flush()
    audit.record("user_created", actor=actor, details={
        "username": created.username, "roles": sorted(created.roles), "unit": unit_code or None})
    db.session.commit()
    return created


@use_case
def update_user(actor, username: str, *, full_name: str, email: str | None, unit_code: str | None,
                roles, active: bool) -> User:
    """Change a user's name, e-mail, unit, roles and whether they may sign in.

    A deactivated user keeps their history and can no longer sign in; their sessions end and their
    API tokens are revoked. An administrator cannot deactivate themself or drop their own admin
    role, so the system always keeps an administrator.
    """
    target = user(actor, username)
    full_name, email, roles, errors = (full_name or "").strip(), _clean_email(email), sorted(set(roles)), {}
    _check_person(errors, full_name, email)
    _check_roles(errors, roles)
    unit = None
    if unit_code:
        unit = reference.unit(unit_code)
        if unit is None:
            errors["unit"] = Reason("unit.not_found", code=unit_code)
        elif not unit.active and unit.id != target.unit_id:
            errors["unit"] = Reason("unit.inactive", code=unit_code)
    elif set(roles) & UNIT_ROLES:
        errors["unit"] = Reason("user.unit_role_needs_unit")
    if target.id == actor.id and not active:
        errors["active"] = Reason("user.cannot_deactivate_self")
    if target.id == actor.id and "admin" not in roles:
        errors["role"] = Reason("user.cannot_drop_own_admin")
    if errors:
        raise InvalidData("user.cannot_change", fields=errors)
    before = _user_facts(target)
    target.full_name, target.email, target.unit, target.active = full_name, email, unit, active
    accounts.set_account_roles(target, roles)
    ended = 0
    if not active:
        ended = sessions.end_all(target, "deactivated")  # reactivating later must not revive them
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == target.id))
    changes = _changes(before, {**_user_facts(target), "roles": roles})
    if changes:
        audit.record("user_updated", actor=actor, details={"username": username, "changes": changes, **_ending(ended)})
    db.session.commit()
    return target


@use_case
def reset_password(actor, username: str, new_password: str, *, hash_method: str = "scrypt") -> None:
    """Set a new password for a user who lost theirs; their sessions, API tokens and the failures counted
    against the account go with the old one.

    The trail records that it happened, never the password.
    """
    target = user(actor, username)
    if not new_password or len(new_password) < MIN_PASSWORD:
        raise InvalidData("password.too_short", fields={"password": Reason("password.too_short", min=MIN_PASSWORD)},
                          min=MIN_PASSWORD)
    target.password_hash = generate_password_hash(new_password, method=hash_method)
    ended = sessions.end_all(target, "password_reset")
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == target.id))
    throttle.forgive(target.username)
    audit.record("password_reset", actor=actor, details={"username": username, **_ending(ended)})
    db.session.commit()


def _ending(sessions_ended: int) -> dict:
    """For the trail: how many sessions a change ended, when it ended any."""
    return {"sessions_ended": sessions_ended} if sessions_ended else {}


def _clean_email(email: str | None) -> str | None:
    return (email or "").strip() or None


def _check_person(errors: dict, full_name: str | None, email: str | None) -> None:
    if not full_name or len(full_name) > 200:
        errors["full_name"] = Reason("user.bad_full_name", max=200)
    if email is not None and (len(email) > 200 or not _EMAIL.fullmatch(email)):
        errors["email"] = Reason("user.bad_email")


def _check_roles(errors: dict, roles: list[str]) -> None:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        errors["role"] = Reason("user.unknown_roles", roles=unknown, known=list(ROLES))
    elif not roles:
        errors["role"] = Reason("user.no_role")


def _user_facts(target: User) -> dict:
    return {"full_name": target.full_name, "email": target.email, "unit": target.unit.code if target.unit else None,
            "roles": accounts.account_roles(target), "active": target.active}


def _changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ."""
    return {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}


# -- units -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    users: int  # active members
    nominations: int


def units(actor) -> list[UnitSummary]:
    """Every unit, inactive ones included, with how many active users and nominations it has."""
    require_admin(actor)
    members = dict(db.session.execute(select(User.unit_id, func.count()).where(User.active.is_(True))
                                      .group_by(User.unit_id)).all())
    nominated = dict(db.session.execute(select(Nomination.unit_id, func.count()).group_by(Nomination.unit_id)).all())
    rows = db.session.execute(select(Unit).order_by(Unit.code)).scalars()
    return [UnitSummary(u, members.get(u.id, 0), nominated.get(u.id, 0)) for u in rows]


def unit(actor, code: str) -> Unit:
    require_admin(actor)
    found = reference.unit(code)
    if found is None:
        raise NotFound("unit.not_found", code=code)
    return found


@use_case
def create_unit(actor, *, code: str, name: str, name_vi: str = "") -> Unit:
    """Add a member unit; its code is permanent, as nominations and the trail refer to it."""
    require_admin(actor)
    code, errors = (code or "").strip().upper(), {}
    if not _UNIT_CODE.fullmatch(code):
        errors["code"] = Reason("unit.bad_code")
    elif reference.unit(code) is not None:
        errors["code"] = Reason("unit.exists", code=code)
    name, name_vi = _check_names(errors, name, name_vi)
    if errors:
        raise InvalidData("unit.cannot_create", fields=errors)
    created = Unit(code=code, name=name, name_vi=name_vi, active=True)
    db.session.add(created)
    audit.record("unit_created", actor=actor, details={"code": code, "name": name, "name_vi": name_vi})
    db.session.commit()
    return created


@use_case
def update_unit(actor, code: str, *, name: str, name_vi: str = "") -> Unit:
    """Rename a unit in either language."""
    target, errors = unit(actor, code), {}
    name, name_vi = _check_names(errors, name, name_vi)
    if errors:
        raise InvalidData("unit.cannot_change", fields=errors)
    changes = _changes({"name": target.name, "name_vi": target.name_vi}, {"name": name, "name_vi": name_vi})
    target.name, target.name_vi = name, name_vi
    if changes:
        audit.record("unit_updated", actor=actor, details={"code": code, "changes": changes})
    db.session.commit()
    return target


@use_case
def set_unit_active(actor, code: str, active: bool) -> Unit:
    """Open or close a unit to new members and new nominations; its users and nominations stay as they are."""
    target = unit(actor, code)
    if target.active != active:
        target.active = active
        audit.record("unit_activated" if active else "unit_deactivated", actor=actor, details={"code": code})
    db.session.commit()
    return target


def _check_names(errors: dict, name: str, name_vi: str) -> tuple[str, str]:
    name, name_vi = (name or "").strip(), (name_vi or "").strip()
    if not name or len(name) > 200:
        errors["name"] = Reason("field.name_needed", max=200)
    if len(name_vi) > 200:
        errors["name_vi"] = Reason("field.too_long", max=200)
    return name, name_vi


# -- award types -------------------------------------------------------------------------------

def award_types(actor) -> list[AwardType]:
    """The whole catalogue, inactive awards included."""
    require_admin(actor)
    return list(db.session.execute(select(AwardType).order_by(AwardType.id)).scalars())


def award_type(actor, code: str) -> AwardType:
    require_admin(actor)
    found = reference.award_type(code)
    if found is None:
        raise NotFound("award_type.not_found", code=code)
    return found


@use_case
def update_award_type(actor, code: str, *, name: str, name_vi: str, required_documents, active: bool) -> AwardType:
    """Rename an award, choose the documents its dossier needs, open or close it to new nominations.

    Running nominations see the new checklist at their next dossier check.
    """
    target, errors = award_type(actor, code), {}
    name, name_vi = _check_names(errors, name, name_vi)
    chosen = set(required_documents)
    unknown = sorted(chosen - set(DOCUMENT_KINDS))
    if unknown:
        errors["required_documents"] = Reason("document.unknown_kinds", document_kinds=unknown,
                                              known=list(DOCUMENT_KINDS))
    if errors:
        raise InvalidData("award_type.cannot_change", fields=errors)
    documents = [kind for kind in DOCUMENT_KINDS if kind in chosen]
    after = {"name": name, "name_vi": name_vi, "required_documents": documents, "active": active}
    changes = _changes({key: getattr(target, key) for key in after}, after)
    target.name, target.name_vi, target.required_documents, target.active = name, name_vi, documents, active
    if changes:
        audit.record("award_type_updated", actor=actor, details={"code": code, "changes": changes})
    db.session.commit()
    return target


# -- process versions --------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionSummary:
    version: int
    sha256: str
    created_at: datetime
    instances: int  # nominations started on this version
    current: bool  # the version new nominations start on


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


class DiagramProblems(InvalidData):
    """The uploaded files have problems and nothing was stored; ``problems`` says what and where."""

    def __init__(self, problems: list[Problem]):
        super().__init__("process.files_have_problems", count=len(problems))
        self.problems = problems


def process_versions(actor) -> list[VersionSummary]:
    """The stored versions of the nomination process, newest first."""
    require_admin(actor)
    counts = dict(db.session.execute(select(ProcessInstance.definition_id, func.count())
                                     .group_by(ProcessInstance.definition_id)).all())
    rows = db.session.execute(select(ProcessDefinition.id, ProcessDefinition.version, ProcessDefinition.sha256,
                                     ProcessDefinition.created_at)
                              .where(ProcessDefinition.key == instances.PROCESS_KEY)
                              .order_by(ProcessDefinition.version.desc())).all()
    return [VersionSummary(r.version, r.sha256, r.created_at, counts.get(r.id, 0), i == 0)
            for i, r in enumerate(rows)]


@use_case
def publish_process(actor, *, diagram: Upload | None, decision_tables=(), task_forms=()) -> tuple[
        ProcessDefinition, bool]:
    """Check uploaded files together with the newest version's other files and store them as the next version.

    Files not uploaded are taken from the newest version. On any problem nothing is stored and
    ``DiagramProblems`` lists them; files identical to the newest version store nothing either
    (the second value is False). Running nominations stay on the version they started on.
    """
    require_admin(actor)
    sources = combined_sources(diagram, list(decision_tables), list(task_forms))
    problems = check_sources(sources)
    if problems:
        raise DiagramProblems(problems)
    definition, created = deploy_sources(actor, sources)
    db.session.commit()
    return definition, created


def combined_sources(diagram: Upload | None, decision_tables: list[Upload], task_forms: list[Upload]) -> dict:
    """The newest version's files with the uploads put in place; refuses files that are not small UTF-8 text."""
    uploads, errors = {}, {}
    for field, suffix, files in (("diagram", ".bpmn", [diagram] if diagram else []),
                                 ("decision_tables", ".dmn", decision_tables), ("task_forms", ".json", task_forms)):
        for upload in files:
            name = os.path.basename((upload.filename or "").replace("\\", "/"))
            if name.lower().endswith(suffix):  # the engine and the forms look for lower-case extensions
                name = name[:-len(suffix)] + suffix
            if not name.endswith(suffix) or not _SOURCE_NAME.fullmatch(name):
                errors[field] = Reason("process.bad_file_name", filename=name, suffix=suffix)
            elif len(upload.data) > MAX_SOURCE_BYTES:
                errors[field] = Reason("process.file_too_large", filename=name,
                                       megabytes=MAX_SOURCE_BYTES // (1024 * 1024))
            else:
                key = PROCESS_FILE if suffix == ".bpmn" else f"forms/{name}" if suffix == ".json" else name
                try:
                    uploads[key] = upload.data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    errors[field] = Reason("process.file_not_utf8", filename=name)
    if not uploads and not errors:
        errors["diagram"] = Reason("process.no_files")
    if len(uploads) > MAX_SOURCE_FILES:
        errors["task_forms"] = Reason("process.too_many_files", max=MAX_SOURCE_FILES)
    if errors:
        raise InvalidData("process.files_refused", fields=errors)
    newest = instances.latest_definition()
    return {**(dict(newest.sources) if newest is not None else {}), **uploads}


def check_sources(sources: dict[str, str]) -> list[Problem]:
    """Lint the files as they would be deployed; problems name files relative to the process folder."""
    if PROCESS_FILE not in sources:
        return [Problem(PROCESS_FILE, None, None, "process.diagram_missing")]
    with tempfile.TemporaryDirectory(prefix="laurel-process-") as folder:
        for name, text in sources.items():
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        paths = [os.path.join(folder, name) for name in sources if name.endswith((".bpmn", ".dmn"))]
        problems = [replace(p, file=os.path.relpath(p.file, folder)) for p in validate_files(paths)]
    return problems + [p for p in _form_problems(sources) if p.file not in {q.file for q in problems}]


def _form_problems(sources: dict[str, str]) -> list[Problem]:
    """Every form must be JSON, even one no task names yet: the forms of a version are read together."""
    problems = []
    for name, text in sources.items():
        if name.startswith("forms/"):
            try:
                json.loads(text)
            except json.JSONDecodeError as error:
                problems.append(Problem(name, error.lineno, None, "lint.form_not_json", {"detail": error.msg}))
            except RecursionError:  # nested deeper than the parser recurses; no form nests past 4
                problems.append(Problem(name, None, None, "lint.form_not_json", {"detail": "nested too deep"}))
    return problems


def deploy_sources(actor, sources: dict[str, str]) -> tuple[ProcessDefinition, bool]:
    """Store the files as the next version of the nomination process, in the caller's transaction.

    Files identical to the newest version store nothing (the second value is False); files the
    engine cannot compile raise ``DiagramProblems``.
    """
    try:
        compiled = compile_process(instances.PROCESS_KEY, sources)
    except Exception as error:  # the parser's own failures; check_sources finds most of them first
        raise DiagramProblems([Problem(PROCESS_FILE, None, None, "process.cannot_compile",
                                       {"detail": str(error)})]) from error
    return instances.store_version(compiled, actor=actor)
