"""Each kind of prerequisite at its boundaries, on a record built in memory (no database)."""

from datetime import date

import pytest

from workflows.services.eligibility import RuleError, validate
from workflows.services.eligibility.checks import Context, run
from workflows.services.eligibility.history import History, InitiativeHeld


def check(kind, record, year=2026, ctx=Context(), **params):
    return run({"kind": kind, "params": params}, record, year, ctx)


def person(**record) -> History:
    return History("person", **record)


def collective(members: list[History], **record) -> History:
    return History("collective", members=members, **record)


# Consecutive years -------------------------------------------------------------------------------

def test_a_gap_in_the_chain_is_not_met_and_says_what_was_found():
    result = check("consecutive_awards", person(awards={("CSTDCS", 2024), ("CSTDCS", 2026)}),
                   award="CSTDCS", years=3)
    assert result.met is False
    assert result.message == "needs CSTDCS in 2024, 2025, 2026; found 2024, 2026"


def test_three_consecutive_years_ending_this_year_are_met():
    result = check("consecutive_awards", person(awards={("CSTDCS", y) for y in (2024, 2025, 2026)}),
                   award="CSTDCS", years=3)
    assert result.met is True
    assert result.message == "needs CSTDCS in 2024, 2025, 2026; found 2024, 2025, 2026"


@pytest.mark.parametrize("awards, found", [
    (set(), "none"),
    ({("CSTDCS", 2023), ("CSTDCS", 2024), ("CSTDCS", 2025)}, "2024, 2025"),  # ends a year early
    ({("CSTDCS", 2027), ("CSTDCS", 2028)}, "none"),                          # later years do not count
    ({("LDTT", 2024), ("LDTT", 2025), ("LDTT", 2026)}, "none"),              # another award
])
def test_only_the_award_within_the_window_counts(awards, found):
    result = check("consecutive_awards", person(awards=awards), award="CSTDCS", years=3)
    assert result.met is False
    assert result.message.endswith(f"found {found}")


def test_consecutive_assessments_must_follow_the_earlier_award():
    grades = {y: "HTTNV" for y in range(2022, 2027)}
    after = check("consecutive_assessments", person(assessments=grades, awards={("BKBAN", 2021)}),
                  grade="HTTNV", years=5, after_award="BKBAN")
    inside = check("consecutive_assessments", person(assessments=grades, awards={("BKBAN", 2023)}),
                   grade="HTTNV", years=5, after_award="BKBAN")
    assert after.met is True
    assert inside.met is False and "held none before 2022" in inside.message


def test_a_weaker_grade_breaks_a_chain_of_good_years():
    grades = {2022: "HTXSNV", 2023: "HTTNV", 2024: "HTNV", 2025: "HTTNV", 2026: "HTXSNV"}
    result = check("consecutive_assessments", person(assessments=grades), grade="HTTNV", years=5)
    assert result.met is False
    assert result.message == "needs HTTNV or better in 2022, 2023, 2024, 2025, 2026; found 2022, 2023, 2025, 2026"


# Assessment and recruitment -----------------------------------------------------------------------

@pytest.mark.parametrize("grade, met", [("HTXSNV", True), ("HTTNV", True), ("HTNV", False), ("KHTNV", False)])
def test_assessment_at_least_good(grade, met):
    assert check("assessment_at_least", person(assessments={2026: grade}), grade="HTTNV").met is met


def test_no_assessment_that_year_is_not_met():
    result = check("assessment_at_least", person(assessments={2025: "HTXSNV"}), grade="HTTNV")
    assert result.met is False and result.message.endswith("found no assessment")


@pytest.mark.parametrize("recruited, met", [
    (date(2026, 6, 30), True), (date(2026, 7, 1), True),     # six full months, July to December
    (date(2026, 7, 2), False), (date(2026, 12, 1), False),   # less than six months
    (date(2015, 3, 1), True),
])
def test_recruitment_less_than_six_months_before_year_end(recruited, met):
    result = check("recruited_before_year_end", person(recruited_on=recruited), months=6)
    assert result.met is met
    assert "on or before 2026-07-01" in result.message


def test_no_recruitment_date_is_not_met():
    assert check("recruited_before_year_end", person(), months=6).met is False


# Initiatives --------------------------------------------------------------------------------------

def initiative(iid, level="grassroots", year=2026, used_by=None):
    return InitiativeHeld(iid, level, year, used_by)


def test_an_unused_initiative_is_chosen_as_grounds():
    result = check("unused_initiatives", person(initiatives=[initiative(7)]), count=1, level="grassroots", years=1)
    assert result.met is True and result.initiative_ids == (7,)


def test_an_initiative_already_used_by_another_nomination_is_not_grounds_again():
    record = person(initiatives=[initiative(7, used_by=41)])
    result = check("unused_initiatives", record, ctx=Context(nomination_id=42), count=1, level="grassroots", years=1)
    assert result.met is False
    assert result.initiative_ids == ()
    assert "found 0 unused, 1 already used" in result.message


def test_the_nomination_that_used_an_initiative_still_sees_it_as_its_own():
    record = person(initiatives=[initiative(7, used_by=41)])
    result = check("unused_initiatives", record, ctx=Context(nomination_id=41), count=1, level="grassroots", years=1)
    assert result.met is True and result.initiative_ids == (7,)


def test_an_initiative_of_a_narrower_level_or_outside_the_window_does_not_count():
    record = person(initiatives=[initiative(1, level="grassroots"), initiative(2, level="agency", year=2023)])
    assert check("unused_initiatives", record, count=1, level="agency", years=3).met is False
    assert check("unused_initiatives", record, count=1, level="agency", years=4).met is True
    assert check("unused_initiatives", record, count=1, level="grassroots", years=1).initiative_ids == (1,)


def test_two_initiatives_needed_and_one_found():
    result = check("unused_initiatives", person(initiatives=[initiative(3)]), count=2, level="grassroots", years=2)
    assert result.met is False


# Collectives --------------------------------------------------------------------------------------

def members(holding: int, total: int, award="LDTT", year=2026) -> list[History]:
    return [person(awards={(award, year)} if i < holding else set()) for i in range(total)]


@pytest.mark.parametrize("holding, total, met", [(69, 100, False), (70, 100, True), (7, 10, True), (6, 10, False),
                                                 (0, 0, False)])
def test_a_collective_at_69_and_70_percent_advanced_workers(holding, total, met):
    result = check("members_with_award", collective(members(holding, total)), award="LDTT", share=0.7)
    assert result.met is met


def test_the_share_is_reported_with_the_counts():
    result = check("members_with_award", collective(members(69, 100)), award="LDTT", share=0.7)
    assert result.message == "needs at least 70% of members with LDTT in 2026; found 69 of 100 (69 %)"


@pytest.mark.parametrize("level, met", [("reprimand", True), ("warning", False), ("removal", False)])
def test_a_member_disciplined_at_and_below_warning(level, met):
    team = [person(), person(discipline=[(2026, level)])]
    result = check("no_member_discipline", collective(team), at_least="warning")
    assert result.met is met


def test_discipline_in_another_year_does_not_count():
    team = [person(discipline=[(2025, "warning")])]
    assert check("no_member_discipline", collective(team), at_least="warning").met is True


def test_a_collective_with_a_grassroots_fighter():
    assert check("member_with_award", collective(members(1, 5, "CSTDCS")), award="CSTDCS").met is True
    assert check("member_with_award", collective(members(0, 5, "CSTDCS")), award="CSTDCS").met is False


# Holds, quotas, composite rules, judgement ---------------------------------------------------------

def test_an_open_hold_is_an_unmet_finding_naming_its_kind():
    held = check("no_open_hold", person(open_holds=[("complaint", "letter of 3 March")]))
    assert held.met is False and "complaint" in held.message
    assert check("no_open_hold", person()).met is True


@pytest.mark.parametrize("ldtt, taken, met", [(20, 3, True), (20, 4, False), (6, 0, True), (6, 1, False)])
def test_a_quota_of_fifteen_percent_of_the_units_advanced_workers(ldtt, taken, met):
    counts = {"LDTT": ldtt, "CSTDCS": taken}
    ctx = Context(unit_count=lambda award, year: counts[award])
    assert check("quota", person(), ctx=ctx, of_award="LDTT", max_share=0.15, award="CSTDCS").met is met


def test_any_of_is_met_by_either_branch_and_keeps_the_initiative_it_relied_on():
    either = [{"kind": "assessment_at_least", "params": {"grade": "HTXSNV"}},
              {"kind": "unused_initiatives", "params": {"count": 1, "level": "grassroots", "years": 1}}]
    by_grade = check("any_of", person(assessments={2026: "HTXSNV"}), checks=either)
    by_initiative = check("any_of", person(assessments={2026: "HTTNV"}, initiatives=[initiative(9)]), checks=either)
    neither = check("any_of", person(assessments={2026: "HTTNV"}), checks=either)
    assert (by_grade.met, by_grade.initiative_ids) == (True, ())
    assert (by_initiative.met, by_initiative.initiative_ids) == (True, (9,))
    assert neither.met is False and " OR " in neither.message


def test_all_of_needs_every_branch():
    both = [{"kind": "consecutive_assessments", "params": {"grade": "HTXSNV", "years": 2}},
            {"kind": "unused_initiatives", "params": {"count": 2, "level": "grassroots", "years": 2}}]
    record = person(assessments={2025: "HTXSNV", 2026: "HTXSNV"},
                    initiatives=[initiative(1, year=2025), initiative(2)])
    assert check("all_of", record, checks=both).initiative_ids == (1, 2)
    record.initiatives.pop()
    assert check("all_of", record, checks=both).met is False


def test_what_software_cannot_judge_is_left_to_people():
    result = check("confirmed_by_people", person(), what="leading collective of the bloc")
    assert result.met is None and "leading collective of the bloc" in result.message


# Validating rules as data -------------------------------------------------------------------------

@pytest.mark.parametrize("rule, code, params", [
    ({"kind": "telepathy"}, "rule.unknown_kind", {"kind": "telepathy"}),
    ({"kind": "consecutive_awards", "params": {"award": "CSTDCS"}}, "rule.missing_params", {"names": ["years"]}),
    ({"kind": "assessment_at_least", "params": {"grade": "HTTNV", "bonus": 1}}, "rule.unknown_params",
     {"names": ["bonus"]}),
    ({"kind": "assessment_at_least", "params": {"grade": "GOOD"}}, "rule.bad_value", {"name": "grade"}),
    ({"kind": "recruited_before_year_end", "params": {"months": 13}}, "rule.bad_months", {}),
    ({"kind": "any_of", "params": {"checks": [{"kind": "nope"}]}}, "rule.unknown_kind", {"kind": "nope"}),
])
def test_a_rule_that_could_not_run_is_refused(rule, code, params):
    with pytest.raises(RuleError) as refused:
        validate(rule)
    assert refused.value.code == code and params.items() <= refused.value.params.items()


def test_a_quota_set_for_some_agencies_leaves_the_others_free():
    counts = {"LDTT": 6, "CSTDCS": 3}
    rule = {"of_award": "LDTT", "max_share": 0.15, "award": "CSTDCS", "units": ["VPTW"]}
    inside = Context(unit_code="VPTW", unit_count=lambda award, year: counts[award])
    outside = Context(unit_code="BTCTW", unit_count=lambda award, year: counts[award])
    assert check("quota", person(), ctx=inside, **rule).met is False
    free = check("quota", person(), ctx=outside, **rule)
    assert free.met is True and "no quota" in free.message
