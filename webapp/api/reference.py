"""The caller, the member units and the award catalogue."""

from flask_smorest import Blueprint

from workflows.usecases import accounts, catalogue

from .responses import responds
from .schemas import AwardTypeOut, Me, UnitOut
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_reference", __name__, description="Who I am, units and award types")
blp.before_request(require_token)


@blp.get("/me")
@blp.response(200, Me)
@blp.doc(security=BEARER)
@responds(401)
def me():
    """The signed-in user: name, unit and roles."""
    user = current_api_user()
    return {"username": user.username, "full_name": user.full_name,
            "unit": user.unit.code if user.unit else None, "roles": sorted(user.roles)}


@blp.get("/units")
@blp.response(200, UnitOut(many=True))
@blp.doc(security=BEARER)
@responds(401)
def units():
    """The bloc's member units."""
    return accounts.units()


@blp.get("/award-types")
@blp.response(200, AwardTypeOut(many=True))
@blp.doc(security=BEARER)
@responds(401)
def award_types():
    """The catalogue of titles and forms of commendation, with the documents each needs."""
    return catalogue.award_types()
