"""Pages: admin (being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("admin", __name__)


@bp.get("/admin")
@login_required
def index():
    return render_template("base.html")
