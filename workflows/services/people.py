"""Who is who, for the services that route work: council voters and users' ids by name."""

from sqlalchemy import bindparam, select

from workflows.db import db
from workflows.models import AuthorityRole, User


def council_voters(authority_id: int, exclude_user_id: int | None) -> dict[str, str]:
    """Active members of the authority's council who may vote, the nominee excluded: {username: username}."""
    query = (select(User.username).join(AuthorityRole, AuthorityRole.user_id == User.id)
             .where(AuthorityRole.authority_id == authority_id, AuthorityRole.role == "council_member",
                    User.active.is_(True)).order_by(User.username))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return {name: name for name in db.session.execute(query).scalars()}


def user_ids(usernames) -> dict[str, int]:
    """Ids of the named users that exist."""
    names = [n for n in set(usernames) if n]
    if not names:
        return {}
    return dict(db.session.execute(_USER_IDS, {"names": names}).all())


_USER_IDS = select(User.username, User.id).where(User.username.in_(bindparam("names", expanding=True)))
