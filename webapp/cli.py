"""Command line: `flask --app webapp <command>`. Thin wrappers over the domain's use cases.

Every command exits non-zero with a one-line reason on bad input. What a command prints is
worded in the operator's language: LAUREL_LANG, else LANG (``vi…`` for Vietnamese), else English.
"""

import functools
import os

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from workflows import demo
from workflows.errors import WorkflowError
from workflows.models.people import ROLES
from workflows.services.registry.columns import KINDS as REGISTRY_KINDS
from workflows.usecases import accounts, backups, checkpoints, installation, integrity, mailing, sessions, timers
from workflows.usecases.registry import exporting, importing

from . import keys, mail, vocabulary
from .sheet_limits import sheet_limits
from .vocabulary.trail import CHAIN_PROBLEMS, CHECKPOINT_PROBLEMS


def operator_locale() -> str:
    """The language the operator reads, from the environment."""
    chosen = os.environ.get("LAUREL_LANG") or os.environ.get("LANG") or ""
    return "vi" if chosen.lower().startswith("vi") else "en"


def worded(command):
    """Run a command in the operator's language; a domain refusal becomes a one-line failure."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with force_locale(operator_locale()):
            try:
                return command(*args, **kwargs)
            except WorkflowError as error:
                raise click.ClickException(vocabulary.describe(error).full_message) from None

    return wrapper


def fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("init-db")
@with_appcontext
@worded
def init_db():
    """Create or upgrade the schema, load units and award types, deploy the process diagrams."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    try:
        prepared = installation.prepare(current_app.config["BPMN_FOLDER"])
    except WorkflowError as error:
        _refuse_deployment(error)
    process = _("deployed as a new version") if prepared.deployed else _("unchanged")
    click.echo(_("Database ready: %(units)s unit(s) and %(awards)s award type(s) added; process %(process)s.",
                 units=prepared.added["units"], awards=prepared.added["award_types"], process=process))


def _refuse_deployment(error: WorkflowError) -> None:
    fail(vocabulary.describe(error).message + " " + _("Run `bpmn validate` to list them."))


@click.command("seed-demo")
@with_appcontext
@worded
def seed_demo():
    """Add the demo users (password: the README's) and a few nominations at different steps."""
    seeded = demo.seed(current_app.config["UPLOAD_FOLDER"], hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    if seeded.registry is None:
        click.echo(_("Demo data already present; nothing added."))
        return
    click.echo(_("Added %(users)s demo users (password “%(password)s”) and %(nominations)s nominations; the demo "
                 "registry: %(records)s record(s) added.", users=seeded.users, password=seeded.password,
                 nominations=seeded.nominations, records=seeded.registry.records))


@click.group("users")
def users():
    """Manage user accounts."""


@users.command("create")
@click.argument("username")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--unit", "unit_code", help="Unit code; needed for unit_clerk and unit_head.")
@click.option("--role", "roles", multiple=True, required=True, help=f"Repeatable; one of {', '.join(ROLES)}.")
@click.option("--full-name", help="Shown to other officials.")
@click.option("--email")
@with_appcontext
@worded
def create_user(username, password, unit_code, roles, full_name, email):
    """Create USERNAME with one or more roles."""
    user = installation.create_user(username, password, roles=roles, unit_code=unit_code, full_name=full_name,
                                    email=email, hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    click.echo(_("Created %(username)s (%(roles)s).", username=user.username,
                 roles=", ".join(str(vocabulary.role_name(role)) for role in sorted(roles))))


@click.group("units")
def units():
    """The bloc's member units."""


@units.command("list")
@with_appcontext
@worded
def list_units():
    """Print code and name of each unit."""
    for unit in accounts.units():
        click.echo(f"{unit.code}\t{vocabulary.unit_name(unit)}")


@click.group("bpmn")
def bpmn():
    """Process diagrams."""


@bpmn.command("validate")
@click.argument("files", nargs=-1, type=click.Path())
@with_appcontext
@worded
def validate(files):
    """Check diagrams and decision tables (default: all in the bpmn folder); one line per problem."""
    paths = list(files) or installation.diagram_files(current_app.config["BPMN_FOLDER"])
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        fail(_("No such file: %(path)s", path=missing[0]))
    problems = installation.check_files(paths)
    for problem in problems:
        click.echo(f"{problem.where}: {vocabulary.word(problem.code, problem.params)}")
    if problems:
        raise SystemExit(1)
    click.echo(_("%(count)s file(s) valid.", count=len(paths)))


@bpmn.command("deploy")
@with_appcontext
@worded
def deploy():
    """Store the current diagrams as a new process version if they changed."""
    try:
        definition, deployed = installation.deploy(current_app.config["BPMN_FOLDER"])
    except WorkflowError as error:
        _refuse_deployment(error)
    if deployed:
        click.echo(_("Process %(key)s version %(version)s deployed.", key=definition.key, version=definition.version))
    else:
        click.echo(_("Process %(key)s version %(version)s is already the newest.", key=definition.key,
                     version=definition.version))


@click.group("audit")
def audit_group():
    """The audit trail."""


@audit_group.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(dir_okay=False),
              help="A checkpoint file: the chain must still hold that head exactly.")
@with_appcontext
@worded
def verify(checkpoint_file):
    """Recompute the hash chain; exit 1 naming the first event that does not match."""
    checkpoint = checkpoints.read(_read_text(checkpoint_file)) if checkpoint_file else None
    if checkpoint is not None:
        found = checkpoints.check(checkpoint)
        result = found.verification
    else:
        found, result = None, checkpoints.verify_chain()
    if not result.ok:
        click.echo(_("Audit chain broken at event %(seq)s: %(problem)s (%(count)s event(s) before it are intact).",
                     seq=result.first_bad_seq, problem=str(CHAIN_PROBLEMS.get(result.problem, result.problem)),
                     count=result.checked), err=True)
        raise SystemExit(1)
    click.echo(_("Audit chain intact: %(count)s event(s).", count=result.checked))
    if result.unkeyed:
        click.echo(_("%(count)s of them, written before the chain was keyed, were checked by their plain SHA-256.",
                     count=result.unkeyed))
    if found is not None:
        if not found.ok:
            click.echo(_("The checkpoint of event %(seq)s does not hold: %(problem)s.", seq=checkpoint.seq,
                         problem=str(CHECKPOINT_PROBLEMS.get(found.problem, found.problem))), err=True)
            raise SystemExit(1)
        click.echo(_("The chain still holds the checkpoint: event %(seq)s, hash %(hash)s.", seq=checkpoint.seq,
                     hash=checkpoint.hash))


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as source:
            return source.read(1024 * 1024)
    except (OSError, UnicodeDecodeError):
        fail(_("Cannot read %(path)s.", path=path))


@audit_group.command("checkpoint")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write the chain's head to; keep it away from the server.")
@with_appcontext
@worded
def checkpoint(output):
    """Write the chain's head (seq, hash, time, key) to a file and mail it to the auditors."""
    if os.path.isdir(output):
        fail(_("%(path)s is a folder; give a file name.", path=output))
    taken = checkpoints.take()
    point = taken.checkpoint
    with open(output, "w", encoding="utf-8") as out:
        out.write(point.text())
    click.echo(_("Checkpoint written to %(path)s: event %(seq)s, hash %(hash)s, key %(key)s.", path=output,
                 seq=point.seq, hash=point.hash, key=point.key_id or "-"))
    sent, failed = mailing.send_queued(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"],
                                         mail.render)
    click.echo(_("Notice queued for %(count)s auditor(s); outbox: %(sent)s message(s) sent, %(failed)s not sent "
                 "(kept for the next tick).", count=taken.notified, sent=sent, failed=failed))


@audit_group.command("rotate-key")
@with_appcontext
@worded
def rotate_key():
    """Add a new key to the key file; it seals new events, the old ones stay to verify older events."""
    if current_app.config.get("AUDIT_KEY"):
        fail(_("The keys come from AUDIT_KEY: append a new key to it (keys separated by commas, the last one "
               "seals) and restart; keep the old keys in it."))
    before = keys.current_keyring().current
    added = checkpoints.add_key(current_app.config["AUDIT_KEY_FILE"])
    keys.forget(current_app)
    checkpoints.record_rotation(before, added)
    click.echo(_("Key %(new)s now seals new events; key %(old)s stays in %(path)s to verify older ones. "
                 "Take a checkpoint now.", new=added, old=before, path=current_app.config["AUDIT_KEY_FILE"]))


@click.group("documents")
def documents_group():
    """The stored dossier documents."""


@documents_group.command("verify")
@with_appcontext
@worded
def documents_verify():
    """Read every stored document and compare it with the SHA-256 recorded at upload; exit 1 if any differ."""
    report = integrity.verify_all(current_app.config["UPLOAD_FOLDER"])
    for damage in report.damaged:
        problem = _("missing") if damage.problem == "missing" else _("altered")
        click.echo(_("Document %(id)s (%(file)s) of nomination %(nomination)s: %(problem)s.", id=damage.document_id,
                     file=damage.filename, nomination=damage.nomination_id, problem=problem), err=True)
    if report.damaged:
        click.echo(_("%(bad)s of %(count)s stored document(s) are damaged; they are not served.",
                     bad=len(report.damaged), count=report.checked), err=True)
        raise SystemExit(1)
    click.echo(_("All %(count)s stored document(s) are intact.", count=report.checked))


@click.group("backup")
def backup_group():
    """Back up and restore the database and the documents."""


@backup_group.command("create")
@click.option("--output", required=True, type=click.Path(file_okay=False),
              help="A new or empty folder to write the backup into.")
@with_appcontext
@worded
def backup_create(output):
    """Write every table and every stored document, with a sealed manifest, into a folder."""
    made = backups.create(output, current_app.config["UPLOAD_FOLDER"], revision=installation.schema_revision())
    backups.record_backup(made)
    for damaged in made.damaged:
        click.echo(_("Document %(id)s was not backed up: its stored file is %(problem)s.", id=damaged["document_id"],
                     problem=_("missing") if damaged["problem"] == "missing" else _("altered")), err=True)
    click.echo(_("Backup written to %(path)s: %(tables)s table(s), %(rows)s row(s), %(documents)s stored file(s); "
                 "audit chain up to event %(seq)s.", path=output, tables=made.tables, rows=made.rows,
                 documents=made.documents, seq=made.head.seq))


@backup_group.command("restore")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
@worded
def backup_restore(folder, force):
    """Check a backup, then load it into the database and the upload folder."""
    from flask_migrate import upgrade

    manifest = backups.check(folder)
    click.echo(_("Backup checked: every file matches its manifest."))
    directory = current_app.extensions["migrate"].directory

    def make_schema(revision):
        if revision is None:
            installation.create_tables()
        else:
            upgrade(directory=directory, revision=revision)

    restored = backups.restore(manifest, current_app.config["UPLOAD_FOLDER"], replace=force,
                               make_schema=make_schema, known_revision=_known_revision)
    if manifest.data.get("schema_revision") is not None:
        upgrade(directory=directory)
    backups.record_restore(manifest, restored)
    click.echo(_("Restored %(rows)s row(s) in %(tables)s table(s) and %(documents)s stored file(s); audit chain up "
                 "to event %(seq)s.", rows=restored.rows, tables=restored.tables, documents=restored.documents,
                 seq=restored.head.get("seq")))
    chain = checkpoints.verify_chain()
    report = integrity.verify_all(current_app.config["UPLOAD_FOLDER"])
    if not chain.ok or report.damaged:
        fail(_("Restored, but the checks fail: run `audit verify` and `documents verify`."))
    click.echo(_("Audit chain intact (%(events)s event(s)); all %(count)s stored document(s) intact.",
                 events=chain.checked, count=report.checked))


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        return ScriptDirectory(current_app.extensions["migrate"].directory).get_revision(revision) is not None
    except (RevisionError, CommandError):
        return False


@click.group("registry")
def registry_group():
    """The registry of people and collectives."""


@registry_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(REGISTRY_KINDS),
              help="What the file holds; by default the file's or sheets' names say it, or the headers.")
@with_appcontext
@worded
def registry_import(file, kind):
    """Import a CSV or XLSX file; on any bad row nothing is imported and each error is printed."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        with open(file, "rb") as stream:
            data = importing.read_upload(stream, limit)
        result = importing.import_file(installation.OPERATOR, data, os.path.basename(file), kind,
                                       limits=sheet_limits())
    except importing.ImportRejected as rejected:
        for row in rejected.rows:
            where = _("%(sheet)s, row %(row)s, column %(column)s", sheet=row.sheet, row=row.row, column=row.column) \
                if row.column else _("%(sheet)s, row %(row)s", sheet=row.sheet, row=row.row)
            click.echo(f"{where}: {vocabulary.word(row.reason.code, row.reason.params)}", err=True)
        raise
    for name, counts in result.counts.items():
        click.echo(_("%(kind)s: %(created)s added, %(updated)s changed, %(unchanged)s unchanged.", kind=name,
                     created=counts.created, updated=counts.updated, unchanged=counts.unchanged))


@registry_group.command("export")
@click.option("--kind", required=True, type=click.Choice(REGISTRY_KINDS + ("all",)))
@click.option("--format", "file_format", type=click.Choice(exporting.FORMATS), default="csv", show_default=True)
@click.option("--unit", help="Only this unit's records.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
@worded
def registry_export(kind, file_format, unit, output):
    """Write one kind (or all, as XLSX) in the format the import reads."""
    made = exporting.export(installation.OPERATOR, kind=kind, file_format=file_format, unit=unit)
    with open(output, "wb") as out:
        out.write(made.data)
    click.echo(_("Wrote %(rows)s row(s) to %(path)s.", rows=made.rows, path=output))


@click.command("tick")
@with_appcontext
@worded
def tick():
    """Fire the process timers that are due and send queued mail (run it every minute)."""
    sessions.purge()  # housekeeping: old sessions and sign-in counters nobody needs any more
    accounts.purge_sign_in_counters()
    fired = timers.fire_due()
    click.echo(_("%(count)s instance(s) had due timers.", count=fired))
    sent, failed = mailing.send_queued(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"],
                                         mail.render)
    if sent or failed:
        click.echo(_("Mail: %(sent)s sent, %(failed)s not sent (kept for the next tick).", sent=sent, failed=failed))


def register(app) -> None:
    for command in (init_db, seed_demo, users, units, bpmn, tick):
        app.cli.add_command(command)
    app.cli.add_command(audit_group, name="audit")
    app.cli.add_command(documents_group, name="documents")
    app.cli.add_command(backup_group, name="backup")
    app.cli.add_command(registry_group, name="registry")
