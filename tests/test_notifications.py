"""Mail about waiting work: queued with the change, delivered by `tick` over real SMTP."""

import email
import email.policy
import socket
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import select, update

from tests.conftest import COUNCIL
from workflows.db import db
from workflows.models import IndexedTask, OutboxMessage
from workflows.usecases import accounts


class Mailbox:
    """An SMTP sink: keeps every message it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app):
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


def queued(app, nomination_id=None):
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
        return [(m.to_address, m.params["task"], m.sent_at is not None) for m in rows]


def addresses(app):
    return sorted(to for to, _, _ in queued(app))


def test_new_tasks_are_announced_to_exactly_who_may_do_them(app, api, nominate, walk):
    nid = nominate()
    assert addresses(app) == ["clerk_a@example.org"]
    walk(nid, "check_dossier")
    assert addresses(app).count("head_a@example.org") == 1 and "head_b@example.org" not in addresses(app)
    assert "sec@example.org" in addresses(app)
    api.as_("sec").complete(nid, "check_dossier", {"decision": "accept"})
    assert {"rev@example.org", "rev2@example.org"} <= set(addresses(app))


def test_a_named_reviewer_and_each_voter_are_told_alone(app, api, nominate, walk):
    nid = nominate(name="M1", username="m1")
    walk(nid, "vote", reviewer="rev2")
    assert "rev2@example.org" in addresses(app) and "rev@example.org" not in addresses(app)
    voters = [to for to, task, _ in queued(app) if task == "vote"]
    assert sorted(voters) == sorted(f"{m}@example.org" for m in COUNCIL if m != "m1")


def test_tick_delivers_queued_mail_over_smtp(app, api, nominate, walk, mailbox):
    nid = nominate()
    walk(nid, "endorse")
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "Mail: 2 sent, 0 not sent" in result.output
    recipients = sorted(to for tos, _ in mailbox.received for to in tos)
    assert recipients == ["clerk_a@example.org", "head_a@example.org"]
    body = [content for tos, content in mailbox.received if tos == ["head_a@example.org"]][0]
    assert "Endorse the dossier" in body and f"Nomination {nid}" in body
    assert all(sent for _, _, sent in queued(app))
    again = app.test_cli_runner().invoke(args=["tick"])
    assert "Mail:" not in again.output and len(mailbox.received) == 2


def test_mail_that_cannot_be_sent_is_kept_for_the_next_tick(app, api, nominate, mailbox):
    nominate()
    working = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    result = app.test_cli_runner().invoke(args=["tick"])
    assert "Mail: 0 sent, 1 not sent" in result.output
    with app.app_context():
        message = db.session.execute(select(OutboxMessage)).scalar_one()
        assert message.attempts == 1 and "cannot connect" in message.last_error and message.sent_at is None
    app.config["SMTP_URL"] = working
    assert "Mail: 1 sent" in app.test_cli_runner().invoke(args=["tick"]).output
    assert [tos for tos, _ in mailbox.received] == [["clerk_a@example.org"]]


def parsed(content: str):
    return email.message_from_string(content, policy=email.policy.default)


def test_a_vietnamese_readers_notice_arrives_in_vietnamese(app, api, nominate, walk, mailbox):
    with app.app_context():
        accounts.set_locale(accounts.find_user("head_a"), "vi")
    nid = nominate()
    walk(nid, "endorse")
    assert app.test_cli_runner().invoke(args=["tick"]).exit_code == 0
    raw = [content for tos, content in mailbox.received if tos == ["head_a@example.org"]][0]
    assert "=?utf-8?" in raw.lower()  # the subject travels as an RFC 2047 encoded word
    message = parsed(raw)
    assert message["Subject"] == "Việc cần xử lý: Cho ý kiến trình hồ sơ — LDTT, Nguyễn Văn Tâm"
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert body.startswith("Kính gửi Head_A,")
    assert f"Đề nghị số {nid}: Lao động tiên tiến cho Nguyễn Văn Tâm (VPTW), năm 2026." in body
    with app.app_context():
        due = db.session.execute(select(IndexedTask.due_at).where(
            IndexedTask.nomination_id == nid, IndexedTask.key == "endorse")).scalar_one()
    local = due.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(app.config["TIMEZONE"]))
    assert f"Hạn xử lý: {format_date(local.date(), 'long', locale='vi')}." in body
    english = parsed([content for tos, content in mailbox.received if tos == ["clerk_a@example.org"]][0])
    assert english["Subject"].startswith("Task waiting: Prepare the dossier — LDTT")
    assert "Dear Clerk_A," in english.get_content()


def test_the_due_date_is_the_one_on_the_blocs_calendar(app, api, nominate, walk, mailbox):
    """A deadline at 20:00 UTC falls on the next day in Hanoi: the mail says the next day."""
    nid = nominate()
    walk(nid, "endorse")
    with app.app_context():
        task = db.session.execute(select(IndexedTask).where(
            IndexedTask.nomination_id == nid, IndexedTask.key == "endorse")).scalar_one()
        message = db.session.execute(select(OutboxMessage).where(
            OutboxMessage.to_address == "head_a@example.org")).scalar_one()
        message.params = {**message.params, "due_at": "2026-12-01T20:00:00"}
        db.session.commit()
        assert task.due_at is not None
    app.test_cli_runner().invoke(args=["tick"])
    body = parsed([c for tos, c in mailbox.received if tos == ["head_a@example.org"]][0]).get_content()
    assert "Due: December 2, 2026." in body


def test_a_message_that_cannot_be_worded_is_kept_with_the_reason(app, nominate, mailbox):
    nominate()
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(template="retired_kind"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["tick"])
    assert "Mail: 0 sent, 1 not sent" in result.output and mailbox.received == []
    with app.app_context():
        message = db.session.execute(select(OutboxMessage)).scalar_one()
        assert message.sent_at is None and "cannot write the message" in message.last_error
