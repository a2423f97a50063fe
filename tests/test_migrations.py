"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""


from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from workflows.db import db


def migrations_folder(app) -> str:
    return app.extensions["migrate"].directory


def differences(app) -> list:
    """What autogenerate would still have to write to bring the database to the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_the_migrations_have_a_single_head(empty_app):
    assert len(ScriptDirectory(migrations_folder(empty_app)).get_heads()) == 1


def test_upgrading_an_empty_database_yields_the_models_schema(empty_app):
    with empty_app.app_context():
        upgrade(directory=migrations_folder(empty_app))
        assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
        assert differences(empty_app) == []


def test_upgrading_twice_changes_nothing(empty_app):
    with empty_app.app_context():
        upgrade(directory=migrations_folder(empty_app))
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.rollback()
        upgrade(directory=migrations_folder(empty_app))
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == revision
        assert differences(empty_app) == []


def test_downgrading_to_base_removes_every_table(empty_app):
    with empty_app.app_context():
        upgrade(directory=migrations_folder(empty_app))
        downgrade(directory=migrations_folder(empty_app), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
