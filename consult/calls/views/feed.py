"""The private calendar feed: its page, a new address, and the .ics itself."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.roles import member_required
from consult.calls import bp, feed
from consult.extensions import db, limiter
from consult.forms import ButtonForm
from consult.urls import external_url


@bp.get("/calls/feed")
@member_required
def feed_page():
    """The signed-in user's private feed URL, to subscribe in a calendar client."""
    token = feed.token_for(current_user._get_current_object())
    db.session.commit()
    url = external_url("calls.feed_ics", token=token.token)
    webcal = "webcal://" + url.split("://", 1)[1]
    return render_template("calls/feed.html", url=url, webcal=webcal, form=ButtonForm())


@bp.post("/calls/feed/regenerate")
@member_required
def regenerate_feed():
    """Replace the feed's secret; the old URL stops working at once."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    feed.token_for(current_user._get_current_object()).regenerate()
    db.session.commit()
    flash(_("Your feed has a new address; subscribe again with it."), "success")
    return redirect(url_for("calls.feed_page"))


@bp.get("/calls/feed/<token>.ics")
@limiter.limit("60 per minute")
def feed_ics(token: str):
    """The .ics of a user's calls, for calendar clients (the token is the only key)."""
    user = feed.user_for_token(token)
    if user is None:
        abort(404)
    response = Response(feed.feed_ics(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="consult-calls.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
