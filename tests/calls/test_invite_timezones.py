"""Invitations sent through the app read at the same instant everywhere, Outlook included."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from consult.calls.models import Call
from consult.extensions import db
from tests.calendars import wrong_readings
from tests.calls.conftest import calendar_part, ics_attachment
from tests.conftest import post_acknowledging, sign_in


def test_call_moved_to_29_march_2027_in_budapest_reads_as_0800_utc(
    client, make_series, make_secretariat, make_member, mailbox
):
    """Does the update for a call moved to 29 Mar 2027 10:00 Budapest (the day after the
    clocks change) read as 08:00 UTC in icalendar, vobject, recurring_ical_events and
    Outlook's one-rule reduction, inline and attached?"""
    organiser = make_secretariat(timezone="Europe/Budapest", country="HU")
    series = make_series(
        [make_member(timezone="America/New_York", country="US")], organiser=organiser
    )
    sign_in(client, organiser)
    first = datetime(2027, 3, 22, 10, tzinfo=ZoneInfo("Europe/Budapest"))
    response = post_acknowledging(
        client,
        f"/calls/series/{series.id}/confirm",
        data={"start": first.astimezone(UTC).isoformat()},
    )
    assert response.status_code == 302
    call = db.session.scalars(db.select(Call).where(Call.series_id == series.id)).one()
    mailbox.clear()
    response = post_acknowledging(
        client,
        f"/calls/{call.id}/reschedule",
        data={"day": "2027-03-29", "time": "10:00"},
    )
    assert response.status_code == 302
    message = mailbox.last(series.members[-1].email)
    text, method = calendar_part(message)
    assert method == "REQUEST" and "TZID=Europe/Budapest:20270329T100000" in text
    expected = {call.uid: datetime(2027, 3, 29, 8, tzinfo=UTC)}
    assert wrong_readings(text, expected) == []
    assert wrong_readings(ics_attachment(message), expected) == []
