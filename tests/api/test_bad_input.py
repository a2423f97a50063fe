"""Scenario 9: bad input gets its status code and a clear message, and changes nothing."""

import io

import pytest

from tests.conftest import PDF, PNG


@pytest.fixture
def ready(api, nominate):
    """A nomination at the dossier step, and tokens fetched up front (signing in writes rows)."""
    for user in ("clerk_a", "head_a", "sec"):
        api.token(user)
    return nominate()


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["message"], error
    return error


@pytest.mark.parametrize("body, code, field, field_code", [
    ({"award_type": "NOPE", "nominee": {"kind": "individual", "name": "A"}, "year": 2026}, "nomination.cannot_start",
     "award_type", "award_type.unknown"),
    ({"award_type": "LDTT", "nominee": {"kind": "individual"}, "year": 2026}, "request.invalid", "nominee.name",
     "field.required"),
    ({"award_type": "LDTT", "nominee": {"kind": "individual", "name": "  "}, "year": 2026}, "nomination.cannot_start",
     "nominee.name", "nominee.name_needed"),
    ({"award_type": "LDTT", "nominee": {"kind": "individual", "name": "A"}, "year": 2999}, "nomination.cannot_start",
     "year", "field.year_between"),
    ({"award_type": "LDTT", "nominee": {"kind": "individual", "name": "A"}, "year": "2026"}, "request.invalid",
     "year", "field.not_an_integer"),
    ({"award_type": "LDTT", "nominee": {"kind": "collective", "name": "A"}, "year": 2026}, "nomination.cannot_start",
     "nominee.kind", "award_type.for_kind_only"),
    ({"award_type": "LDTT", "nominee": {"kind": "individual", "name": "A", "username": "ghost"}, "year": 2026},
     "nomination.cannot_start", "nominee.username", "user.not_found"),
    ({"nominee": {"kind": "individual", "name": "A"}, "year": 2026}, "request.invalid", "award_type",
     "field.required"),
])
def test_invalid_nomination_is_refused_with_the_field_named(api, ready, unchanged, body, code, field, field_code):
    with unchanged():
        error = error_of(api.as_("clerk_a").post("/nominations", json=body), 422)
    assert error["code"] == code and error["field_codes"][field] == field_code
    assert error["fields"][field] in error["message"]


def test_a_refusal_is_worded_in_the_language_the_request_asks_for(api, ready):
    body = {"award_type": "LDTT", "nominee": {"kind": "individual", "name": "A"}, "year": 2999}
    vietnamese = error_of(api.as_("clerk_a").post("/nominations", json=body, headers={"Accept-Language": "vi"}), 422)
    english = error_of(api.as_("clerk_a").post("/nominations", json=body, headers={"Accept-Language": "en"}), 422)
    assert vietnamese["code"] == english["code"] == "nomination.cannot_start"
    assert vietnamese["message"].startswith("Không thể lập đề nghị.") and "Nhập năm trong khoảng" in vietnamese[
        "fields"]["year"]
    assert english["message"].startswith("The nomination cannot be started.")
    missing = error_of(api.as_("clerk_a").post("/nominations", json={}, headers={"Accept-Language": "vi"}), 422)
    assert missing["code"] == "request.invalid" and missing["fields"]["award_type"] == "Trường này là bắt buộc."


def test_malformed_json_is_a_bad_request(api, ready, unchanged):
    with unchanged():
        response = api.client.post("/api/v1/nominations", data="{not json", content_type="application/json",
                                   headers={"Authorization": f"Bearer {api.token('clerk_a')}"})
        error_of(response, 400)


def test_submission_without_required_documents_lists_them(api, ready, unchanged):
    assert api.as_("clerk_a").upload(ready, "proposal_letter").status_code == 201
    task = api.as_("clerk_a").task(ready, "prepare_dossier")
    with unchanged():
        error = error_of(api.as_("clerk_a").post(f"/tasks/{task}/complete", json={}), 422)
    assert error["code"] == "dossier.incomplete"
    assert error["params"] == {"missing": ["achievement_report", "review_minutes"]}
    assert "Achievement report" in error["message"] and "Minutes of the review meeting" in error["message"]


def test_file_over_the_limit_is_413(api, ready, unchanged):
    just_over = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
    far_over = PDF + b"0" * (3 * 1024 * 1024)
    with unchanged():
        assert error_of(api.as_("clerk_a").upload(ready, "other", just_over), 413)["code"] == "upload.too_large"
        refused = error_of(api.as_("clerk_a").upload(ready, "other", far_over), 413)
        assert refused["code"] == "upload.too_large" and refused["params"] == {"limit": 1024 * 1024}
        assert "1 MB" in refused["message"]


def test_file_at_the_limit_is_accepted(api, ready):
    at_limit = PDF + b"0" * (1024 * 1024 - len(PDF))
    response = api.as_("clerk_a").upload(ready, "other", at_limit)
    assert response.status_code == 201 and response.get_json()["size"] == 1024 * 1024


@pytest.mark.parametrize("content, filename", [
    (PNG, "report.pdf"),
    (b"MZ\x90\x00 an executable", "report.pdf"),
    (b"<html><script>alert(1)</script></html>", "report.pdf"),
    (b"plain text", "notes.txt"),
])
def test_file_whose_content_is_not_what_its_name_claims_is_refused(api, ready, unchanged, content, filename):
    with unchanged():
        error = error_of(api.as_("clerk_a").upload(ready, "achievement_report", content, filename), 422)
    assert "file" in error.get("fields", {})


def test_upload_needs_a_known_kind_and_a_file(api, ready, unchanged):
    with unchanged():
        error_of(api.as_("clerk_a").upload(ready, "selfie"), 422)
        response = api.client.post(f"/api/v1/nominations/{ready}/documents", data={"kind": "other"},
                                   headers={"Authorization": f"Bearer {api.token('clerk_a')}"},
                                   content_type="multipart/form-data")
        refused = error_of(response, 422)
        assert refused["code"] == "upload.file_needed" and refused["field_codes"] == {"file": "field.required"}


def test_stored_file_name_is_made_safe(api, ready):
    response = api.as_("clerk_a").upload(ready, "other", PDF, "../../Báo cáo thành tích.pdf")
    assert response.get_json()["filename"] == "Báo_cáo_thành_tích.pdf"


@pytest.mark.parametrize("form, field", [
    ({"decision": "return"}, "comment"),
    ({"decision": "return", "comment": "   "}, "comment"),
    ({"decision": "maybe", "comment": "x"}, "decision"),
    ({"decision": "endorse", "colour": "red"}, "colour"),
    ({}, "decision"),
])
def test_invalid_task_form_is_refused(api, ready, walk, unchanged, form, field):
    walk(ready, "endorse")
    task = api.as_("head_a").task(ready, "endorse")
    with unchanged():
        error = error_of(api.as_("head_a").post(f"/tasks/{task}/complete", json=form), 422)
    assert field in error["fields"]


def test_named_reviewer_must_be_a_reviewer(api, ready, walk, unchanged):
    walk(ready, "check_dossier")
    task = api.as_("sec").task(ready, "check_dossier")
    with unchanged():
        error = error_of(api.as_("sec").post(f"/tasks/{task}/complete",
                                             json={"decision": "accept", "reviewer": "clerk_a"}), 422)
    assert "reviewer" in error["fields"]


def test_completing_a_task_twice_is_a_conflict(api, ready, walk, unchanged):
    walk(ready, "endorse")
    task = api.as_("head_a").task(ready, "endorse")
    assert api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"}).status_code == 200
    with unchanged():
        error = error_of(api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"}), 409)
    assert error["code"] == "task.already" and error["params"] == {"state": "completed"}
    assert error["message"] == "The task is already completed."


def test_completing_a_task_that_is_not_ready_is_a_conflict(api, ready, walk, unchanged):
    walk(ready, "check_dossier")
    task = api.as_("sec").task(ready, "check_dossier")
    assert api.as_("clerk_a").post(f"/nominations/{ready}/withdraw", json={"reason": "Retired"}).status_code == 200
    with unchanged():
        error_of(api.as_("sec").post(f"/tasks/{task}/complete", json={"decision": "accept"}), 409)


def test_unknown_task_and_nomination_are_404(api, ready, unchanged):
    with unchanged():
        error_of(api.as_("clerk_a").post("/tasks/00000000-0000-0000-0000-000000000000/complete", json={}), 404)
        error_of(api.as_("clerk_a").get("/nominations/999999"), 404)


def test_withdrawal_needs_a_reason(api, ready, unchanged):
    with unchanged():
        error = error_of(api.as_("clerk_a").post(f"/nominations/{ready}/withdraw", json={"reason": " "}), 422)
    assert "reason" in error["fields"]


def test_wrong_password_gets_401_and_no_token(api, app):
    response = api.client.post("/api/v1/auth/token", json={"username": "clerk_a", "password": "wrong"})
    assert error_of(response, 401)["code"] == "sign_in.failed"
    unknown = api.client.post("/api/v1/auth/token", json={"username": "nobody", "password": "wrong"})
    assert unknown.status_code == 401
    assert unknown.get_json()["error"]["message"] == response.get_json()["error"]["message"]


# -- hostile input: a 4xx with a clear message, whatever arrives ---------------------------------

HUGE = "99999999999"  # past the int32 ids of every table


@pytest.mark.parametrize("method, path", [
    ("get", f"/nominations/{HUGE}"), ("get", f"/nominations/{HUGE}/documents"),
    ("get", f"/nominations/1/documents/{HUGE}"), ("get", f"/nominations/{HUGE}/audit"),
    ("get", f"/decisions/{HUGE}"), ("post", f"/holds/{HUGE}/lift"), ("get", "/nominations/" + "9" * 5000),
])
def test_an_id_past_the_columns_range_is_not_found(api, ready, unchanged, method, path):
    with unchanged():
        error = error_of(getattr(api.as_("sec"), method)(path), 404)
    assert error["code"] == "request.not_found"


@pytest.mark.parametrize("path, field", [
    ("/nominations?year=293074391188", "year"), ("/nominations?offset=99999999999", "offset"),
    ("/tasks?offset=99999999999", "offset"), ("/audit?nomination=99999999999", "nomination"),
    ("/decisions?year=293074391188", "year"), ("/decisions?offset=99999999999", "offset"),
])
def test_a_number_past_the_columns_range_is_refused_naming_the_field(api, ready, path, field):
    error = error_of(api.as_("sec").get(path), 422)
    assert error["code"] == "request.invalid" and field in error["fields"]


def test_a_year_past_the_columns_range_in_a_body_is_refused(api, ready, unchanged):
    body = {"award_type": "LDTT", "nominee": {"kind": "individual", "name": "A"}, "year": 293074391188}
    with unchanged():
        error = error_of(api.as_("clerk_a").post("/nominations", json=body), 422)
    assert error["field_codes"]["year"] == "field.between"


def unstorable(response):
    error = error_of(response, 400)
    assert error["code"] == "request.unstorable_character" and "NUL" in error["message"]


@pytest.mark.parametrize("bad", ["\x00", "\ud800"])
def test_nul_and_lone_surrogates_are_refused_in_every_part_of_a_request(api, ready, unchanged, bad):
    sec, token = api.as_("sec"), api.token("clerk_a")
    raw = '{"reason": "a%sb"}' % ("\\u0000" if bad == "\x00" else "\\ud800")
    with unchanged():
        if bad == "\x00":  # a URL cannot carry a lone surrogate: it is not UTF-8
            unstorable(sec.get("/people/A%00B"))
            unstorable(sec.get("/nominations?unit=VP%00TW"))
            unstorable(sec.get("/tasks?key=%00"))
        unstorable(api.client.post(f"/api/v1/nominations/{ready}/withdraw", data=raw, content_type="application/json",
                                   headers={"Authorization": f"Bearer {token}"}))
        unstorable(api.as_("clerk_a").post("/nominations", json={
            "award_type": "LDTT", "nominee": {"kind": "individual", "name": f"A{bad}"}, "year": 2026}))
        unstorable(api.as_("clerk_a").post(f"/tasks/{'0' * 8}-0000-0000-0000-{'0' * 12}/complete",
                                           json={"decision": "endorse", f"x{bad}": 1}))
        if bad == "\x00":  # a form is UTF-8 too; werkzeug replaces what is not
            form = {"kind": f"persons{bad}", "file": (io.BytesIO(b"code\n"), "p.csv")}
            unstorable(api.client.post("/api/v1/registry/import", data=form, content_type="multipart/form-data",
                                       headers={"Authorization": f"Bearer {api.token('sec')}"}))
            unstorable(api.client.post(f"/api/v1/nominations/{ready}/documents",
                                       headers={"Authorization": f"Bearer {token}"},
                                       data={"kind": "other", "file": (io.BytesIO(PDF), f"a{bad}.pdf")},
                                       content_type="multipart/form-data"))


@pytest.mark.parametrize("body", [
    '{"username": "clerk_a\\u0000", "password": "x"}', '{"username": "\\ud800", "password": "x"}',
    '{"username": "clerk_a", "password": "\\u0000"}',
])
def test_signing_in_with_nul_or_a_lone_surrogate_is_refused_before_anything_is_read(api, app, unchanged, body):
    with unchanged():
        unstorable(api.client.post("/api/v1/auth/token", data=body, content_type="application/json"))


def test_a_nul_in_the_bearer_token_is_refused(api, ready):
    unstorable(api.client.get("/api/v1/nominations", headers={"Authorization": "Bearer abc\x00def"}))


@pytest.mark.parametrize("depth", [33, 100_000])
def test_json_nested_too_deep_is_refused_before_it_is_parsed(api, ready, unchanged, depth):
    body = '{"reason": ' + "[" * depth + "]" * depth + "}"
    with unchanged():
        for path in (f"/api/v1/nominations/{ready}/withdraw", "/api/v1/auth/token"):
            response = api.client.post(path, data=body, content_type="application/json",
                                       headers={"Authorization": f"Bearer {api.token('clerk_a')}"})
            error = error_of(response, 400)
            assert error["code"] == "request.too_deep" and error["params"] == {"max": 32}


def test_brackets_inside_strings_are_not_nesting(api, ready):
    from webapp.hostile_input import too_deep
    assert not too_deep(b'{"reason": "' + b"[" * 100 + b'\\"' + b"{" * 100 + b'"}')
    assert too_deep(b'{"a": "\\"", "b": ' + b"[" * 40 + b"]" * 40 + b"}")
    assert not too_deep(b"[" * 32 + b"]" * 32)


def test_pages_refuse_hostile_input_with_a_page(app, ready):
    from tests.pages.conftest import Browser
    browser = Browser(app).sign_in("sec")
    refused = browser.get("/registry?q=%00")
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "NUL" in refused.get_data(as_text=True)
    assert browser.get(f"/nominations/{HUGE}").status_code == 404
    vietnamese = browser.get("/registry?q=%00", headers={"Accept-Language": "vi"})
    assert vietnamese.status_code == 400 and "ký tự NUL" in vietnamese.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/nominations?year=293074391188", "/nominations?page=99999999999999999999", "/decisions?year=293074391188",
    "/decisions?page=99999999999999999999", "/tasks?page=99999999999999999999", "/registry?page=99999999999999999999",
])
def test_pages_take_numbers_past_the_columns_range_as_no_filter(app, ready, path):
    from tests.pages.conftest import Browser
    assert Browser(app).sign_in("sec").get(path).status_code == 200
