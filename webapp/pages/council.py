"""Pages: council (being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("council", __name__)


@bp.get("/ballot")
@login_required
def ballot():
    return render_template("base.html")


@bp.get("/signing")
@login_required
def signing():
    return render_template("base.html")
