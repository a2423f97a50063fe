"""Citations of the law in Vietnamese, for texts that carry only their English citation.

Rules published before they kept a Vietnamese legal basis, and the findings and tally minutes
written under them, cite the law in English ("Law 06/2022/QH15, Art. 74(1)(d)", "Council
regulation, Art. 8(1)"). Vietnamese documents and Vietnamese readers get those in the official
Vietnamese form ("Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 74 khoản 1 điểm d"). A
citation in a form not known here is left as it is.
"""

import re

EMULATION_LAW = "06/2022/QH15"
_DOCUMENTS = {
    "Law on Emulation and Commendation": "Luật Thi đua, khen thưởng số",
    "Law": "Luật số",
    "Decree": "Nghị định số",
    "Circular": "Thông tư số",
    "Decision": "Quyết định số",
}
_DOCUMENT = re.compile(r"\b(?P<document>Law on Emulation and Commendation|Law|Decree|Circular|Decision)"
                       r" (?:No\. )?(?P<number>\d[\w./-]*/[\w.-]*\w)")
_ARTICLE = re.compile(r"(?P<lead>,? |^)Art\. (?P<article>\d+)(?P<parts>(?:\(\w+\))*)")
_NAMED = {
    "the council's working regulation": "Quy chế làm việc của Hội đồng",
    "Council regulation": "Quy chế làm việc của Hội đồng",
    "Bloc emulation agreement": "Giao ước thi đua của Khối",
}


def vietnamese(citation: str) -> str:
    """The citation with the documents and articles it names in their Vietnamese form."""
    said = _DOCUMENT.sub(_document, citation or "")
    for english, words in _NAMED.items():
        said = said.replace(english, words)
    return _ARTICLE.sub(_article, said)


def _document(found: re.Match) -> str:
    document, number = found["document"], found["number"]
    if document == "Law" and number == EMULATION_LAW:
        document = "Law on Emulation and Commendation"
    return f"{_DOCUMENTS[document]} {number}"


def _article(found: re.Match) -> str:
    # Art. 74(1)(d): clause 1, point d of article 74 ("Điều 74 khoản 1 điểm d").
    parts = re.findall(r"\((\w+)\)", found["parts"])
    said = f"{', ' if found['lead'] else ''}Điều {found['article']}"
    for word, part in zip(("khoản", "điểm"), parts):
        said += f" {word} {part}"
    return said
