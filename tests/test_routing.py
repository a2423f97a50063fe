"""Who gets which task, and who may see or change a nomination: truth tables over plain objects."""

from datetime import datetime
from types import SimpleNamespace

import pytest

from workflows.services import routing
from workflows.services.routing import Route, route

UNIT_A, UNIT_B = 1, 2
BLOC, AGENCY = 1, 2  # deciding authorities: every role below but the unit's is held within the bloc


def user(uid, *roles, unit=None, active=True, within=BLOC):
    grants = frozenset((role, within) for role in roles if role in routing.AUTHORITY_ROLES)
    return SimpleNamespace(id=uid, roles=frozenset(roles), unit_id=unit, active=active,
                           authority_ids=frozenset(a for _, a in grants),
                           acts_as=lambda role, authority: (role, authority) in grants)


def task(role, *, unit=None, assignee=None, pooled=False, within=BLOC):
    return SimpleNamespace(role=role, unit_id=unit, assignee_id=assignee, pooled=pooled,
                           authority_id=within if role in routing.AUTHORITY_ROLES else None)


def nomination(unit, submitted=True, within=BLOC):
    return SimpleNamespace(unit_id=unit, submitted_at=datetime(2026, 3, 1) if submitted else None,
                           authority_id=within)


USERS = {
    "clerk_a": user(1, "unit_clerk", unit=UNIT_A),
    "clerk_b": user(2, "unit_clerk", unit=UNIT_B),
    "head_a": user(3, "unit_head", unit=UNIT_A),
    "sec": user(4, "secretariat"),
    "rev": user(5, "reviewer"),
    "rev2": user(6, "reviewer"),
    "m1": user(7, "council_member"),
    "chair": user(8, "council_member", "council_chair"),
    "aud": user(9, "auditor"),
    "admin": user(10, "admin"),
    # Head of unit A who also sits on the council.
    "head_m": user(11, "unit_head", "council_member", unit=UNIT_A),
    "gone": user(12, "unit_clerk", "unit_head", "secretariat", "reviewer", "council_member", unit=UNIT_A,
                 active=False),
}

TASKS = {
    "prepare_a": task("unit_clerk", unit=UNIT_A),
    "endorse_a": task("unit_head", unit=UNIT_A),
    "check": task("secretariat"),
    "pool_free": task("reviewer", pooled=True),
    "pool_rev": task("reviewer", assignee=5, pooled=True),
    "named_rev": task("reviewer", assignee=5),
    "vote_m1": task("council_member", assignee=7),
    "vote_head_m": task("council_member", assignee=11),
    "vote_chair": task("council_member", assignee=8),
    "sign": task("council_chair"),
}

# For each task, everyone who may act on it; everyone else may not.
ACTORS = {
    "prepare_a": {"clerk_a"},
    "endorse_a": {"head_a", "head_m"},
    "check": {"sec"},
    "pool_free": {"rev", "rev2"},
    "pool_rev": {"rev"},
    "named_rev": {"rev"},
    "vote_m1": {"m1"},
    "vote_head_m": {"head_m"},
    "vote_chair": {"chair"},
    "sign": {"chair"},
}


@pytest.mark.parametrize("task_name", sorted(TASKS))
@pytest.mark.parametrize("user_name", sorted(USERS))
def test_may_act_truth_table(user_name, task_name):
    assert routing.may_act(USERS[user_name], TASKS[task_name]) is (user_name in ACTORS[task_name])


@pytest.mark.parametrize("user_name, keys", [
    ("head_m", {"endorse_a", "vote_head_m"}),
    ("chair", {"vote_chair", "sign"}),
    ("aud", set()),
    ("admin", set()),
    ("gone", set()),
])
def test_a_user_acts_on_exactly_the_tasks_of_all_their_roles(user_name, keys):
    assert {k for k, t in TASKS.items() if routing.may_act(USERS[user_name], t)} == keys


@pytest.mark.parametrize("user_name, task_name, claim, unclaim", [
    ("rev", "pool_free", True, False),
    ("rev2", "pool_free", True, False),
    ("rev", "pool_rev", False, True),     # the holder gives it back
    ("rev2", "pool_rev", False, False),   # someone else's claimed pool task
    ("rev", "named_rev", False, False),   # a named assignment is not a pool task
    ("sec", "pool_free", False, False),
    ("aud", "pool_free", False, False),
    ("m1", "vote_m1", False, False),
    ("gone", "pool_free", False, False),
])
def test_claim_and_unclaim(user_name, task_name, claim, unclaim):
    assert routing.may_claim(USERS[user_name], TASKS[task_name]) is claim
    assert routing.may_unclaim(USERS[user_name], TASKS[task_name]) is unclaim


def test_inactive_holder_may_not_unclaim():
    holder = user(5, "reviewer", active=False)
    assert routing.may_unclaim(holder, TASKS["pool_rev"]) is False


# (user, nomination unit, submitted) -> may view
VIEW = [
    ("clerk_a", UNIT_A, False, True), ("clerk_a", UNIT_A, True, True),
    ("clerk_a", UNIT_B, False, False), ("clerk_a", UNIT_B, True, False),
    ("clerk_b", UNIT_A, True, False),
    ("head_a", UNIT_A, False, True), ("head_a", UNIT_B, True, False),
    ("sec", UNIT_A, False, False), ("sec", UNIT_A, True, True),
    ("rev", UNIT_B, False, False), ("rev", UNIT_B, True, True),
    ("m1", UNIT_A, False, False), ("m1", UNIT_A, True, True),
    ("chair", UNIT_B, False, False), ("chair", UNIT_B, True, True),
    ("head_m", UNIT_A, False, True), ("head_m", UNIT_B, False, False), ("head_m", UNIT_B, True, True),
    ("aud", UNIT_A, False, True), ("aud", UNIT_B, True, True),
    ("admin", UNIT_B, False, True),
    ("gone", UNIT_A, False, False), ("gone", UNIT_A, True, False),
]


@pytest.mark.parametrize("user_name, unit, submitted, expected", VIEW)
def test_may_view(user_name, unit, submitted, expected):
    assert routing.may_view(USERS[user_name], nomination(unit, submitted)) is expected


# (user, nomination unit) -> (may edit the dossier, may withdraw)
CHANGE = [
    ("clerk_a", UNIT_A, True, True),
    ("clerk_a", UNIT_B, False, False),
    ("clerk_b", UNIT_A, False, False),
    ("head_a", UNIT_A, False, True),
    ("head_a", UNIT_B, False, False),
    ("head_m", UNIT_A, False, True),
    ("sec", UNIT_A, False, False),
    ("chair", UNIT_A, False, False),
    ("aud", UNIT_A, False, False),
    ("admin", UNIT_A, False, False),
    ("gone", UNIT_A, False, False),
]


@pytest.mark.parametrize("user_name, unit, edit, withdraw", CHANGE)
def test_may_edit_dossier_and_withdraw(user_name, unit, edit, withdraw):
    assert bool(routing.may_edit_dossier(USERS[user_name], nomination(unit))) is edit
    assert bool(routing.may_withdraw(USERS[user_name], nomination(unit))) is withdraw


@pytest.mark.parametrize("user_name, expected", [
    ("clerk_a", True), ("clerk_b", True), ("head_a", False), ("sec", False), ("aud", False),
    ("admin", False), ("gone", False),
])
def test_may_start(user_name, expected):
    assert bool(routing.may_start(USERS[user_name])) is expected


def test_a_clerk_without_a_unit_may_not_start():
    assert not routing.may_start(user(20, "unit_clerk", unit=None))


@pytest.mark.parametrize("user_name, expected", [
    ("aud", True), ("admin", True), ("sec", False), ("gone", False),
])
def test_may_read_whole_trail(user_name, expected):
    assert bool(routing.may_read_whole_trail(USERS[user_name])) is expected


@pytest.mark.parametrize("lane, role, assignee, expected", [
    ("Unit", "unit_clerk", None, Route("unit_clerk", UNIT_B, None, False)),
    ("Unit", "unit_head", None, Route("unit_head", UNIT_B, None, False)),
    ("Secretariat", "secretariat", None, Route("secretariat", None, None, False)),
    ("Reviewer", "reviewer", None, Route("reviewer", None, None, True)),
    ("Reviewer", "reviewer", "rev", Route("reviewer", None, "rev", False)),
    ("Council", "council_member", "m1", Route("council_member", None, "m1", False)),
    ("Chair", "council_chair", None, Route("council_chair", None, None, False)),
    # A unit role stays narrowed to the nominating unit whatever lane it is drawn in.
    ("Secretariat", "unit_head", None, Route("unit_head", UNIT_B, None, False)),
])
def test_route(lane, role, assignee, expected):
    assert route(lane, role, assignee, UNIT_B) == expected


@pytest.mark.parametrize("user_name", ["sec", "rev", "m1", "chair", "head_m"])
def test_the_blocs_people_take_no_step_of_another_authority_and_see_none_of_its_nominations(user_name):
    person = USERS[user_name]
    for key, bloc_task in TASKS.items():
        if bloc_task.authority_id is not None:
            elsewhere = task(bloc_task.role, assignee=bloc_task.assignee_id, pooled=bloc_task.pooled, within=AGENCY)
            assert not routing.may_act(person, elsewhere), key
    assert not routing.may_view(person, nomination(UNIT_B, within=AGENCY))


def test_an_agencys_office_acts_within_its_agency_only():
    office = user(30, "secretariat", within=AGENCY)
    assert routing.may_act(office, task("secretariat", within=AGENCY))
    assert not routing.may_act(office, task("secretariat", within=BLOC))
    assert routing.may_view(office, nomination(UNIT_A, within=AGENCY))
    assert not routing.may_view(office, nomination(UNIT_A, within=BLOC))


def test_the_route_of_a_step_within_an_authority_names_it():
    assert route("Secretariat", "secretariat", None, UNIT_B, AGENCY).authority_id == AGENCY
    assert route("Unit", "unit_clerk", None, UNIT_B, AGENCY).authority_id is None


@pytest.mark.parametrize("role", [None, ""])
def test_route_refuses_a_task_without_a_role(role):
    with pytest.raises(ValueError, match="Council"):
        route("Council", role, "m1", UNIT_A)


def test_a_bloc_role_placed_in_the_unit_neither_withdraws_nor_edits():
    # A council member seated from the nominating unit acts for the bloc, not for the unit.
    member = user(50, "council_member", "secretariat", unit=1)
    assert routing.may_withdraw(member, nomination(1)) is False
    assert routing.may_edit_dossier(member, nomination(1)) is False
