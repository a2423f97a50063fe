"""Refusals about the integrity of what is kept: the audit chain, stored documents, backups."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def _chain_broken(params) -> str:
    from ..trail import CHAIN_PROBLEMS

    problem = params.get("problem", "")
    return _("The audit chain is broken at event %(seq)s (%(problem)s); run `audit verify`.",
             seq=params.get("seq"), problem=str(CHAIN_PROBLEMS.get(problem, problem)))


WORDS = {
    "document.altered": _l("The stored file %(filename)s no longer matches what was uploaded, so it is not served. "
                           "This has been recorded; the office must restore it from a backup."),
    "document.missing": _l("The stored file %(filename)s is missing, so it cannot be served. This has been "
                           "recorded; the office must restore it from a backup."),
    "audit.chain_broken": _chain_broken,
    "checkpoint.unreadable": _l("This is not an audit checkpoint file (or it is damaged)."),
}

WORDS.update({
    "backup.output_not_empty": _l("%(path)s is not an empty folder; give a new or empty folder for the backup."),
    "backup.not_a_backup": _l("%(path)s holds no readable backup manifest."),
    "backup.key_unknown": _l("The backup was sealed with audit key %(key_id)s, which this installation does not "
                             "have; put that key in AUDIT_KEY or the key file first."),
    "backup.seal_broken": _l("The manifest of %(path)s was changed after the backup was made; nothing was restored."),
    "backup.damaged": _l("The backup's file %(file)s is missing or changed; nothing was restored."),
    "backup.unknown_revision": _l("The backup was made by a newer version of the program (schema %(revision)s); "
                                  "upgrade the program first."),
    "backup.database_not_empty": _l("The database already holds data (%(count)s table(s)); nothing was restored. "
                                    "Add --force to replace it."),
    "backup.schema_mismatch": _l("The backup's table %(table)s does not fit the schema; nothing was restored."),
})
