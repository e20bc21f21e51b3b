"""Builders for the calls tests: a series with members, and confirmed calls."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.calls import lifecycle, services
from consult.calls.models import Call, CallSeries
from consult.database import utcnow
from consult.extensions import db
from tests.conftest import TEST_PASSWORD


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
        call = lifecycle.confirm_call(series.id, start, notify=False)
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


def series_form(series, **changes) -> dict:
    """What the series form posts to keep ``series`` as it is, but for ``changes``."""
    data = {
        "name": series.name,
        "cadence_min_days": series.cadence_min_days,
        "cadence_max_days": series.cadence_max_days,
        "duration_minutes": series.duration_minutes,
        "acceptable_from": series.acceptable_from,
        "acceptable_to": series.acceptable_to,
        "good_from": series.good_from,
        "good_to": series.good_to,
        "bridge": series.bridge,
        "members": [m.user_id for m in series.memberships],
    }
    data.update(changes)
    return data


def future(days: int = 10, hour: int = 14) -> datetime:
    """A whole hour some days ahead, in UTC."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def seed_live_series(database_url: str, instance_path) -> tuple[str, int, list[str]]:
    """A Secretariat officer, two members and a series, committed in the live database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance_path)})
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        groups = ensure_standard_constituencies()
        people = []
        for name, zone, role in (
            ("officer", "America/New_York", Role.SECRETARIAT),
            ("paris", "Europe/Paris", Role.MEMBER),
            ("delhi", "Asia/Kolkata", Role.MEMBER),
        ):
            user = User(
                email=f"calls-{name}-{tag}@example.org",
                display_name=f"Calls {name} {tag}",
                constituency=groups["ngos"],
                timezone=zone,
                role=role,
            )
            set_password(user, TEST_PASSWORD)
            db.session.add(user)
            people.append(user)
        series = CallSeries(name=f"Browser series {tag}", organiser=people[0])
        db.session.add(series)
        services.set_members(series, people)
        db.session.commit()
        result = (people[0].email, series.id, [p.email for p in people])
        assert db.session.scalar(select(CallSeries).where(CallSeries.id == series.id))
        db.session.remove()
        db.engine.dispose()
    return result


__all__ = ["Calendar", "calendar_part", "future", "ics_attachment", "series_form"]
