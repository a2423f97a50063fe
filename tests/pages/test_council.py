"""The council's pages: one ballot sheet per member (secret), one signing sheet for the chair."""

import re
from html.parser import HTMLParser

import pytest

from tests.ballot_helpers import counts_in_box
from tests.conftest import COUNCIL, PASSWORD
from tests.pages.conftest import csrf_token

CHOICES = {"yes", "no"}


class Tokens(HTMLParser):
    """Every text node and attribute value of a page, stripped."""

    def __init__(self, html):
        super().__init__()
        self.values = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.values += [value.strip() for _, value in attrs if value]

    def handle_data(self, data):
        if data.strip():
            self.values.append(data.strip())


def choice_tokens(html: str) -> list[str]:
    """Text or attribute values that are a ballot choice and nothing else (as in test_secret_ballot)."""
    return [value for value in Tokens(html).values if value.lower() in CHOICES]


def pending(html: str) -> set[str]:
    return set(re.findall(r'name="vote-([0-9a-f-]+)"', html))


def tally_count(html: str, label: str) -> int:
    found = re.search(rf"<dt[^>]*>{label}</dt>\s*<dd[^>]*>(\d+)</dd>", html)
    assert found, f"no {label} on the page"
    return int(found.group(1))


def counts(app, nomination_id) -> dict:
    with app.app_context():
        return counts_in_box(nomination_id)


def test_a_member_sees_exactly_the_ballots_waiting_for_them(api, browser, nominate, walk):
    first, second = nominate(name="Trần Thị Bình"), nominate(name="Lê Văn Cường")
    not_yet = nominate(name="Phạm Thị Dung")
    for nid in (first, second):
        walk(nid, "vote")
    walk(not_yet, "appraise")
    page = browser("m1").get("/ballot").get_data(as_text=True)
    assert pending(page) == {api.as_("m1").task(first, "vote"), api.as_("m1").task(second, "vote")}
    assert "Trần Thị Bình" in page and "Lê Văn Cường" in page and "Phạm Thị Dung" not in page
    # What the member decides on: the dossier, the findings and the reviewer's advice.
    assert "Hoàn thành xuất sắc nhiệm vụ." in page and "all required documents are present" in page
    assert "Recommends approval" in page and "Meets criteria" in page
    for task_id in pending(page):
        for choice in ("yes", "no", "later"):
            assert f'<label class="form-check-label" for="vote-{task_id}-{choice}">' in page


def test_a_nominee_on_the_council_has_no_ballot_on_their_own_nomination(app, api, browser, nominate, walk):
    nid = nominate(name="Hoàng Văn Mười", username="m1")
    walk(nid, "vote")
    own_page = browser("m1").get("/ballot").get_data(as_text=True)
    assert pending(own_page) == set() and "Hoàng Văn Mười" not in own_page
    other = browser("m2").get("/ballot").get_data(as_text=True)
    assert pending(other) == {api.as_("m2").task(nid, "vote")}
    # Nor can they cast someone else's ballot on it by forging the form.
    forged = browser("m1").post_form("/ballot", "/ballot", {f"vote-{api.as_('m2').task(nid, 'vote')}": "yes"})
    assert "not waiting for you" in forged.get_data(as_text=True)
    assert counts(app, nid) == {}


def test_two_ballots_in_one_submission_are_counted_and_never_shown(app, api, browser, nominate, walk):
    first, second = nominate(name="Trần Thị Bình"), nominate(name="Lê Văn Cường")
    for nid in (first, second):
        walk(nid, "vote")
    member = browser("m1")
    ids = {nid: api.as_("m1").task(nid, "vote") for nid in (first, second)}
    response = member.post_form("/ballot", "/ballot", {f"vote-{ids[first]}": "yes", f"vote-{ids[second]}": "no"})
    assert response.status_code == 200
    result = response.get_data(as_text=True)
    assert result.count("ballot cast") >= 2 and "not recorded" not in result
    assert counts(app, first) == {"yes": 1} and counts(app, second) == {"no": 1}

    for html in (result, member.get("/ballot").get_data(as_text=True)):
        assert pending(html) == set()
        assert "ballot cast" in html and "The vote is still open" in html
        assert choice_tokens(html) == []
    for nid in (first, second):
        trail = browser("aud").get(f"/audit?nomination={nid}").get_data(as_text=True)
        assert re.search(r"<td>M1</td>\s*<td>Ballot cast", trail)  # members by their full names
        assert choice_tokens(trail) == []


def test_a_members_page_is_the_same_whichever_way_they_voted(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    api.as_("m1").complete(nid, "vote", {"vote": "yes"})
    api.as_("m2").complete(nid, "vote", {"vote": "no"})

    def seen_by(username):
        html = browser(username).get("/ballot").get_data(as_text=True)
        return html.replace(csrf_token(html), "").replace(username.title(), "MEMBER").replace(username, "member")

    assert seen_by("m1") == seen_by("m2")


def test_a_members_nomination_page_says_only_that_they_voted(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    api.as_("m1").complete(nid, "vote", {"vote": "yes"})
    api.as_("m2").complete(nid, "vote", {"vote": "no"})

    def seen_by(username):
        html = browser(username).get(f"/nominations/{nid}").get_data(as_text=True)
        assert choice_tokens(html) == [] and html.count("cast a ballot") == 2
        return html.replace(csrf_token(html), "").replace(f">{username.title()}</span>", ">MEMBER</span>")

    # Both took part, as the page says; but who is reading it, and how they voted, change nothing on it.
    assert seen_by("m1") == seen_by("m2")


def test_the_tally_shows_once_the_vote_has_closed(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    member = browser("m1")
    member.post_form("/ballot", "/ballot", {f"vote-{api.as_('m1').task(nid, 'vote')}": "yes"})
    waiting = member.get("/ballot").get_data(as_text=True)
    assert "Yes votes" not in waiting and "The vote is still open" in waiting
    for other, vote in zip(COUNCIL[1:], ["no", "yes", "yes", "yes"]):
        api.as_(other).complete(nid, "vote", {"vote": vote})
    closed = member.get("/ballot").get_data(as_text=True)
    assert (tally_count(closed, "Yes votes"), tally_count(closed, "No votes")) == (4, 1)
    assert tally_count(closed, "Members entitled to vote") == 5
    assert "70% of the members who voted" in closed and "Passed" in closed
    assert "The vote is still open" not in closed


def test_a_ballot_already_cast_is_reported_and_the_others_still_count(app, api, browser, nominate, walk):
    first, second = nominate(name="Trần Thị Bình"), nominate(name="Lê Văn Cường")
    for nid in (first, second):
        walk(nid, "vote")
    member = browser("m1")
    page = member.get("/ballot").get_data(as_text=True)
    stale = api.as_("m1").task(first, "vote")
    api.as_("m1").complete(first, "vote", {"vote": "no"})  # from another window, meanwhile
    response = member.client.post("/ballot", data={"csrf_token": csrf_token(page), f"vote-{stale}": "yes",
                                                   f"vote-{api.as_('m1').task(second, 'vote')}": "yes"})
    html = response.get_data(as_text=True)
    assert "not recorded: This was already done" in html and "ballot cast" in html
    assert counts(app, first) == {"no": 1} and counts(app, second) == {"yes": 1}


def test_the_chair_signs_several_nominations_in_one_submission(api, browser, nominate, walk):
    awarded, forwarded = nominate(name="Trần Thị Bình"), nominate(award_type="BKTTG", name="Võ Thị Em")
    no_reason, refused = nominate(name="Lê Văn Cường"), nominate(name="Đặng Văn Giang")
    nids = (awarded, forwarded, no_reason, refused)
    for nid in nids:
        walk(nid, "sign_decision")
    chair = browser("chair")
    page = chair.get("/signing").get_data(as_text=True)
    task = {nid: api.as_("chair").task(nid, "sign_decision") for nid in nids}
    assert all(f'name="decision-{task[nid]}"' in page for nid in nids)
    assert tally_count(page, "Yes votes") == 5
    assert "90% of all members entitled to vote (quorum 66.7% of the members)" in page
    assert "Meets criteria" in page and "needs BKBAN before 2026; found none" in page

    response = chair.post_form("/signing", "/signing", {
        f"decision-{task[awarded]}": "approve", f"comment-{task[awarded]}": "",
        f"decision-{task[forwarded]}": "approve",
        f"decision-{task[no_reason]}": "reject", f"comment-{task[no_reason]}": "  ",
        f"decision-{task[refused]}": "reject", f"comment-{task[refused]}": "Chưa đủ thành tích.",
        "password": PASSWORD,
    })
    html = response.get_data(as_text=True)
    assert "decision 1/QĐ-KTĐ issued" in html and "proposal 1/TTr-KTĐ issued" in html and "refused" in html
    assert "not signed: A refusal needs a comment giving the reasons." in html
    # The row that failed stays on the sheet with the chair's choice kept.
    assert re.search(rf'id="decision-{task[no_reason]}-reject"\s+value="reject"\s+checked>', html)
    assert f'id="comment-{task[no_reason]}-error"' in html

    def state(nid):
        body = api.as_("aud").get(f"/nominations/{nid}").get_json()
        return body["status"], (body["decision"] or {}).get("number")

    assert [state(nid) for nid in nids] == [("awarded", "1/QĐ-KTĐ"), ("forwarded", "1/TTr-KTĐ"),
                                            ("signing", None), ("rejected", None)]


@pytest.mark.parametrize("username, path", [
    ("clerk_a", "/ballot"), ("clerk_a", "/signing"), ("clerk_a", "/audit"), ("clerk_a", "/audit.csv"),
    ("m1", "/signing"), ("m1", "/audit"), ("aud", "/ballot"), ("admin", "/signing"),
])
def test_pages_are_refused_to_other_roles(browser, username, path):
    assert browser(username).get(path).status_code == 403


@pytest.mark.parametrize("path", ["/ballot", "/signing"])
def test_a_batch_from_another_role_is_refused(browser, path):
    assert browser("clerk_a").post_form("/tasks", path, {}).status_code == 403


def test_a_batch_posted_without_its_csrf_token_is_refused(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    member = browser("m1")
    assert member.client.post("/ballot", data={f"vote-{api.as_('m1').task(nid, 'vote')}": "yes"}).status_code == 400
    assert browser("chair").client.post("/signing", data={}).status_code == 400
    assert counts(app, nid) == {}


def test_submitting_nothing_casts_nothing(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    task_id = api.as_("m1").task(nid, "vote")
    html = browser("m1").post_form("/ballot", "/ballot", {f"vote-{task_id}": ""}).get_data(as_text=True)
    assert "No ballot was chosen, so nothing was cast." in html and pending(html) == {task_id}
    assert counts(app, nid) == {}


def test_the_sheets_speak_vietnamese(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    voted = browser("m1", HTTP_ACCEPT_LANGUAGE="vi").get("/ballot")
    signing = browser("chair", HTTP_ACCEPT_LANGUAGE="vi").get("/signing")
    for response in (voted, signing):
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and '<html lang="vi">' in html
        assert "Lao động tiên tiến" in html and "Nguyễn Văn Tâm" in html
    assert "Văn phòng Trung ương Đảng" in signing.get_data(as_text=True)
