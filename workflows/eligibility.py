"""Eligibility findings: the award's prerequisites checked against the record. It flags; people decide.

Each finding names its rule and legal basis and states the evidence found, so the
secretariat and the council see why, not just a red mark.
"""

from dataclasses import asdict, dataclass, field

LAW = "Law on Emulation and Commendation 06/2022/QH15"

# award -> (required earlier award, consecutive years ending with the nomination's year,
# legal basis). years=None means "held at any time before".
PREREQUISITES = {
    "CSTDBO": ("CSTDCS", 3, f"{LAW}, Art. 22"),
    "CSTDTQ": ("CSTDBO", 2, f"{LAW}, Art. 21"),
    "BKTTG": ("BKBAN", None, f"{LAW}, Art. 71"),
    "HCLD3": ("BKTTG", None, f"{LAW}, Art. 45"),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    basis: str
    met: bool
    message: str
    # The evidence as data, so that a page can state it in its reader's language.
    facts: dict = field(default_factory=dict)


def findings(*, award_code: str, award_kind: str, nominee_kind: str, year: int,
             history: list[tuple[str, int]], documents: set[str], required_documents: list[str]) -> list[dict]:
    """All findings for one nomination, as plain dicts ready to store."""
    result = [_kind_matches(award_kind, nominee_kind), _dossier_complete(documents, required_documents)]
    if award_code in PREREQUISITES:
        result.append(_prerequisite(award_code, year, history))
    return [asdict(f) for f in result]


def _kind_matches(award_kind: str, nominee_kind: str) -> Finding:
    met = award_kind == nominee_kind
    return Finding("nominee_kind", f"{LAW}, Art. 7", met,
                   f"the award is for {award_kind} nominees; the nominee is {nominee_kind}",
                   {"award_kind": award_kind, "nominee_kind": nominee_kind})


def _dossier_complete(documents: set[str], required: list[str]) -> Finding:
    missing = [kind for kind in required if kind not in documents]
    message = "all required documents are present" if not missing else \
        "missing: " + ", ".join(missing)
    return Finding("dossier_complete", f"{LAW}, Art. 84", not missing, message, {"missing": missing})


def _prerequisite(award_code: str, year: int, history: list[tuple[str, int]]) -> Finding:
    needed, years, basis = PREREQUISITES[award_code]
    held = sorted({y for code, y in history if code == needed and y <= year})
    if years is None:
        met = bool(held)
        message = f"needs {needed} held before; " + (f"found {', '.join(map(str, held))}" if held else "found none")
        return Finding(f"holds_{needed}", basis, met, message, {"needed": needed, "found": held})
    window = list(range(year - years + 1, year + 1))
    found = [y for y in window if y in held]
    met = found == window
    message = f"needs {needed} in {', '.join(map(str, window))}; " + \
        (f"found {', '.join(map(str, found))}" if found else "found none")
    return Finding(f"consecutive_{needed}", basis, met, message,
                   {"needed": needed, "years": window, "found": found})
