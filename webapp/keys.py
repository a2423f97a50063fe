"""Where the audit chain's keys come from for each app: its settings, read once, on first need.

The domain asks ``audit.keyring()``; this module answers with the ring of the app in whose
context the call runs, so several apps in one process (tests, tools) each keep their own key.
"""

from flask import current_app

from workflows.services import audit, audit_keys

_EXTENSION = "laurel.audit_keyring"


def init_app(app) -> None:
    app.extensions[_EXTENSION] = None
    audit.use_keyring(current_keyring)


def current_keyring() -> audit_keys.Keyring:
    """The running app's ring, loaded from AUDIT_KEY or the key file the first time it is needed."""
    app = current_app._get_current_object()
    ring = app.extensions.get(_EXTENSION)
    if ring is None:
        ring = audit_keys.from_environment_or_file(app.config.get("AUDIT_KEY"), app.config["AUDIT_KEY_FILE"])
        if ring.source != "environment" and audit_keys.loose_permissions(ring.source):
            app.logger.warning("The audit key file %s can be read by others than its owner: chmod 600 it.",
                               ring.source)
        app.extensions[_EXTENSION] = ring
    return ring


def forget(app) -> None:
    """Read the keys again on next need (after a key was added to the file)."""
    app.extensions[_EXTENSION] = None
