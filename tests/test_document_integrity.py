"""Stored documents cannot be swapped: every download is checked against the SHA-256 recorded at upload.

A file overwritten, truncated or deleted on disk is refused with a clear error (never served,
never an unhandled crash), recorded in the audit trail once a day, and shown to the office on
the nomination's page. ``flask documents verify`` checks them all.
"""

import os

import pytest
from sqlalchemy import select

from tests.conftest import PDF
from workflows.db import db
from workflows.models import AuditEvent, Document

FORGED = PDF.replace(b"/Count 0", b"/Count 9")  # same size, other bytes: an overwrite that keeps the length


def stored_path(app, document_id: int) -> str:
    with app.app_context():
        document = db.session.get(Document, document_id)
        return os.path.join(app.config["UPLOAD_FOLDER"], document.storage_key)


def damage(path: str, how: str) -> None:
    if how == "overwritten":
        with open(path, "wb") as out:
            out.write(FORGED)
    elif how == "truncated":
        with open(path, "r+b") as out:
            out.truncate(10)
    else:
        os.unlink(path)


def integrity_events(app, document_id: int) -> list[str]:
    with app.app_context():
        events = db.session.execute(select(AuditEvent).where(AuditEvent.action.in_(
            ("document_altered", "document_missing", "document_intact"))).order_by(AuditEvent.seq)).scalars()
        return [e.action for e in events if e.details.get("document_id") == document_id]


@pytest.fixture
def uploaded(app, api, nominate):
    nid = nominate()
    response = api.as_("clerk_a").upload(nid, "achievement_report")
    assert response.status_code == 201
    return nid, response.get_json()["id"]


@pytest.fixture
def submitted(app, api, nominate, walk):
    """A nomination the unit has sent to the bloc (so the office sees it), and one of its documents."""
    nid = nominate()
    walk(nid, "check_dossier")
    documents = api.as_("clerk_a").get(f"/nominations/{nid}/documents").get_json()
    return nid, next(d["id"] for d in documents if d["kind"] == "achievement_report")


def test_an_intact_document_is_served_with_its_hash_as_etag(api, uploaded):
    nid, did = uploaded
    response = api.as_("clerk_a").get(f"/nominations/{nid}/documents/{did}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["ETag"].strip('"') == __import__("hashlib").sha256(PDF).hexdigest()


@pytest.mark.parametrize("how, code", [("overwritten", "document.altered"), ("truncated", "document.altered"),
                                       ("deleted", "document.missing")])
def test_a_damaged_document_is_refused_by_the_api_and_recorded_once(app, api, uploaded, how, code):
    nid, did = uploaded
    damage(stored_path(app, did), how)
    for _ in range(3):
        response = api.as_("clerk_a").get(f"/nominations/{nid}/documents/{did}")
        assert response.status_code == 500
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert error["code"] == code and "achievement_report.pdf" in error["message"]
        assert FORGED not in response.data and PDF not in response.data
    assert integrity_events(app, did) == ["document_missing" if how == "deleted" else "document_altered"]
    with app.app_context():
        document = db.session.get(Document, did)
        assert document.integrity_problem == ("missing" if how == "deleted" else "altered")


@pytest.mark.parametrize("how", ["overwritten", "truncated", "deleted"])
def test_a_damaged_document_is_refused_on_the_page_and_the_office_sees_a_warning(app, submitted, browser, how):
    nid, did = submitted
    damage(stored_path(app, did), how)
    clerk = browser("clerk_a")
    response = clerk.get(f"/nominations/{nid}/documents/{did}")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "restore it from a backup" in page and FORGED.decode("latin-1") not in page
    office = browser("sec").get(f"/nominations/{nid}").get_data(as_text=True)
    problem = "missing" if how == "deleted" else "altered"
    assert f'data-problem="{problem}"' in office and "table-danger" in office
    # The unit's staff are refused the file but the warning is the office's to act on.
    assert "document-damaged" not in clerk.get(f"/nominations/{nid}").get_data(as_text=True)


def test_the_office_is_warned_of_a_missing_file_before_anyone_downloads_it(app, submitted, browser):
    nid, did = submitted
    damage(stored_path(app, did), "deleted")
    office = browser("sec").get(f"/nominations/{nid}").get_data(as_text=True)
    assert 'data-problem="missing"' in office
    assert integrity_events(app, did) == []  # a page view only looks; it records nothing


def test_documents_verify_names_damaged_files_then_clears_them_once_restored(app, api, nominate, uploaded):
    nid, did = uploaded
    other = nominate(name="Trần Văn Bình")
    assert api.as_("clerk_a").upload(other, "achievement_report", content=PDF + b"% other\n").status_code == 201
    runner = app.test_cli_runner()
    result = runner.invoke(args=["documents", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "All 2 stored document(s) are intact."
    path = stored_path(app, did)
    damage(path, "overwritten")
    result = runner.invoke(args=["documents", "verify"])
    assert result.exit_code == 1
    assert f"Document {did} (achievement_report.pdf) of nomination {nid}: altered." in result.output
    assert "1 of 2 stored document(s) are damaged" in result.output
    assert runner.invoke(args=["documents", "verify"]).exit_code == 1
    assert integrity_events(app, did) == ["document_altered"]  # the same day: recorded once
    with open(path, "wb") as out:  # put back, as from a backup
        out.write(PDF)
    assert runner.invoke(args=["documents", "verify"]).exit_code == 0
    assert integrity_events(app, did) == ["document_altered", "document_intact"]
    with app.app_context():
        assert db.session.get(Document, did).integrity_problem is None
    assert api.as_("clerk_a").get(f"/nominations/{nid}/documents/{did}").data == PDF


def test_documents_verify_speaks_vietnamese(app, uploaded, monkeypatch):
    nid, did = uploaded
    damage(stored_path(app, did), "deleted")
    monkeypatch.setenv("LAUREL_LANG", "vi")
    result = app.test_cli_runner().invoke(args=["documents", "verify"])
    assert result.exit_code == 1 and str(did) in result.output
    assert ": missing." not in result.output and "stored document" not in result.output


def test_the_secretariat_checking_the_dossier_sees_a_file_found_damaged(app, api, submitted, browser):
    nid, did = submitted
    damage(stored_path(app, did), "overwritten")
    assert api.as_("sec").get(f"/nominations/{nid}/documents/{did}").status_code == 500
    task_id = api.as_("sec").task(nid, "check_dossier")
    page = browser("sec").get(f"/tasks/{task_id}").get_data(as_text=True)
    assert 'data-problem="altered"' in page
    assert integrity_events(app, did) == ["document_altered"]
