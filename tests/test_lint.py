"""The diagram linter: the shipped files are clean, and each kind of breakage is reported where it is."""

import shutil
from pathlib import Path

import pytest

from workflows.engine.lint import validate_files

BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"


def line_of(text: str, needle: str) -> int:
    """1-based line on which ``needle`` starts."""
    return text[:text.index(needle)].count("\n") + 1


@pytest.fixture
def folder(tmp_path):
    """A copy of the process folder: diagram, decision table and forms."""
    shutil.copy(BPMN_DIR / "nomination.bpmn", tmp_path)
    shutil.copy(BPMN_DIR / "vote_rules.dmn", tmp_path)
    shutil.copytree(BPMN_DIR / "forms", tmp_path / "forms")
    return tmp_path


def edit(path: Path, old: str, new: str) -> str:
    """Replace ``old`` (which must be there) once, and return the new text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def only(problems, **expected):
    """The problems matching every expected attribute; at least one must."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert found, f"no problem with {expected} in {[str(p) for p in problems]}"
    return found


def test_shipped_files_are_clean():
    assert validate_files([str(BPMN_DIR / "nomination.bpmn")]) == []
    assert validate_files([str(BPMN_DIR / "nomination.bpmn"), str(BPMN_DIR / "vote_rules.dmn")]) == []
    assert validate_files([str(BPMN_DIR / "vote_rules.dmn")]) == []


def test_malformed_xml(folder):
    text = edit(folder / "nomination.bpmn", "</bpmn:exclusiveGateway>", "</bpmn:exclusiveGateways>")
    [problem] = validate_files([str(folder / "nomination.bpmn")])
    assert problem.file.endswith("nomination.bpmn")
    assert problem.line == line_of(text, "</bpmn:exclusiveGateways>")
    assert problem.code == "lint.not_well_formed" and problem.params["detail"]


def test_dangling_sequence_flow_target(folder):
    text = edit(folder / "nomination.bpmn", 'targetRef="appraise"', 'targetRef="apprase"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="f_accepted")
    assert problem.file.endswith("nomination.bpmn")
    assert problem.line == line_of(text, 'targetRef="apprase"')
    assert (problem.code, problem.params) == ("lint.dangling_reference", {"attribute": "targetRef",
                                                                         "target": "apprase"})


def test_script_syntax_error(folder):
    text = edit(folder / "nomination.bpmn", "tally_result = count_votes(", "tally_result = count_votes((")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="tally")
    assert problem.file.endswith("nomination.bpmn")
    assert problem.line == line_of(text, "tally_result = count_votes((")
    assert problem.code == "lint.expression" and problem.params["what"] == "script" and problem.params["line"] == 1
    assert problem.where == f"nomination.bpmn:{problem.line}: tally (Count the ballots)"


def test_script_error_on_a_later_line_points_at_that_line(folder):
    text = edit(folder / "nomination.bpmn", "council = voting_members()\n", "council = voting_members()\nx = (\n")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="open_vote")
    assert problem.line == line_of(text, "x = (\n")
    assert problem.params["line"] == 2 and problem.params["text"] == "x = ("


def test_gateway_condition_syntax_error(folder):
    text = edit(folder / "nomination.bpmn", 'endorse["decision"] == "return"', 'endorse["decision"] = "return"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="endorse_decision")
    assert problem.line == line_of(text, 'endorse["decision"] = "return"')
    assert problem.params["what"] == "condition:f_endorse_returned"


@pytest.mark.parametrize("body, code, words", [
    ("P10D", "lint.timer_unquoted", "P10D"),         # a bare name: compiles, fails when the timer starts
    ('"P10D', "lint.expression", "unterminated string"),
    ('"P10X"', "lint.timer_not_iso", "P10X"),
])
def test_broken_timer_expression(folder, body, code, words):
    text = edit(folder / "nomination.bpmn", '<bpmn:timeDuration>"P10D"', f"<bpmn:timeDuration>{body}")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="check_overdue")
    assert problem.line == line_of(text, "<bpmn:timeDuration>")
    assert problem.code == code and any(words in str(value) for value in problem.params.values())


def test_missing_form_file(folder):
    (folder / "forms" / "endorse.json").unlink()
    text = (folder / "nomination.bpmn").read_text(encoding="utf-8")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="endorse")
    assert problem.file.endswith("nomination.bpmn")
    assert problem.line == line_of(text, 'value="endorse.json"')
    assert (problem.code, problem.params) == ("lint.form_missing", {"form": "forms/endorse.json"})


def test_form_with_an_unknown_field_type(folder):
    form = edit(folder / "forms" / "check_dossier.json", '"type": "user"', '"type": "person"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="check_dossier")
    assert problem.file.endswith("check_dossier.json")
    assert problem.line == line_of(form, '"name": "reviewer"')
    assert problem.code == "lint.field_unknown_type" and problem.params["field"] == "reviewer"
    assert problem.params["type"] == "'person'"


def test_form_required_when_names_an_unknown_field(folder):
    edit(folder / "forms" / "endorse.json", '"required_when": {"decision"', '"required_when": {"decison"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="endorse")
    assert problem.file.endswith("endorse.json") and problem.code == "lint.field_required_when_unknown"
    assert problem.params["other"] == "decison"


def test_form_that_is_not_json(folder):
    form = edit(folder / "forms" / "vote.json", '"no"]', '"no"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="vote")
    assert problem.file.endswith("vote.json") and problem.line == line_of(form, '"no"')


def test_user_task_without_role(folder):
    text = edit(folder / "nomination.bpmn", '<spiffworkflow:property name="role" value="reviewer" />', "")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="appraise")
    assert problem.line == line_of(text, '<bpmn:userTask id="appraise"')
    assert (problem.code, problem.params) == ("lint.missing_property", {"property": "role"})


def test_missing_decision_table(folder):
    (folder / "vote_rules.dmn").unlink()
    text = (folder / "nomination.bpmn").read_text(encoding="utf-8")
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="vote_rule")
    assert problem.file.endswith("nomination.bpmn")
    assert problem.line == line_of(text, '<bpmn:businessRuleTask id="vote_rule"')
    assert "vote_rules" in problem.params["detail"]


def test_schema_violation_names_the_element_on_its_line(folder):
    text = edit(folder / "nomination.bpmn", 'id="tally"', 'id="vote_rule"')
    [problem] = only(validate_files([str(folder / "nomination.bpmn")]), element="vote_rule")
    assert problem.line == line_of(text, '<bpmn:scriptTask id="vote_rule"')
    assert problem.code == "lint.schema"
    assert "xs:ID" in problem.params["detail"] and "{http" not in problem.params["detail"]


def test_nothing_raises_on_garbage(tmp_path):
    (tmp_path / "junk.bpmn").write_bytes(b"\x00\xff\xfe not xml")
    (tmp_path / "empty.dmn").write_text("", encoding="utf-8")
    problems = validate_files([str(tmp_path / "junk.bpmn"), str(tmp_path / "missing.bpmn")])
    assert {Path(p.file).name for p in problems} == {"junk.bpmn", "empty.dmn", "missing.bpmn"}
    assert all(p.code.startswith("lint.") and p.where.count("\n") == 0 for p in problems)
