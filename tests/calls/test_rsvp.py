"""Answers: signed links from the invitation, and iTIP REPLY messages through ``mail-in``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import select

from consult.accounts.models import User
from consult.calls.models import CallStatus, Partstat
from consult.calls.notifications import reply_address, rsvp_links
from consult.extensions import db
from consult.mailin import Outcome, dispatch
from tests.calls.conftest import future
from tests.conftest import links_in, sign_in


def _member_attendance(call):
    return next(a for a in call.attendances if not a.user.is_secretariat)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def _answer(client, link: str):
    path, _, query = _path(link).partition("?")
    answer = re.search(r"answer=(\w+)", query).group(1)
    page = client.get(_path(link))
    return page, client.post(path, data={"answer": answer})


def test_accept_link_from_the_email_records_the_answer(client, make_series, mailbox):
    """Does the accept link in the received e-mail record ACCEPTED, without signing in?"""
    series = make_series()
    sign_in(client, series.organiser)
    client.post(f"/calls/series/{series.id}/confirm", data={"start": future().isoformat()})
    client.post("/sign-out")
    member = next(m for m in series.members if not m.is_secretariat)
    accept = next(link for link in links_in(mailbox.last(member.email)) if "answer=accept" in link)
    page, answer = _answer(client, accept)
    assert page.status_code == 200
    assert re.search(r'<input checked[^>]*value="accept"', page.get_data(as_text=True))
    assert answer.status_code == 200
    assert "your answer is recorded" in answer.get_data(as_text=True)
    call = series.calls[0]
    db.session.refresh(call)
    assert {a.user.email: a.partstat for a in call.attendances}[member.email] is Partstat.ACCEPTED


def test_opening_the_link_alone_does_not_answer(client, make_call):
    """Does a mail scanner that only opens (GETs) the link leave the answer untouched?"""
    call = make_call()
    attendance = _member_attendance(call)
    client.get(_path(rsvp_links(attendance)["decline"]))
    assert attendance.partstat is Partstat.NEEDS_ACTION


@pytest.mark.parametrize("answer,expected", [("tentative", "TENTATIVE"), ("decline", "DECLINED")])
def test_tentative_and_decline(client, make_call, answer, expected):
    """Do the tentative and decline links record their answers?"""
    call = make_call()
    attendance = _member_attendance(call)
    _, response = _answer(client, rsvp_links(attendance)[answer])
    assert response.status_code == 200
    assert attendance.partstat.value == expected


def test_tampered_link_is_refused(client, make_call):
    """Is a link whose token was altered refused, the answer untouched?"""
    call = make_call()
    attendance = _member_attendance(call)
    path = _path(rsvp_links(attendance)["accept"]).split("?")[0]
    head, token = path.rsplit("/", 1)
    tampered = f"{head}/{token[:-3]}{'abc' if token[-3:] != 'abc' else 'xyz'}"
    assert client.get(tampered).status_code == 400
    assert client.post(tampered, data={"answer": "accept"}).status_code == 400
    assert attendance.partstat is Partstat.NEEDS_ACTION


def test_another_members_link_answers_only_for_them(client, make_call):
    """Can a member's token be used to answer for another member? (No.)"""
    call = make_call()
    mine, other = [a for a in call.attendances if not a.user.is_secretariat][:2]
    path = _path(rsvp_links(mine)["decline"]).split("?")[0]
    forged = path.replace(f"/rsvp/{mine.user_id}/", f"/rsvp/{other.user_id}/")
    assert forged != path
    assert client.post(forged, data={"answer": "decline"}).status_code == 400
    assert other.partstat is Partstat.NEEDS_ACTION
    assert mine.partstat is Partstat.NEEDS_ACTION


def test_another_calls_link_is_refused(client, make_series, make_call):
    """Is a token for one call refused on another call?"""
    series = make_series()
    first = make_call(series, future(10))
    second = make_call(series, future(40))
    attendance = _member_attendance(first)
    path = _path(rsvp_links(attendance)["accept"]).split("?")[0]
    moved = path.replace(f"/calls/{first.id}/", f"/calls/{second.id}/")
    assert client.post(moved, data={"answer": "accept"}).status_code == 400
    assert all(a.partstat is Partstat.NEEDS_ACTION for a in second.attendances)


def test_answers_are_visible_on_the_call_page(client, make_call, make_member):
    """Do the Secretariat and members see who accepted, declined or has not answered?"""
    call = make_call()
    attendances = [a for a in call.attendances if not a.user.is_secretariat]
    _answer(client, rsvp_links(attendances[0])["accept"])
    _answer(client, rsvp_links(attendances[1])["decline"])
    sign_in(client, attendances[0].user)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Accepted: 1 · Tentative: 0 · Declined: 1 · No answer yet: 1" in html
    assert "Not delivered" not in html and "E-mail problems</th>" not in html
    sign_in(client, call.series.organiser)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Accepted: 1 · Tentative: 0 · Declined: 1 · No answer yet: 1" in html
    assert "E-mail problems</th>" in html
    client.post("/sign-out")
    assert client.get(f"/calls/{call.id}").status_code == 302


def _reply(
    uid: str,
    attendee: str,
    partstat: str = "ACCEPTED",
    sender: str | None = None,
    to: str | None = None,
):
    calendar = Calendar()
    calendar.add("prodid", "-//Test mail client//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REPLY")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("sequence", 0)
    address = vCalAddress(f"mailto:{attendee}")
    address.params["PARTSTAT"] = partstat
    event.add("attendee", address, encode=0)
    calendar.add_component(event)
    message = EmailMessage()
    message["From"] = sender or attendee
    member = db.session.scalar(select(User).where(User.email == attendee))
    message["To"] = to or (reply_address(member) if member else "calls@example.org")
    message["Subject"] = "Accepted: Steering Group teleconference"
    message.set_content("I will be there.")
    message.add_alternative(
        calendar.to_ical().decode(), subtype="calendar", params={"method": "REPLY"}
    )
    return message


def test_reply_by_mail_updates_the_answer(app, make_call):
    """Does a METHOD:REPLY fed to mail-in record the attendee's PARTSTAT?"""
    call = make_call()
    attendance = _member_attendance(call)
    outcome = dispatch(_reply(call.uid, attendance.user.email, "TENTATIVE"))
    assert outcome is Outcome.ACCEPTED
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.TENTATIVE


def test_reply_through_the_command(app, make_call):
    """Does ``flask mail-in`` read the reply from standard input?"""
    call = make_call()
    attendance = _member_attendance(call)
    runner = app.test_cli_runner()
    raw = _reply(call.uid, attendance.user.email, "DECLINED").as_bytes()
    result = runner.invoke(args=["mail-in"], input=raw)
    assert result.output.strip() == "accepted"
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.DECLINED


def test_reply_for_unknown_uid_is_rejected(app, make_call, caplog):
    """Is a reply for a call we do not know rejected and logged?"""
    call = make_call()
    attendance = _member_attendance(call)
    outcome = dispatch(_reply("no-such-call@consult", attendance.user.email))
    assert outcome is Outcome.REJECTED
    assert "unknown UID" in caplog.text
    assert attendance.partstat is Partstat.NEEDS_ACTION


def test_reply_from_someone_not_invited_is_rejected(app, make_call, make_member, caplog):
    """Is a reply naming an attendee who is not invited rejected and logged?"""
    call = make_call()
    stranger = make_member("stranger@example.org")
    assert dispatch(_reply(call.uid, stranger.email)) is Outcome.REJECTED
    assert dispatch(_reply(call.uid, "nobody@example.org")) is Outcome.REJECTED
    assert "not invited" in caplog.text


def test_reply_sent_by_someone_else_is_rejected(app, make_call):
    """Is a reply for a member sent from another address refused?"""
    call = make_call()
    attendance = _member_attendance(call)
    message = _reply(call.uid, attendance.user.email, sender="intruder@example.org")
    assert dispatch(message) is Outcome.REJECTED
    assert attendance.partstat is Partstat.NEEDS_ACTION


def test_a_message_without_a_reply_is_left_for_others(app):
    """Is an ordinary e-mail (no calendar REPLY) left to the other handlers?"""
    from consult.calls.replies import handle_reply

    message = EmailMessage()
    message["From"] = "someone@example.org"
    message.set_content("A comment reply.")
    assert handle_reply(message) is Outcome.NOT_MINE


def test_the_answer_page_works_with_csrf_on(client, make_call, csrf):
    """With CSRF protection on, does the answer page's own form go through (and a bare POST not)?"""
    call = make_call()
    attendance = _member_attendance(call)
    link = _path(rsvp_links(attendance)["accept"])
    path = link.split("?")[0]
    assert client.post(path, data={"answer": "accept"}).status_code == 400
    assert attendance.partstat is Partstat.NEEDS_ACTION
    token = csrf(client, link)
    response = client.post(path, data={"answer": "accept", "csrf_token": token})
    assert response.status_code == 200
    assert attendance.partstat is Partstat.ACCEPTED


def test_a_reply_with_a_malformed_sequence_does_not_crash_mail_in(app, make_call):
    """Does ``mail-in`` refuse a REPLY with ``SEQUENCE:abc`` calmly instead of crashing?"""
    call = make_call()
    attendance = next(a for a in call.attendances if not a.user.is_secretariat)
    calendar = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Test mail client//EN",
            "METHOD:REPLY",
            "BEGIN:VEVENT",
            f"UID:{call.uid}",
            "DTSTAMP:20300101T000000Z",
            "SEQUENCE:abc",
            f"ATTENDEE;PARTSTAT=DECLINED:mailto:{attendance.user.email}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    message = EmailMessage()
    message["From"] = attendance.user.email
    message["To"] = reply_address(attendance.user)
    message["Subject"] = "Declined"
    message.set_content("No.")
    message.add_alternative(calendar, subtype="calendar", params={"method": "REPLY"})
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip() in ("rejected", "not mine")
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.NEEDS_ACTION


@pytest.mark.parametrize("status", [CallStatus.CANCELLED, CallStatus.HELD])
def test_answers_to_a_cancelled_or_held_call_are_refused(client, make_call, status):
    """Are answers by e-mail, by link and by the call page refused once a call is off or held?"""
    call = make_call()
    attendance = next(a for a in call.attendances if not a.user.is_secretariat)
    links = rsvp_links(attendance)
    call.status = status
    db.session.commit()

    assert dispatch(_reply(call.uid, attendance.user.email, "DECLINED")) is Outcome.REJECTED

    path = re.sub(r"^https?://[^/]+", "", links["decline"])
    page = client.get(path)
    assert page.status_code == 409
    word = "cancelled" if status is CallStatus.CANCELLED else "held"
    assert word in page.get_data(as_text=True)
    assert client.post(path.partition("?")[0], data={"answer": "decline"}).status_code == 409

    sign_in(client, attendance.user)
    response = client.post(
        f"/calls/{call.id}/answer", data={"answer": "decline"}, follow_redirects=True
    )
    assert word in response.get_data(as_text=True)
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.NEEDS_ACTION


def test_an_old_reply_delivered_again_does_not_undo_a_later_one(app, make_call):
    """If the mail server redelivers a member's first iTIP reply after their second, is the
    redelivered copy ignored (same Message-ID), so the later answer stands?"""
    call = make_call()
    attendance = _member_attendance(call)
    runner = app.test_cli_runner()
    first = _reply(call.uid, attendance.user.email, "ACCEPTED")
    first["Message-ID"] = "<first-answer@mail.example.org>"
    second = _reply(call.uid, attendance.user.email, "DECLINED")
    second["Message-ID"] = "<second-answer@mail.example.org>"
    assert runner.invoke(args=["mail-in"], input=first.as_bytes()).output.strip() == "accepted"
    assert runner.invoke(args=["mail-in"], input=second.as_bytes()).output.strip() == "accepted"
    again = runner.invoke(args=["mail-in"], input=first.as_bytes())
    assert (again.output.strip(), again.exit_code) == ("duplicate", 0)
    db.session.refresh(attendance)
    assert attendance.partstat is Partstat.DECLINED
