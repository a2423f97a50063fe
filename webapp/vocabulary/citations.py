"""Citations of the law in the reader's language."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_BASIS = re.compile(r"Law on Emulation and Commendation (?P<number>\S+), Art\. (?P<article>\d+)")
# The rule sets' own citations: "Law 06/2022/QH15, Art. 74(1)(d); Circular 01/2024/TT-BNV, Art. 1(5)(d)".
_CITATION = re.compile(r"(?P<kind>Law|Decree|Circular) (?P<number>\d\S+), Art\. (?P<article>[\w()]+)")
_CITATIONS = {
    "Law": _l("Law %(number)s, Art. %(article)s"),
    "Decree": _l("Decree %(number)s, Art. %(article)s"),
    "Circular": _l("Circular %(number)s, Art. %(article)s"),
}


# The council's regulation as the tally cites it: "QC-HDTDKT-2024: Council regulation, Art. 8(1)".
_REGULATION = re.compile(r"(?P<code>\S+: )?Council regulation, Art\. (?P<article>[\w()]+)")


def finding_basis(finding: dict) -> str:
    """The legal basis, with the texts' titles in the reader's language."""
    basis = finding.get("basis", "")
    found = _BASIS.fullmatch(basis)
    if found:
        return _("Law on Emulation and Commendation %(number)s, Art. %(article)s", **found.groupdict())
    basis = _REGULATION.sub(lambda m: _("%(code)sCouncil regulation, Art. %(article)s", code=m["code"] or "",
                                        article=m["article"]), basis)
    return _CITATION.sub(lambda m: str(_CITATIONS[m["kind"]]) % {"number": m["number"], "article": m["article"]},
                         basis)


