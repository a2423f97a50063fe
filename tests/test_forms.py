"""Task forms: checking what people submit against the real form files, and describing them."""

import json
from pathlib import Path

import pytest

from workflows.errors import InvalidData, Reason
from workflows.services.forms import clean, public_fields

FORMS_DIR = Path(__file__).resolve().parents[1] / "bpmn" / "forms"


def form(name: str) -> dict:
    return json.loads((FORMS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def refused(form_name: str, submitted) -> InvalidData:
    with pytest.raises(InvalidData) as caught:
        clean(form(form_name), submitted)
    return caught.value


@pytest.mark.parametrize("form_name, submitted", [
    ("endorse", {"decision": "return"}),
    ("endorse", {"decision": "return", "comment": ""}),
    ("endorse", {"decision": "return", "comment": "   \n\t "}),
    ("endorse", {"decision": "return", "comment": None}),
    ("check_dossier", {"decision": "return", "comment": "  "}),
    ("sign_decision", {"decision": "reject", "password": "x"}),
    ("appraise", {"recommendation": "approve"}),
    ("appraise", {"recommendation": "approve", "comment": " "}),
])
def test_missing_or_blank_comment_is_refused_where_required(form_name, submitted):
    error = refused(form_name, submitted)
    assert set(error.fields) == {"comment"}
    assert error.code == "form.invalid" and error.params == {"names": ["comment"]}


@pytest.mark.parametrize("form_name, decision", [
    ("endorse", " return "), ("check_dossier", "return\n"), ("sign_decision", " reject"),
])
def test_padded_decision_still_needs_its_comment(form_name, decision):
    secret = {"password": "x"} if form_name == "sign_decision" else {}
    error = refused(form_name, {"decision": decision, **secret})
    assert set(error.fields) == {"comment"}


def test_conditional_requirement_names_its_condition():
    error = refused("endorse", {"decision": "return"})
    assert error.fields["comment"] == Reason("field.required_for_choice", when={"decision": ["return"]})


@pytest.mark.parametrize("form_name, submitted, expected", [
    ("endorse", {"decision": "endorse"}, {"decision": "endorse"}),
    ("endorse", {"decision": "endorse", "comment": "  "}, {"decision": "endorse"}),
    ("endorse", {"decision": "return", "comment": " fix page 2 "},
     {"decision": "return", "comment": "fix page 2"}),
    ("check_dossier", {"decision": "accept"}, {"decision": "accept"}),
    ("check_dossier", {"decision": "accept", "reviewer": "rev"}, {"decision": "accept", "reviewer": "rev"}),
    ("sign_decision", {"decision": "approve", "password": " pass phrase "},
     {"decision": "approve", "password": " pass phrase "}),
    ("vote", {"vote": "no"}, {"vote": "no"}),
    ("prepare_dossier", {}, {}),
])
def test_valid_submissions_are_cleaned(form_name, submitted, expected):
    assert clean(form(form_name), submitted) == expected


@pytest.mark.parametrize("form_name, submitted, field", [
    ("endorse", {}, "decision"),
    ("vote", {}, "vote"),
    ("vote", {"vote": "  "}, "vote"),
])
def test_missing_required_choice_is_refused(form_name, submitted, field):
    error = refused(form_name, submitted)
    assert set(error.fields) == {field}
    assert error.fields[field].code == "field.required"


def test_unknown_field_is_refused():
    error = refused("vote", {"vote": "yes", "voter": "m1"})
    assert error.fields == {"voter": Reason("field.unknown")}


@pytest.mark.parametrize("form_name, submitted, field", [
    ("vote", {"vote": "maybe"}, "vote"),
    ("vote", {"vote": "YES"}, "vote"),
    ("endorse", {"decision": "approve"}, "decision"),
    ("sign_decision", {"decision": "endorse", "password": "x"}, "decision"),
    ("appraise", {"recommendation": True, "comment": "ok"}, "recommendation"),
])
def test_value_outside_the_choices_is_refused(form_name, submitted, field):
    error = refused(form_name, submitted)
    assert set(error.fields) == {field}
    assert error.fields[field].code == "field.choose_one" and error.fields[field].params["choices"]


def test_signing_needs_the_password_unless_confirmed_for_the_batch():
    error = refused("sign_decision", {"decision": "approve"})
    assert set(error.fields) == {"password"}
    assert clean(form("sign_decision"), {"decision": "approve"}, satisfied={"password"}) == {"decision": "approve"}


def test_every_bad_field_is_named_at_once():
    error = refused("endorse", {"decision": "maybe", "extra": 1})
    assert set(error.fields) == {"decision", "extra"}


@pytest.mark.parametrize("submitted", [None, [], "vote=yes", 1, ["vote", "yes"]])
def test_input_that_is_not_an_object_is_refused(submitted):
    error = refused("vote", submitted)
    assert error.code == "form.not_an_object"


@pytest.mark.parametrize("value", [5, ["a"], {"a": 1}, True])
def test_text_field_must_be_text(value):
    error = refused("prepare_dossier", {"comment": value})
    assert error.fields == {"comment": Reason("field.not_text")}


def test_text_field_has_a_length_limit():
    assert clean(form("prepare_dossier"), {"comment": "x" * 10_000}) == {"comment": "x" * 10_000}
    error = refused("prepare_dossier", {"comment": "x" * 10_001})
    assert set(error.fields) == {"comment"}


def test_user_field_must_be_text():
    error = refused("check_dossier", {"decision": "accept", "reviewer": 5})
    assert error.fields == {"reviewer": Reason("field.not_text")}


BOOLEAN_FORM = {"fields": [{"name": "urgent", "type": "boolean", "required": True}]}


@pytest.mark.parametrize("value, accepted", [
    (True, True), (False, True), ("true", False), (1, False), (0, False), ("yes", False),
])
def test_boolean_field_accepts_only_true_or_false(value, accepted):
    if accepted:
        assert clean(BOOLEAN_FORM, {"urgent": value}) == {"urgent": value}
    else:
        with pytest.raises(InvalidData) as caught:
            clean(BOOLEAN_FORM, {"urgent": value})
        assert caught.value.fields == {"urgent": Reason("field.not_boolean")}


def test_public_fields_lists_choices_and_requirements():
    fields = {f["name"]: f for f in public_fields(form("check_dossier"))}
    assert list(fields) == ["decision", "comment", "reviewer"]
    assert fields["decision"] == {"name": "decision", "type": "choice", "required": True, "label": "Decision",
                                  "choices": ["accept", "return"]}
    assert fields["comment"]["required"] is False
    assert fields["comment"]["required_when"] == {"decision": ["return"]}
    assert "choices" not in fields["comment"]
    assert fields["reviewer"]["type"] == "user"
    assert fields["reviewer"]["role"] == "reviewer"


@pytest.mark.parametrize("form_name, choices", [
    ("endorse", {"decision": ["endorse", "return"]}),
    ("appraise", {"recommendation": ["approve", "reject"]}),
    ("sign_decision", {"decision": ["approve", "reject"]}),
    ("vote", {"vote": ["yes", "no"]}),
    ("prepare_dossier", {}),
])
def test_public_fields_of_every_form_show_its_choices(form_name, choices):
    shown = {f["name"]: f["choices"] for f in public_fields(form(form_name)) if "choices" in f}
    assert shown == choices


def test_public_fields_copies_choices():
    original = form("vote")
    public_fields(original)[0]["choices"].append("abstain")
    assert original["fields"][0]["choices"] == ["yes", "no"]


def test_public_fields_label_falls_back_to_the_name():
    assert public_fields({"fields": [{"name": "note", "type": "text"}]}) == [
        {"name": "note", "type": "text", "required": False, "label": "note"}]
