"""The command and the scheduled job that give released held seats to those waiting."""

from datetime import datetime, timedelta

from consult import jobs
from consult.database import utcnow
from consult.events.countries import DEVELOPING
from consult.events.models import Registration, Status
from consult.extensions import db


def test_fill_command_promotes_after_release(app, make_event, register, mailbox):
    """Once the held seats' release date has passed, does `events fill` seat and tell those waiting?"""
    event = make_event(capacity=2, holds=[(DEVELOPING, 1, utcnow() + timedelta(days=5))])
    with app.test_request_context():
        register(event, country="CA")
        waiting = register(event, country="CA", email="waiting@example.org")
    assert waiting.status is Status.WAITING
    runner = app.test_cli_runner()
    result = runner.invoke(args=["events", "fill"])
    assert result.exit_code == 0, result.output
    assert "0 waiting registrants got a seat" in result.output

    event.seat_rules[0].release_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["events", "fill"])
    assert "1 waiting registrants got a seat" in result.output
    assert db.session.get(Registration, waiting.id).status is Status.CONFIRMED
    assert "A seat is now yours" in mailbox.last("waiting@example.org")["Subject"]


def test_the_schedule_seats_those_waiting_after_a_release_date(app, make_event, register, mailbox):
    """When the queue's 00:30 run comes, does a seat freed by a release date reach the first
    person waiting, with its letter?"""
    released = utcnow() - timedelta(hours=1)
    event = make_event(capacity=2, holds=[("business", 1, released)])
    before = released - timedelta(minutes=30)
    register(event, constituency="ngos", now=before)
    waiting = register(event, constituency="ngos", now=before)
    assert waiting.status is Status.WAITING
    huey = jobs.queue(app)
    for task in huey.read_periodic(datetime(2027, 3, 9, 0, 30)):
        if task.name.endswith("events.fill"):
            huey.execute(task)
    db.session.expire_all()
    assert waiting.status is Status.CONFIRMED
    assert "A seat is now yours" in mailbox.last(waiting.email)["Subject"]
