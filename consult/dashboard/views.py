"""The dashboard page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from consult import signals
from consult.accounts.roles import member_required
from consult.dashboard import bp


@bp.get("/dashboard")
@member_required
def index():
    """Upcoming call, recent comments, open events and action items, as the capabilities provide."""
    panels = signals.ordered(signals.dashboard_panels, user=current_user._get_current_object())
    return render_template("dashboard/index.html", panels=panels)
