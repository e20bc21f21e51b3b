"""Hundreds of people registering at the same moment on several server processes.

Each test starts from its own event in the live database; the servers are real
gunicorn processes sharing that database (PostgreSQL in CI, SQLite locally).
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.database import utcnow
from consult.events.countries import DEVELOPING
from consult.events.models import FieldKind, FormAnswer, FormField, Registration, Status
from consult.events.notifications import manage_token
from consult.events.seats import Applicant, Hold, replay
from consult.extensions import db
from tests.events.conftest import build_event
from tests.live import LiveServer, all_at_once, prepared

pytestmark = pytest.mark.live

PROCESSES = 3


@pytest.fixture(scope="module")
def live_app(live_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An application on the live database, to prepare events and read the outcome."""
    folder = tmp_path_factory.mktemp("events-live")
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_database_url,
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "events-live-tests",
            "MAIL_SERVER": None,
            "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        }
    )
    with application.app_context():
        ensure_standard_constituencies()
        db.session.commit()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def servers(live_database_url: str, live_app: Flask) -> Iterator[list[LiveServer]]:
    """Several gunicorn processes on the same database."""
    folder = Path(live_app.config["INSTANCE_PATH"])
    env = {
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "events-live-tests",
        "INSTANCE_PATH": str(folder),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "REGISTRATION_RATE_LIMIT": "100000 per minute",
        "CONSULT_ENV": "local",
    }
    started = []
    try:
        for _ in range(PROCESSES):
            started.append(LiveServer(env=env, threads=80).start())
        yield started
    finally:
        for server in started:
            server.stop()


_numbers = itertools.count(1)


def new_event(app: Flask, **fields: Any) -> tuple[int, str]:
    """Create a published, open event in the live database; return its id and slug."""
    with app.app_context():
        number = next(_numbers)
        event = build_event(number, **fields)
        event.slug = f"live-{number}-{secrets.token_hex(4)}"
        db.session.add(event)
        db.session.commit()
        return event.id, event.slug


def registrations(app: Flask, event_id: int) -> list[Registration]:
    """The event's registrations, in arrival order, detached from the session."""
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Registration)
                .where(Registration.event_id == event_id)
                .order_by(Registration.arrival)
            )
        )
        for row in rows:
            _ = row.constituency
        db.session.expunge_all()
        return rows


def constituency_ids(app: Flask) -> dict[str, int]:
    """Constituency ids by slug in the live database."""
    with app.app_context():
        return {slug: c.id for slug, c in ensure_standard_constituencies().items()}


def registration_task(
    server: LiveServer,
    slug: str,
    number: int,
    constituency: int,
    country: str,
    answers: dict[str, Any] | None = None,
) -> Callable[[], requests.Response]:
    """Fetch the form now; the returned task posts it (with ``answers`` to the event's questions)."""
    path = f"/events/{slug}/register"
    session, token = prepared(server.url, path)
    data = {
        "csrf_token": token,
        "name": f"Live participant {number}",
        "email": f"live{number}-{slug}@example.org",
        "organisation": "Load test",
        "constituency": str(constituency),
        "country": country,
        "consent_listed": "y",
        **(answers or {}),
    }
    return lambda: session.post(server.url + path, data=data, allow_redirects=False, timeout=120)


def test_two_hundred_at_once_for_fifty_seats(live_app, servers):
    """Do 200 simultaneous registrations on several processes give exactly 50 seats, in order?"""
    event_id, slug = new_event(live_app, capacity=50)
    ngos = constituency_ids(live_app)["ngos"]
    tasks = [registration_task(servers[n % PROCESSES], slug, n, ngos, "KE") for n in range(200)]
    responses = all_at_once(tasks)
    assert [r.status_code for r in responses] == [303] * 200

    rows = registrations(live_app, event_id)
    assert [r.arrival for r in rows] == list(range(1, 201))
    assert [r.status for r in rows] == [Status.CONFIRMED] * 50 + [Status.WAITING] * 150
    assert len({r.email for r in rows}) == 200


def test_reserved_seats_hold_under_load(live_app, servers):
    """Under 200 simultaneous registrations, are held seats kept for their group and no more given?"""
    release = utcnow() + timedelta(days=10)
    event_id, slug = new_event(
        live_app, capacity=50, holds=[(DEVELOPING, 10, release), ("gov-developing", 3, release)]
    )
    ids = constituency_ids(live_app)
    plan = []
    for n in range(200):
        if n % 10 == 0:
            plan.append((ids["gov-developing"], "IN"))
        elif n % 4 == 0:
            plan.append((ids["ngos"], "BR"))
        else:
            plan.append((ids["business"], "CH"))
    tasks = [
        registration_task(servers[n % PROCESSES], slug, n, constituency, country)
        for n, (constituency, country) in enumerate(plan)
    ]
    responses = all_at_once(tasks)
    assert all(r.status_code == 303 for r in responses)

    rows = registrations(live_app, event_id)
    assert [r.arrival for r in rows] == list(range(1, 201))
    confirmed = [r for r in rows if r.status is Status.CONFIRMED]
    assert len(confirmed) == 50
    assert sum(r.country_group == DEVELOPING for r in confirmed) >= 10
    assert sum(r.constituency.slug == "gov-developing" for r in confirmed) >= 3
    # every status is what the rules give for this arrival order
    holds = [
        Hold("group", DEVELOPING, 10, release),
        Hold("constituency", "gov-developing", 3, release),
    ]
    arrivals = [Applicant(r.constituency.slug, r.country_group) for r in rows]
    assert [r.status for r in rows] == replay(arrivals, 50, holds, utcnow())


def test_cancellations_race_registrations(live_app, servers):
    """When 30 cancel while 100 register, are there still exactly 50 seats, given in order?"""
    event_id, slug = new_event(live_app, capacity=50)
    ngos = constituency_ids(live_app)["ngos"]
    first = all_at_once(
        [registration_task(servers[n % PROCESSES], slug, n, ngos, "KE") for n in range(70)]
    )
    assert all(r.status_code == 303 for r in first)
    rows = registrations(live_app, event_id)
    with live_app.app_context():  # the private links go to the mailboxes only
        links = [
            f"/events/registration/{manage_token(r)}" for r in rows if r.status is Status.CONFIRMED
        ]
    assert len(links) == 50

    def cancel_task(server: LiveServer, link: str) -> Callable[[], requests.Response]:
        path = re.sub(r"^https?://[^/]+", "", link)
        session, token = prepared(server.url, path)
        return lambda: session.post(
            server.url + path + "/cancel",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=120,
        )

    cancels = [cancel_task(servers[n % PROCESSES], link) for n, link in enumerate(links[:30])]
    newcomers = [
        registration_task(servers[n % PROCESSES], slug, n, ngos, "KE") for n in range(100, 200)
    ]
    mixed = [task for pair in itertools.zip_longest(cancels, newcomers) for task in pair if task]
    responses = all_at_once(mixed)
    assert all(r.status_code == 303 for r in responses)

    rows = registrations(live_app, event_id)
    assert len(rows) == 170
    cancelled = [r for r in rows if r.status is Status.CANCELLED]
    assert len(cancelled) == 30
    remaining = [r for r in rows if r.status is not Status.CANCELLED]
    assert [r.status for r in remaining] == [Status.CONFIRMED] * 50 + [Status.WAITING] * 90


def test_same_address_at_once_registers_once(live_app, servers):
    """When one address is posted 20 times at the same moment, is there one registration?"""
    event_id, slug = new_event(live_app, capacity=50)
    ngos = constituency_ids(live_app)["ngos"]
    tasks = []
    for n in range(20):
        task = registration_task(servers[n % PROCESSES], slug, 0, ngos, "KE")
        tasks.append(task)
    responses = all_at_once(tasks)
    # every answer looks the same: the address's mailbox, not the page, learns the rest
    assert [r.status_code for r in responses] == [303] * 20
    rows = registrations(live_app, event_id)
    assert [(r.arrival, r.status) for r in rows] == [(1, Status.CONFIRMED)]


def test_a_burst_with_custom_questions_gives_no_seat_twice(live_app, servers):
    """With the event's own questions (one asked on a condition), do 150 simultaneous
    registrations give exactly 40 seats in arrival order, each keeping its own answers?"""
    event_id, slug = new_event(live_app, capacity=40)
    with live_app.app_context():
        visa = FormField(
            event_id=event_id, position=1, kind=FieldKind.YESNO, label="Visa?", required=True
        )
        language = FormField(
            event_id=event_id,
            position=2,
            kind=FieldKind.CHOICE,
            label="Language",
            options="English\nFrench",
            required=True,
        )
        db.session.add_all([visa, language])
        db.session.flush()
        passport = FormField(
            event_id=event_id,
            position=3,
            kind=FieldKind.TEXT,
            label="Passport",
            required=True,
            shown_if_id=visa.id,
            shown_if_value="yes",
        )
        db.session.add(passport)
        db.session.commit()
        ids = visa.id, language.id, passport.id
    ngos = constituency_ids(live_app)["ngos"]

    def answers(n: int) -> dict[str, str]:
        needs = n % 3 == 0
        return {
            f"q{ids[0]}": "yes" if needs else "no",
            f"q{ids[1]}": "French" if n % 2 else "English",
            f"q{ids[2]}": f"P{n:05d}",
        }

    tasks = [
        registration_task(servers[n % PROCESSES], slug, n, ngos, "KE", answers(n))
        for n in range(150)
    ]
    responses = all_at_once(tasks)
    assert [r.status_code for r in responses] == [303] * 150

    rows = registrations(live_app, event_id)
    assert [r.arrival for r in rows] == list(range(1, 151))
    assert [r.status for r in rows] == [Status.CONFIRMED] * 40 + [Status.WAITING] * 110
    with live_app.app_context():
        stored = db.session.execute(
            select(Registration.email, FormAnswer.field_id, FormAnswer.value)
            .join(FormAnswer)
            .where(Registration.event_id == event_id)
        ).all()
    by_person: dict[str, dict[int, object]] = {}
    for email, field_id, value in stored:
        by_person.setdefault(email, {})[field_id] = value
    assert len(by_person) == 150
    for n in range(150):
        mine = by_person[f"live{n}-{slug}@example.org"]
        expected = {ids[0]: n % 3 == 0, ids[1]: "French" if n % 2 else "English"}
        if n % 3 == 0:
            expected[ids[2]] = f"P{n:05d}"  # asked only of those who need a visa
        assert mine == expected
