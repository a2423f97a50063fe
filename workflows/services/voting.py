"""Counting a secret ballot: quorum and threshold as the council's rule says."""

import math

ROUNDINGS = ("up", "nearest")


def tally(counts: dict, members: int, quorum: float, threshold: float, base: str, rounding: str = "up") -> dict:
    """Decide a vote from ballot counts only.

    ``members`` is the number of council members entitled to vote on this nomination (a
    nominee on the council is not counted). ``base`` says what the threshold divides:
    ``"members"`` (all entitled members) or ``"voters"`` (those who voted). Fractions are
    compared with whole ballots, rounding the requirement up (70 % of 5 voters needs 4), or to
    the nearest whole ballot when the regulation says so (70 % of 6 needs round(4.2) = 4).
    """
    if base not in ("members", "voters"):
        raise ValueError(f"unknown base {base!r}: expected 'members' or 'voters'")
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}: expected 'up' or 'nearest'")
    if members < 0:
        raise ValueError("members must not be negative")
    yes, no = int(counts.get("yes", 0)), int(counts.get("no", 0))
    voters = yes + no
    needed_voters = _at_least(quorum, members, rounding)
    denominator = members if base == "members" else voters
    needed_yes = max(1, _at_least(threshold, denominator, rounding))
    quorum_met = voters >= needed_voters and voters > 0
    return {
        "members": members, "voters": voters, "yes": yes, "no": no,
        "quorum": quorum, "threshold": threshold, "base": base,
        "needed_voters": needed_voters, "needed_yes": needed_yes,
        "quorum_met": quorum_met,
        "passed": quorum_met and yes >= needed_yes,
    }


def _at_least(fraction: float, of: int, rounding: str = "up") -> int:
    # round() first so that 2/3 of 6 is 4, not 5 through float noise (4.000000000000001).
    exact = round(fraction * of, 9)
    return math.ceil(exact) if rounding == "up" else math.floor(exact + 0.5)


def at_least(fraction: float, of: int, rounding: str = "up") -> int:
    """How many whole members ``fraction`` of ``of`` asks for, rounded as the regulation says."""
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}: expected 'up' or 'nearest'")
    return _at_least(fraction, of, rounding)
