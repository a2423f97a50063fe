"""Use cases of whoever runs the installation from the command line: prepare it, deploy and check diagrams.

The command line acts as the installation's operator: bloc-wide, recorded in the trail as the system.
"""

import glob
import os
from dataclasses import dataclass

from sqlalchemy import inspect, text

from workflows.db import db
from workflows.engine.lint import Problem, validate_files
from workflows.errors import InvalidData
from workflows.models import ProcessDefinition, User
from workflows.services import instances, reference
from workflows.services.registry.access import OPERATOR
from workflows.usecases import administration

__all__ = ["OPERATOR", "Prepared", "check_files", "create_user", "deploy", "diagram_files", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """What preparing the database added: reference data by kind, and whether the process was deployed."""

    added: dict[str, int]
    definition: ProcessDefinition
    deployed: bool


def schema_revision() -> str | None:
    """The migration the database stands at; None for tables made without migrations."""
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.session.rollback()
    return revision


def create_tables() -> None:
    """The models' tables, for a backup taken from a database made without migrations."""
    db.create_all()


def diagram_files(folder: str) -> list[str]:
    """The diagrams and decision tables of a folder, as `deploy` and `check_files` read them."""
    return sorted(glob.glob(os.path.join(folder, "*.bpmn")) + glob.glob(os.path.join(folder, "*.dmn")))


def check_files(paths: list[str]) -> list[Problem]:
    """Lint diagrams, decision tables and the forms beside them; an empty list when all is well."""
    return validate_files(paths)


def prepare(bpmn_folder: str) -> Prepared:
    """Load the reference data that is missing and deploy the folder's diagrams if they changed."""
    added = reference.load_reference_data()
    db.session.commit()
    definition, deployed = deploy(bpmn_folder)
    return Prepared(added, definition, deployed)


def deploy(bpmn_folder: str) -> tuple[ProcessDefinition, bool]:
    """Store the folder's diagrams as the next process version, refusing any with problems."""
    problems = check_files(diagram_files(bpmn_folder))
    if problems:
        raise InvalidData("process.files_have_problems", count=len(problems))
    definition, deployed = instances.deploy(bpmn_folder)
    db.session.commit()
    return definition, deployed


def create_user(username: str, password: str, *, roles, unit_code: str | None = None,
                full_name: str | None = None, email: str | None = None, hash_method: str = "scrypt") -> User:
    """Open an account as the operator, with the checks and the trail an administrator's page has."""
    return administration.create_user(OPERATOR, username=username, password=password, roles=roles,
                                      full_name=full_name, unit_code=unit_code, email=email,
                                      hash_method=hash_method)
