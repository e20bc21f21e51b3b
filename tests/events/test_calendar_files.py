"""A registrant's calendar entry: one UID in the invitation, the feed and their agenda file,
plain-text descriptions, the whole event above its sessions, and a DECLINED answer from the
participant's calendar that frees the seat for the waiting list."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from consult.calls.feed import token_for
from consult.database import utcnow
from consult.events.calendar import reply_address
from consult.events.models import Registration, Status
from consult.extensions import db
from tests.conftest import links_in, sign_in
from tests.events.conftest import form_data

DESCRIPTION = "The **forum** reviews the [toolkit](https://example.org/toolkit).\n\n- one\n- two\n"


def _invitation(mailbox, address: str) -> EmailMessage:
    return next(
        m
        for m in reversed(mailbox.to(address))
        if any(p.get_content_type() == "text/calendar" for p in m.walk())
    )


def _calendar(message: EmailMessage) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar")


def _manage_path(message: EmailMessage) -> str:
    link = next(u for u in links_in(message) if "/events/registration/" in u)
    return re.sub(r"^https?://[^/]+", "", link).split("/agenda.ics")[0]


def _registration(address: str) -> Registration:
    db.session.expire_all()
    return db.session.query(Registration).filter_by(email=address).one()


@pytest.fixture
def forum(make_event, add_session):
    """A two-day event with its description in Markdown and three sessions."""
    start = (utcnow() + timedelta(days=30)).replace(hour=13, minute=0, second=0, microsecond=0)
    event = make_event(capacity=1, starts_at=start, ends_at=start + timedelta(days=1, hours=8))
    event.description = DESCRIPTION
    db.session.commit()
    for number, hours in enumerate((0, 3, 24)):
        add_session(event, f"Session {number + 1}", start + timedelta(hours=hours))
    return event


def test_one_uid_for_a_registrant_everywhere(client, forum, mailbox, make_member):
    """Does a member's registration have the same UID in their invitation, their private feed
    and their own agenda file, the whole event appearing once in each, with no copy of it in
    the public agenda?"""
    member = make_member(email="participant1@example.org")
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    letter = _invitation(mailbox, member.email)
    uid = str(_calendar(letter).walk("VEVENT")[0]["UID"])
    assert "registration" in uid

    sign_in(client, member)
    feed = client.get(f"/calls/feed/{token_for(member).token}.ics")
    feed_uids = [str(e["UID"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert feed_uids == [uid]

    agenda = client.get(_manage_path(letter) + "/agenda.ics")
    assert agenda.status_code == 200
    mine = [str(e["UID"]) for e in Calendar.from_ical(agenda.data).walk("VEVENT")]
    assert mine[0] == uid and len(mine) == 4 and mine.count(uid) == 1
    assert f"{_manage_path(letter)}/agenda.ics" in letter.get_body(("plain",)).get_content()

    public = client.get(f"/events/{forum.slug}/agenda.ics")
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(public.data).walk("VEVENT")]
    assert summaries == ["Session 1", "Session 2", "Session 3"]


def test_the_whole_event_sits_above_its_sessions(client, forum, mailbox):
    """Is the whole event of an agenda written as whole days, free time, so that it does not
    lie over every session, while its times stay in the description?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    event = _calendar(_invitation(mailbox, "participant1@example.org")).walk("VEVENT")[0]
    local = forum.starts_at.astimezone(ZoneInfo(forum.timezone))
    assert event["DTSTART"].dt == local.date()
    assert event["DTEND"].dt == local.date() + timedelta(days=2)
    assert not isinstance(event["DTSTART"].dt, datetime)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "(New York)" in str(event["DESCRIPTION"])


def test_an_event_without_sessions_keeps_its_hours(client, make_event, mailbox):
    """Is an event without sessions one timed entry, in the invitation and the public file?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    invited = _calendar(_invitation(mailbox, "participant1@example.org")).walk("VEVENT")[0]
    assert invited["DTSTART"].dt.astimezone(UTC) == event.starts_at
    public = Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    assert [e["DTSTART"].dt.astimezone(UTC) for e in public.walk("VEVENT")] == [event.starts_at]


def test_descriptions_are_plain_text(client, forum, mailbox):
    """Is the Markdown description written as plain text (no ``**``, links with their address,
    list items on their own lines) in the invitation and the agenda?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    text = str(
        _calendar(_invitation(mailbox, "participant1@example.org")).walk("VEVENT")[0]["DESCRIPTION"]
    )
    assert text.startswith(
        "The forum reviews the toolkit (https://example.org/toolkit).\n\n- one\n- two"
    )
    assert "**" not in text and "](" not in text


def test_the_invitation_comes_from_its_organizer(client, forum, mailbox):
    """Is the ORGANIZER of a registrant's invitation the letter's From, the registration's own
    reply address, with CRLF line endings?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    letter = _invitation(mailbox, "participant1@example.org")
    event = _calendar(letter).walk("VEVENT")[0]
    organizer = str(event["ORGANIZER"]).removeprefix("mailto:")
    assert parseaddr(letter["From"])[1] == organizer
    assert organizer == reply_address(_registration("participant1@example.org"))
    assert re.fullmatch(r"events\+\d+-[a-z2-7]{16}@example\.org", organizer)
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    raw = next(
        p.get_payload(decode=True) for p in letter.walk() if p.get_content_type() == "text/calendar"
    )
    assert raw.count(b"\n") == raw.count(b"\r\n")


def _decline(letter: EmailMessage, partstat: str = "DECLINED", **changes) -> bytes:
    event = _calendar(letter).walk("VEVENT")[0]
    attendee = str(event["ATTENDEE"]).removeprefix("mailto:")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test calendar//EN",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"UID:{event['UID']}",
        f"SEQUENCE:{changes.get('sequence', event['SEQUENCE'])}",
        "DTSTAMP:20300101T000000Z",
        f"ORGANIZER:{event['ORGANIZER']}",
        f"ATTENDEE;PARTSTAT={partstat}:MAILTO:{attendee.upper()}",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    message = EmailMessage()
    message["From"] = changes.get("sender", attendee)
    message["To"] = changes.get("to", str(event["ORGANIZER"]).removeprefix("mailto:"))
    message["Subject"] = "Declined: " + letter["Subject"]
    message.set_content("Sorry")
    message.add_attachment(
        "\r\n".join(lines).encode(),
        maintype="application",
        subtype="octet-stream",
        filename="invite.ics",
    )
    return message.as_bytes()


def _mail_in(app, raw: bytes) -> str:
    return app.test_cli_runner().invoke(args=["mail-in"], input=raw).output.strip()


def test_declining_in_the_calendar_frees_the_seat_for_the_waiting_list(app, client, forum, mailbox):
    """Does a DECLINED REPLY from the participant's calendar cancel the registration (with its
    letter and METHOD:CANCEL) and give the seat to the first person waiting, who is invited?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    client.post(f"/events/{forum.slug}/register", data=form_data(2))
    assert _registration("participant2@example.org").status is Status.WAITING
    letter = _invitation(mailbox, "participant1@example.org")
    assert _mail_in(app, _decline(letter)) == "accepted"
    assert _registration("participant1@example.org").status is Status.CANCELLED
    assert _registration("participant2@example.org").status is Status.CONFIRMED
    cancelled = mailbox.last("participant1@example.org")
    assert str(_calendar(cancelled)["METHOD"]) == "CANCEL"
    assert "A seat is now yours" in mailbox.last("participant2@example.org")["Subject"]


def test_accepting_in_the_calendar_changes_nothing(app, client, forum, mailbox):
    """Is an ACCEPTED answer taken without changing the registration?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    letter = _invitation(mailbox, "participant1@example.org")
    assert _mail_in(app, _decline(letter, "ACCEPTED")) == "accepted"
    assert _registration("participant1@example.org").status is Status.CONFIRMED


@pytest.mark.parametrize(
    "changes",
    [
        {"sender": "intruder@example.net"},
        {"to": "events@example.org"},
        {"to": "events+1-aaaaaaaaaaaaaaaa@example.org"},
        {"sequence": 5},
    ],
    ids=["another-sender", "no-token", "forged-token", "wrong-sequence"],
)
def test_a_forged_or_stale_decline_keeps_the_seat(app, client, forum, mailbox, changes, caplog):
    """Is a DECLINED answer from another sender, to the plain or a forged address, or to a
    version never sent, refused and logged, the seat kept?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    letter = _invitation(mailbox, "participant1@example.org")
    assert _mail_in(app, _decline(letter, **changes)) == "rejected"
    assert "refused" in caplog.text
    assert _registration("participant1@example.org").status is Status.CONFIRMED


def test_an_old_registrations_address_is_revoked_by_registering_again(app, client, forum, mailbox):
    """After cancelling and registering again, does a decline to the first invitation's
    address change nothing?"""
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    first = _invitation(mailbox, "participant1@example.org")
    client.post(_manage_path(first) + "/cancel")
    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    # an address registered before proves itself again before it holds a place
    proof = mailbox.to("participant1@example.org")[-1]
    client.post(_manage_path(proof) + "/confirm")
    assert _registration("participant1@example.org").status is Status.CONFIRMED
    assert _mail_in(app, _decline(first)) == "rejected"
    assert _registration("participant1@example.org").status is Status.CONFIRMED


def test_moving_the_event_updates_and_a_decline_of_the_update_counts(
    app, client, secretariat_client, forum, mailbox
):
    """Does moving the event send the update with a higher SEQUENCE, and does a decline of the
    update (its SEQUENCE) free the seat while one of the old version is refused?"""
    from tests.events.test_editor import EVENT_FORM

    client.post(f"/events/{forum.slug}/register", data=form_data(1))
    first = _invitation(mailbox, "participant1@example.org")
    data = {**EVENT_FORM, "slug": forum.slug, "capacity": "1"}
    assert secretariat_client.post(f"/events/admin/{forum.id}/edit", data=data).status_code == 303
    update = _invitation(mailbox, "participant1@example.org")
    assert update["Subject"].startswith("Changed:")
    assert _calendar(update).walk("VEVENT")[0]["SEQUENCE"] == 1
    assert _mail_in(app, _decline(first)) == "rejected"
    assert _mail_in(app, _decline(update)) == "accepted"
    assert _registration("participant1@example.org").status is Status.CANCELLED


def test_the_dates_of_an_all_day_entry_follow_the_events_zone(app, make_event, add_session):
    """Is an event from 20:00 to 23:00 in New York one day long, although it ends the next day
    in UTC?"""
    from consult.events.calendar import event_meeting
    from consult.ical import request

    start = datetime(2031, 5, 6, 0, tzinfo=UTC)  # 20:00 on 5 May in New York
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=3))
    add_session(event, "Evening", start)
    vevent = Calendar.from_ical(request(event_meeting(event))).walk("VEVENT")[0]
    assert (vevent["DTSTART"].dt, vevent["DTEND"].dt) == (date(2031, 5, 5), date(2031, 5, 6))


def test_the_first_session_and_the_last_update_the_invitations(
    client, secretariat_client, make_event, mailbox
):
    """When an event gets its first session (its entry becomes whole days) or loses its last,
    does SEQUENCE rise and do confirmed participants get the new form of the entry?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    session = {
        "session-title": "Opening",
        "session-starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "session-ends_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    secretariat_client.post(f"/events/admin/{event.id}/sessions", data=session)
    update = _invitation(mailbox, "participant1@example.org")
    entry = _calendar(update).walk("VEVENT")[0]
    assert update["Subject"].startswith("Changed:") and entry["SEQUENCE"] == 1
    assert not isinstance(entry["DTSTART"].dt, datetime)
    secretariat_client.post(f"/events/admin/{event.id}/sessions", data=session)
    assert len(mailbox.to("participant1@example.org")) == 2, "a second session changes nothing"
    db.session.expire_all()
    for added in list(db.session.get(type(event), event.id).sessions):
        secretariat_client.post(f"/events/admin/{event.id}/sessions/{added.id}/delete")
    entry = _calendar(_invitation(mailbox, "participant1@example.org")).walk("VEVENT")[0]
    assert entry["SEQUENCE"] == 2 and entry["DTSTART"].dt.astimezone(UTC) == event.starts_at


def test_a_registrants_agenda_needs_their_valid_link(client, forum):
    """Is the registrant's own agenda refused (400) for a tampered link?"""
    response = client.get("/events/registration/not-a-valid-token/agenda.ics")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
