"""The PDF layer on its own: plain data in, a PDF whose text reads back as given."""

from datetime import datetime

import pytest

from tests.decision_helpers import pdf_text
from workflows.rendering.papers import (
    DecisionPaper,
    Revocation,
    Signer,
    TallyPaper,
    VoteRuleText,
    decision_pdf,
    money,
    proposal_pdf,
    tally_minutes_pdf,
    vietnamese_date,
)
from workflows.rendering.papers.formatting import coefficient

SIGNED = datetime(2026, 3, 5, 9, 7)


def paper(**changes) -> DecisionPaper:
    values = dict(
        number="12/QĐ-KTĐ", signed_on=SIGNED, legal_basis=["Luật Thi đua, khen thưởng số 06/2022/QH15"],
        awardee="Phòng Tổng hợp", awardee_kind="collective", awardee_position="", unit="Ban Tổ chức Trung ương",
        award="Tập thể lao động xuất sắc", year=2025, reward_coefficient=1.5, base_salary=2_340_000,
        reward_amount=3_510_000, signer=Signer("PHÓ CHỦ TỊCH HỘI ĐỒNG", "Đỗ Quang Vũ", SIGNED), sha256="ab" * 32)
    values.update(changes)
    return DecisionPaper(**values)


@pytest.mark.parametrize("amount, text", [(0, "0 đồng"), (702_000, "702.000 đồng"), (1_404_000, "1.404.000 đồng"),
                                          (28_080_000, "28.080.000 đồng")])
def test_money_groups_thousands_with_dots(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 11, 25), "Hà Nội, ngày 25 tháng 11 năm 2026"),
    (datetime(2026, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2026"),
    (datetime(2026, 3, 5), "Hà Nội, ngày 05 tháng 3 năm 2026"),
])
def test_dates_follow_the_administrative_rule(moment, text):
    assert vietnamese_date(moment) == text


def test_coefficients_use_the_decimal_comma():
    assert (coefficient(4.5), coefficient(3.0), coefficient(0.3)) == ("4,5", "3", "0,3")


def test_a_collective_decision_names_the_collective_and_the_signers_capacity():
    text = pdf_text(decision_pdf(paper()))
    assert "Tặng “Tập thể lao động xuất sắc” năm 2025 cho Phòng Tổng hợp, Ban Tổ chức Trung ương." in text
    assert "tập thể có tên tại Điều 1" in text and "PHÓ CHỦ TỊCH HỘI ĐỒNG" in text and "Đỗ Quang Vũ" in text
    assert "Hà Nội, ngày 05 tháng 3 năm 2026" in text and "lúc 09:07 ngày 05/03/2026" in text
    assert "Số: 12/QĐ-KTĐ" in text and "ab" * 32 in text


def test_a_revoked_paper_says_so_with_date_and_reason():
    revoked = paper(revocation=Revocation(datetime(2026, 12, 1, 10, 0), "Giả mạo hồ sơ. Chữ ký bị làm giả."))
    for render in (decision_pdf, proposal_pdf):
        text = pdf_text(render(revoked))
        assert "ĐÃ THU HỒI" in text and "Thu hồi ngày 01/12/2026. Lý do: Giả mạo hồ sơ. Chữ ký bị làm giả." in text
    assert "ĐÃ THU HỒI" not in pdf_text(decision_pdf(paper()))


def test_markup_in_names_is_printed_not_interpreted():
    text = pdf_text(decision_pdf(paper(awardee="Tổ <b>Ánh & Dương</b>")))
    assert "Tổ <b>Ánh & Dương</b>" in text


def test_tally_minutes_state_the_rule_and_a_passed_result():
    minutes = TallyPaper(
        awardee="Trần Thị Ánh", unit="Văn phòng Trung ương Đảng", award="Chiến sĩ thi đua cấp ban", year=2026,
        members=["Ủy viên Một", "Ủy viên Hai", "Ủy viên Ba"], entitled=["Ủy viên Một", "Ủy viên Hai"],
        voters=["Ủy viên Một", "Ủy viên Hai"], yes=2, no=0, needed_voters=2, needed_yes=2, quorum_met=True,
        passed=True, rule=VoteRuleText(0.9, 0.9, "members", "nearest", "QC-01", "Quy chế, Điều 8"),
        counted_at=SIGNED, chair="Đỗ Quang Vũ", secretary="Phan Thị Mai")
    text = pdf_text(tally_minutes_pdf(minutes))
    assert "(2, không kể người được đề nghị): Ủy viên Một, Ủy viên Hai" in text
    assert "90% thành viên có quyền biểu quyết tham gia bỏ phiếu (2 người)" in text
    assert "làm tròn đến số nguyên gần nhất" in text and "Đề nghị được thông qua với 2/2" in text
    assert "Phan Thị Mai" in text and "Đỗ Quang Vũ" in text
