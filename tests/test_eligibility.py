"""Eligibility findings: each prerequisite is flagged with its rule, its basis and the evidence found."""

import pytest

from workflows.eligibility import LAW, findings

FIGHTER_DOCS = ["proposal_letter", "achievement_report", "review_minutes", "initiative_proof"]
BASE_DOCS = ["proposal_letter", "achievement_report", "review_minutes"]


def check(award_code="CSTDBO", *, year=2026, history=(), award_kind="individual", nominee_kind="individual",
          documents=None, required=None):
    required = list(FIGHTER_DOCS if required is None else required)
    return findings(award_code=award_code, award_kind=award_kind, nominee_kind=nominee_kind, year=year,
                    history=list(history), documents=set(required if documents is None else documents),
                    required_documents=required)


def by_rule(found: list[dict]) -> dict[str, dict]:
    return {f["rule"]: f for f in found}


def test_gap_in_consecutive_years_is_not_met_and_says_what_was_found():
    found = by_rule(check(history=[("CSTDCS", 2024), ("CSTDCS", 2026)]))
    finding = found["consecutive_CSTDCS"]
    assert finding["met"] is False
    assert finding["message"] == "needs CSTDCS in 2024, 2025, 2026; found 2024, 2026"
    assert finding["basis"] == f"{LAW}, Art. 22"


def test_three_consecutive_years_ending_this_year_are_met():
    found = by_rule(check(history=[("CSTDCS", 2026), ("CSTDCS", 2024), ("CSTDCS", 2025)]))
    assert found["consecutive_CSTDCS"]["met"] is True
    message = found["consecutive_CSTDCS"]["message"]
    assert message == "needs CSTDCS in 2024, 2025, 2026; found 2024, 2025, 2026"


@pytest.mark.parametrize("history, found_text", [
    ([], "found none"),
    ([("CSTDCS", 2024), ("CSTDCS", 2025), ("CSTDCS", 2027)], "found 2024, 2025"),
    ([("CSTDCS", 2027), ("CSTDCS", 2028), ("CSTDCS", 2029)], "found none"),
    ([("CSTDCS", 2021), ("CSTDCS", 2022), ("CSTDCS", 2023)], "found none"),
    ([("LDTT", 2024), ("LDTT", 2025), ("LDTT", 2026)], "found none"),
    ([("CSTDCS", 2024), ("BKBAN", 2025), ("CSTDCS", 2026)], "found 2024, 2026"),
])
def test_only_the_required_award_within_the_window_counts(history, found_text):
    finding = by_rule(check(history=history))["consecutive_CSTDCS"]
    assert finding["met"] is False
    assert finding["message"] == f"needs CSTDCS in 2024, 2025, 2026; {found_text}"


def test_duplicate_history_rows_count_once():
    history = [("CSTDCS", 2025), ("CSTDCS", 2025), ("CSTDCS", 2026)]
    finding = by_rule(check(history=history))["consecutive_CSTDCS"]
    assert finding["met"] is False
    assert finding["message"].endswith("found 2025, 2026")


def test_national_fighter_needs_two_consecutive_agency_titles():
    met = by_rule(check("CSTDTQ", year=2026, history=[("CSTDBO", 2025), ("CSTDBO", 2026)]))
    unmet = by_rule(check("CSTDTQ", year=2026, history=[("CSTDBO", 2024), ("CSTDBO", 2026)]))
    assert met["consecutive_CSTDBO"]["met"] is True
    assert unmet["consecutive_CSTDBO"]["message"] == "needs CSTDBO in 2025, 2026; found 2026"


@pytest.mark.parametrize("history, met, message", [
    ([("BKBAN", 2020)], True, "needs BKBAN held before; found 2020"),
    ([("BKBAN", 2026)], True, "needs BKBAN held before; found 2026"),
    ([("BKBAN", 2019), ("BKBAN", 2023)], True, "needs BKBAN held before; found 2019, 2023"),
    ([], False, "needs BKBAN held before; found none"),
    ([("BKBAN", 2027)], False, "needs BKBAN held before; found none"),
    ([("CSTDCS", 2020), ("BKTTG", 2021)], False, "needs BKBAN held before; found none"),
])
def test_prime_ministers_certificate_needs_agency_certificate_held_before(history, met, message):
    finding = by_rule(check("BKTTG", history=history, required=BASE_DOCS))["holds_BKBAN"]
    assert (finding["met"], finding["message"]) == (met, message)
    assert finding["basis"] == f"{LAW}, Art. 71"


def test_labour_order_needs_the_prime_ministers_certificate():
    finding = by_rule(check("HCLD3", history=[("BKBAN", 2020)], required=BASE_DOCS))["holds_BKTTG"]
    assert finding["met"] is False


@pytest.mark.parametrize("award_code", ["LDTT", "CSTDCS", "GIAYKHEN", "BKBAN", "TTLDTT", "COTDCP"])
def test_awards_without_a_prerequisite_get_only_kind_and_dossier_findings(award_code):
    assert [f["rule"] for f in check(award_code)] == ["nominee_kind", "dossier_complete"]


@pytest.mark.parametrize("documents, met, message", [
    (FIGHTER_DOCS, True, "all required documents are present"),
    (FIGHTER_DOCS + ["other"], True, "all required documents are present"),
    (["proposal_letter", "review_minutes"], False, "missing: achievement_report, initiative_proof"),
    ([], False, "missing: proposal_letter, achievement_report, review_minutes, initiative_proof"),
    (["other"], False, "missing: proposal_letter, achievement_report, review_minutes, initiative_proof"),
])
def test_missing_documents_are_listed_in_checklist_order(documents, met, message):
    finding = by_rule(check(documents=documents))["dossier_complete"]
    assert (finding["met"], finding["message"]) == (met, message)
    assert finding["basis"] == f"{LAW}, Art. 84"


def test_nothing_required_means_nothing_missing():
    assert by_rule(check("LDTT", required=[], documents=[]))["dossier_complete"]["met"] is True


@pytest.mark.parametrize("award_kind, nominee_kind, met", [
    ("individual", "individual", True),
    ("collective", "collective", True),
    ("individual", "collective", False),
    ("collective", "individual", False),
])
def test_nominee_kind_must_match_the_award(award_kind, nominee_kind, met):
    finding = by_rule(check("LDTT", award_kind=award_kind, nominee_kind=nominee_kind))["nominee_kind"]
    assert finding["met"] is met
    assert finding["message"] == f"the award is for {award_kind} nominees; the nominee is {nominee_kind}"


def test_findings_are_plain_dicts_with_rule_basis_met_and_message():
    found = check(history=[("CSTDCS", 2024)])
    assert all(type(f) is dict and set(f) == {"rule", "basis", "met", "message", "facts"} for f in found)
    assert found[2]["facts"] == {"needed": "CSTDCS", "years": [2024, 2025, 2026], "found": [2024]}
    assert [f["rule"] for f in found] == ["nominee_kind", "dossier_complete", "consecutive_CSTDCS"]
