"""Public pages."""

from __future__ import annotations

from flask import render_template

from consult.public import bp


@bp.get("/")
def home():
    """What the process is, for a visitor."""
    return render_template("public/home.html")
