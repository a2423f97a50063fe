"""The whole trail for inspection: one meaning of a period for pages and API, oversight only, exports recorded."""

from datetime import date, datetime, timedelta, timezone

import pytest

from workflows.errors import InvalidData, NotAllowed
from workflows.services import audit
from workflows.usecases import accounts, trail


def user(name):
    return accounts.find_user(name)


@pytest.mark.parametrize("username, call", [
    ("m1", lambda u: trail.search(u)),
    ("sec", lambda u: trail.export(u)),
    ("sec", lambda u: trail.verify(u)),
    ("clerk_a", lambda u: trail.search(u)),
])
def test_only_auditors_and_administrators_read_the_whole_trail(app, username, call):
    with app.app_context():
        with pytest.raises(NotAllowed):
            call(user(username))
        assert audit.search(action="audit_exported") == [] and audit.search(action="audit_verified") == []


def test_pages_count_filter_and_order(app, nominate):
    nominate()
    second = nominate(name="Trần Thị Bình")
    with app.app_context():
        auditor = user("aud")
        page = trail.search(auditor, trail.criteria(action="process_started"), limit=1)
        assert page.total == 2 and [e.nomination_id for e in page.events] == [second]
        page = trail.search(auditor, trail.criteria(action="process_started"), newest_first=False, limit=1, offset=1)
        assert [e.nomination_id for e in page.events] == [second]


def test_a_moment_given_as_until_is_included_and_so_is_since(app, nominate):
    first, second = nominate(), nominate(name="Trần Thị Bình")
    with app.app_context():
        auditor = user("aud")
        at = audit.search(nomination_id=second, action="process_started")[0].at.replace(tzinfo=timezone.utc)
        totals = [trail.search(auditor, trail.criteria(nomination_id=nid, action="process_started", **bound)).total
                  for nid in (first, second) for bound in ({"until": at}, {"since": at})]
        assert totals == [1, 0, 1, 1]
        before = at - timedelta(microseconds=1)
        assert trail.search(auditor, trail.criteria(nomination_id=second, until=before)).total == 0


def test_a_day_given_as_until_runs_to_its_end_on_the_blocs_clock():
    # 23:30 UTC on 6 December is 06:30 on 7 December in Hanoi: a search "until 6 December" ends before it.
    found = trail.criteria(since=date(2026, 12, 6), until=date(2026, 12, 6), zone="Asia/Ho_Chi_Minh")
    assert found.since == datetime(2026, 12, 5, 17, 0) and found.until == datetime(2026, 12, 6, 17, 0)
    assert not (found.since <= datetime(2026, 12, 6, 23, 30) < found.until)


def test_an_aware_moment_is_read_in_utc_and_a_reversed_period_is_refused():
    aware = datetime(2026, 12, 7, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    assert trail.criteria(since=aware).since == datetime(2026, 12, 7, 2, 0)
    with pytest.raises(InvalidData) as refused:
        trail.criteria(since=date(2026, 12, 7), until=date(2026, 12, 1))
    assert refused.value.code == "trail.period_reversed" and "until" in refused.value.fields


def test_export_is_recorded_before_any_row_is_read(app, nominate, monkeypatch):
    for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"):
        nominate(name=name)
    monkeypatch.setattr(trail, "EXPORT_CHUNK", 2)  # several chunks from three events
    with app.app_context():
        rows = trail.export(user("admin"), trail.criteria(action="process_started"))
        [exported] = audit.search(action="audit_exported")
        assert exported.actor == "admin" and exported.details == {
            "filters": {"action": "process_started"}, "order": "oldest_first"}
        listed = list(rows)
        assert [r.details["nominee"] for r in listed] == ["Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
        newest = [r.seq for r in trail.export(user("admin"), trail.criteria(action="process_started"),
                                              newest_first=True)]
        assert newest == sorted((r.seq for r in listed), reverse=True)

