"""Pages: oversight (being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("oversight", __name__)


@bp.get("/audit")
@login_required
def audit_search():
    return render_template("base.html")
