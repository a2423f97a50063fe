"""The rules in force: eligibility rule sets, the council's regulation and its seats."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_dump

from workflows.usecases import rulebook

from .responses import responds
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_rules", __name__, description="Eligibility rules and the council's regulation, as versioned data")
blp.before_request(require_token)


class RuleOut(Schema):
    award = fields.String(attribute="award_code", metadata={"description": "award code, or * for every award"})
    kind = fields.String()
    params = fields.Dict()
    basis = fields.String(attribute="legal_basis")
    basis_vi = fields.String(attribute="legal_basis_vi",
                             metadata={"description": "the legal basis in Vietnamese, when the rule has it"})

    @post_dump
    def _without_missing_vietnamese(self, data, **kwargs):
        if not data.get("basis_vi"):
            data.pop("basis_vi", None)
        return data


class RuleIn(Schema):
    award = fields.String(required=True)
    kind = fields.String(required=True)
    params = fields.Dict(load_default=dict)
    basis = fields.String(required=True)
    basis_vi = fields.String(metadata={"description": "the legal basis in Vietnamese; not blank when given"})


class _VersionOut(Schema):
    code = fields.String()
    title = fields.String()
    title_vi = fields.String(metadata={"description": "the title in Vietnamese; empty when not given"})
    legal_basis = fields.String()
    legal_basis_vi = fields.String(metadata={"description": "the legal basis in Vietnamese; empty when not given"})
    effective_from = fields.Date()
    effective_to = fields.Date(allow_none=True)


class _VersionIn(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    title_vi = fields.String(metadata={"description": "the title in Vietnamese; not blank when given"})
    legal_basis = fields.String(required=True)
    legal_basis_vi = fields.String(metadata={"description": "the legal basis in Vietnamese; not blank when given"})
    effective_from = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})


class RuleSetOut(_VersionOut):
    rules = fields.List(fields.Nested(RuleOut))


class RuleSetIn(_VersionIn):
    rules = fields.List(fields.Nested(RuleIn), required=True)


class ArticleOut(Schema):
    article = fields.String()
    quorum = fields.Float()
    threshold = fields.Float()
    base = fields.String(metadata={"description": "members | voters"})
    legal_basis = fields.String()
    legal_basis_vi = fields.String()


class ArticleIn(Schema):
    article = fields.String(required=True)
    quorum = fields.Float(required=True)
    threshold = fields.Float(required=True)
    base = fields.String(required=True)
    legal_basis = fields.String(load_default="")
    legal_basis_vi = fields.String(metadata={"description": "the legal basis in Vietnamese; not blank when given"})


class RegulationOut(_VersionOut):
    rounding = fields.String()
    without_vote = fields.List(fields.String(), metadata={
        "description": "award codes its head decides in a round on the office's list, without a council vote"})
    written_ballots = fields.Boolean(metadata={
        "description": "whether a member absent from a session may send a written ballot"})
    articles = fields.List(fields.Nested(ArticleOut), attribute="rules")


class RegulationIn(_VersionIn):
    rounding = fields.String(load_default="up", metadata={"description": "up | nearest"})
    without_vote = fields.List(fields.String(), load_default=list, metadata={
        "description": "award codes its head decides in a round on the office's list, without a council vote"})
    written_ballots = fields.Boolean(load_default=True, metadata={
        "description": "whether a member absent from a session may send a written ballot (until the close)"})
    articles = fields.List(fields.Nested(ArticleIn), required=True)
    authority = fields.String(load_default=None, metadata={
        "description": "whose council it governs (an authority's code); the bloc's when left out"})


class CouncilQuery(Schema):
    authority = fields.String(load_default=None, metadata={
        "description": "the authority whose council is meant (code); the bloc's when left out"})


class SeatOut(Schema):
    username = fields.String()
    full_name = fields.String()
    position = fields.String()


class SeatIn(Schema):
    position = fields.String(required=True, allow_none=True, metadata={"description": "null takes the seat away"})
    authority = fields.String(load_default=None, metadata={
        "description": "on whose council (an authority's code); the bloc's when left out"})


@blp.get("/rule-sets")
@blp.response(200, RuleSetOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 403)
def rule_sets():
    """Every version of the eligibility rules, newest first."""
    return rulebook.rule_sets(current_api_user())


@blp.get("/rule-sets/<code>")
@blp.response(200, RuleSetOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404)
def rule_set(code):
    """One version of the eligibility rules, by its code."""
    return rulebook.rule_set(current_api_user(), code)


@blp.post("/rule-sets")
@blp.arguments(RuleSetIn)
@blp.response(201, RuleSetOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 409, 413, 422)
def publish_rule_set(body):
    """Publish a new version (administrators); the version before it ends the day before it takes effect."""
    return rulebook.publish_rule_set(current_api_user(), **body)


@blp.get("/council/regulations")
@blp.arguments(CouncilQuery, location="query")
@blp.response(200, RegulationOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 403, 404, 422)
def regulations(query):
    """Every version of an authority's council regulation (the bloc's by default), newest first."""
    return rulebook.regulations(current_api_user(), query["authority"])


@blp.post("/council/regulations")
@blp.arguments(RegulationIn)
@blp.response(201, RegulationOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 409, 413, 422)
def publish_regulation(body):
    """Publish a version of the council's regulation (administrators); open votes keep theirs."""
    return rulebook.publish_regulation(current_api_user(), **body)


@blp.get("/council/seats")
@blp.arguments(CouncilQuery, location="query")
@blp.response(200, SeatOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 403, 404, 422)
def seats(query):
    """Who sits on an authority's council (the bloc's by default), and in which position."""
    return [{"username": u.username, "full_name": u.full_name, "position": p}
            for u, p in rulebook.seats(current_api_user(), query["authority"])]


@blp.put("/council/seats/<username>")
@blp.arguments(SeatIn)
@blp.response(204)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422)
def set_seat(body, username):
    """Seat a user on the council in a position, or take the seat away (administrators)."""
    rulebook.set_seat(current_api_user(), username, body["position"], body["authority"])
