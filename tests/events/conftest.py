"""Builders for the events tests: events with seat rules, registrations, form data."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import vobject
from flask import Flask

from consult.accounts.constituencies import ensure_standard_constituencies
from consult.database import utcnow
from consult.events import allocation
from consult.events.models import Event, EventKind, EventSession, Registration, SeatRule
from consult.extensions import db


def build_event(number: int, now: datetime | None = None, **fields: Any) -> Event:
    """An open, published event a month ahead, with ``holds`` as (group or slug, seats, release)."""
    now = (now or utcnow()).replace(second=0, microsecond=0)
    start = fields.pop("starts_at", now + timedelta(days=30))
    holds = fields.pop("holds", ())
    values = {
        "slug": f"event-{number}",
        "title": f"Consultative forum {number}",
        "kind": EventKind.FORUM,
        "venue": "United Nations Headquarters, New York",
        "timezone": "America/New_York",
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": start - timedelta(days=1),
        "capacity": 5,
        "published": True,
    }
    values.update(fields)
    event = Event(**values)
    constituencies = ensure_standard_constituencies()
    for who, seats, release_at in holds:
        if who in constituencies:
            event.seat_rules.append(
                SeatRule(constituency=constituencies[who], seats=seats, release_at=release_at)
            )
        else:
            event.seat_rules.append(SeatRule(country_group=who, seats=seats, release_at=release_at))
    return event


@pytest.fixture
def make_event(app: Flask) -> Callable[..., Event]:
    """Build and commit an event (see :func:`build_event`)."""
    counter = itertools.count(1)

    def make(**fields: Any) -> Event:
        event = build_event(next(counter), **fields)
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def add_session(app: Flask) -> Callable[..., EventSession]:
    """Add an agenda session to an event."""

    def add(event: Event, title: str, start: datetime, minutes: int = 90, **fields: Any):
        session = EventSession(
            event=event,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            **fields,
        )
        db.session.add(session)
        db.session.commit()
        return session

    return add


def constituency_id(slug: str) -> int:
    """The id of a standard constituency."""
    return ensure_standard_constituencies()[slug].id


def form_data(number: int = 1, **overrides: Any) -> dict[str, Any]:
    """What a registrant posts, valid unless ``overrides`` spoil it."""
    data = {
        "name": f"Participant {number}",
        "email": f"participant{number}@example.org",
        "organisation": "Friends of the Earth",
        "constituency": str(constituency_id("ngos")),
        "country": "KE",
        "position": "Policy officer",
        "accessibility_needs": "",
        "consent_listed": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def register(app: Flask) -> Callable[..., Registration]:
    """Register someone for an event through the allocation rules (no HTTP)."""
    counter = itertools.count(1)

    def make(
        event: Event,
        *,
        constituency: str = "ngos",
        country: str = "KE",
        email: str | None = None,
        now: datetime | None = None,
        consent: bool = True,
    ) -> Registration:
        number = next(counter)
        form = allocation.RegistrationForm(
            name=f"Registrant {number}",
            email=email or f"registrant{number}@example.org",
            organisation="Test organisation",
            constituency_id=constituency_id(constituency),
            country=country,
            consent_listed=consent,
        )
        return allocation.register(event.id, form, now=now).registration

    return make


def read_ics(data: bytes | str) -> Any:
    """Parse an .ics with vobject, a reader independent of the icalendar package."""
    return vobject.readOne(data.decode() if isinstance(data, bytes) else data)


def wall_clock(prop: Any) -> datetime:
    """A DTSTART/DTEND read by vobject: its wall-clock time in the zone its TZID names.

    vobject keeps the first VTIMEZONE it sees for a TZID for the whole process (another
    test's, which may cover other years), so the check uses the written local time and
    the zone name, as calendar clients with their own zone database do. The VTIMEZONEs
    themselves are checked in tests/core/test_ical_timezones.py.
    """
    from zoneinfo import ZoneInfo

    zone = prop.params.get("X-VOBJ-ORIGINAL-TZID", prop.params.get("TZID"))[0]
    return prop.value.replace(tzinfo=ZoneInfo(zone))


def calendar_part(message: Any) -> Any:
    """The text/calendar part of a message, parsed by vobject."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return read_ics(part.get_content()), part.get_param("method")
    raise AssertionError("the message has no text/calendar part")
