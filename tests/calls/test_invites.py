"""Invitations, updates and cancellations, received by a real SMTP server, read by vobject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import recurring_ical_events
import vobject
from icalendar import Calendar

from consult import mail
from consult.calls.models import Call
from consult.extensions import db
from tests.calls.conftest import calendar_part, future, ics_attachment
from tests.conftest import body_html, body_text, post_acknowledging, sign_in


def _read(message):
    """(METHOD from the MIME part, the vobject calendar, the attachment's bytes)."""
    text, method = calendar_part(message)
    return method, vobject.readOne(text), ics_attachment(message)


def _confirm(client, series, start: datetime) -> Call:
    sign_in(client, series.organiser)
    response = post_acknowledging(
        client,
        f"/calls/series/{series.id}/confirm",
        data={"start": start.isoformat()},
    )
    assert response.status_code == 302
    return db.session.scalars(db.select(Call).where(Call.series_id == series.id)).one()


def test_invitation_is_an_itip_request(client, make_series, mailbox):
    """Does each member get text, HTML and a METHOD:REQUEST calendar with the stable UID?"""
    series = make_series()
    start = future(12, 14)
    call = _confirm(client, series, start)
    assert len(mailbox.messages) == 3
    member = series.members[0]
    message = mailbox.last(member.email)
    assert message.get_content_type() == "multipart/mixed"
    alternative = next(message.iter_parts())
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    method, calendar, attached = _read(message)
    assert method == "REQUEST"
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == call.uid
    assert int(event.sequence.value) == 0
    assert event.dtstart.value == start
    assert event.dtend.value == start + timedelta(minutes=60)
    assert event.dtstamp.value.tzinfo is not None
    assert "Bridge +1 212 555 0100" in event.location.value
    assert f"/calls/{call.id}" in event.description.value
    assert event.organizer.value.lower().startswith("mailto:")
    attendees = {a.value.lower().removeprefix("mailto:"): a for a in event.attendee_list}
    assert member.email in attendees
    assert attendees[member.email].params["RSVP"] == ["TRUE"]
    assert attendees[member.email].params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert hasattr(calendar, "vtimezone")
    assert Calendar.from_ical(attached).get("method") == "REQUEST"
    assert "Accept:" in body_text(message) and "Decline" in body_html(message)


def test_update_and_cancel_keep_the_uid_and_raise_the_sequence(client, make_series, mailbox):
    """Does moving the call send REQUEST with SEQUENCE 1, and cancelling CANCEL with SEQUENCE 2?"""
    series = make_series()
    call = _confirm(client, series, future(12, 14))
    member = series.members[1]
    new_start = future(13, 15)
    zone_day = new_start.astimezone(call_zone(series))
    mailbox.clear()
    response = post_acknowledging(
        client,
        f"/calls/{call.id}/reschedule",
        data={
            "day": zone_day.date().isoformat(),
            "time": zone_day.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302
    method, calendar, attached = _read(mailbox.last(member.email))
    assert method == "REQUEST"
    assert calendar.vevent.uid.value == call.uid
    assert int(calendar.vevent.sequence.value) == 1
    assert calendar.vevent.dtstart.value == new_start
    assert "Changed:" in mailbox.last(member.email)["Subject"]
    events = recurring_ical_events.of(Calendar.from_ical(attached)).between(
        new_start - timedelta(hours=1), new_start + timedelta(hours=3)
    )
    assert [e["DTSTART"].dt for e in events] == [new_start]

    mailbox.clear()
    assert client.post(f"/calls/{call.id}/cancel").status_code == 302
    method, calendar, _ = _read(mailbox.last(member.email))
    assert method == "CANCEL"
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.uid.value == call.uid
    assert int(calendar.vevent.sequence.value) == 2
    assert calendar.vevent.status.value == "CANCELLED"
    assert len(mailbox.messages) == 3


def call_zone(series):
    """The organiser's zone."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(series.organiser.timezone)


def test_times_are_right_in_the_members_zone(client, make_series, mailbox):
    """Does the text give the time in the member's own zone (Kolkata is UTC+05:30)?"""
    series = make_series()
    start = datetime.combine(future(12).date(), datetime.min.time(), UTC) + timedelta(hours=9)
    _confirm(client, series, start)
    delhi = next(m for m in series.members if m.timezone == "Asia/Kolkata")
    text = body_text(mailbox.last(delhi.email)).replace("\u202f", " ")
    assert "2:30 pm" in text and "Asia/Kolkata" in text


def test_one_refused_recipient_spares_the_others(client, make_series, mailbox, monkeypatch):
    """With one address refused, do the others get it over one connection, the failure reported?"""
    series = make_series()
    refused = next(m.email for m in series.members if not m.is_secretariat)
    mailbox.refuse.add(refused)
    connections = []
    original = mail._connect

    def counting():
        connections.append(1)
        return original()

    monkeypatch.setattr(mail, "_connect", counting)
    call = _confirm(client, series, future(12, 14))
    assert len(connections) == 1
    delivered = {str(m["To"]) for m in mailbox.messages}
    assert refused not in delivered
    assert len(delivered) == 2
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Not delivered" in page
    attendance = next(a for a in call.attendances if a.user.email == refused)
    assert "550" in attendance.delivery_error


def test_the_call_page_names_who_the_invitation_did_not_reach(client, make_series, mailbox):
    """After confirming, does the call page name the member whose server refused the invitation,
    with its answer, instead of a flash about SMTP?"""
    series = make_series()
    refused = next(m for m in series.members if not m.is_secretariat)
    mailbox.refuse.add(refused.email)
    sign_in(client, series.organiser)
    response = post_acknowledging(
        client,
        f"/calls/series/{series.id}/confirm",
        data={"start": future(12, 14).isoformat()},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "invitations are on their way" in html
    assert "could not be delivered" not in html
    row = html[html.index(refused.display_name) :].split("</tr>")[0]
    assert "Not delivered: 550 5.1.1 mailbox unavailable" in row


def test_each_member_is_invited_in_their_own_language(client, make_series, mailbox):
    """Does a French member get a French letter and calendar text, the others English, in one batch?"""
    series = make_series()
    delhi = next(m for m in series.members if m.timezone == "Asia/Kolkata")
    delhi.language = "fr"
    db.session.commit()
    start = datetime.combine(future(12).date(), datetime.min.time(), UTC) + timedelta(hours=9)
    _confirm(client, series, start)
    french = mailbox.last(delhi.email)
    assert str(french["Subject"]) == f"Invitation\u00a0: {series.name}"
    assert "Participerez-vous\u202f?" in body_text(french)
    assert "14:30" in body_text(french)  # French reads a 24-hour clock
    _, calendar, _ = _read(french)
    assert "Ordre du jour et documents\u00a0: http" in calendar.vevent.description.value
    others = [m for m in series.members if m.id != delhi.id and m.email != delhi.email]
    english = mailbox.last(others[0].email)
    assert str(english["Subject"]) == f"Invitation: {series.name}"
    _, calendar, _ = _read(english)
    assert "Agenda and documents" in calendar.vevent.description.value
