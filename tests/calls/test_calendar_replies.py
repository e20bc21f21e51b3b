"""Answers from calendar programs: the REPLY a member's calendar sends to the invitation's
ORGANIZER, fed to ``flask mail-in`` as the mail server would, read leniently and trusted
only with the member's signed reply address and their From.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from icalendar import Calendar

from consult.calls.models import Call, Partstat
from consult.calls.notifications import reply_address
from consult.database import utcnow
from consult.extensions import db
from tests.calls.conftest import future
from tests.conftest import post_acknowledging, sign_in


@pytest.fixture
def invited(client, make_series, mailbox):
    """A call confirmed through the page, and the invitation one member received."""
    series = make_series()
    sign_in(client, series.organiser)
    response = client.post(
        f"/calls/series/{series.id}/confirm", data={"start": future().isoformat()}
    )
    assert response.status_code == 302
    client.post("/sign-out")
    member = next(m for m in series.members if not m.is_secretariat)
    call = series.calls[0]
    return call, member, mailbox.last(member.email)


def invitation_calendar(message: EmailMessage) -> tuple[bytes, Calendar]:
    """The inline text/calendar part of an invitation, raw and parsed."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            raw = part.get_payload(decode=True)
            return raw, Calendar.from_ical(raw)
    raise AssertionError("no text/calendar part")


def reply_calendar(
    invitation: EmailMessage,
    *attendees: str,
    sequence: bool = True,
    extra: tuple[str, ...] = (),
) -> str:
    """A REPLY to ``invitation`` as a calendar program writes it, with these ATTENDEE lines."""
    _, calendar = invitation_calendar(invitation)
    event = calendar.walk("VEVENT")[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test calendar//EN",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"UID:{event['UID']}",
        "DTSTAMP:20300101T000000Z",
        f"ORGANIZER:{event['ORGANIZER']}",
        *([f"SEQUENCE:{event['SEQUENCE']}"] if sequence else []),
        *extra,
        *attendees,
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines)


def organizer_of(invitation: EmailMessage) -> str:
    """The ORGANIZER's address, where calendar programs send the REPLY."""
    _, calendar = invitation_calendar(invitation)
    return str(calendar.walk("VEVENT")[0]["ORGANIZER"]).removeprefix("mailto:")


def reply_mail(
    invitation: EmailMessage,
    calendar: str | None,
    *,
    sender: str | None = None,
    to: str | None = None,
    attached: str | None = None,
    attached_type: str = "application/octet-stream",
    headers: dict[str, str] | None = None,
) -> bytes:
    """The e-mail carrying a REPLY: inline text/calendar and/or an attached .ics."""
    message = EmailMessage()
    message["From"] = sender or invitation["To"]
    message["To"] = to or organizer_of(invitation)
    message["Subject"] = "Accepted: " + invitation["Subject"]
    message["Message-ID"] = f"<reply-{id(message)}-{utcnow().timestamp()}@client.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content("Sent from my calendar")
    if calendar is not None:
        message.add_alternative(calendar, subtype="calendar", params={"method": "REPLY"})
    if attached is not None:
        maintype, _, subtype = attached_type.partition("/")
        message.add_attachment(
            attached.encode(), maintype=maintype, subtype=subtype, filename="invite.ics"
        )
    return message.as_bytes()


def mail_in(app, raw: bytes) -> str:
    """What ``flask mail-in`` answers for one message."""
    return app.test_cli_runner().invoke(args=["mail-in"], input=raw).output.strip()


def answer_of(call: Call, member):
    db.session.expire_all()
    attendance = next(a for a in db.session.get(Call, call.id).attendances if a.user == member)
    return attendance


def line(member, partstat: str = "ACCEPTED", *params: str) -> str:
    return ";".join(["ATTENDEE", f"PARTSTAT={partstat}", *params]) + f":mailto:{member.email}"


def test_the_invitation_comes_from_its_organizer_and_keeps_crlf(invited, mailbox):
    """Is the ORGANIZER of a member's invitation its From address, the member's own signed
    reply address, with human replies going to the organiser, and CRLF in the calendar?"""
    call, member, invitation = invited
    sender = parseaddr(invitation["From"])[1]
    assert sender == organizer_of(invitation) == reply_address(member)
    assert re.fullmatch(r"calls\+\d+-[a-z2-7]{16}@example\.org", sender)
    assert parseaddr(invitation["Reply-To"])[1] == call.series.organiser.email
    envelope = next(
        sender for sender, recipients in mailbox.envelopes if member.email in recipients
    )
    assert envelope == "consult@example.org", "bounces go to the site's address, not mail-in"
    raw, calendar = invitation_calendar(invitation)
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert calendar.walk("VEVENT")[0]["ORGANIZER"].params["CN"] == (
        call.series.organiser.display_name
    )


def test_a_configured_organizer_address_is_the_from_too(
    client, make_series, mailbox, app, monkeypatch
):
    """With ``CALLS_ORGANIZER_EMAIL`` set, are the ORGANIZER and the From both that address
    with the member's token, so that neither differs from the other?"""
    monkeypatch.setitem(app.config, "CALLS_ORGANIZER_EMAIL", "meetings@un.example.org")
    series = make_series()
    sign_in(client, series.organiser)
    client.post(f"/calls/series/{series.id}/confirm", data={"start": future().isoformat()})
    for member in series.members:
        invitation = mailbox.last(member.email)
        sender = parseaddr(invitation["From"])[1]
        assert sender == organizer_of(invitation) == reply_address(member)
        assert sender.startswith("meetings+") and sender.endswith("@un.example.org")


def test_a_reply_to_the_organizer_records_the_answer_and_its_comment(app, client, invited):
    """Does the REPLY a calendar sends to the ORGANIZER record the answer, and is its COMMENT
    shown on the call page?"""
    call, member, invitation = invited
    calendar = reply_calendar(
        invitation, line(member, "TENTATIVE"), extra=("COMMENT:Travelling that week.",)
    )
    assert mail_in(app, reply_mail(invitation, calendar)) == "accepted"
    attendance = answer_of(call, member)
    assert attendance.partstat is Partstat.TENTATIVE
    assert attendance.comment == "Travelling that week."
    sign_in(client, call.series.organiser)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Travelling that week." in html


@pytest.mark.parametrize(
    "attendee",
    [
        "ATTENDEE;PARTSTAT=DECLINED:Mailto:{upper}",
        "ATTENDEE;PARTSTAT=DECLINED;EMAIL={email}:urn:uuid:8c2a51a0-0000-4000-8000-0000000000aa",
    ],
    ids=["Mailto-mixed-case", "urn-uuid-with-EMAIL"],
)
def test_attendee_addresses_in_any_form(app, invited, attendee):
    """Are ``Mailto:`` in mixed case and a ``urn:uuid`` attendee with EMAIL read as the member?"""
    call, member, invitation = invited
    text = attendee.format(upper=member.email.upper(), email=member.email)
    assert mail_in(app, reply_mail(invitation, reply_calendar(invitation, text))) == "accepted"
    assert answer_of(call, member).partstat is Partstat.DECLINED


def test_an_ics_attached_as_octet_stream_is_read(app, invited):
    """Is a REPLY that comes only as an ``application/octet-stream`` attachment read?"""
    call, member, invitation = invited
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    assert mail_in(app, reply_mail(invitation, None, attached=calendar)) == "accepted"
    assert answer_of(call, member).partstat is Partstat.DECLINED


def test_one_answer_per_message_the_inline_one(app, invited):
    """With an inline REPLY and a different attached one, is only the inline answer kept?"""
    call, member, invitation = invited
    inline = reply_calendar(invitation, line(member, "ACCEPTED"))
    attached = reply_calendar(invitation, line(member, "DECLINED"))
    raw = reply_mail(invitation, inline, attached=attached, attached_type="application/ics")
    assert mail_in(app, raw) == "accepted"
    assert answer_of(call, member).partstat is Partstat.ACCEPTED


def test_the_senders_own_line_of_several(app, invited):
    """When a REPLY lists every attendee, is the sender's own line the one recorded?"""
    call, member, invitation = invited
    other = next(a.user for a in call.attendances if a.user != member)
    calendar = reply_calendar(
        invitation, line(other, "ACCEPTED"), line(member, "DECLINED"), line(other, "TENTATIVE")
    )
    assert mail_in(app, reply_mail(invitation, calendar)) == "accepted"
    assert answer_of(call, member).partstat is Partstat.DECLINED
    assert answer_of(call, other).partstat is Partstat.NEEDS_ACTION


def test_delegated_is_recorded_with_the_delegate(app, client, invited):
    """Is PARTSTAT=DELEGATED recorded with the DELEGATED-TO address and shown on the page?"""
    call, member, invitation = invited
    calendar = reply_calendar(
        invitation, line(member, "DELEGATED", 'DELEGATED-TO="mailto:Deputy@Example.org"')
    )
    assert mail_in(app, reply_mail(invitation, calendar)) == "accepted"
    attendance = answer_of(call, member)
    assert attendance.partstat is Partstat.DELEGATED
    assert attendance.delegated_to == "deputy@example.org"
    sign_in(client, member)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Delegated" in html and "deputy@example.org" in html


def test_a_reply_without_sequence_answers_the_first_version(app, client, invited, caplog):
    """Is a REPLY without SEQUENCE taken as an answer to version 0 (RFC 5546): recorded while
    the call is unchanged, refused and logged once the call has moved?"""
    call, member, invitation = invited
    unchanged = reply_calendar(invitation, line(member, "ACCEPTED"), sequence=False)
    assert mail_in(app, reply_mail(invitation, unchanged)) == "accepted"
    sign_in(client, call.series.organiser)
    moved = (call.starts_at + timedelta(days=1)).strftime("%Y-%m-%d")
    response = post_acknowledging(
        client, f"/calls/{call.id}/reschedule", data={"day": moved, "time": "10:00"}
    )
    assert response.status_code in (302, 303)
    assert db.session.get(Call, call.id).sequence == 1
    late = reply_calendar(invitation, line(member, "DECLINED"), sequence=False)
    assert mail_in(app, reply_mail(invitation, late)) == "rejected"
    assert "answers version 0" in caplog.text
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION  # the move asked again


@pytest.mark.parametrize(
    "calendar",
    [
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nnonsense\r\n",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:COUNTER\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    ids=["malformed", "not-a-reply"],
)
def test_a_calendar_that_is_not_an_answer_is_refused_never_not_mine(app, invited, calendar, caplog):
    """Is a malformed calendar, or one that is not a REPLY, refused and logged, even when it is
    not sent to a reply address, rather than left as "not mine"?"""
    call, member, invitation = invited
    assert mail_in(app, reply_mail(invitation, calendar)) == "rejected"
    assert mail_in(app, reply_mail(invitation, calendar, to="someone@example.org")) == "rejected"
    assert "refused" in caplog.text
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


# --- answers that cannot be forged -------------------------------------------------------------


def test_a_forged_from_without_the_members_address_changes_nothing(app, invited, caplog):
    """Is a REPLY that claims to be the member (their From and ATTENDEE) but is sent to the
    plain organiser address, or to a made-up token, refused and logged?"""
    call, member, invitation = invited
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    for to in ("calls@example.org", f"calls+{member.id}-aaaaaaaaaaaaaaaa@example.org"):
        assert mail_in(app, reply_mail(invitation, calendar, to=to)) == "rejected"
    assert "not sent to the member's reply address" in caplog.text
    assert "token is not valid" in caplog.text
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


def test_a_members_address_does_not_answer_for_another(app, invited):
    """Can someone who holds their own reply address answer for another member, with the
    other's From or their own? (No.)"""
    call, member, invitation = invited
    other = next(a.user for a in call.attendances if a.user != member)
    for sender in (member.email, other.email):
        calendar = reply_calendar(invitation, line(other, "DECLINED"))
        raw = reply_mail(invitation, calendar, sender=sender, to=reply_address(member))
        assert mail_in(app, raw) == "rejected"
    assert answer_of(call, other).partstat is Partstat.NEEDS_ACTION
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


def test_the_right_address_from_another_sender_is_refused(app, invited, caplog):
    """Does a REPLY to the member's own address, but From someone else, change nothing?"""
    call, member, invitation = invited
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    raw = reply_mail(invitation, calendar, sender="intruder@example.net")
    assert mail_in(app, raw) == "rejected"
    assert f"belongs to {member.email}" in caplog.text
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


def test_a_deactivated_members_reply_is_refused(app, invited):
    """Is the calendar answer of a member deactivated since the invitation refused?"""
    call, member, invitation = invited
    member.active = False
    db.session.commit()
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    assert mail_in(app, reply_mail(invitation, calendar)) == "rejected"
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


@pytest.mark.parametrize(
    "results,outcome",
    [
        ("mx.example.org; dkim=fail header.d=example.org; spf=pass", "rejected"),
        ("mx.example.org; spf=fail (sender not permitted) smtp.mailfrom=example.org", "rejected"),
        ("mx.example.org; dkim=pass header.d=example.org; spf=pass", "accepted"),
        ("mx.example.org; dkim=fail; dkim=pass header.d=example.org; spf=none", "accepted"),
    ],
)
def test_authentication_results_that_fail_refuse_the_message(app, invited, results, outcome):
    """Is a REPLY the mail server found failing DKIM or SPF refused, even with the right
    address and From, and one that passes taken?"""
    call, member, invitation = invited
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    raw = reply_mail(invitation, calendar, headers={"Authentication-Results": results})
    assert mail_in(app, raw) == outcome
    expected = Partstat.DECLINED if outcome == "accepted" else Partstat.NEEDS_ACTION
    assert answer_of(call, member).partstat is expected


def test_only_the_configured_servers_results_count(app, invited, monkeypatch):
    """With ``MAILIN_AUTHSERV_ID`` set, is a failing result from our server refused and one
    added by another server (any sender can write one) ignored?"""
    call, member, invitation = invited
    monkeypatch.setitem(app.config, "MAILIN_AUTHSERV_ID", "mx.consult.example")
    calendar = reply_calendar(invitation, line(member, "DECLINED"))
    theirs = {"Authentication-Results": "mx.elsewhere.example; dkim=fail"}
    assert mail_in(app, reply_mail(invitation, calendar, headers=theirs)) == "accepted"
    ours = {"Authentication-Results": "mx.consult.example; spf=fail"}
    calendar = reply_calendar(invitation, line(member, "ACCEPTED"))
    assert mail_in(app, reply_mail(invitation, calendar, headers=ours)) == "rejected"
    assert answer_of(call, member).partstat is Partstat.DECLINED


# --- answer links ------------------------------------------------------------------------------


def _link(invitation: EmailMessage, answer: str) -> str:
    text = invitation.get_body(preferencelist=("plain",)).get_content()
    link = next(u for u in re.findall(r"https?://\S+", text) if f"answer={answer}" in u)
    return re.sub(r"^https?://[^/]+", "", link)


def test_answer_links_stop_after_the_call(client, invited, monkeypatch):
    """Does an answer link stop working (409) once the call is over, and the call page's
    answer too?"""
    call, member, invitation = invited
    link = _link(invitation, "decline")
    assert client.get(link).status_code == 200
    later = db.session.get(Call, call.id).ends_at + timedelta(minutes=1)
    monkeypatch.setattr("consult.calls.views.rsvp.utcnow", lambda: later)
    page = client.get(link)
    assert page.status_code == 409 and "over" in page.get_data(as_text=True)
    assert client.post(link.partition("?")[0], data={"answer": "decline"}).status_code == 409
    sign_in(client, member)
    response = client.post(
        f"/calls/{call.id}/answer", data={"answer": "decline"}, follow_redirects=True
    )
    assert "This call is over" in response.get_data(as_text=True)
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION


def test_answer_links_stop_for_a_deactivated_member(client, invited):
    """Does a deactivated member's answer link stop working (403)?"""
    call, member, invitation = invited
    link = _link(invitation, "accept")
    member.active = False
    db.session.commit()
    assert client.get(link).status_code == 403
    assert client.post(link.partition("?")[0], data={"answer": "accept"}).status_code == 403
    assert answer_of(call, member).partstat is Partstat.NEEDS_ACTION
