"""The caller, the member units and the award catalogue."""

from flask_smorest import Blueprint

from workflows.usecases import accounts, authorities, catalogue

from . import presenters
from .responses import responds
from .schemas import AuthorityOut, AwardTypeOut, Me, UnitOut
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_reference", __name__, description="Who I am, units and award types")
blp.before_request(require_token)


@blp.get("/me")
@blp.response(200, Me)
@blp.doc(security=BEARER)
@responds(401)
def me():
    """The signed-in user: name, unit, roles, and the roles held within each authority."""
    user = current_api_user()
    return {"username": user.username, "full_name": user.full_name,
            "unit": user.unit.code if user.unit else None, "roles": sorted(user.roles),
            "authorities": [presenters.authority(a, roles) for a, roles in authorities.held_by(user)]}


@blp.get("/authorities")
@blp.response(200, AuthorityOut(many=True))
@blp.doc(security=BEARER)
@responds(401)
def authority_list():
    """The deciding authorities: the bloc, the member agencies, units with legal status."""
    return [presenters.authority(a) for a in authorities.every()]


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
