"""Pages: nominations (being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("nominations", __name__)


@bp.get("/nominations")
@login_required
def index():
    return render_template("base.html")
