"""Counting a secret ballot: quorum, threshold and what the threshold divides."""

import pytest

from workflows.services.voting import tally

TWO_THIRDS = 2 / 3


def counts(yes: int, no: int = 0) -> dict:
    return {"yes": yes, "no": no}


@pytest.mark.parametrize("members, needed", [(5, 4), (6, 4), (3, 2), (9, 6), (1, 1)])
def test_quorum_of_two_thirds_rounds_up_to_whole_voters(members, needed):
    assert tally(counts(0), members, TWO_THIRDS, 0.7, "voters")["needed_voters"] == needed


@pytest.mark.parametrize("members, voters, met", [
    (5, 4, True), (5, 3, False),
    (6, 4, True), (6, 3, False),
    (3, 2, True), (3, 1, False),
])
def test_quorum_is_met_exactly_at_the_boundary(members, voters, met):
    result = tally(counts(voters), members, TWO_THIRDS, 0.7, "voters")
    assert result["voters"] == voters
    assert result["quorum_met"] is met
    assert result["passed"] is met  # everyone voted yes: only the quorum can stop it


@pytest.mark.parametrize("voters, needed", [(5, 4), (4, 3), (10, 7), (3, 3), (7, 5)])
def test_seventy_percent_of_voters_rounds_up(voters, needed):
    result = tally(counts(voters), voters, TWO_THIRDS, 0.7, "voters")
    assert result["needed_yes"] == needed


@pytest.mark.parametrize("voters, yes, passed", [
    (5, 4, True), (5, 3, False),
    (4, 3, True), (4, 2, False),
    (10, 7, True), (10, 6, False),
])
def test_seventy_percent_of_voters_passes_exactly_at_the_boundary(voters, yes, passed):
    result = tally(counts(yes, voters - yes), voters, TWO_THIRDS, 0.7, "voters")
    assert result["passed"] is passed


@pytest.mark.parametrize("members, needed", [(5, 5), (10, 9), (7, 7), (11, 10)])
def test_ninety_percent_of_all_members_rounds_up(members, needed):
    assert tally(counts(0), members, TWO_THIRDS, 0.9, "members")["needed_yes"] == needed


@pytest.mark.parametrize("members, yes, passed", [
    (5, 5, True), (5, 4, False),
    (10, 9, True), (10, 8, False),
    (7, 7, True), (7, 6, False),
])
def test_ninety_percent_of_all_members_passes_exactly_at_the_boundary(members, yes, passed):
    assert tally(counts(yes), members, TWO_THIRDS, 0.9, "members")["passed"] is passed


def test_members_base_counts_absent_members_against_the_nomination():
    # 10 members, 7 vote, all yes: 100 % of voters but only 70 % of members.
    by_voters = tally(counts(7), 10, TWO_THIRDS, 0.9, "voters")
    by_members = tally(counts(7), 10, TWO_THIRDS, 0.9, "members")
    assert (by_voters["needed_yes"], by_voters["passed"]) == (7, True)
    assert (by_members["needed_yes"], by_members["passed"]) == (9, False)


def test_no_votes_count_as_voters_for_the_quorum():
    result = tally(counts(1, 3), 5, TWO_THIRDS, 0.7, "voters")
    assert result["voters"] == 4
    assert result["quorum_met"] is True
    assert result["passed"] is False


@pytest.mark.parametrize("members, quorum, threshold, base", [
    (0, TWO_THIRDS, 0.7, "voters"),
    (0, 0.0, 0.0, "voters"),
    (5, 0.0, 0.0, "voters"),
    (5, 0.0, 0.0, "members"),
])
def test_zero_voters_never_passes(members, quorum, threshold, base):
    result = tally({}, members, quorum, threshold, base)
    assert result["voters"] == 0
    assert result["quorum_met"] is False
    assert result["passed"] is False


def test_at_least_one_yes_is_needed_even_with_a_zero_threshold():
    result = tally(counts(0, 4), 5, TWO_THIRDS, 0.0, "voters")
    assert result["needed_yes"] == 1
    assert result["passed"] is False


def test_missing_choices_count_as_zero():
    result = tally({"yes": 4}, 5, TWO_THIRDS, 0.7, "voters")
    assert (result["yes"], result["no"], result["voters"], result["passed"]) == (4, 0, 4, True)


@pytest.mark.parametrize("base", ["voter", "Members", "", None, "all"])
def test_unknown_base_raises_value_error(base):
    with pytest.raises(ValueError, match="base"):
        tally(counts(5), 5, TWO_THIRDS, 0.7, base)


def test_negative_members_raises_value_error():
    with pytest.raises(ValueError, match="members"):
        tally(counts(0), -1, TWO_THIRDS, 0.7, "voters")


def test_two_thirds_of_six_is_four_voters_and_four_yes():
    result = tally(counts(4, 2), 6, TWO_THIRDS, TWO_THIRDS, "voters")
    assert (result["needed_voters"], result["needed_yes"], result["passed"]) == (4, 4, True)


# Fractions whose product with a whole number lands a hair above it in binary floating point.
NOISY = [(0.6666666666666667, 9, 6), (0.28, 25, 7), (0.56, 25, 14)]


@pytest.mark.parametrize("fraction, of, whole", NOISY)
def test_float_noise_does_not_raise_the_quorum(fraction, of, whole):
    assert fraction * of > whole  # the noise itself
    result = tally(counts(whole), of, fraction, 0.0, "voters")
    assert result["needed_voters"] == whole
    assert result["quorum_met"] is True


@pytest.mark.parametrize("fraction, of, whole", NOISY)
def test_float_noise_does_not_raise_the_threshold(fraction, of, whole):
    result = tally(counts(whole, of - whole), of, 0.0, fraction, "members")
    assert result["needed_yes"] == whole
    assert result["passed"] is True


def test_result_reports_the_inputs_and_requirements():
    result = tally(counts(4, 1), 5, TWO_THIRDS, 0.7, "voters")
    assert result == {
        "members": 5, "voters": 5, "yes": 4, "no": 1, "quorum": TWO_THIRDS, "threshold": 0.7,
        "base": "voters", "needed_voters": 4, "needed_yes": 4, "quorum_met": True, "passed": True,
    }
