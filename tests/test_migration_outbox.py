"""Revision 0004_web keeps mail queued before it: already worded, it goes out as it was written."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from webapp import mail
from workflows.db import db
from workflows.models import OutboxMessage


def test_mail_queued_before_the_upgrade_is_sent_as_written(empty_app):
    folder = empty_app.extensions["migrate"].directory
    with empty_app.app_context():
        upgrade(directory=folder, revision="0001")
        db.session.execute(text(
            "INSERT INTO outbox (to_address, subject, body, created_at, attempts) "
            "VALUES ('sec@example.org', 'Task waiting: Kiểm tra hồ sơ', 'Dear Sec,', '2026-11-01 00:00:00', 0)"))
        db.session.commit()
        upgrade(directory=folder)
        message = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (message.template, message.locale) == ("plain", None)
        assert mail.render(message) == ("Task waiting: Kiểm tra hồ sơ", "Dear Sec,")
        db.session.rollback()
        downgrade(directory=folder, revision="0001")
        row = db.session.execute(text("SELECT subject, body FROM outbox")).one()
        assert tuple(row) == ("Task waiting: Kiểm tra hồ sơ", "Dear Sec,")
        db.session.rollback()
