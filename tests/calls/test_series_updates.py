"""A series' new joining details reach every invitee of its upcoming calls as an update."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from consult.calls import services
from consult.calls.models import Call, CallStatus, Partstat
from consult.extensions import db
from tests.calls.conftest import calendar_part, future, series_form
from tests.conftest import body_text, sign_in


def test_a_new_bridge_updates_every_upcoming_call(client, make_series, make_call, mailbox):
    """Does saving a series with new dial-in details send each invitee of every upcoming
    call an update (METHOD:REQUEST, SEQUENCE raised, the new LOCATION), keep their answers,
    and leave past calls alone?"""
    series = make_series()
    upcoming = make_call(series, future(10))
    later = make_call(series, future(45))
    past = make_call(series, future(80))
    past.status = CallStatus.HELD
    member = next(a for a in upcoming.attendances if not a.user.is_secretariat)
    services.answer(member, Partstat.ACCEPTED)
    db.session.commit()
    mailbox.clear()

    sign_in(client, series.organiser)
    new_bridge = "Webex 2000 555 0199\naccess code 4321"
    response = client.post(
        f"/calls/series/{series.id}/edit", data=series_form(series, bridge=new_bridge)
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Call, upcoming.id).sequence == 1
    assert db.session.get(Call, later.id).sequence == 1
    assert db.session.get(Call, past.id).sequence == 0

    invitees = {a.user.email for a in upcoming.attendances}
    assert {str(m["To"]) for m in mailbox.messages} == invitees
    assert len(mailbox.messages) == 2 * len(invitees)
    for message in mailbox.messages:
        text, method = calendar_part(message)
        event = Calendar.from_ical(text).walk("VEVENT")[0]
        assert method == "REQUEST" and event["SEQUENCE"] == 1
        assert str(event["LOCATION"]) == "Webex 2000 555 0199"
        assert "access code 4321" in str(event["DESCRIPTION"])
        assert "How to join the" in body_text(message)
    assert db.session.get(type(member), member.id).partstat is Partstat.ACCEPTED


def test_saving_the_same_bridge_sends_nothing(client, make_series, make_call, mailbox):
    """Is a save that leaves the dial-in details as they were (line endings aside) silent?"""
    series = make_series()
    call = make_call(series, future(10))
    mailbox.clear()
    sign_in(client, series.organiser)
    form = series_form(series, bridge=series.bridge.replace("\n", "\r\n") + "\r\n")
    client.post(f"/calls/series/{series.id}/edit", data=form)
    client.post(f"/calls/series/{series.id}/edit", data=series_form(series, name="Renamed"))
    assert mailbox.messages == []
    assert db.session.get(Call, call.id).sequence == 0


def test_a_cancelled_or_finished_call_gets_no_update(client, make_series, make_call, mailbox):
    """Are a cancelled call and one already over left out of the update?"""
    series = make_series()
    cancelled = make_call(series, future(10))
    cancelled.status = CallStatus.CANCELLED
    over = make_call(series, future(45))
    over.starts_at = future(-3)
    db.session.commit()
    mailbox.clear()
    sign_in(client, series.organiser)
    client.post(f"/calls/series/{series.id}/edit", data=series_form(series, bridge="New bridge"))
    assert mailbox.messages == []
    assert {c.sequence for c in (cancelled, over)} == {0}
    assert over.ends_at < future(0) + timedelta(days=1)
