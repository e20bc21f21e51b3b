"""The dashboard page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from consult.accounts.roles import member_required
from consult.dashboard import bp
from consult.dashboard.panels import panels_for


@bp.get("/dashboard")
@member_required
def index():
    """Upcoming call, recent comments, open events and action items, as the capabilities provide."""
    return render_template("dashboard/index.html", panels=panels_for(current_user))
