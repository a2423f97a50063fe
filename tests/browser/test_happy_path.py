"""A nomination's whole path through the pages, one official after another, in a real browser.

The unit's clerk starts it and uploads the dossier, the unit head returns it once and then endorses it, the
secretariat accepts it, a reviewer appraises it, every council member votes on the ballot page (two
nominations in one submission) and the chair signs both on the signing page. A second test reads the same
pages in Vietnamese.
"""

import re

import pytest
from flask_babel import gettext

from tests.browser.conftest import require_browser, screenshot, sign_in
from tests.conftest import COUNCIL, PASSWORD, PDF

expect = require_browser()

NOMINEE = "Nguyễn Thị Hồng"
SECOND = "Trần Văn Bảo"  # the second nomination on the same ballot and signing sheets
THIRD = "Lê Thị Cúc"  # waiting for the unit head, for the Vietnamese "My tasks"
DOSSIER = [  # kind, its label on the upload form, the file name
    ("proposal_letter", "Proposal letter", "Tờ-trình-khen-thưởng.pdf"),
    ("achievement_report", "Achievement report", "Báo-cáo-thành-tích.pdf"),
    ("review_minutes", "Minutes of the review meeting", "Biên-bản-họp-xét.pdf"),
]
DECISION_NUMBER = re.compile(r"\d+/QĐ-KTĐ")


# -- steps on the pages -------------------------------------------------------------------------------------


def sign_out(page, live_server, button="Sign out"):
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{live_server}/sign-in")
    expect(page.locator("#password")).to_be_visible()


def go_to(page, link):
    """Follow a link of the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()


def region(page, name):
    """A section of the page, by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def flash(page, text):
    """The message the last page shows after a form was handled."""
    return page.get_by_role("status").filter(has_text=text)


def open_task(page, live_server, task_name, nominee):
    """Open, from My tasks, the task of that name for the nominee."""
    expect(page).to_have_url(f"{live_server}/tasks")
    row = page.get_by_role("row").filter(has_text=nominee).filter(has_text=task_name)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=task_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(task_name)
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()


def complete_task(page, live_server, task_name, nominee, status):
    """Submit the task's form; My tasks opens with what became of the nomination."""
    page.get_by_role("button", name="Complete the task").click()
    page.wait_for_url(f"{live_server}/tasks")
    expect(flash(page, "Done:")).to_contain_text(
        f"Done: {task_name} for {nominee}. The nomination is now: {status}.")
    expect(page.get_by_role("row").filter(has_text=nominee).filter(has_text=task_name)).to_have_count(0)


def choose(page, group, option):
    """Tick one radio button of a labelled group of choices.

    On the council's sheets a choice's name goes on to say which nomination it is about ("Yes, <nominee> …").
    """
    name = re.compile(rf"^{re.escape(option)}(, .*)?$")
    page.get_by_role("group", name=group).get_by_role("radio", name=name).check()


def upload(page, kind_label, path):
    page.get_by_label("Kind of document").select_option(label=kind_label)
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(flash(page, "was added to the dossier")).to_have_text(f"{path.name} was added to the dossier.")


def cast_yes_on_both(page, member):
    """A council member votes yes on both nominations of the ballot sheet, in one submission."""
    go_to(page, "Ballot")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ballot 2")
    for nominee in (NOMINEE, SECOND):
        expect(page.get_by_role("article", name=nominee)).to_contain_text("Recommends approval")
    if member == COUNCIL[0]:
        expect(page.get_by_role("article", name=NOMINEE)).to_contain_text("Đủ điều kiện, đề nghị Hội đồng xét.")
        screenshot(page, "ballot-en")
    for nominee in (NOMINEE, SECOND):
        choose(page, f"Your vote on {nominee}", "Yes")
    page.get_by_role("button", name="Cast the chosen ballots").click()
    recorded = page.get_by_role("status").filter(has=page.get_by_role("heading", name="What was recorded"))
    expect(recorded.get_by_role("listitem")).to_have_count(2)
    for nominee in (NOMINEE, SECOND):
        expect(recorded.get_by_role("listitem").filter(has_text=nominee)).to_contain_text("ballot cast")
    expect(recorded).not_to_contain_text("not recorded")
    expect(page.get_by_text("Nothing is waiting for your vote.")).to_be_visible()


# -- the whole path ------------------------------------------------------------------------------------------


def test_whole_path_through_the_pages(page, live_server, tmp_path, nominate, walk):
    # A second nomination of the same unit already waits for the council's votes.
    walk(nominate(name=SECOND), "vote")
    files = {}
    for kind, _label, filename in DOSSIER:
        files[kind] = tmp_path / filename
        files[kind].write_bytes(PDF)
    amended = tmp_path / "Tờ-trình-có-chữ-ký.pdf"
    amended.write_bytes(PDF)

    # The unit's clerk starts the nomination and uploads the dossier.
    sign_in(page, "clerk_a")
    go_to(page, "Nominations")
    page.get_by_role("link", name="Start a nomination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a nomination")
    page.get_by_label("Award", exact=True).select_option("LDTT")
    page.get_by_label("an individual").check()
    page.get_by_label("Name of the person or collective").fill(NOMINEE)
    page.get_by_label("Position (optional)").fill("Chuyên viên chính")
    expect(page.get_by_label("Year", exact=True)).to_have_value(re.compile(r"^\d{4}$"))
    page.get_by_label("Summary of achievements").fill("Hoàn thành xuất sắc nhiệm vụ năm.\nCó sáng kiến cải tiến.")
    page.get_by_role("button", name="Start the nomination").click()
    page.wait_for_url(re.compile(re.escape(live_server) + r"/nominations/\d+$"))
    nomination_id = int(page.url.rsplit("/", 1)[1])
    nomination_url = f"{live_server}/nominations/{nomination_id}"
    expect(flash(page, "started")).to_contain_text(f"Nomination {nomination_id} started.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(NOMINEE)
    expect(heading).to_contain_text("Preparing")
    dossier = region(page, "Dossier")
    expect(dossier.get_by_text("required, missing")).to_have_count(3)

    for kind, label, _filename in DOSSIER:
        upload(page, label, files[kind])
    expect(dossier.get_by_text("required, missing")).to_have_count(0)
    expect(dossier.get_by_text("required, present")).to_have_count(3)
    for _kind, _label, filename in DOSSIER:
        expect(dossier.get_by_role("link", name=filename)).to_be_visible()

    # ... and submits it from the task's page.
    waiting = region(page, "Waiting now")
    expect(waiting).to_contain_text("Prepare the dossier")
    waiting.get_by_role("link", name="Open the task").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the dossier")
    page.get_by_label("Note to the unit head").fill("Kính trình Thủ trưởng đơn vị xem xét.")
    complete_task(page, live_server, "Prepare the dossier", NOMINEE, "Awaiting endorsement")
    sign_out(page, live_server)

    # The unit head returns it: the proposal letter lacks a signature.
    sign_in(page, "head_a")
    open_task(page, live_server, "Endorse the dossier", NOMINEE)
    expect(region(page, "Earlier opinions")).to_contain_text("Kính trình Thủ trưởng")
    choose(page, "Decision", "Return to the unit")
    page.get_by_label("Comment").fill("Tờ trình chưa có chữ ký, đề nghị bổ sung.")
    complete_task(page, live_server, "Endorse the dossier", NOMINEE, "Preparing")
    sign_out(page, live_server)

    # The clerk reads why, adds the signed letter as its next version and submits again.
    sign_in(page, "clerk_a")
    open_task(page, live_server, "Prepare the dossier", NOMINEE)
    expect(region(page, "Earlier opinions")).to_contain_text("Tờ trình chưa có chữ ký")
    page.get_by_role("link", name="Add or remove documents on the nomination page").click()
    page.wait_for_url(f"{nomination_url}#add-document")
    upload(page, "Proposal letter", amended)
    expect(dossier.get_by_text("earlier version", exact=True)).to_have_count(1)
    region(page, "Waiting now").get_by_role("link", name="Open the task").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the dossier")
    page.get_by_label("Note to the unit head").fill("Đã bổ sung tờ trình có chữ ký.")
    complete_task(page, live_server, "Prepare the dossier", NOMINEE, "Awaiting endorsement")
    sign_out(page, live_server)

    # The unit head endorses it this time.
    sign_in(page, "head_a")
    open_task(page, live_server, "Endorse the dossier", NOMINEE)
    choose(page, "Decision", "Endorse")
    page.get_by_label("Comment").fill("Đồng ý đề nghị.")
    complete_task(page, live_server, "Endorse the dossier", NOMINEE, "Being checked")
    sign_out(page, live_server)

    # The secretariat accepts it, leaving the appraisal to the reviewers' pool.
    sign_in(page, "sec")
    open_task(page, live_server, "Check the dossier", NOMINEE)
    expect(region(page, "Eligibility findings")).to_contain_text("all required documents are present")
    choose(page, "Decision", "Accept")
    expect(page.get_by_label("Reviewer (optional)")).to_have_value("")
    complete_task(page, live_server, "Check the dossier", NOMINEE, "Being appraised")
    sign_out(page, live_server)

    # A reviewer takes the task from the pool and recommends approval.
    sign_in(page, "rev")
    expect(page.get_by_role("row").filter(has_text=NOMINEE)).to_contain_text("Any reviewer — first to claim")
    open_task(page, live_server, "Appraise the nomination", NOMINEE)
    page.get_by_role("button", name="Claim").click()
    expect(flash(page, "The task is yours now")).to_be_visible()
    expect(page.get_by_text("Held by Rev")).to_be_visible()
    choose(page, "Recommendation", "Approve")
    page.get_by_label("Written opinion").fill("Đủ điều kiện, đề nghị Hội đồng xét.")
    complete_task(page, live_server, "Appraise the nomination", NOMINEE, "Council voting")
    sign_out(page, live_server)

    # Every council member, the chair last, votes on both nominations in one submission.
    for member in COUNCIL:
        sign_in(page, member)
        cast_yes_on_both(page, member)
        if member != "chair":
            sign_out(page, live_server)
    cast = region(page, "Your ballots")
    for nominee in (NOMINEE, SECOND):
        expect(cast.get_by_role("article").filter(has_text=nominee)).to_contain_text("Passed")

    # The chair signs both decisions in one submission.
    go_to(page, "Signing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signing 2")
    for nominee in (NOMINEE, SECOND):
        choose(page, f"Your decision on {nominee}", "Approve")
    page.get_by_label("Your password (electronic signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign the chosen decisions").click()
    recorded = page.get_by_role("status").filter(has=page.get_by_role("heading", name="What was recorded"))
    expect(recorded.get_by_role("listitem")).to_have_count(2)
    numbers = {}
    for nominee in (NOMINEE, SECOND):
        item = recorded.get_by_role("listitem").filter(has_text=nominee)
        expect(item).to_have_text(re.compile(r"decision \d+/QĐ-KTĐ issued"))
        numbers[nominee] = DECISION_NUMBER.search(item.inner_text()).group(0)
    assert len(set(numbers.values())) == 2, numbers
    expect(page.get_by_text("Nothing is waiting for your signature.")).to_be_visible()
    sign_out(page, live_server)

    # The unit finds its nomination awarded, with the decision, the diagram and the whole timeline.
    sign_in(page, "clerk_a")
    go_to(page, "Nominations")
    row = page.get_by_role("row").filter(has_text=NOMINEE)
    expect(row).to_contain_text("Awarded")
    row.get_by_role("link", name=NOMINEE).click()
    page.wait_for_url(nomination_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awarded")
    facts = region(page, "The nomination")
    expect(facts).to_contain_text(f"No. {numbers[NOMINEE]}, signed")
    expect(facts).to_contain_text("by Chair")
    expect(region(page, "Waiting now")).to_contain_text("Nothing: the process has ended.")
    expect(region(page, "Signed documents").get_by_role("link", name=f"Decision {numbers[NOMINEE]} (PDF)")) \
        .to_be_visible()
    diagram = region(page, "Where the nomination stands")
    expect(diagram.locator("svg.bpmn-diagram")).to_be_visible()
    for step in ("sign_decision", "eligibility", "tally", "outcome_awarded", "end_awarded"):
        expect(diagram.locator(f"g.shape.done[data-id={step}]")).to_have_count(1)
    expect(diagram.locator("g.shape.done[data-id=outcome_rejected]")).to_have_count(0)
    # The process is drawn at its own size in a figure that scrolls: the page itself never scrolls sideways.
    drawn = diagram.locator("figure.bpmn-figure").bounding_box()
    assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= page.viewport_size["width"], drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    timeline = region(page, "Timeline").locator("tbody tr")
    rows = timeline.evaluate_all("rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))")
    steps = [(who, what, step) for _when, who, what, step, _details in rows]
    people = [entry for entry in steps if entry[0] != "the system" and entry[1] != "cast a ballot"]
    assert people == [
        ("Clerk_A", "started the nomination", ""),
        *[("Clerk_A", "uploaded a document", "")] * 3,
        ("Clerk_A", "completed a step", "Prepare the dossier"),
        ("Head_A", "returned the dossier", "Endorse the dossier"),
        ("Clerk_A", "uploaded a document", ""),
        ("Clerk_A", "completed a step", "Prepare the dossier"),
        ("Head_A", "completed a step", "Endorse the dossier"),
        ("Sec", "completed a step", "Check the dossier"),
        ("Rev", "took the task", "Appraise the nomination"),
        ("Rev", "completed a step", "Appraise the nomination"),
        ("Chair", "completed a step", "Sign the decision"),
        ("Chair", "signed electronically", "Sign the decision"),
        ("Chair", "signed the decision", "Sign the decision"),
    ], steps
    assert sorted(who for who, what, _step in steps if what == "cast a ballot") == ["Chair", "M1", "M2", "M3", "M4"]
    assert [(what, step) for who, what, step in steps if who == "the system"] == [
        ("checked eligibility", "Check eligibility"), ("counted the ballots", "Count the ballots")], steps
    expect(timeline.filter(has_text="returned the dossier")).to_contain_text("Tờ trình chưa có chữ ký")
    expect(timeline.filter(has_text="signed the decision")).to_contain_text(f"No. {numbers[NOMINEE]}")
    expect(timeline.filter(has_text="counted the ballots")).to_contain_text("5 yes, 0 no of 5 members: passed")
    screenshot(page, "nomination-en", full_page=True)
    sign_out(page, live_server)

    # The auditor finds every step in the audit trail, with the chain of events intact.
    sign_in(page, "aud")
    go_to(page, "Audit")
    page.get_by_label("Nomination number").fill(str(nomination_id))
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(rf"/audit\?.*nomination={nomination_id}"))
    page.get_by_role("button", name="Verify the chain").click()
    page.wait_for_url(re.compile(rf"/audit\?.*nomination={nomination_id}"))
    expect(page.get_by_role("status").filter(has_text="Chain intact")).to_be_visible()
    events = page.locator("main table tbody tr")
    expect(events.filter(has_text="Decision signed")).to_have_count(1)
    expect(events.filter(has_text="Ballot cast")).to_have_count(5)
    expect(events.filter(has_text="Returned")).to_have_count(1)


# -- the same pages in Vietnamese ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["vi-VN"])
def test_the_pages_in_vietnamese(app, api, page, live_server, nominate, walk):
    awarded = nominate(name=NOMINEE)
    walk(awarded, "sign_decision")
    api.as_("chair").complete(awarded, "sign_decision", {"decision": "approve", "comment": ""})
    walk(nominate(name=SECOND), "vote")
    walk(nominate(name=THIRD), "endorse")
    with app.test_request_context(headers={"Accept-Language": "vi-VN"}):
        words = {text: gettext(text) for text in ("My tasks", "Ballot", "Awarded", "Timeline", "Audit trail",
                                                  "Sign out")}
    assert words["Awarded"] != "Awarded", "the Vietnamese catalogue is not compiled"

    sign_in(page, "head_a")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["My tasks"])
    expect(page.get_by_role("row").filter(has_text=THIRD)).to_contain_text("Cho ý kiến trình hồ sơ")
    screenshot(page, "inbox-vi")
    sign_out(page, live_server, words["Sign out"])

    sign_in(page, COUNCIL[0])
    page.goto("/ballot")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["Ballot"])
    expect(page.get_by_role("article", name=SECOND)).to_be_visible()
    screenshot(page, "ballot-vi")
    sign_out(page, live_server, words["Sign out"])

    sign_in(page, "clerk_a")
    page.goto(f"/nominations/{awarded}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{NOMINEE} {words['Awarded']}")
    expect(page.locator("figure svg")).to_be_visible()
    expect(region(page, words["Timeline"])).to_contain_text("1/QĐ-KTĐ")
    expect(region(page, words["Timeline"])).to_contain_text("Kiểm phiếu")
    expect(page.locator("figure svg")).to_contain_text("Ký quyết định")
    screenshot(page, "nomination-vi", full_page=True)
    sign_out(page, live_server, words["Sign out"])

    sign_in(page, "aud")
    page.goto(f"/audit?nomination={awarded}")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["Audit trail"])
    expect(page.locator("main table tbody tr").first).to_be_visible()
