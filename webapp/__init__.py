"""The web application: create_app() builds it; `flask --app webapp` finds it."""

import os

from flask import Flask, jsonify

from workflows.services import ballot_box

from . import api, cli, config, database, errors, hostile_input, i18n, keys, pages, safeguards, vocabulary
from .extensions import bootstrap


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from environment settings, overridden by ``test_config`` when given."""
    app = Flask(__name__, instance_relative_config=True)
    hostile_input.init_url_map(app)
    app.config.update(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    # A multipart body may exceed the file's own limit by its headers; the file limit is exact.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024 + 256 * 1024
    os.makedirs(app.instance_path, exist_ok=True)
    ballot_box.use_keys(config.ballot_keys(app.config.get("BALLOT_KEY"), app.instance_path))

    database.init_app(app)
    keys.init_app(app)
    i18n.init_app(app)
    safeguards.init_app(app)
    hostile_input.init_app(app)
    vocabulary.init_app(app)
    bootstrap.init_app(app)
    pages.init_app(app)
    api.init_app(app)
    errors.register(app)
    cli.register(app)
    config.warn_when_serving_insecurely(app)

    @app.get("/healthz")
    def health():
        return jsonify({"status": "ok"})

    return app
