"""Every role against every route that names an object: another unit's object, or not the role's business.

The routes come from the application's URL map, so a new route with an id and no case here
fails the first test until someone says who may reach it. For each route, one user of each
role (the unit roles from the other unit) asks for an object of unit VPTW; every role the
case does not allow must get 403 or 404 with nothing of the object in the answer. The
owner's own request for the same object answers 200, so the refusals are about who asks,
not about a wrong id.
"""

import io
import re
from dataclasses import dataclass, field

import pytest

from tests.conftest import PASSWORD, PDF, register
from tests.decision_helpers import seat_the_chair, sign, to_signing
from tests.list_decision_helpers import record_answer
from tests.list_helpers import list_at
from tests.pages.conftest import Browser, csrf_token
from tests.session_helpers import agency_with_secretary, round_with_voting, scheduled

# One user per role, placed outside unit VPTW where the role belongs to a unit.
ROLES = {"unit_clerk": "clerk_b", "unit_head": "head_b", "secretariat": "sec", "reviewer": "rev",
         "council_member": "m1", "council_chair": "chair", "auditor": "aud", "admin": "admin"}
BLOC = {"sec", "rev", "m1", "chair"}
OVERSIGHT = {"aud", "admin"}
REGISTRY_READERS = {"sec", "aud", "admin"}  # the whole bloc's registry
EVERYONE = set(ROLES.values())
# Who reads an authority's register: its office, council and head, and oversight.
REGISTER_READERS = {"sec", "m1", "chair", "aud", "admin"}


@dataclass(frozen=True)
class Case:
    """Which object a route is asked for, with what body, and who may reach it (and so is not asked)."""

    args: dict
    allowed: set = field(default_factory=set)
    body: dict | None = None
    owner: str | None = None  # who reads it (GET) with 200, proving the object is real


HOLD = {"kind": "inspection", "reason": "Kiểm tra"}
REVOKE = {"reason_code": "criteria_unmet", "reason": "Không đạt", "password": PASSWORD}

# Objects, named as the world fixture names them: draft (unit VPTW, not yet submitted, with a
# document and its open task), signed (submitted, voted and signed, with its decision), person
# and collective (VPTW's registry, with a hold on the person), rule_set (public reference).
API_CASES = {
    "api_nominations.detail": Case({"nomination_id": "draft"}, OVERSIGHT, owner="clerk_a"),
    "api_audit.nomination_trail": Case({"nomination_id": "draft"}, OVERSIGHT, owner="clerk_a"),
    "api_nominations.documents": Case({"nomination_id": "draft"}, OVERSIGHT, owner="clerk_a"),
    "api_nominations.download": Case({"nomination_id": "draft", "document_id": "document"}, OVERSIGHT,
                                     owner="clerk_a"),
    "api_nominations.upload": Case({"nomination_id": "draft"}),
    "api_nominations.withdraw": Case({"nomination_id": "draft"}, body={"reason": "Rút"}),
    # A submitted nomination's papers are the whole bloc's business once signed.
    "api_decisions.decision_pdf": Case({"nomination_id": "signed"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "api_decisions.tally_pdf": Case({"nomination_id": "signed"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "api_decisions.detail": Case({"decision_id": "decision"}, {"sec", "m1", "chair"} | OVERSIGHT, owner="clerk_a"),
    "api_decisions.revoke": Case({"decision_id": "decision"}, {"chair", "admin"}, body=REVOKE),
    "api_tasks.detail": Case({"task_id": "task"}, owner="clerk_a"),
    "api_tasks.claim": Case({"task_id": "task"}),
    "api_tasks.complete": Case({"task_id": "task"}, body={"comment": "Xong"}),
    "api_tasks.unclaim": Case({"task_id": "task"}),
    "api_registry.person": Case({"code": "person"}, REGISTRY_READERS, owner="clerk_a"),
    "api_registry.collective": Case({"code": "collective"}, REGISTRY_READERS, owner="clerk_a"),
    "api_registry.hold_person": Case({"code": "person"}, {"sec", "admin"}, body=HOLD),
    "api_registry.hold_collective": Case({"code": "collective"}, {"sec", "admin"}, body=HOLD),
    "api_registry.lift": Case({"hold_id": "hold"}, {"sec", "admin"}, body={"reason": "Xong"}),
    "api_rules.set_seat": Case({"username": "m2"}, {"admin"}, body={"position": "member"}),
    "api_rules.rule_set": Case({"code": "rule_set"}, EVERYONE, owner="clerk_a"),  # published rules are public
    # A round of the bloc is read by every unit that proposes to it; its office alone changes it.
    "api_rounds.round_read": Case({"round_id": "round"}, EVERYONE, owner="clerk_a"),
    "api_rounds.round_edit": Case({"round_id": "round"}, {"sec"}, body={"name": "Đổi tên"}),
    "api_rounds.round_close": Case({"round_id": "round"}, {"sec"}),
    "api_rounds.late_entry": Case({"round_id": "round"}, {"sec"},
                                  body={"unit": "BTCTW", "reason": "Muộn", "until": "2030-01-01"}),
    # A submitted list is its deciding authority's business (the bloc's here); only its office checks it.
    "api_rounds.proposal_read": Case({"proposal_id": "list"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "api_rounds.download_paper": Case({"proposal_id": "list", "paper_id": "paper"}, BLOC | OVERSIGHT,
                                      owner="clerk_a"),
    "api_rounds.upload_paper": Case({"proposal_id": "list"}),
    "api_rounds.submit": Case({"proposal_id": "list"}),
    "api_rounds.endorse": Case({"proposal_id": "list"}, body={"decision": "endorse"}),
    "api_rounds.check": Case({"proposal_id": "list"}, {"sec"}, body={"decisions": {"1": {"outcome": "accept"}}}),
    "api_rounds.withdraw_nominee": Case({"proposal_id": "list", "nomination_id": "nominee"},
                                        body={"reason": "Rút"}),
    "api_rounds.release_hold": Case({"proposal_id": "list", "nomination_id": "nominee"}, {"sec"}),
    # An agency's council sessions: its office, council and head; oversight reads them, acts on none.
    "api_sessions.schedule": Case({"round_id": "session_round"},
                                  body={"scheduled_for": "2026-12-20T08:00:00+07:00"}),
    "api_sessions.of_round": Case({"round_id": "session_round"}, OVERSIGHT, owner="vptw_office"),
    "api_sessions.read": Case({"session_id": "session"}, OVERSIGHT, owner="vptw_office"),
    "api_sessions.attendance": Case({"session_id": "session"}, body={"attendance": {}}),
    "api_sessions.open_ballots": Case({"session_id": "session"}),
    "api_sessions.close_ballots": Case({"session_id": "session"}),
    "api_sessions.cast": Case({"session_id": "session"}, body={"choices": {}}),
    "api_sessions.minutes": Case({"session_id": "session"}, OVERSIGHT),
    # A list at the head's signature, and a list's proposal sent up and answered from above.
    "api_list_decisions.sign_list": Case({"list_id": "signing_list"}, {"chair"}, body={"password": PASSWORD}),
    "api_list_decisions.sign_round_award": Case({"round_id": "round", "award_code": "LDTT"}, {"chair"},
                                                body={"password": PASSWORD}),
    "api_list_decisions.annex": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "api_list_decisions.document": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "api_list_decisions.outcome": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "api_list_decisions.scan": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "api_list_decisions.record_outcome": Case({"decision_id": "upward"}, {"sec"}),
    "api_list_decisions.higher_form": Case({"nomination_id": "signed"}, {"sec"},
                                           body={"award_type": "BKTTG", "reason": "Kiến nghị"}),
}

PAGE_CASES = {
    "nominations.detail": Case({"nomination_id": "draft"}, OVERSIGHT, owner="clerk_a"),
    "nominations.diagram": Case({"nomination_id": "draft"}, OVERSIGHT, owner="clerk_a"),
    "nominations.download": Case({"nomination_id": "draft", "document_id": "document"}, OVERSIGHT, owner="clerk_a"),
    "nominations.upload": Case({"nomination_id": "draft"}),
    "nominations.remove_document": Case({"nomination_id": "draft", "document_id": "document"}),
    "nominations.withdraw": Case({"nomination_id": "draft"}, body={"reason": "Rút"}),
    "decisions.decision_pdf": Case({"nomination_id": "signed"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "decisions.tally_pdf": Case({"nomination_id": "signed"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "decisions.revoke": Case({"decision_id": "decision"}, {"chair", "admin"}, body=REVOKE),
    "work.task": Case({"task_id": "task"}, OVERSIGHT, owner="clerk_a"),  # the oversight roles read any step
    "work.complete": Case({"task_id": "task"}, body={"comment": "Xong"}),
    "work.claim": Case({"task_id": "task"}),
    "work.unclaim": Case({"task_id": "task"}),
    "registry.person": Case({"code": "person"}, REGISTRY_READERS, owner="clerk_a"),
    "registry.collective": Case({"code": "collective"}, REGISTRY_READERS, owner="clerk_a"),
    # The secretariat and the administrators keep the whole bloc's registry.
    "registry.place_hold": Case({"plural": "people", "code": "person"}, {"sec", "admin"},
                                body={"hold-kind": "inspection", "hold-reason": "Kiểm tra"}),
    "registry.add_history": Case({"plural": "people", "code": "person", "history": "assessments"},
                                 {"sec", "admin"}, body={"assessment-year": "2024", "assessment-grade": "HTTNV"}),
    "registry.lift_hold": Case({"hold_id": "hold"}, {"sec", "admin"}, body={"lift-reason": "Xong"}),
    "admin.edit_user": Case({"username": "clerk_a"}, {"admin"}, body={"full_name": "Ai đó"}),
    "admin.reset_password": Case({"username": "clerk_a"}, {"admin"}, body={"password": "new password 1"}),
    "admin.edit_unit": Case({"code": "VPTW"}, {"admin"}, body={"name": "Đổi tên"}),
    "admin.set_unit_status": Case({"code": "VPTW"}, {"admin"}, body={"active": ""}),
    "admin.edit_award_type": Case({"code": "LDTT"}, {"admin"}, body={"name": "Đổi tên"}),
    # The deciding authorities are administered by the administrators alone.
    "authorities_admin.edit": Case({"code": "KHOI"}, {"admin"}, body={"name": "Đổi tên"}),
    "authorities_admin.roles": Case({"code": "KHOI"}, {"admin"}, body={"username": "m2", "role": "office"}),
    "authorities_admin.seats": Case({"code": "KHOI"}, {"admin"}, body={"username": "m2", "position": "member"}),
    "lists.round_panel": Case({"round_id": "round"}, EVERYONE, owner="clerk_a"),
    "lists.round_late": Case({"round_id": "round"}, {"sec"}, body={"unit": "BTCTW", "reason": "Muộn",
                                                                  "until": "2030-01-01"}),
    "lists.round_close": Case({"round_id": "round"}, {"sec"}),
    "lists.list_detail": Case({"proposal_id": "list"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "lists.list_submit": Case({"proposal_id": "list"}),
    "lists.list_endorse": Case({"proposal_id": "list"}, body={"decision": "endorse"}),
    "lists.list_check": Case({"proposal_id": "list"}, {"sec"}),
    "lists.nominee_withdraw": Case({"proposal_id": "list", "nomination_id": "nominee"}, body={"reason": "Rút"}),
    "lists.nominee_release": Case({"proposal_id": "list", "nomination_id": "nominee"}, {"sec"}),
    "lists.paper_upload": Case({"proposal_id": "list"}),
    "lists.paper_download": Case({"proposal_id": "list", "paper_id": "paper"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "sessions.of_round": Case({"round_id": "session_round"}, OVERSIGHT),
    "sessions.schedule": Case({"round_id": "session_round"}, body={"scheduled_for": "2026-12-20T08:00"}),
    "sessions.detail": Case({"session_id": "session"}, OVERSIGHT),
    "sessions.attendance": Case({"session_id": "session"}),
    "sessions.open_ballots": Case({"session_id": "session"}),
    "sessions.close_ballots": Case({"session_id": "session"}),
    "sessions.cast": Case({"session_id": "session"}),
    "sessions.minutes": Case({"session_id": "session"}, OVERSIGHT),
    # A list's signing page is for those who see the list; only the head signs.
    "list_decisions.sign": Case({"list_id": "signing_list"}, BLOC | OVERSIGHT, owner="clerk_a"),
    "list_decisions.sign_post": Case({"list_id": "signing_list"}, {"chair"},
                                     body={"choice": "approve", "password": PASSWORD}),
    "list_decisions.detail": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "list_decisions.document": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "list_decisions.scan": Case({"decision_id": "upward"}, REGISTER_READERS, owner="clerk_a"),
    "list_decisions.record_outcome": Case({"decision_id": "upward"}, {"sec"},
                                          body={"higher_authority": "Thủ tướng", "number": "1/QĐ-TTg",
                                                "decided_on": "2026-01-02"}),
}
NOT_OBJECTS = {"static", "bootstrap.static"}  # files of the application itself


def routes(app, api: bool):
    """(endpoint, method, rule) for every route with a path argument, API or pages."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint in NOT_OBJECTS or rule.rule.startswith("/api/v1") is not api:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda r: (r[2].rule, r[1]))


def test_every_route_with_an_object_has_a_case():
    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "AUDIT_KEY": None, "AUDIT_KEY_FILE": "/nonexistent/audit.key"})
    missing = [f"{method} {rule.rule} ({endpoint})" for api in (True, False)
               for endpoint, method, rule in routes(app, api) if endpoint not in (API_CASES if api else PAGE_CASES)]
    assert not missing, "routes with an object id and no authorization case:\n" + "\n".join(missing)


NAMES = ("Hồ Sơ Nháp", "Đã Ký", "Người Trong Sổ", "Tập Thể Trong Sổ")


@pytest.fixture
def world(app, api, nominate, walk):
    seat_the_chair(app)
    draft = nominate(name=NAMES[0])
    document = api.as_("clerk_a").upload(draft, "proposal_letter").get_json()["id"]
    task = api.as_("clerk_a").task(draft, "prepare_dossier")
    signed = to_signing(api, nominate, walk, name=NAMES[1])
    sign(api, signed)
    decision = api.as_("sec").get(f"/nominations/{signed}").get_json()["decision"]["id"]
    person = register(app, "VPTW", NAMES[2])
    collective = register(app, "VPTW", NAMES[3], kind="collective")
    hold = api.as_("sec").post(f"/people/{person}/holds", json=HOLD).get_json()["id"]
    rule_set = api.as_("clerk_a").get("/rule-sets").get_json()[0]["code"]
    round_id = api.as_("sec").post("/rounds", json={
        "authority": "KHOI", "name": "Đợt xét 2026", "year": 2026, "award_codes": ["LDTT"],
        "intake_deadline": "2100-12-31"}).get_json()["id"]
    listed = list_at(app, "preparing", nominees=1, round_id=round_id)
    paper = api.as_("clerk_a").api.client.post(
        f"/api/v1/proposals/{listed}/papers", data={"kind": "proposal_letter", "file": (io.BytesIO(PDF), "a.pdf")},
        headers=api.as_("clerk_a")._headers(), content_type="multipart/form-data").get_json()["id"]
    assert api.as_("clerk_a").post(f"/proposals/{listed}/submit", json={}).status_code == 200
    assert api.as_("head_a").post(f"/proposals/{listed}/endorse", json={"decision": "endorse"}).status_code == 200
    nominee = api.as_("clerk_a").get(f"/proposals/{listed}").get_json()["nominees"][0]["nomination_id"]
    # The bloc's lists at the head's signature: one waits, one was proposed up and answered from above.
    waiting = list_at(app, "signing", nominees=2)
    sent_up = list_at(app, "signing", award="BKTTG", nominees=2)
    upward = api.as_("chair").post(f"/lists/{sent_up}/decision", json={"password": PASSWORD}).get_json()
    upward = upward["decision"]["id"]
    answered = record_answer(api, upward, {row["nomination_id"]: "awarded" for row in
                                           api.as_("sec").get(f"/decisions/{upward}/annex").get_json()["annex"]},
                             office="sec")
    assert answered.status_code == 201, answered.get_json()
    agency_with_secretary(app, "VPTW")  # after the nominations above: the bloc decides those
    session_round, _ = round_with_voting(app)
    session = scheduled(api, session_round)["id"]
    return {"draft": draft, "document": document, "task": task, "signed": signed, "decision": decision,
            "person": person, "collective": collective, "hold": hold, "rule_set": rule_set, "round": round_id,
            "list": listed, "paper": paper, "nominee": nominee, "signing_list": waiting, "upward": upward,
            "session_round": session_round, "session": session}


def path_of(rule, case: Case, world: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = case.args[name]
        path = re.sub(rf"<[^<>]*\b{name}>", str(world.get(value, value)), path)
    return path


def leaks(response, world: dict) -> bool:
    """Whether a refusal names anything of the objects asked for: a nominee's or a registry subject's name."""
    body = response.get_data()
    return any(name.encode() in body for name in NAMES)


def test_no_role_reaches_another_units_object_through_the_api(app, api, world):
    checked, wrong = 0, []
    for endpoint, method, rule in routes(app, api=True):
        case = API_CASES[endpoint]
        path = path_of(rule, case, world)[len("/api/v1"):]
        if case.owner and method == "GET":
            assert api.as_(case.owner).get(path).status_code == 200, f"{path} is not a real object"
        for user in sorted(EVERYONE - case.allowed):
            caller = api.as_(user)
            if endpoint == "api_nominations.upload":
                response = caller.upload(world["draft"], "other")
            elif endpoint == "api_list_decisions.record_outcome":
                response = record_answer(api, world["upward"], {}, office=user)
            elif endpoint == "api_rounds.upload_paper":
                response = caller.api.client.post(
                    f"/api/v1{path}", data={"kind": "review_minutes", "file": (io.BytesIO(PDF), "a.pdf")},
                    headers=caller._headers(), content_type="multipart/form-data")
            elif method == "GET":
                response = caller.get(path)
            elif method == "PUT":
                response = caller.put(path, json=case.body or {})
            else:
                response = caller.post(path, json=case.body or {})
            checked += 1
            answer = response.get_json(silent=True)
            error = answer.get("error") if isinstance(answer, dict) else None
            if response.status_code not in (403, 404) or not error or leaks(response, world):
                wrong.append(f"{user} {method} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert checked == API_PAIRS


def test_no_role_reaches_another_units_object_through_the_pages(app, world):
    browsers = {user: Browser(app).sign_in(user) for user in EVERYONE}
    tokens = {user: csrf_token(b.get("/account").get_data(as_text=True)) for user, b in browsers.items()}
    owner = Browser(app).sign_in("clerk_a")
    checked, wrong = 0, []
    for endpoint, method, rule in routes(app, api=False):
        case = PAGE_CASES[endpoint]
        path = path_of(rule, case, world)
        if case.owner and method == "GET":
            assert owner.get(path).status_code == 200, f"{path} is not a real object"
        for user in sorted(EVERYONE - case.allowed):
            client = browsers[user].client
            if method == "GET":
                response = client.get(path)
            else:
                token = tokens[user]
                # Prefixed forms carry their token under their prefix too.
                data = {"csrf_token": token, **{f"{p}-csrf_token": token for p in ("hold", "lift", "assessment")},
                        **(case.body or {})}
                if endpoint in ("nominations.upload", "lists.paper_upload"):
                    data.update(kind="other" if endpoint == "nominations.upload" else "review_minutes",
                                file=(io.BytesIO(PDF), "a.pdf"))
                if endpoint == "list_decisions.record_outcome":
                    data.update(scan=(io.BytesIO(PDF), "a.pdf"))
                response = client.post(path, data=data)
            checked += 1
            if response.status_code not in (403, 404) or leaks(response, world):
                wrong.append(f"{user} {method} {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert checked == PAGE_PAIRS


# The counts of (role, route) pairs refused above; docs/security.md quotes them.
API_PAIRS = sum(len(EVERYONE - c.allowed) for c in API_CASES.values())
PAGE_PAIRS = sum(len(EVERYONE - c.allowed) * (2 if e.startswith(("admin.edit_", "authorities_admin.edit")) else 1)
                 for e, c in PAGE_CASES.items())
