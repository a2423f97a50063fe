"""The documents are Vietnamese administrative papers: they cite the law in Vietnamese, never in English.

The tally minutes cite the article of the council's regulation as the regulation words it in Vietnamese;
minutes written before the regulation kept its Vietnamese are cited in the official Vietnamese form of
their English citation. Decisions and proposals cite the law as the settings word it.
"""

import re

import pytest

from tests.decision_helpers import pdf_text, seat_the_chair, sign, to_signing
from workflows.db import db
from workflows.models import TallyRecord
from workflows.rendering import citations

# Words of the English citations the reference data carries; none may reach a paper.
ENGLISH = re.compile(r"\b(Law|Decree|Circular|Council|regulation|Art\.|members who voted|quorum)\b")


def test_the_tally_minutes_cite_the_regulation_and_word_the_rule_in_vietnamese(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    with app.app_context():
        record = db.session.get(TallyRecord, nid)
        assert record.rule["legal_basis_vi"] == "Quy chế làm việc của Hội đồng, Điều 8 khoản 1"
    text = pdf_text(api.as_("sec").get(f"/nominations/{nid}/tally.pdf").data)
    assert "Căn cứ: Quy chế làm việc của Hội đồng, Điều 8 khoản 1." in text
    assert "cần ít nhất hai phần ba thành viên có quyền biểu quyết tham gia bỏ phiếu" in text
    assert "70% tổng số phiếu bầu đồng ý" in text and "làm tròn lên" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_minutes_written_before_the_vietnamese_was_kept_are_cited_in_vietnamese(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    with app.app_context():
        record = db.session.get(TallyRecord, nid)
        rule = {key: value for key, value in record.rule.items() if not key.endswith("_vi")}
        record.rule = {**rule, "legal_basis": "Council regulation, Art. 8(2)",
                       "text": "90% of all members entitled to vote (quorum 67% of the members)"}
        db.session.commit()
    text = pdf_text(api.as_("sec").get(f"/nominations/{nid}/tally.pdf").data)
    assert "Căn cứ: Quy chế làm việc của Hội đồng, Điều 8 khoản 2." in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("award_type, heading", [("CSTDCS", "QUYẾT ĐỊNH"), ("BKTTG", "TỜ TRÌNH")])
def test_decisions_and_proposals_cite_the_law_in_vietnamese(app, api, nominate, walk, award_type, heading):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk, award_type=award_type)
    sign(api, nid)
    text = pdf_text(api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf").data)
    assert heading in text
    assert "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;" in text
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("english, vietnamese", [
    ("Law 06/2022/QH15, Art. 24; Circular 01/2024/TT-BNV, Art. 1(5)(d)",
     "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 24; Thông tư số 01/2024/TT-BNV, Điều 1 khoản 5 điểm d"),
    ("Law on Emulation and Commendation 06/2022/QH15, Art. 84", "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 84"),
    ("QC-HDTDKT-2024: Council regulation, Art. 8(1)", "QC-HDTDKT-2024: Quy chế làm việc của Hội đồng, Điều 8 khoản 1"),
    ("Decree 152/2025/NĐ-CP, Art. 4", "Nghị định số 152/2025/NĐ-CP, Điều 4"),
    ("Law 06/2026/QH16", "Luật số 06/2026/QH16"),
    ("Decision 3/QĐ-HĐ, Art. 5", "Quyết định số 3/QĐ-HĐ, Điều 5"),
    ("Art. 9", "Điều 9"),
    ("Quy chế làm việc của Hội đồng, Điều 8", "Quy chế làm việc của Hội đồng, Điều 8"),
])
def test_english_citations_in_their_official_vietnamese_form(english, vietnamese):
    assert citations.vietnamese(english) == vietnamese
