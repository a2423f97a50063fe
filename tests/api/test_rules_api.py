"""The rules as data through the API: read by those who apply them, published by administrators."""

from datetime import date

TODAY = date.today().isoformat()
RULE = {"award": "LDTT", "kind": "assessment_at_least", "params": {"grade": "HTTNV"}, "basis": "Law, Art. 24"}


def test_officials_read_every_version_with_its_legal_basis(api):
    sets = api.as_("clerk_a").get("/rule-sets").get_json()
    assert [s["code"] for s in sets] == ["TDKT-2025", "TDKT-2024"]
    assert sets[0]["effective_from"] == "2025-07-01" and sets[0]["effective_to"] is None
    assert sets[1]["effective_to"] == "2025-06-30"
    ldtt = [r for r in sets[0]["rules"] if r["award"] == "LDTT"]
    assert {r["kind"] for r in ldtt} == {"assessment_at_least", "recruited_before_year_end"}
    assert all(r["basis"] for r in sets[0]["rules"])
    one = api.as_("aud").get("/rule-sets/TDKT-2024").get_json()
    assert one["code"] == "TDKT-2024" and "Decree 98/2023" in one["legal_basis"]
    assert api.as_("aud").get("/rule-sets/NOPE").status_code == 404
    assert api.as_(None).get("/rule-sets").status_code == 401


def test_the_council_regulation_and_its_articles(api):
    [regulation] = api.as_("m1").get("/council/regulations").get_json()
    articles = {a["article"]: a for a in regulation["articles"]}
    assert set(articles) == {"emulation_fighter", "state", "agency", "grassroots"}
    assert (articles["state"]["threshold"], articles["state"]["base"]) == (0.9, "members")
    assert (articles["grassroots"]["threshold"], articles["grassroots"]["base"]) == (0.7, "voters")
    assert regulation["rounding"] == "up"
    assert regulation["without_vote"] == ["LDTT", "TTLDTT"] and regulation["written_ballots"] is True


def test_only_an_administrator_publishes_and_bad_versions_are_refused(api):
    body = {"code": "TDKT-2027", "title": "New criteria", "legal_basis": "Law 06/2026/QH16",
            "effective_from": TODAY, "rules": [RULE]}
    assert api.as_("sec").post("/rule-sets", json=body).status_code == 403
    bad = api.as_("admin").post("/rule-sets", json={**body, "rules": [{**RULE, "kind": "guesswork"}]})
    assert bad.status_code == 422 and "rules[0].kind" in bad.get_json()["error"]["fields"]
    assert len(api.as_("admin").get("/rule-sets").get_json()) == 2
    published = api.as_("admin").post("/rule-sets", json=body)
    assert published.status_code == 201, published.get_json()
    assert published.get_json()["rules"] == [RULE]
    assert api.as_("admin").post("/rule-sets", json=body).status_code == 409
    trail = api.as_("aud").get("/audit?action=rule_set_published").get_json()
    assert trail[-1]["details"]["code"] == "TDKT-2027" and trail[-1]["details"]["replaces"] == "TDKT-2025"


def test_publishing_a_regulation_and_seating_the_council(api):
    body = {"code": "QC-2027", "title": "Amended", "legal_basis": "Decision 3/QĐ-HĐ", "effective_from": TODAY,
            "articles": [{"article": "grassroots", "quorum": 0.5, "threshold": 0.6, "base": "voters"}]}
    assert api.as_("chair").post("/council/regulations", json=body).status_code == 403
    assert api.as_("admin").post("/council/regulations", json={**body, "rounding": "sideways"}).status_code == 422
    assert api.as_("admin").post("/council/regulations", json=body).status_code == 201
    assert [r["code"] for r in api.as_("m2").get("/council/regulations").get_json()] == ["QC-2027", "QC-HDTDKT-2024"]

    assert api.as_("admin").put("/council/seats/chair", json={"position": "chair"}).status_code == 204
    assert api.as_("admin").put("/council/seats/m1", json={"position": "standing_vice_chair"}).status_code == 204
    assert api.as_("admin").put("/council/seats/m1", json={"position": "emperor"}).status_code == 422
    assert api.as_("m3").put("/council/seats/m3", json={"position": "chair"}).status_code == 403
    seats = {s["username"]: s["position"] for s in api.as_("m3").get("/council/seats").get_json()}
    assert seats == {"chair": "chair", "m1": "standing_vice_chair"}
    assert api.as_("admin").put("/council/seats/m1", json={"position": None}).status_code == 204
    assert [s["username"] for s in api.as_("m3").get("/council/seats").get_json()] == ["chair"]


def test_a_regulation_says_which_awards_need_no_vote_and_whether_written_ballots_count(api, unchanged):
    body = {"code": "QC-2027", "title": "Amended", "legal_basis": "Decision 3/QĐ-HĐ", "effective_from": TODAY,
            "articles": [{"article": "grassroots", "quorum": 0.5, "threshold": 0.6, "base": "voters"}]}
    api.token("admin")  # signed in before: a refusal must change nothing after that
    with unchanged():
        unknown = api.as_("admin").post("/council/regulations", json={**body, "without_vote": ["LDTT", "XYZ"]})
        assert unknown.status_code == 422
        assert "XYZ" in unknown.get_json()["error"]["fields"]["without_vote"]
        assert api.as_("admin").post("/council/regulations",
                                     json={**body, "written_ballots": "maybe"}).status_code == 422
    published = api.as_("admin").post("/council/regulations", json={
        **body, "without_vote": ["TTLDTT", "LDTT", "LDTT"], "written_ballots": False})
    assert published.status_code == 201, published.get_json()
    # Each code once, in the catalogue's order, whatever order it was given in.
    assert published.get_json()["without_vote"] == ["LDTT", "TTLDTT"]
    assert published.get_json()["written_ballots"] is False
    trail = api.as_("aud").get("/audit?action=regulation_published").get_json()
    assert trail[-1]["details"]["without_vote"] == ["LDTT", "TTLDTT"]
    assert trail[-1]["details"]["written_ballots"] is False
