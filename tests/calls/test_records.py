"""Meeting records through the pages and the e-mails: the published agenda (times, leads and
documents), the attendance register, and minutes drafted, approved and circulated."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time

from consult.calls.models import (
    AgendaDocument,
    AgendaItem,
    AgendaStatus,
    CallStatus,
    MinutesStatus,
    Presence,
)
from consult.database import utcnow
from consult.documents.models import Visibility
from consult.extensions import db
from consult.i18n.formats import format_locale
from tests.calls.conftest import series_form
from tests.conftest import body_html, body_text, sign_in
from tests.documents.conftest import make_document as make_document  # a fixture


def _members(call):
    return sorted(
        (a.user for a in call.attendances if not a.user.is_secretariat), key=lambda u: u.id
    )


def _item(call, title: str, position: int = 1, **fields) -> AgendaItem:
    item = AgendaItem(
        call=call, title=title, status=AgendaStatus.ACCEPTED, position=position, **fields
    )
    db.session.add(item)
    db.session.commit()
    return item


def _started(make_call, series=None):
    """A call that began three hours ago."""
    return make_call(series, (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0))


def _clock(moment) -> str:
    return format_time(moment, "short", locale=format_locale("en"))


# --- the agenda ----------------------------------------------------------------------------


def test_publishing_the_agenda_emails_every_invitee(client, make_call, mailbox):
    """Does publishing e-mail the agenda (items, their times and leads) to each active invitee?"""
    call = make_call()
    paris, delhi = _members(call)
    delhi.active = False
    _item(call, "Toolkit scope", 1, duration_minutes=20, lead=paris)
    _item(call, "Forum at CSD-8", 2, duration_minutes=40)
    sign_in(client, call.series.organiser)
    response = client.post(f"/calls/{call.id}/agenda/publish", follow_redirects=True)
    assert "published and e-mailed to the invitees" in response.get_data(as_text=True)
    assert {str(m["To"]) for m in mailbox.messages} == {paris.email, call.series.organiser.email}
    message = mailbox.last(paris.email)
    assert message["Subject"] == f"Agenda published: {call.series.name}"
    text = body_text(message)
    assert "Toolkit scope (lead: " + paris.display_name + ")" in text
    assert text.index("Toolkit scope") < text.index("Forum at CSD-8")
    # Each item's time, in the member's own zone.
    local = call.starts_at.astimezone(ZoneInfo(paris.timezone))
    second = local + timedelta(minutes=20)
    assert f"1. {_clock(local)}\u2013{_clock(second)} Toolkit scope" in text
    assert f"2. {_clock(second)}\u2013{_clock(second + timedelta(minutes=40))} Forum" in text


def test_only_a_confirmed_calls_agenda_is_published(client, make_call, mailbox):
    """Is publishing the agenda of a cancelled call refused, nothing sent?"""
    call = make_call()
    call.status = CallStatus.CANCELLED
    db.session.commit()
    sign_in(client, call.series.organiser)
    client.post(f"/calls/{call.id}/agenda/publish")
    assert call.agenda_published_at is None and mailbox.messages == []


def test_the_secretariat_times_an_item_and_names_its_lead(client, make_call):
    """Can the Secretariat give an item minutes and a lead speaker, shown on the call page
    with each item's time from the call's start?"""
    call = make_call()
    paris, _ = _members(call)
    first = _item(call, "Toolkit scope", 1)
    second = _item(call, "Forum at CSD-8", 2)
    sign_in(client, call.series.organiser)
    edit = f"/calls/{call.id}/agenda/{first.id}/edit"
    assert client.get(edit).status_code == 200
    data = {"title": "Toolkit scope", "details": "", "duration_minutes": "15", "lead": paris.id}
    assert client.post(edit, data=data).status_code == 302
    client.post(
        f"/calls/{call.id}/agenda/{second.id}/edit",
        data={"title": "Forum at CSD-8", "duration_minutes": "30", "lead": ""},
    )
    assert (first.duration_minutes, first.lead, second.lead) == (15, paris, None)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"Lead: <bdi>{paris.display_name}</bdi>" in html
    # The organiser reads New York time: the second item starts 15 minutes after the call.
    times = re.findall(r'<span class="item-time">([^<]+)</span>', html)
    dash = "\u2013"
    assert len(times) == 2 and times[0].split(dash)[1] == times[1].split(dash)[0]


def test_bad_item_times_and_leads_are_refused(client, make_call, make_member):
    """Are a zero or huge duration, text, or a lead who is not invited refused (422), nothing saved?"""
    call = make_call()
    item = _item(call, "Toolkit scope")
    stranger = make_member()
    sign_in(client, call.series.organiser)
    edit = f"/calls/{call.id}/agenda/{item.id}/edit"
    for data in (
        {"title": "X", "duration_minutes": "0"},
        {"title": "X", "duration_minutes": "1000"},
        {"title": "X", "duration_minutes": "half an hour"},
        {"title": "X", "lead": stranger.id},
        {"title": "X", "lead": "x"},
        {"title": ""},
    ):
        assert client.post(edit, data=data).status_code == 422, data
    db.session.refresh(item)
    assert (item.title, item.duration_minutes, item.lead_id) == ("Toolkit scope", None, None)


def test_members_cannot_edit_items(client, make_call):
    """Does a member get 403 on the item's edit page and its documents?"""
    call = make_call()
    item = _item(call, "Toolkit scope")
    sign_in(client, _members(call)[0])
    assert client.get(f"/calls/{call.id}/agenda/{item.id}/edit").status_code == 403
    response = client.post(
        f"/calls/{call.id}/agenda/{item.id}/documents",
        data={"document-url": "https://example.org/a.pdf", "document-title": "A"},
    )
    assert response.status_code == 403
    assert item.documents == []


def test_items_link_library_documents_and_web_addresses(
    client,
    make_call,
    make_document,
    mailbox,
):
    """Can an item link a document of the library (by its title) and any web address, both
    shown on the call page and in the published agenda?"""
    call = make_call()
    paris, _ = _members(call)
    item = _item(call, "Codes of conduct")
    paper = make_document("Background paper on VIAs", visibility=Visibility.MEMBERS)
    sign_in(client, call.series.organiser)
    page = client.get(f"/calls/{call.id}/agenda/{item.id}/edit").get_data(as_text=True)
    (value,) = re.findall(r'<option value="([^"]+)">Background paper on VIAs</option>', page)
    assert value.endswith(f"/documents/{paper.id}/download")
    documents = f"/calls/{call.id}/agenda/{item.id}/documents"
    assert client.post(documents, data={"document-library": value}).status_code == 302
    web = {"document-url": "https://www.un.org/esa/sustdev/csd.htm", "document-title": "CSD"}
    assert client.post(documents, data=web).status_code == 302
    assert [(d.title, d.url) for d in item.documents] == [
        ("Background paper on VIAs", value),
        ("CSD", "https://www.un.org/esa/sustdev/csd.htm"),
    ]
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'<a href="{value}" rel="noopener"><bdi>Background paper on VIAs</bdi></a>' in html
    client.post(f"/calls/{call.id}/agenda/publish")
    assert f'<a href="{value}"><bdi>Background paper on VIAs</bdi></a>' in body_html(
        mailbox.last(paris.email)
    )

    client.post(f"{documents}/{item.documents[1].id}/delete")
    db.session.refresh(item)
    assert [d.title for d in item.documents] == ["Background paper on VIAs"]


def test_bad_document_links_are_refused(client, make_call):
    """Are a script address, an address without a title, nothing at all, or a library choice
    that is not offered refused (422), nothing linked?"""
    call = make_call()
    item = _item(call, "Codes of conduct")
    sign_in(client, call.series.organiser)
    documents = f"/calls/{call.id}/agenda/{item.id}/documents"
    for data in (
        {"document-url": "javascript:alert(1)", "document-title": "X"},
        {"document-url": "ftp://example.org/a.pdf", "document-title": "X"},
        {"document-url": "https://example.org/a.pdf", "document-title": " "},
        {},
        {"document-library": "https://evil.example/x"},
    ):
        assert client.post(documents, data=data).status_code == 422, data
    assert item.documents == []


# --- attendance --------------------------------------------------------------------------


def test_attendance_is_recorded_from_the_start_of_the_call(client, make_call):
    """Is the register refused before the call starts, then recorded and shown once it has?"""
    early = make_call(start=utcnow() + timedelta(days=40))
    paris, delhi = _members(early)
    sign_in(client, early.series.organiser)
    assert "Attendance register" not in client.get(f"/calls/{early.id}").get_data(as_text=True)
    response = client.post(
        f"/calls/{early.id}/attendance",
        data={f"presence-{a.user_id}": "present" for a in early.attendances},
        follow_redirects=True,
    )
    assert "recorded once the call has started" in response.get_data(as_text=True)
    assert {a.presence for a in early.attendances} == {Presence.UNKNOWN}

    call = _started(make_call, early.series)
    paris, delhi = _members(call)
    organiser = call.series.organiser
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Attendance register" in html
    data = {
        f"presence-{organiser.id}": "present",
        f"presence-{paris.id}": "present",
        f"presence-{delhi.id}": "apologies",
    }
    assert client.post(f"/calls/{call.id}/attendance", data=data).status_code == 302
    assert {a.user_id: a.presence for a in call.attendances} == {
        organiser.id: Presence.PRESENT,
        paris.id: Presence.PRESENT,
        delhi.id: Presence.APOLOGIES,
    }
    sign_in(client, paris)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    register = html[html.index('id="register"') :]
    assert re.search(r"<dt>Apologies</dt><dd><bdi>" + re.escape(delhi.display_name), register)
    assert "Attendance register" not in html  # members read it, only the Secretariat records it


def test_a_member_who_declined_is_offered_as_apologies(client, make_call):
    """Does the register start with apologies for a member who declined the invitation?"""
    call = _started(make_call)
    paris, _ = _members(call)
    call.attendance_of(paris).partstat = call.attendance_of(paris).partstat.DECLINED
    db.session.commit()
    sign_in(client, call.series.organiser)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert re.search(
        rf'<input [^>]*checked[^>]*name="presence-{paris.id}"[^>]*value="apologies"', html
    )


def test_the_register_refuses_bad_input_and_members(client, make_call):
    """Are a missing or unknown presence refused without change, and a member's post 403?"""
    call = _started(make_call)
    paris, _ = _members(call)
    sign_in(client, call.series.organiser)
    data = {f"presence-{a.user_id}": "present" for a in call.attendances}
    data[f"presence-{paris.id}"] = "asleep"
    response = client.post(f"/calls/{call.id}/attendance", data=data, follow_redirects=True)
    assert "for every invitee" in response.get_data(as_text=True)
    assert {a.presence for a in call.attendances} == {Presence.UNKNOWN}
    sign_in(client, paris)
    data[f"presence-{paris.id}"] = "present"
    assert client.post(f"/calls/{call.id}/attendance", data=data).status_code == 403


# --- minutes -------------------------------------------------------------------------------


def _held(client, make_call):
    call = _started(make_call)
    sign_in(client, call.series.organiser)
    client.post(f"/calls/{call.id}/held")
    assert call.status is CallStatus.HELD
    return call


def _step(client, call, step: str):
    return client.post(f"/calls/{call.id}/minutes/step", data={"step": step})


def test_minutes_are_drafted_approved_then_circulated_once(client, make_call, mailbox):
    """Do members see no draft, does circulating e-mail the minutes with the register to every
    invitee, and does a second click send nothing more?"""
    call = _held(client, make_call)
    paris, delhi = _members(call)
    organiser = call.series.organiser
    client.post(
        f"/calls/{call.id}/attendance",
        data={
            f"presence-{organiser.id}": "present",
            f"presence-{paris.id}": "present",
            f"presence-{delhi.id}": "absent",
        },
    )
    client.post(f"/calls/{call.id}/minutes", data={"minutes": "Agreed: **outline** of chapters."})
    assert call.minutes_status is MinutesStatus.DRAFT
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<strong>Draft</strong>" in html and "seen by the Secretariat only" in html

    sign_in(client, paris)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "outline" not in html and "The minutes are not circulated yet." in html

    sign_in(client, organiser)
    assert _step(client, call, "approve").status_code == 302
    assert call.minutes_status is MinutesStatus.APPROVED and mailbox.messages == []
    edited = client.post(
        f"/calls/{call.id}/minutes", data={"minutes": "Changed"}, follow_redirects=True
    )
    assert "reopen them first" in edited.get_data(as_text=True)
    assert call.minutes == "Agreed: **outline** of chapters."

    assert _step(client, call, "circulate").status_code == 302
    assert call.minutes_status is MinutesStatus.CIRCULATED
    assert call.minutes_circulated_at is not None
    assert {str(m["To"]) for m in mailbox.messages} == {organiser.email, paris.email, delhi.email}
    message = mailbox.last(delhi.email)
    assert message["Subject"] == f"Minutes: {call.series.name}"
    text = body_text(message)
    assert "Agreed: **outline** of chapters." in text
    assert f"Absent: {delhi.display_name}" in text
    assert "<strong>outline</strong>" in body_html(message)

    mailbox.clear()
    again = _step(client, call, "circulate")
    assert again.status_code == 302 and mailbox.messages == []

    sign_in(client, paris)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "<strong>outline</strong>" in html and "<strong>Circulated</strong>" in html


def test_empty_minutes_are_not_approved(client, make_call):
    """Is approving empty minutes refused?"""
    call = _held(client, make_call)
    response = _step(client, call, "approve")
    assert response.status_code == 302
    assert call.minutes_status is MinutesStatus.DRAFT


def test_reopened_minutes_are_hidden_until_circulated_again(client, make_call, mailbox):
    """After a correction is reopened, do members stop seeing the minutes until they go out again?"""
    call = _held(client, make_call)
    paris, _ = _members(call)
    client.post(f"/calls/{call.id}/minutes", data={"minutes": "First version"})
    _step(client, call, "approve")
    _step(client, call, "circulate")
    _step(client, call, "reopen-circulated")
    assert call.minutes_status is MinutesStatus.DRAFT
    client.post(f"/calls/{call.id}/minutes", data={"minutes": "Corrected version"})
    sign_in(client, paris)
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "version" not in html
    sign_in(client, call.series.organiser)
    mailbox.clear()
    _step(client, call, "approve")
    _step(client, call, "circulate")
    assert "Corrected version" in body_text(mailbox.last(paris.email))


def test_minutes_steps_refuse_members_and_unknown_steps(client, make_call):
    """Is a member's step 403 and an unknown step 400?"""
    call = _held(client, make_call)
    assert _step(client, call, "burn").status_code == 400
    sign_in(client, _members(call)[0])
    assert _step(client, call, "approve").status_code == 403


def test_the_records_forms_carry_their_csrf_token(client, make_call, csrf):
    """With CSRF on, are the register and a minutes step refused without the page's token and
    accepted with it?"""
    call = _started(make_call)
    call.status = CallStatus.HELD
    db.session.commit()
    sign_in(client, call.series.organiser)
    page = f"/calls/{call.id}"
    data = {f"presence-{a.user_id}": "present" for a in call.attendances}
    assert client.post(f"{page}/attendance", data=data).status_code == 400
    assert {a.presence for a in call.attendances} == {Presence.UNKNOWN}
    token = csrf(client, page)
    assert client.post(f"{page}/attendance", data={**data, "csrf_token": token}).status_code == 302
    assert {a.presence for a in call.attendances} == {Presence.PRESENT}
    client.post(f"{page}/minutes", data={"minutes": "Agreed.", "csrf_token": token})
    assert _step(client, call, "approve").status_code == 400
    step = {"step": "approve", "csrf_token": token}
    assert client.post(f"{page}/minutes/step", data=step).status_code == 302
    assert call.minutes_status is MinutesStatus.APPROVED


def test_the_invitation_lists_the_agendas_documents_with_links(
    client, make_call, make_document, mailbox
):
    """Does an invitation sent once the agenda is published (here an update for a new bridge)
    list each item's documents with their full links, in the text and the HTML parts?"""
    call = make_call()
    paris, _ = _members(call)
    item = _item(call, "Codes of conduct")
    paper = make_document("Report of the CSD", symbol="E/CN.17/1999/20")
    sign_in(client, call.series.organiser)
    page = client.get(f"/calls/{call.id}/agenda/{item.id}/edit").get_data(as_text=True)
    (value,) = re.findall(
        r'<option value="([^"]+)">E/CN.17/1999/20 Report of the CSD</option>', page
    )
    assert value.startswith("http") and value.endswith(f"/documents/{paper.id}/download")
    client.post(f"/calls/{call.id}/agenda/{item.id}/documents", data={"document-library": value})
    client.post(f"/calls/{call.id}/agenda/publish")
    mailbox.clear()
    series = call.series
    client.post(f"/calls/series/{series.id}/edit", data=series_form(series, bridge="New bridge"))
    message = mailbox.last(paris.email)
    assert message["Subject"].startswith("Changed:")
    text = body_text(message).replace("\r\n", "\n")
    assert "Documents for the agenda:" in text
    assert f"Codes of conduct:\n - E/CN.17/1999/20 Report of the CSD: {value}" in text
    assert f'<a href="{value}"><bdi>E/CN.17/1999/20 Report of the CSD</bdi></a>' in body_html(
        message
    )


def test_an_invitation_without_a_published_agenda_lists_no_documents(
    client, make_call, make_document, mailbox
):
    """Are the documents of an agenda not yet published kept out of the invitation?"""
    call = make_call()
    paris, _ = _members(call)
    item = _item(call, "Codes of conduct")
    paper = make_document("Draft notes")
    sign_in(client, call.series.organiser)
    value = f"http://localhost/documents/{paper.id}/download"
    item.documents.append(AgendaDocument(title=paper.title, url=value))
    db.session.commit()
    mailbox.clear()
    series = call.series
    client.post(f"/calls/series/{series.id}/edit", data=series_form(series, bridge="New bridge"))
    text = body_text(mailbox.last(paris.email))
    assert "Documents for the agenda:" not in text and "Draft notes" not in text
