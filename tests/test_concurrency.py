"""Races: several clients completing or claiming the same task at the same moment.

Meaningful on PostgreSQL (row locks, many connections); on SQLite the same tests check that
a busy database gives 409s and retries, never a 500.
"""

import threading

from tests.conftest import COUNCIL
from workflows.services import audit

RACERS = 6


def race(app, calls):
    """Run the calls in threads released together; return their status codes."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        client = app.test_client()
        barrier.wait()
        results[index] = call(client).status_code

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def post(path, token, body=None):
    return lambda client: client.post(f"/api/v1{path}", json=body or {}, headers={"Authorization": f"Bearer {token}"})


def test_one_of_many_completions_of_the_same_task_wins(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    token = api.token("head_a")
    codes = race(app, [post(f"/tasks/{task}/complete", token, {"decision": "endorse", "comment": str(i)})
                       for i in range(RACERS)])
    assert sorted(codes) == [200] + [409] * (RACERS - 1)
    trail = api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
    assert len([e for e in trail if e["task"] == "endorse" and e["action"] == "task_completed"]) == 1
    assert [t["key"] for t in api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"]] == \
        ["check_dossier"]


def test_members_voting_at_the_same_moment_all_count(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    calls = [post(f"/tasks/{api.as_(m).task(nid, 'vote')}/complete", api.token(m), {"vote": "yes"}) for m in COUNCIL]
    assert race(app, calls) == [200] * len(COUNCIL)
    assert api.as_("chair").get(f"/nominations/{nid}").get_json()["status"] == "signing"
    tally = [e for e in api.as_("aud").get(f"/nominations/{nid}/audit").get_json() if e["action"] == "tally"]
    assert tally[0]["details"]["tally_result"]["yes"] == len(COUNCIL)


def test_one_of_two_reviewers_claims_the_pool_task(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "appraise")
    task = api.as_("rev").task(nid, "appraise")
    codes = race(app, [post(f"/tasks/{task}/claim", api.token(r)) for r in ("rev", "rev2")] * 2)
    assert sorted(codes).count(200) == 1 and set(codes) <= {200, 409}


def test_the_audit_chain_stays_whole_under_concurrent_writes(app, api, nominate, walk):
    ids = [nominate(name=f"Person {i}") for i in range(4)]
    for nid in ids:
        walk(nid, "endorse")
    token = api.token("head_a")
    calls = [post(f"/tasks/{api.as_('head_a').task(nid, 'endorse')}/complete", token, {"decision": "endorse"})
             for nid in ids]
    assert race(app, calls) == [200] * len(ids)
    with app.app_context():
        assert audit.verify().ok
