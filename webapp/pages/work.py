"""Pages: work (being built)."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("work", __name__)
