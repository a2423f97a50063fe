"""Citations of the law in the reader's language.

Rule sets, rules, the council's regulation and the findings keep their legal basis in English
and in Vietnamese (fields ending in ``_vi``); a page shows the one in the reader's language.
Texts kept before the Vietnamese was recorded are translated for Vietnamese readers where
their form of citation is a usual one (``workflows/rendering/citations.py``), and shown as they are
otherwise.
"""

from flask_babel import get_locale

from workflows.rendering import citations


def in_language(english: str, vietnamese: str) -> str:
    """The Vietnamese text for a Vietnamese reader, the English one for others; each stands in
    for the other when it is missing."""
    if str(get_locale()) == "vi":
        return vietnamese or citations.vietnamese(english or "")
    return english or vietnamese or ""


def finding_basis(finding: dict) -> str:
    """The legal basis of a finding."""
    return in_language(finding.get("basis", ""), finding.get("basis_vi", ""))


def legal_basis(record) -> str:
    """The legal basis of a rule set, a rule, a regulation or one of its articles."""
    return in_language(record.legal_basis or "", getattr(record, "legal_basis_vi", "") or "")


def version_title(version) -> str:
    """The title of a rule set or a regulation; one published without a Vietnamese title keeps its own."""
    vietnamese = getattr(version, "title_vi", "") or ""
    return vietnamese if vietnamese and str(get_locale()) == "vi" else version.title
