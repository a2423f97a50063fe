"""Refusals are codes in the domain and words in the web layer, in English and in Vietnamese.

The domain (workflows/) raises a stable code with its particulars; webapp/vocabulary/refusals words
each code once per language. These tests read the domain's source, so a refusal added without
words, or an English sentence slipped into a raise, fails here before any reader meets it.
"""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from webapp.vocabulary import refusals
from workflows.errors import CODE, InvalidData, NotFound, Reason

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_PO = ROOT / "webapp" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
BASE_ERRORS = {"WorkflowError", "Reason"}
# Exceptions a programmer meets, never a reader: an invariant broken in the code itself.
PROGRAMMER_ERRORS = {"ValueError", "TypeError", "AssertionError", "RuntimeError", "KeyError", "LookupError",
                     "NotImplementedError", "SMTPException", "BadZipFile"}
# Calls whose dotted strings name columns and tables, not refusals.
NOT_CODES = {"ForeignKey", "relationship", "Index", "UniqueConstraint", "text", "column"}
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}\s+[a-z]{2,}")


def domain_sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "workflows").rglob("*.py"))}


def refusal_classes(trees) -> set[str]:
    """WorkflowError, Reason and every class of workflows/ derived from them that takes a code first, by name.

    A class whose own constructor takes something else (a list of problems) picks its code itself.
    """
    known, own_constructor, grew = set(BASE_ERRORS), set(), True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in known and any(
                        getattr(base, "id", getattr(base, "attr", None)) in known for base in node.bases):
                    known.add(node.name)
                    grew = True
                    init = next((item for item in node.body
                                 if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
                    if init is not None and [a.arg for a in init.args.args[1:2]] != ["code"]:
                        own_constructor.add(node.name)
    return known - own_constructor


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def raised_codes() -> set[str]:
    """Every code the domain can raise: first arguments of refusals, and the codes handed to helpers that raise."""
    trees = domain_sources()
    classes = refusal_classes(trees)
    direct = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in classes and node.args:
                first = node.args[0]
                if _passed_through(first):
                    continue  # a helper handing on a code it was given: the literal is found where it is written
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for choice in choices:
                    assert isinstance(choice, ast.Constant) and isinstance(choice.value, str), \
                        f"line {node.lineno}: a refusal's code must be written out, not computed"
                    direct.add(choice.value)
    subjects = {code.split(".")[0] for code in direct | set(refusals.CATALOGUE)}
    # Codes passed through a helper (``self.fail(..., "import.second_sheet")``) or kept in a table first;
    # not the dotted names of columns (``ForeignKey("nomination.id")``) or of request fields (``errors["year"]``).
    indirect = set()
    for tree in trees.values():
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value)
                    and node.value.split(".")[0] in subjects):
                continue
            parent = parents.get(node)
            if isinstance(parent, ast.Subscript) or (isinstance(parent, ast.Dict) and node in parent.keys):
                continue
            if isinstance(parent, ast.Call) and _called(parent) in NOT_CODES:
                continue
            indirect.add(node.value)
    return direct | indirect


def _passed_through(node) -> bool:
    named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    return named == "code"


def vietnamese_catalogue() -> dict[str, str]:
    with CATALOGUE_PO.open("rb") as source:
        catalogue = read_po(source)
    return {message.id: message.string for message in catalogue if message.id and not message.fuzzy}


def sample_params() -> dict:
    """Particulars for wording every code at least once: the names the domain uses, with plausible values."""
    return {name: value for name, value in {
        "id": 7, "code": "VP001", "username": "ann", "status": "checking", "state": "completed", "count": 3,
        "max": 200, "min": 8, "limit": 1048576, "missing": ["review_minutes"], "holds": ["complaint"],
        "award": "LDTT", "nominee_kind": "individual", "kind": "persons", "names": ["grade"], "choices": ["a", "b"],
        "known": ["x"], "roles": ["reviewer"], "minutes": 15, "seconds": 8, "nomination": 4, "number": "3/QĐ-KTĐ",
        "regulation": "QC-1", "article": "grassroots", "table": "vote_rules", "inputs": "level='x'", "task": "tally",
        "filename": "a.pdf", "claimed": "pdf", "content": "html", "suffix": ".json", "megabytes": 2,
        "detail": "(detail)", "what": "script", "line": 2, "text": "x = (", "timer": "timeDuration", "value": "P1D",
        "property": "role", "form": "forms/a.json", "position": 1, "field": "decision", "type": "'radio'",
        "other": "x", "attribute": "sourceRef", "target": "y", "max_rows": 50000, "row": 2, "column": "grade",
        "heading_vi": "Xếp loại", "unit": "BTCTW", "expected": "VPTW", "day": "2030-01-01", "subject": "person",
        "kinds": ["persons"], "ids": [1, 2], "document_kinds": ["minutes"], "first": 2000, "last": 2027,
        "latest": "2025-07-01", "sheet": "persons", "listed": 3, "when": {"decision": ["return"]},
        "flow": "f1", "name": "grade", "taking_part": 3, "seated": 5, "needed": 4,
        "path": "/srv/backups/2026-05-01", "file": "tables/audit_event.jsonl.gz", "key_id": "k0123456789abcde",
        "revision": "0099_future", "seq": 41, "problem": "content", "tables": ["nomination"],
        "ratio": 200, "max_cells": 2000000,
        "year": 2026, "decision": "12/QĐ-VPTW",
        "nominee": "Nguyễn Văn An", "list": 5, "step": "check_list", "at": "prepare_list", "round": "Đợt 2026",
        "deadline": "2026-12-15",
    }.items()}


def test_the_domain_raises_codes_and_every_code_is_worded(app):
    codes = raised_codes()
    assert len(codes) > 150, "the scan should find the domain's refusals"
    assert codes - set(refusals.CATALOGUE) == set(), "codes without words in webapp/vocabulary/refusals"


def test_every_worded_code_is_one_the_domain_raises(app):
    assert set(refusals.CATALOGUE) - raised_codes() == set(), "words for codes nothing raises any more"


def test_every_refusal_reads_differently_in_vietnamese(app):
    """A wording missing from the Vietnamese catalogue falls back to English: the two would read the same."""
    vietnamese, params, same = vietnamese_catalogue(), sample_params(), []
    with app.test_request_context():
        for code in sorted(refusals.CATALOGUE):
            wording = refusals.CATALOGUE[code]
            if not callable(wording):
                english_id = wording._args[0] if hasattr(wording, "_args") else str(wording)
                assert vietnamese.get(english_id), f"{code}: no Vietnamese for {english_id!r}"
            with force_locale("en"):
                english = refusals.word(code, params)
            with force_locale("vi"):
                translated = refusals.word(code, params)
            if english == translated:
                same.append(code)
    assert same == []


def test_a_code_nothing_words_is_still_a_sentence_never_the_bare_key(app):
    with app.test_request_context(), force_locale("vi"):
        said = refusals.word("nomination.some_new_refusal", {})
    assert said != "nomination.some_new_refusal" and "nomination.some_new_refusal" in said
    assert said.startswith("Yêu cầu bị từ chối")


def test_particulars_are_shown_in_the_readers_words(app):
    error = InvalidData("dossier.incomplete", missing=["review_minutes", "proposal_letter"],
                        fields={"documents": Reason("dossier.missing", missing=["review_minutes"])})
    with app.test_request_context(), force_locale("vi"):
        described = refusals.describe(error)
    assert "review_minutes" not in described.message
    assert "Biên bản" in described.message and described.fields["documents"].startswith("Còn thiếu")
    assert described.field_codes == {"documents": "dossier.missing"}
    assert described.params == {"missing": ["review_minutes", "proposal_letter"]}


def test_no_english_sentence_in_any_raise_of_the_domain():
    """A refusal carries a code; only a programmer's own errors (broken invariants) may speak English."""
    offenders = []
    for path, tree in domain_sources().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            if _called(node.exc) in PROGRAMMER_ERRORS:
                continue
            for argument in [*node.exc.args, *(keyword.value for keyword in node.exc.keywords)]:
                if _text(argument) and ENGLISH_WORDS.search(_text(argument)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def _text(node) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else " {} " for part in node.values)
    return ""


@pytest.mark.parametrize("bad", ["Not a code.", "nomination", "Nomination.not_found", "nomination.", ""])
def test_a_refusal_without_a_code_is_a_programming_error(bad):
    with pytest.raises(ValueError):
        NotFound(bad)
    with pytest.raises(ValueError):
        Reason(bad)
