"""``python -m bench.papers``: render a sample of each generated document to PNG under docs/papers/
(for the README), and time how long one PDF takes to generate.

The samples go through the same functions as the downloads; only the data is made up.
"""

import dataclasses
import hashlib
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import pypdfium2

from workflows.rendering.papers import (
    DecisionPaper,
    Revocation,
    Signer,
    TallyPaper,
    VoteRuleText,
    decision_pdf,
    proposal_pdf,
    tally_minutes_pdf,
)

OUT = Path(__file__).resolve().parents[1] / "docs" / "papers"
SIGNED = datetime(2026, 11, 25, 14, 30)
BASIS = [
    "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022",
    "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, "
    "khen thưởng",
    "Quy chế làm việc của Hội đồng Thi đua – Khen thưởng Khối thi đua các cơ quan Đảng Trung ương",
]
COUNCIL = ["Lê Thị Thu Hà", "Đỗ Quang Vũ", "Phan Thị Mai", "Nguyễn Văn Hùng", "Trần Minh Đức"]
RENDER_SCALE = 1.25  # about 100 dpi: readable in the README, small in the repository


def sample_decision(kind: str) -> DecisionPaper:
    state = kind == "proposal"
    content = {"kind": kind, "awardee": "Nguyễn Thị Hằng", "signed_at": SIGNED.isoformat()}
    return DecisionPaper(
        number="1/TTr-KTĐ" if state else "12/QĐ-KTĐ", signed_on=SIGNED, legal_basis=BASIS,
        awardee="Nguyễn Thị Hằng", awardee_kind="individual", awardee_position="Chuyên viên chính",
        unit="Văn phòng Trung ương Đảng",
        award="Chiến sĩ thi đua toàn quốc" if state else "Chiến sĩ thi đua cơ sở", year=2026,
        reward_coefficient=4.5 if state else 1.0, base_salary=2_340_000,
        reward_amount=10_530_000 if state else 2_340_000,
        signer=Signer("CHỦ TỊCH HỘI ĐỒNG", "Lê Thị Thu Hà", SIGNED),
        sha256=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest())


def sample_tally() -> TallyPaper:
    return TallyPaper(
        awardee="Nguyễn Thị Hằng", unit="Văn phòng Trung ương Đảng", award="Chiến sĩ thi đua cơ sở", year=2026,
        members=COUNCIL, entitled=COUNCIL, voters=COUNCIL[:4], yes=4, no=0, needed_voters=4, needed_yes=4,
        quorum_met=True, passed=True,
        rule=VoteRuleText(2 / 3, 0.7, "members", "up", "QC-HĐTĐKT-2026",
                          "Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng, Điều 8"),
        counted_at=datetime(2026, 11, 20, 16, 5), opened_at=datetime(2026, 11, 18, 8, 0), chair="Lê Thị Thu Hà",
        secretary="Phan Thị Mai")


def documents() -> dict[str, bytes]:
    revoked = dataclasses.replace(sample_decision("decision"), revocation=Revocation(
        datetime(2026, 12, 10, 9, 0), "Khai man thành tích. Số liệu sáng kiến kê khai không đúng thực tế."))
    return {"decision": decision_pdf(sample_decision("decision")),
            "proposal": proposal_pdf(sample_decision("proposal")),
            "tally-minutes": tally_minutes_pdf(sample_tally()), "decision-revoked": decision_pdf(revoked)}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in documents().items():
        page = pypdfium2.PdfDocument(content)[0]
        page.render(scale=RENDER_SCALE).to_pil().convert("L").save(OUT / f"{name}.png", optimize=True)
        print(f"{OUT / f'{name}.png'}: {len(content):,} bytes of PDF")
    runs = 20
    began = time.perf_counter()
    for _ in range(runs):
        decision_pdf(sample_decision("decision"))
    print(f"decision PDF: {(time.perf_counter() - began) / runs * 1000:.1f} ms each (mean of {runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
