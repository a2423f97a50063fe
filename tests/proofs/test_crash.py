"""The crash proof in small: gunicorn's workers killed under load lose no acknowledged completion.

Runs only on PostgreSQL (TEST_DATABASE_URL), in a scratch database named after the test
database with ``_crash`` appended, created and dropped here. ``make crash`` runs the full size.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.proofs import crash

URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(not URL.startswith(("postgresql://", "postgres://")),
                                reason="the crash proof needs PostgreSQL (TEST_DATABASE_URL)")


def scratch_url() -> str:
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_crash"))


def test_killing_every_worker_under_load_loses_nothing_acknowledged():
    figures = crash.prove(scratch_url(), workers=4, clients=2, nominations=2, kills=2, timeout=120, out=print)
    assert figures["kill_rounds"] == 2 and figures["workers_killed"] >= 8
    assert figures["acknowledged"] > 0 and not figures["failures"], figures["failures"]
    assert (figures["lost"], figures["half_done"], figures["process_disagreements"]) == (0, 0, 0), figures["problems"]
    assert figures["chain_intact"] and figures["audit_verify_exit"] == 0
    assert figures["server_errors"] == 0
