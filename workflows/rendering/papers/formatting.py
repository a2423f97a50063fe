"""Vietnamese administrative formats: dates, times and amounts of money."""

from datetime import datetime


def money(amount: int) -> str:
    """1404000 -> "1.404.000 đồng" (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def coefficient(value: float) -> str:
    """4.5 -> "4,5"; 3.0 -> "3" (the decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def vietnamese_date(moment: datetime, place: str = "Hà Nội") -> str:
    """"Hà Nội, ngày 25 tháng 11 năm 2026": the line under the Party's name.

    Days below 10 and the months January and February take a leading zero (Decree
    30/2020/NĐ-CP on administrative documents), so a date cannot be altered by adding a digit.
    """
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{place}, ngày {moment.day:02d} tháng {month} năm {moment.year}"


def short_date(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def clock_and_date(moment: datetime) -> str:
    """"14:05 ngày 25/11/2026"."""
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def percent(value: float) -> str:
    return coefficient(value * 100) + "%"
