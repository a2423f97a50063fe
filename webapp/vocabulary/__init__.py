"""Every word a reader meets that the domain holds as a key or a code, in the reader's language.

By subject: the process's own words (``process``), the audit trail (``trail``), eligibility
findings (``findings``), citations of the law (``citations``) and the domain's refusals
(``refusals``). The data stays as it is; pages, JSON and the command line look keys up here,
and anything a newer process version adds that these tables do not know yet is shown as its
data says it.
"""

from .citations import finding_basis, in_language, version_title
from .details import voting_rule
from .findings import finding_message, finding_rule
from .process import (
    authority_name,
    award_name,
    choice_label,
    diagram_names,
    element_name,
    field_label,
    pool_name,
    role_name,
    status_label,
    task_name,
    unit_name,
)
from .refusals import describe, plain_params, word
from .trail import audit_action

__all__ = ["audit_action", "authority_name", "award_name", "choice_label", "describe", "diagram_names",
           "element_name", "field_label", "finding_basis", "finding_message", "finding_rule", "in_language",
           "init_app", "plain_params", "pool_name", "refusal_words", "role_name", "status_label", "task_name",
           "unit_name", "version_title", "voting_rule", "word"]


def init_app(app) -> None:
    """Make the lookups available to every template."""

    @app.context_processor
    def vocabulary():
        return {"task_name": task_name, "element_name": element_name, "status_label": status_label,
                "audit_action": audit_action, "voting_rule": voting_rule, "choice_label": choice_label,
                "finding_rule": finding_rule, "finding_message": finding_message, "finding_basis": finding_basis,
                "award_name": award_name, "unit_name": unit_name,
                "authority_name": authority_name, "refusal_words": refusal_words,
                "in_language": in_language, "version_title": version_title, "pool_name": pool_name}


def refusal_words(reason) -> str:
    """Anything carrying a refusal's ``code`` and ``params`` (a field's reason, a file's problem), worded."""
    return word(reason.code, reason.params)
