"""Audit search and export for inspection and supervision."""

import csv
import io
import json
from datetime import datetime
from html.parser import HTMLParser

from sqlalchemy import update

from workflows.db import db
from workflows.models import AuditEvent
from workflows.services import audit
from workflows.usecases import accounts

COLUMNS = ["seq", "at", "actor", "action", "nomination", "task", "details"]


class Rows(HTMLParser):
    """The cells of the results table's body, as text."""

    def __init__(self, html):
        super().__init__()
        self.rows, self._in_body, self._cell = [], False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


# The actions these tests look for, as an English reader sees them.
ACTIONS = {"Nomination started": "process_started", "Document uploaded": "document_uploaded",
           "Task completed": "task_completed", "Signed in": "signed_in", "Returned": "returned",
           "Eligibility checked": "eligibility_checked"}


def events(browser, query=""):
    """(seq, actor, action code, nomination) of every listed event; the page names actions in words."""
    response = browser.get(f"/audit{query}")
    assert response.status_code == 200
    return [(int(r[0]), r[2], ACTIONS.get(r[3], r[3]), r[4]) for r in Rows(response.get_data(as_text=True)).rows]


def test_filters_by_actor_action_and_nomination(api, browser, nominate, walk):
    ours, theirs = nominate(), nominate(name="Bùi Thị Hạnh", clerk="clerk_b")
    walk(ours, "endorse")
    auditor = browser("aud")
    by_actor = events(auditor, "?actor=clerk_b")
    assert by_actor and {actor for _, actor, _, _ in by_actor} == {"Clerk_B"}  # shown by full name
    assert ("process_started", str(theirs)) in [(action, n) for _, _, action, n in by_actor]
    uploads = events(auditor, "?action=document_uploaded")
    assert len(uploads) == 3 and {(a, n) for _, _, a, n in uploads} == {("document_uploaded", str(ours))}
    trail = events(auditor, f"?nomination={ours}")
    assert {n for *_, n in trail} == {str(ours)} and "task_completed" in {a for _, _, a, _ in trail}
    linked = auditor.get(f"/audit?nomination={ours}").get_data(as_text=True)
    assert f'<a href="/nominations/{ours}">{ours}</a>' in linked
    both = events(auditor, f"?nomination={ours}&action=process_started&actor=clerk_a")
    assert [(actor, action) for _, actor, action, _ in both] == [("Clerk_A", "process_started")]


def test_newest_first_by_default_oldest_first_on_request(browser, nominate):
    nominate()
    auditor = browser("admin")
    newest = [seq for seq, *_ in events(auditor)]
    oldest = [seq for seq, *_ in events(auditor, "?order=oldest")]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest) and set(newest) == set(oldest)


def test_dates_are_whole_days_in_the_configured_time_zone(app, browser, nominate):
    nominate()
    with app.app_context():
        seq = audit.search(action="process_started")[0].seq
        # 17:30 UTC on 1 January is 00:30 on 2 January in Hanoi (UTC+7).
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(at=datetime(2020, 1, 1, 17, 30)))
        db.session.commit()
    auditor = browser("aud")
    assert [s for s, *_ in events(auditor, "?since=2020-01-02&until=2020-01-02")] == [seq]
    assert [s for s, *_ in events(auditor, "?since=2020-01-01&until=2020-01-02")] == [seq]
    assert events(auditor, "?until=2020-01-01") == []
    assert seq not in [s for s, *_ in events(auditor, "?since=2020-01-03")]
    backwards = auditor.get("/audit?since=2020-01-03&until=2020-01-02").get_data(as_text=True)
    assert "The end date is before the start date." in backwards and Rows(backwards).rows == []


def test_the_chain_is_verified_on_request_only(app, browser, nominate):
    nominate()
    auditor = browser("aud")
    page = auditor.get("/audit").get_data(as_text=True)
    assert "Verify the chain" in page and "Chain intact" not in page
    with app.app_context():
        assert audit.search(action="audit_verified") == []  # looking verifies nothing
    response = auditor.post_form("/audit", "/audit/verify?actor=clerk_a", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/audit?actor=clerk_a")
    shown = auditor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chain intact: " in shown and "events verified" in shown
    with app.app_context():
        [check] = audit.search(action="audit_verified")
        assert check.actor == "aud" and check.details["intact"] is True
        seq = audit.search(action="process_started")[0].seq
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(actor="someone_else"))
        db.session.commit()
    admin = browser("admin")
    assert "Chain broken" not in admin.get("/audit").get_data(as_text=True)
    response = admin.post_form("/audit", "/audit/verify", {}, follow_redirects=True)
    assert f"Chain broken at event {seq}: its content does not match its hash" in response.get_data(as_text=True)


def test_the_chain_check_needs_csrf_and_an_oversight_role(app, browser):
    auditor = browser("aud")
    assert auditor.client.post("/audit/verify").status_code == 400
    assert browser("sec").post_form("/tasks", "/audit/verify", {}).status_code == 403
    with app.app_context():
        assert audit.search(action="audit_verified") == []


def test_a_broken_chain_is_reported_in_vietnamese(app, browser, nominate):
    nominate()
    with app.app_context():
        seq = audit.search(action="process_started")[0].seq
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(actor="someone_else"))
        db.session.commit()
    auditor = browser("aud", HTTP_ACCEPT_LANGUAGE="vi")
    page = auditor.post_form("/audit", "/audit/verify", {}, follow_redirects=True).get_data(as_text=True)
    assert f"Chuỗi nhật ký bị gián đoạn tại sự kiện {seq}" in page and "nội dung không khớp với mã băm" in page


def test_a_hundred_events_per_page(app, browser):
    with app.app_context():
        user = accounts.find_user("sec")
        for _ in range(130):
            audit.record("signed_in", actor=user, details={"channel": "web"})
        db.session.commit()
    auditor = browser("aud")
    first, second = events(auditor, "?action=signed_in"), events(auditor, "?action=signed_in&page=2")
    assert len(first) == 100 and len(second) == 131 - 100  # the auditor's own sign-in is one more
    assert first[-1][0] > second[0][0]
    page = auditor.get("/audit?action=signed_in").get_data(as_text=True)
    assert "Page 1 of 2" in page and "/audit?page=2&amp;action=signed_in" in page


def test_bad_filters_list_nothing_and_say_why(browser):
    auditor = browser("aud")
    page = auditor.get("/audit?nomination=abc").get_data(as_text=True)
    assert "Not a valid integer value." in page and Rows(page).rows == []
    assert auditor.get("/audit.csv?nomination=abc").status_code == 400
    assert "Number must be between" in auditor.get(f"/audit?nomination={2**40}").get_data(as_text=True)
    everything = events(auditor, "?since=0001-01-01&until=9999-12-31")
    assert everything and everything == events(auditor)


def test_csv_export_keeps_vietnamese_and_is_audited(app, browser, nominate):
    nid = nominate(name="Nguyễn Thị Ánh Tuyết")
    response = browser("aud").get(f"/audit.csv?nomination={nid}&action=process_started")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Nguyễn Thị Ánh Tuyết".encode() in body
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == COLUMNS
    assert len(rows) == 1
    seq, at, actor, action, nomination, task, details = rows[0]
    assert (actor, action, nomination, task) == ("clerk_a", "process_started", str(nid), "")
    assert datetime.fromisoformat(at).utcoffset().total_seconds() == 7 * 3600
    assert json.loads(details)["nominee"] == "Nguyễn Thị Ánh Tuyết"
    with app.app_context():
        [exported] = audit.search(action="audit_exported")
        assert exported.actor == "aud"
        assert exported.details["filters"] == {"nomination_id": nid, "action": "process_started"}
        assert audit.verify().ok


def test_csv_takes_the_date_range_as_the_page_does(app, browser, nominate):
    nominate()
    response = browser("admin").get("/audit.csv?since=2020-01-02&until=2020-01-02")
    header, *rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert header == COLUMNS and rows == []
    with app.app_context():
        [exported] = audit.search(action="audit_exported")
        assert exported.details["filters"] == {"since": "2020-01-01T17:00:00", "until": "2020-01-02T17:00:00"}
