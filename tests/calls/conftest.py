"""Builders for the calls tests: a series with members, and confirmed calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from consult.calls import services
from consult.calls.models import Call, CallSeries
from consult.database import utcnow
from consult.extensions import db


@pytest.fixture
def make_series(make_member, make_secretariat) -> Callable[..., CallSeries]:
    """Build a series organised by a Secretariat officer in New York, with members invited."""

    def make(members=None, *, organiser=None, name="Steering Group teleconference", **fields):
        organiser = organiser or make_secretariat()
        if members is None:
            members = [
                make_member(timezone="Europe/Paris", country="FR"),
                make_member(timezone="Asia/Kolkata", country="IN"),
            ]
        series = CallSeries(
            name=name, organiser=organiser, bridge="Bridge +1 212 555 0100", **fields
        )
        db.session.add(series)
        services.set_members(series, [organiser, *members])
        db.session.commit()
        return series

    return make


@pytest.fixture
def make_call(make_series) -> Callable[..., Call]:
    """Build a confirmed call (no e-mail sent) a few days ahead."""

    def make(series=None, start=None) -> Call:
        series = series or make_series()
        start = start or (utcnow() + timedelta(days=10)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        call = services.confirm_call(series, start)
        db.session.commit()
        return call

    return make


def calendar_part(message):
    """The text/calendar alternative of a message and its ``method`` parameter."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content(), part.get_param("method")
    raise AssertionError("no text/calendar part")


def ics_attachment(message) -> bytes:
    """The attached .ics file."""
    for part in message.iter_attachments():
        if part.get_filename() and part.get_filename().endswith(".ics"):
            return part.get_payload(decode=True)
    raise AssertionError("no .ics attachment")


def future(days: int = 10, hour: int = 14) -> datetime:
    """A whole hour some days ahead, in UTC."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


__all__ = ["Calendar", "calendar_part", "future", "ics_attachment"]
