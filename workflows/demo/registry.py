"""Demo registry: people and collectives of two units with four years of history, for eligibility to read.

Built through the registry's own import, so the demo data passes the same checks as a real file,
and running it again changes nothing.
"""

from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.models import Person, ReviewHold, User, UserRole
from workflows.services.registry import sheets
from workflows.services.registry.access import OPERATOR
from workflows.services.registry.columns import COLUMNS
from workflows.usecases.registry import importing, records

YEARS = (2023, 2024, 2025, 2026)
COLLECTIVES = [
    ("VPTW-TH", "Vụ Tổng hợp", "VPTW"),
    ("VPTW-HC", "Vụ Hành chính", "VPTW"),
    ("BTCTW-CS", "Vụ Cơ sở đảng, đảng viên", "BTCTW"),
    ("BTCTW-CB", "Vụ Cán bộ", "BTCTW"),
]
# code, name, collective, position, recruited on
PEOPLE = [
    ("VP001", "Nguyễn Văn Thành", "VPTW-TH", "Vụ trưởng", "2005-09-01"),
    ("VP002", "Trần Thị Thu Hà", "VPTW-TH", "Phó Vụ trưởng", "2008-03-15"),
    ("VP003", "Lê Quang Huy", "VPTW-TH", "Chuyên viên chính", "2012-07-01"),
    ("VP004", "Phạm Thị Ngọc Ánh", "VPTW-TH", "Chuyên viên", "2016-10-01"),
    ("VP005", "Hoàng Đức Mạnh", "VPTW-TH", "Chuyên viên", "2019-02-18"),
    ("VP006", "Vũ Thị Hồng Nhung", "VPTW-HC", "Trưởng phòng", "2010-05-04"),
    ("VP007", "Đặng Minh Tuấn", "VPTW-HC", "Chuyên viên chính", "2011-11-21"),
    ("VP008", "Bùi Thị Lan Phương", "VPTW-HC", "Chuyên viên", "2017-08-07"),
    ("VP009", "Đỗ Văn Quyết", "VPTW-HC", "Chuyên viên", "2020-01-02"),
    ("VP010", "Ngô Thị Thanh Xuân", "VPTW-HC", "Văn thư", "2015-06-15"),
    ("TC001", "Dương Văn Khải", "BTCTW-CS", "Vụ trưởng", "2004-04-01"),
    ("TC002", "Lý Thị Mai Anh", "BTCTW-CS", "Phó Vụ trưởng", "2009-09-09"),
    ("TC003", "Mai Xuân Trường", "BTCTW-CS", "Chuyên viên cao cấp", "2007-12-01"),
    ("TC004", "Trịnh Thị Yến", "BTCTW-CS", "Chuyên viên", "2018-03-12"),
    ("TC005", "Hồ Sỹ Nguyên", "BTCTW-CS", "Chuyên viên", "2021-07-19"),
    ("TC006", "Phan Thị Diệu Linh", "BTCTW-CB", "Phó Vụ trưởng", "2006-10-10"),
    ("TC007", "Tạ Quốc Bảo", "BTCTW-CB", "Chuyên viên chính", "2013-01-14"),
    ("TC008", "Châu Thị Kim Oanh", "BTCTW-CB", "Chuyên viên", "2016-02-29"),
    ("TC009", "Lương Văn Đạt", "BTCTW-CB", "Chuyên viên", "2019-09-03"),
    ("TC010", "Kiều Thị Bích Ngọc", "BTCTW-CB", "Chuyên viên", "2022-04-25"),
]
UNIT_OF = {code: unit for code, _, unit in COLLECTIVES}
# Awards that eligibility rules should see: a gap year, and three years in a row.
GAP = "VP002"  # CSTDCS in 2024 and 2026, not 2025
STREAK = "TC002"  # CSTDCS 2024, 2025, 2026
DISCIPLINED = "TC008"  # a warning in BTCTW-CB: the collective falls short of its title that year
HELD = "VP007"


def _grade(index: int, year: int) -> str:
    if index % 10 == 1 or (index % 10 == 4 and year >= 2025):
        return "HTXSNV"
    return "HTNV" if (index + year) % 7 == 0 else "HTTNV"


def _rows() -> dict[str, list[list]]:
    people = [[code, name, UNIT_OF[collective], collective, position, recruited]
              for code, name, collective, position, recruited in PEOPLE]
    assessments = [[code, "", year, "HTXSNV" if code in (GAP, STREAK) else _grade(i, year)]
                   for i, (code, *_rest) in enumerate(PEOPLE) for year in YEARS]
    assessments += [["", code, year, "HTXSNV" if code != "BTCTW-CB" else "HTTNV"]
                    for code, _, _ in COLLECTIVES for year in YEARS]
    awards = [[code, "", "LDTT", year, f"{10 + i}/QĐ-{UNIT_OF[PEOPLE[i][2]]}"]
              for i, (code, *_rest) in enumerate(PEOPLE) for year in YEARS[:3] if i % 3 != 2]
    awards += [[GAP, "", "CSTDCS", 2024, "112/QĐ-VPTW"], [GAP, "", "CSTDCS", 2026, "87/QĐ-VPTW"]]
    awards += [[STREAK, "", "CSTDCS", year, f"{year - 1990}/QĐ-BTCTW"] for year in (2024, 2025, 2026)]
    awards += [["", "VPTW-TH", "TTLDXS", 2025, "45/QĐ-VPTW"], ["", "BTCTW-CS", "TTLDTT", 2025, "31/QĐ-BTCTW"]]
    initiatives = [
        [GAP, "", "Chuẩn hoá quy trình tiếp nhận văn bản đến", "grassroots", 2024, "5/QĐ-HĐSK"],
        [GAP, "", "Số hoá hồ sơ lưu trữ của Vụ", "agency", 2026, "12/QĐ-HĐSK"],
        [STREAK, "", "Phần mềm theo dõi đảng viên chuyển sinh hoạt", "agency", 2025, "9/QĐ-HĐSK"],
        ["VP004", "", "Mẫu biểu tổng hợp báo cáo tuần", "grassroots", 2025, "7/QĐ-HĐSK"],
    ]
    discipline = [[DISCIPLINED, 2025, "warning", "18/QĐ-KL"]]
    return {"collectives": [list(c) for c in COLLECTIVES], "persons": people, "assessments": assessments,
            "awards": awards, "initiatives": initiatives, "discipline": discipline}


@dataclass(frozen=True)
class SeededRegistry:
    records: int  # records added
    hold_placed: bool


def seed_registry() -> SeededRegistry:
    """Add what is missing of the demo registry; a second run adds nothing."""
    workbook = {kind: ([c.name for c in COLUMNS[kind]], rows) for kind, rows in _rows().items()}
    result = importing.import_file(OPERATOR, sheets.xlsx_bytes(workbook), "demo-registry.xlsx")
    added = sum(c.created for c in result.counts.values())
    held = _hold()
    return SeededRegistry(added, held)


def _hold() -> bool:
    open_hold = db.session.execute(select(ReviewHold.id).where(
        ReviewHold.lifted_at.is_(None),
        ReviewHold.person_id == select(Person.id).where(Person.code == HELD).scalar_subquery(),
    )).first()
    if open_hold is not None:
        return False
    secretary = db.session.execute(select(User).join(UserRole).where(
        UserRole.role.in_(("secretariat", "admin")), User.active.is_(True)).order_by(User.id).limit(1)).scalar()
    if secretary is None:
        return False  # a hold names who placed it; without a secretariat there is nobody to name
    records.place_hold(secretary, "person", HELD, kind="complaint",
                       reason="Đơn khiếu nại về kết quả bình xét năm 2025 đang được giải quyết.")
    return True
