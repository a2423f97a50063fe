"""Command line: `flask --app webapp <command>`. Thin wrappers over the domain's use cases.

Every command exits non-zero with a one-line reason on bad input.
"""

import glob
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from workflows import accounts, audit, demo, instances, notifications, reference, timers
from workflows.db import db
from workflows.engine.lint import validate_files
from workflows.errors import WorkflowError
from workflows.models.people import ROLES
from workflows.registry import columns as registry_columns
from workflows.registry import exporting, importing
from workflows.registry.access import OPERATOR
from workflows.registry.sheets import read_upload

from . import mail


def fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the schema, load units and award types, deploy the process diagrams."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    added = reference.load_reference_data()
    _, deployed = _deploy()
    click.echo(f"Database ready: {added['units']} unit(s) and {added['award_types']} award type(s) added; "
               f"process {'deployed as a new version' if deployed else 'unchanged'}.")


def _deploy():
    problems = validate_files(_bpmn_files())
    if problems:
        fail("The diagrams have problems; run `bpmn validate` to list them.")
    definition, deployed = instances.deploy(current_app.config["BPMN_FOLDER"])
    db.session.commit()
    return definition, deployed


def _bpmn_files() -> list[str]:
    folder = current_app.config["BPMN_FOLDER"]
    return sorted(glob.glob(os.path.join(folder, "*.bpmn")) + glob.glob(os.path.join(folder, "*.dmn")))


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Add the demo users (password: the README's) and a few nominations at different steps."""
    try:
        summary = demo.seed(current_app.config["UPLOAD_FOLDER"],
                            hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    except WorkflowError as error:
        fail(error.message)
    click.echo(summary)


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
def create_user(username, password, unit_code, roles, full_name, email):
    """Create USERNAME with one or more roles."""
    try:
        user = accounts.create_user(username, password, roles=roles, unit_code=unit_code, full_name=full_name,
                                    email=email, hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        audit.record("user_created", details={"username": username, "roles": sorted(roles), "unit": unit_code})
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        fail(error.message)
    click.echo(f"Created {user.username} ({', '.join(sorted(roles))}).")


@click.group("units")
def units():
    """The bloc's member units."""


@units.command("list")
@with_appcontext
def list_units():
    """Print code and name of each unit."""
    for unit in accounts.units():
        click.echo(f"{unit.code}\t{unit.name}")


@click.group("bpmn")
def bpmn():
    """Process diagrams."""


@bpmn.command("validate")
@click.argument("files", nargs=-1, type=click.Path())
@with_appcontext
def validate(files):
    """Check diagrams and decision tables (default: all in the bpmn folder); one line per problem."""
    paths = list(files) or _bpmn_files()
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        fail(f"No such file: {missing[0]}")
    problems = validate_files(paths)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise SystemExit(1)
    click.echo(f"{len(paths)} file(s) valid.")


@bpmn.command("deploy")
@with_appcontext
def deploy():
    """Store the current diagrams as a new process version if they changed."""
    definition, deployed = _deploy()
    click.echo(f"Process {definition.key} version {definition.version} "
               f"{'deployed' if deployed else 'is already the newest'}.")


@click.group("audit")
def audit_group():
    """The audit trail."""


@audit_group.command("verify")
@with_appcontext
def verify():
    """Recompute the hash chain; exit 1 naming the first event that does not match."""
    result = audit.verify()
    if not result.ok:
        click.echo(f"Audit chain broken at event {result.first_bad_seq}: {result.reason} "
                   f"({result.checked} event(s) before it are intact).", err=True)
        raise SystemExit(1)
    click.echo(f"Audit chain intact: {result.checked} event(s).")


@click.group("registry")
def registry_group():
    """The registry of people and collectives."""


@registry_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(registry_columns.KINDS),
              help="What the file holds; by default the file's or sheets' names say it, or the headers.")
@with_appcontext
def registry_import(file, kind):
    """Import a CSV or XLSX file; on any bad row nothing is imported and each error is printed."""
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        with open(file, "rb") as stream:
            data = read_upload(stream, limit)
        result = importing.import_file(OPERATOR, data, os.path.basename(file), kind)
    except importing.ImportRejected as rejected:
        for row in rejected.rows:
            column = f", column {row.column}" if row.column else ""
            click.echo(f"{row.sheet}, row {row.row}{column}: {row.message}", err=True)
        fail(rejected.message)
    except WorkflowError as error:
        fail(error.message)
    for name, counts in result.counts.items():
        click.echo(f"{name}: {counts.created} added, {counts.updated} changed, {counts.unchanged} unchanged.")


@registry_group.command("export")
@click.option("--kind", required=True, type=click.Choice(registry_columns.KINDS + ("all",)))
@click.option("--format", "file_format", type=click.Choice(exporting.FORMATS), default="csv", show_default=True)
@click.option("--unit", help="Only this unit's records.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def registry_export(kind, file_format, unit, output):
    """Write one kind (or all, as XLSX) in the format the import reads."""
    try:
        made = exporting.export(OPERATOR, kind=kind, file_format=file_format, unit=unit)
    except WorkflowError as error:
        fail(error.message)
    with open(output, "wb") as out:
        out.write(made.data)
    click.echo(f"Wrote {made.rows} row(s) to {output}.")


@click.command("tick")
@with_appcontext
def tick():
    """Fire the process timers that are due and send queued mail (run it every minute)."""
    fired = timers.fire_due()
    click.echo(f"{fired} instance(s) had due timers.")
    sent, failed = notifications.deliver(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"],
                                         mail.render)
    if sent or failed:
        click.echo(f"Mail: {sent} sent, {failed} not sent (kept for the next tick).")


def register(app) -> None:
    for command in (init_db, seed_demo, users, units, bpmn, tick):
        app.cli.add_command(command)
    app.cli.add_command(audit_group, name="audit")
    app.cli.add_command(registry_group, name="registry")
