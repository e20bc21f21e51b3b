"""Private calendar feeds: a secret token per user and the .ics of their calls."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import select

from consult import ical
from consult.accounts.models import User
from consult.calls import notifications, services
from consult.calls.models import FeedToken
from consult.extensions import db

FeedSource = Callable[[User], list[ical.Meeting]]


def register_feed_source(app: Flask, source: FeedSource) -> None:
    """Add other meetings (events, for instance) to every user's private feed."""
    app.extensions.setdefault("consult_feed_sources", []).append(source)


def token_for(user: User) -> FeedToken:
    """The user's feed token, created on first use."""
    feed = db.session.get(FeedToken, user.id)
    if feed is None:
        feed = FeedToken(user=user)
        db.session.add(feed)
        db.session.flush()
    return feed


def user_for_token(token: str) -> User | None:
    """The active user a feed token belongs to, or None."""
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(select(FeedToken).where(FeedToken.token == token))
    if feed is None or not feed.user.active:
        return None
    return feed.user


def feed_ics(user: User) -> bytes:
    """An .ics (no METHOD: a published calendar) of the user's confirmed and held calls."""
    meetings = [notifications.meeting(call) for call in services.calls_for(user)]
    for source in current_app.extensions.get("consult_feed_sources", []):
        meetings.extend(source(user))
    return ical.build_calendar(meetings, name="Consult")
