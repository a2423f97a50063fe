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

from workflows import accounts, audit, demo, installation, notifications, sessions, throttle, timers
from workflows.errors import WorkflowError
from workflows.models.people import ROLES
from workflows.registry import columns as registry_columns
from workflows.registry import exporting, importing
from workflows.registry.sheets import read_upload

from . import mail, vocabulary
from .vocabulary.trail import CHAIN_PROBLEMS


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
@with_appcontext
@worded
def verify():
    """Recompute the hash chain; exit 1 naming the first event that does not match."""
    result = audit.verify()
    if not result.ok:
        click.echo(_("Audit chain broken at event %(seq)s: %(problem)s (%(count)s event(s) before it are intact).",
                     seq=result.first_bad_seq, problem=str(CHAIN_PROBLEMS.get(result.problem, result.problem)),
                     count=result.checked), err=True)
        raise SystemExit(1)
    click.echo(_("Audit chain intact: %(count)s event(s).", count=result.checked))


@click.group("registry")
def registry_group():
    """The registry of people and collectives."""


@registry_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(registry_columns.KINDS),
              help="What the file holds; by default the file's or sheets' names say it, or the headers.")
@with_appcontext
@worded
def registry_import(file, kind):
    """Import a CSV or XLSX file; on any bad row nothing is imported and each error is printed."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        with open(file, "rb") as stream:
            data = read_upload(stream, limit)
        result = importing.import_file(installation.OPERATOR, data, os.path.basename(file), kind)
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
@click.option("--kind", required=True, type=click.Choice(registry_columns.KINDS + ("all",)))
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
    throttle.purge()
    fired = timers.fire_due()
    click.echo(_("%(count)s instance(s) had due timers.", count=fired))
    sent, failed = notifications.deliver(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"],
                                         mail.render)
    if sent or failed:
        click.echo(_("Mail: %(sent)s sent, %(failed)s not sent (kept for the next tick).", sent=sent, failed=failed))


def register(app) -> None:
    for command in (init_db, seed_demo, users, units, bpmn, tick):
        app.cli.add_command(command)
    app.cli.add_command(audit_group, name="audit")
    app.cli.add_command(registry_group, name="registry")
