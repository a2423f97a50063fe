"""The process's own words (tasks, fields, choices, statuses, findings, audit actions, errors) in Vietnamese."""

import re
from html import unescape

from workflows.db import db
from workflows.usecases import accounts

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def prefer_vietnamese(app, username):
    with app.app_context():
        accounts.set_locale(accounts.find_user(username), "vi")
        db.session.remove()


def test_the_inbox_names_tasks_and_awards_in_the_readers_language(app, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    prefer_vietnamese(app, "head_a")
    page = text(browser("head_a").get("/tasks"))
    assert "Cho ý kiến trình hồ sơ" in page and "Endorse the dossier" not in page
    assert '<abbr title="Lao động tiên tiến">LDTT</abbr>' in page
    nominate(award_type="CSTDCS")
    english = text(browser("clerk_a").get("/tasks"))
    assert '<abbr title="Grassroots Emulation Fighter">' in english and "Chiến sĩ" not in english


def test_a_task_form_shows_its_labels_choices_and_errors_in_vietnamese(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    b = browser("head_a", **VI)
    page = text(b.get(f"/tasks/{task_id}"))
    assert "<h1 class=\"h3\">Cho ý kiến trình hồ sơ</h1>" in page
    assert "Đồng ý trình" in page and "Trả lại đơn vị" in page
    assert '<label class="form-label" for="field-comment">Ý kiến' in page
    assert "Bắt buộc khi Quyết định là Trả lại đơn vị." in page
    response = b.post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {"decision": "return"})
    assert response.status_code == 422
    error = re.search(r'id="field-comment-error">([^<]*)<', text(response)).group(1)
    assert error == "Trường này bắt buộc khi Quyết định là Trả lại đơn vị."


def test_findings_statuses_and_timeline_are_in_vietnamese(browser, nominate, walk):
    nid = nominate(award_type="CSTDBO")
    walk(nid, "check_dossier")
    page = text(browser("sec", **VI).get(f"/nominations/{nid}"))
    assert "Hồ sơ đầy đủ" in page and "có đủ các tài liệu bắt buộc" in page
    assert "Danh hiệu các năm liên tục" in page
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 22" in page and "Law on Emulation" not in page
    assert "cần đạt CSTDCS các năm 2024, 2025, 2026; tìm thấy: không có" in page
    assert "Đang kiểm tra hồ sơ" in page or "Kiểm tra hồ sơ" in page
    timeline = page[page.index('id="timeline-heading"'):]
    assert "Kiểm tra điều kiện" in timeline and "Cho ý kiến trình hồ sơ" in timeline
    for english in ("Check eligibility", "all required documents are present", "Endorse the dossier"):
        assert english not in page


def test_the_audit_trail_names_actions_steps_and_coded_details(browser, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    page = text(browser("aud", **VI).get(f"/audit?nomination={nid}"))
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    endorsed = [row for row in rows if "Hoàn thành công việc" in row and "Cho ý kiến trình hồ sơ" in row]
    assert endorsed and "Đồng ý trình" in endorsed[0]  # the decision "endorse", worded
    assert any("Kiểm tra điều kiện" in row and "Hồ sơ đầy đủ" in row for row in rows)
    assert "Lập đề nghị khen thưởng" in page


def test_domain_errors_on_pages_are_in_vietnamese(api, browser, nominate, walk):
    b = browser("clerk_a", **VI)
    missing = b.get("/nominations/999999")
    assert missing.status_code == 404 and "Không có đề nghị số 999999." in text(missing)
    assert "Không tìm thấy" in text(missing)
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    refused = b.post_form("/tasks", f"/tasks/{task_id}/claim", {})
    assert refused.status_code == 403, text(refused)[-800:]
    assert "Công việc này không dành cho bạn." in text(refused) and "Không có quyền truy cập" in text(refused)
    nowhere = b.get("/no-such-page")
    assert nowhere.status_code == 404 and "Trang hoặc bản ghi không tồn tại" in text(nowhere)
    english = browser("clerk_a").get("/nominations/999999")
    assert "No nomination 999999." in text(english)


def test_a_conflict_page_is_in_vietnamese(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    b = browser("clerk_a", **VI)
    page = f"/nominations/{nid}"
    response = b.post_form(page, f"{page}/documents/1/remove", {})
    assert response.status_code == 409
    assert "Hồ sơ ở trạng thái: chờ đồng ý trình; chỉ được gỡ tài liệu khi đang chuẩn bị hồ sơ." in text(response)
    assert "Đã có người khác xử lý trước" in text(response)


def test_the_diagram_is_drawn_at_its_own_size_ticks_automatic_steps_and_explains_itself(browser, nominate, walk):
    nid = nominate()
    walk(nid, "appraise")
    walk_to_signing = nominate(name="Trần Văn Khoa")
    walk(walk_to_signing, "sign_decision")
    page = text(browser("sec", **VI).get(f"/nominations/{walk_to_signing}"))
    svg = page[page.index("<svg"):page.index("</svg>")]
    # One unit of the drawing is one pixel, so its words keep their size: the figure scrolls instead.
    view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.split(">")[0])
    assert view and f'width="{view[1]}" height="{view[2]}"' in svg.split(">")[0]
    for step in ("start", "prepare_dossier", "endorse", "eligibility", "check_dossier", "appraise", "vote",
                 "open_vote", "tally"):
        assert re.search(rf'<g class="shape \w+ done" data-id="{step}">', svg), step
    assert re.search(r'<g class="shape userTask current" data-id="sign_decision">', svg)
    assert not re.search(r'class="[^"]*done[^"]*" data-id="outcome_awarded"', svg)
    assert "Kiểm phiếu" in svg and "Count the ballots" not in svg  # the diagram speaks the reader's language
    assert "Bước hiện tại: Ký quyết định." in svg and "Đã xong:" in svg
    assert "Chú giải" in page and "Đã xong, do người thực hiện hoặc tự động" in page
    early = text(browser("sec").get(f"/nominations/{nid}"))
    assert re.search(r'<g class="shape scriptTask done" data-id="eligibility">', early)
    assert not re.search(r'class="[^"]*done[^"]*" data-id="tally"', early)


def test_the_full_size_diagram_is_a_standalone_svg_for_those_who_may_see_it(browser, nominate):
    nid = nominate()
    response = browser("clerk_a").get(f"/nominations/{nid}/diagram.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and 'width="100%"' not in svg and "<style>" in svg
    assert "script" not in response.headers["Content-Security-Policy"]
    assert browser("clerk_b").get(f"/nominations/{nid}/diagram.svg").status_code == 404


def test_the_friendly_error_pages_speak_vietnamese(app, browser):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-the-test", "broken_for_the_test", broken)
    b = browser("sec", **VI)
    forbidden = b.get("/admin")
    assert forbidden.status_code == 403 and "Không có quyền truy cập" in text(forbidden)
    failed = b.get("/broken-for-the-test")
    page = text(failed)
    assert failed.status_code == 500 and "Đã xảy ra lỗi" in page and "Hệ thống gặp sự cố" in page
    assert "a bug" not in page and "Quay lại Việc cần xử lý" in page
    english = browser("sec").get("/no-such-page")
    assert "The page or record does not exist" in text(english)
    assert "requested URL was not found" not in text(english)  # the server's generic words are replaced


def test_every_word_of_the_shipped_process_has_an_entry():
    """The diagram's named elements, the forms' fields and choices: a new one needs its translation here."""
    import json
    from pathlib import Path

    from webapp.vocabulary.process import CHOICE_LABELS, ELEMENT_NAMES, FIELD_LABELS
    from workflows.rendering.diagram import read_diagram

    folder = Path(__file__).resolve().parents[2] / "bpmn"
    diagram = read_diagram((folder / "nomination.bpmn").read_text(encoding="utf-8"))
    named = {item.id for item in (*diagram.shapes, *diagram.edges) if item.name}
    assert named and named - set(ELEMENT_NAMES) == set()
    for form in (folder / "forms").glob("*.json"):
        for field in json.loads(form.read_text(encoding="utf-8"))["fields"]:
            assert (form.stem, field["name"]) in FIELD_LABELS, (form.stem, field["name"])
            assert set(field.get("choices", [])) <= set(CHOICE_LABELS), field


def test_the_tally_states_its_rule_in_vietnamese(browser, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    trail = text(browser("aud", **VI).get(f"/audit?nomination={nid}&action=tally"))
    assert "70% số thành viên đã bỏ phiếu" in trail and "Quy chế làm việc của Hội đồng, Điều 8 khoản 1" in trail
    assert "số thành viên đã bỏ phiếu" in trail and "of the members who voted" not in trail
    signing = text(browser("chair", **VI).get("/signing"))
    assert "70% số thành viên đã bỏ phiếu" in signing
