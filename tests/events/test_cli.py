"""The cron command that gives released held seats to those waiting."""

from datetime import timedelta

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
