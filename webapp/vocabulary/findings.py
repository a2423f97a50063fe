"""Eligibility findings in the reader's language, from the evidence each check records."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .citations import in_language
from .process import DOCUMENT_LABELS

RULES = {
    "nominee_kind": _l("Kind of nominee"), "dossier_complete": _l("Complete dossier"),
    "registered": _l("In the registry"), "rule_set": _l("Rule set in force"),
    "assessment_at_least": _l("Annual assessment"), "recruited_before_year_end": _l("Time in service"),
    "award_in_year": _l("Title that year"), "award_held_before": _l("Earlier award"),
    "consecutive_awards": _l("Titles in consecutive years"), "awards_in_window": _l("Titles in the period"),
    "consecutive_assessments": _l("Assessments in consecutive years"),
    "grades_in_window": _l("Assessments in the period"), "unused_initiatives": _l("Initiatives not yet used"),
    "members_with_award": _l("Members' titles"), "member_with_award": _l("A member's title"),
    "no_member_discipline": _l("Members' discipline"), "no_open_hold": _l("No pending review"),
    "quota": _l("Quota"), "confirmed_by_people": _l("For people to judge"), "any_of": _l("One of the grounds"),
    "all_of": _l("All of the grounds"), "not_held_already": _l("Not already held that year"),
}
INITIATIVE_LEVEL_LABELS = {"grassroots": _l("grassroots"), "agency": _l("agency"), "national": _l("national")}
DISCIPLINE_LABELS = {"reprimand": _l("reprimand"), "warning": _l("warning"), "removal": _l("removal from post"),
                     "dismissal": _l("dismissal")}
HOLD_LABELS = {"discipline_review": _l("disciplinary review"), "inspection": _l("inspection"),
               "complaint": _l("complaint")}


def finding_rule(finding: dict) -> str:
    rule = finding.get("rule", "")
    if rule in RULES:
        return str(RULES[rule])
    needed = (finding.get("facts") or {}).get("needed")
    if needed and rule.startswith(("holds_", "consecutive_")):
        return _("Earlier award: %(award)s", award=needed)
    return rule


def finding_message(finding: dict) -> str:
    """What a finding found, in the reader's language; older findings without facts as recorded."""
    facts, rule = finding.get("facts"), finding.get("rule", "")
    if not facts:
        return finding.get("message", "")
    if "kind" in facts:
        return _say(facts) or finding.get("message", "")
    # Findings recorded before the rules became data carry facts without a kind.
    if rule == "nominee_kind":
        return _say({**facts, "kind": rule})
    if rule == "dossier_complete":
        return _say({**facts, "kind": rule})
    found = ", ".join(map(str, facts.get("found") or [])) or _("none")
    if rule.startswith("holds_"):
        return _("needs %(award)s held before; found %(years)s", award=facts.get("needed"), years=found)
    if rule.startswith("consecutive_"):
        return _("needs %(award)s in %(years)s; found %(found)s", award=facts.get("needed"),
                 years=", ".join(map(str, facts.get("years") or [])), found=found)
    return finding.get("message", "")


def _list(values) -> str:
    return ", ".join(str(v) for v in values) if values else _("none")


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "short")


def _say(f: dict) -> str | None:
    """One finding's evidence in the reader's language (see workflows/services/eligibility/checks.py)."""
    kind = f.get("kind")
    if kind == "not_held_already":
        return _("already holds %(award)s for %(year)s (decision %(decision)s): one achievement earns one form",
                 award=f.get("award", ""), year=f.get("year", ""), decision=f.get("decision") or _("none"))
    if kind == "nominee_kind":
        return _("the award is for %(award_kind)s nominees; the nominee is %(nominee_kind)s",
                 award_kind=_kind(f.get("award_kind")), nominee_kind=_kind(f.get("nominee_kind")))
    if kind == "dossier_complete":
        missing = f.get("missing") or []
        if not missing:
            return _("all required documents are present")
        return _("missing: %(documents)s", documents=", ".join(str(DOCUMENT_LABELS.get(k, k)) for k in missing))
    if kind == "registered":
        return _("the nominee is in the registry") if f["registered"] else \
            _("the nominee is not in the registry: their assessments and awards cannot be checked")
    if kind == "rule_set":
        return _("no eligibility rule set is in force for %(year)s; an administrator must add one", year=f["year"])
    if kind == "assessment_at_least":
        return _("needs %(grade)s or better in %(year)s; found %(found)s", grade=f["grade"], year=f["year"],
                 found=f["found"] or _("no assessment"))
    if kind == "recruited_before_year_end":
        if not f["recruited"]:
            return _("needs recruitment on or before %(latest)s; no recruitment date", latest=_day(f["latest"]))
        return _("needs recruitment on or before %(latest)s; recruited %(recruited)s", latest=_day(f["latest"]),
                 recruited=_day(f["recruited"]))
    if kind == "award_in_year":
        return (_("needs %(award)s in %(year)s; found") if f["held"] else
                _("needs %(award)s in %(year)s; not found")) % {"award": f["award"], "year": f["year"]}
    if kind == "award_held_before":
        return _("needs %(award)s before %(year)s; found %(found)s", award=f["award"], year=f["year"],
                 found=_list(f["found"]))
    if kind == "consecutive_awards":
        return _("needs %(award)s in %(years)s; found %(found)s", award=f["award"], years=_list(f["years"]),
                 found=_list(f["found"]))
    if kind == "awards_in_window":
        return _("needs %(award)s at least %(count)s times in %(start)s–%(year)s; found %(found)s",
                 award=f["award"], count=f["count"], start=f["start"], year=f["year"], found=_list(f["found"]))
    if kind == "consecutive_assessments":
        said = _("needs %(grade)s or better in %(years)s; found %(found)s", grade=f["grade"],
                 years=_list(f["years"]), found=_list(f["found"]))
        if f.get("after_award"):
            said += _("; after %(award)s (held %(earlier)s before %(start)s)", award=f["after_award"],
                      earlier=_list(f["earlier"]), start=f["years"][0])
        return said
    if kind == "grades_in_window":
        return _("needs %(grade)s at least %(count)s times in %(start)s–%(year)s; found %(found)s",
                 grade=f["grade"], count=f["count"], start=f["start"], year=f["year"], found=_list(f["found"]))
    if kind == "unused_initiatives":
        said = _("needs %(count)s unused initiative(s) recognised at %(level)s level or wider in "
                 "%(start)s–%(year)s; found %(unused)s unused", count=f["count"],
                 level=str(INITIATIVE_LEVEL_LABELS.get(f["level"], f["level"])), start=f["start"], year=f["year"],
                 unused=f["unused"])
        return said + (_(", %(used)s already used", used=f["used"]) if f["used"] else "")
    if kind == "members_with_award":
        return _("needs at least %(share)s per cent of members with %(award)s in %(year)s; found %(holding)s of "
                 "%(members)s", share=f["share"], award=f["award"], year=f["year"], holding=f["holding"],
                 members=f["members"])
    if kind == "member_with_award":
        return _("needs a member with %(award)s in %(year)s; found %(holding)s", award=f["award"], year=f["year"],
                 holding=f["holding"])
    if kind == "no_member_discipline":
        levels = ", ".join(str(DISCIPLINE_LABELS.get(level, level)) for level in f["found"])
        return _("needs no member disciplined at “%(level)s” or above in %(year)s; found %(count)s",
                 level=str(DISCIPLINE_LABELS.get(f["at_least"], f["at_least"])), year=f["year"],
                 count=len(f["found"])) + (f" ({levels})" if levels else "")
    if kind == "no_open_hold":
        if not f["holds"]:
            return _("no disciplinary review, inspection or complaint pending")
        return _("on hold: %(holds)s pending; the nomination cannot go to the vote until it is lifted",
                 holds=", ".join(str(HOLD_LABELS.get(h, h)) for h in f["holds"]))
    if kind == "quota":
        if not f["applies"]:
            return _("no quota for %(award)s applies to this unit", award=f["award"])
        return _("at most %(share)s per cent of the unit's %(of_award)s (%(base)s) may hold %(award)s: "
                 "%(allowed)s allowed; %(taken)s nominated or held", share=f["share"], of_award=f["of_award"],
                 base=f["base"], award=f["award"], allowed=f["allowed"], taken=f["taken"])
    if kind == "confirmed_by_people":
        return _("to be judged by the secretariat and the council: %(what)s",
                 what=in_language(f["what"], f.get("what_vi", "")))
    if kind in ("any_of", "all_of"):
        parts = [_say(part) or "" for part in f["parts"]]
        return (_(" OR ") if kind == "any_of" else _(" AND ")).join(parts)
    return None


def _kind(kind) -> str:
    return {"individual": _("individual"), "collective": _("collective")}.get(kind, str(kind))


