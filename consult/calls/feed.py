"""Private calendar feeds: a secret token per user and the .ics of their calls."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from consult import ical, signals
from consult.accounts.models import User
from consult.calls import notifications, services
from consult.calls.models import FeedToken
from consult.extensions import db


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


def confirmed_calls(app: Any, user: User) -> list[ical.Meeting]:
    """Receiver of ``signals.calendar_feed``: the user's confirmed and held calls."""
    return [notifications.meeting(call, user) for call in services.calls_for(user)]


def feed_ics(user: User) -> bytes:
    """An .ics (no METHOD: a published calendar) of what every capability puts in the feed."""
    meetings = signals.values(signals.calendar_feed, user=user)
    meetings.sort(key=lambda meeting: (meeting.start, meeting.uid))
    return ical.build_calendar(meetings, name="Consult")
