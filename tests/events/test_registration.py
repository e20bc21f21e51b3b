"""Registering without an account, the e-mails, and the private manage link."""

import re
from datetime import timedelta

import pytest

from consult.database import utcnow
from consult.events import allocation
from consult.events.countries import DEVELOPING
from consult.events.models import Registration, Status
from consult.extensions import db
from tests.conftest import body_text, links_in
from tests.events.conftest import (
    calendar_part,
    constituency_id,
    form_data,
    read_ics,
    wall_clock,
)


def _registration(email: str) -> Registration:
    return db.session.query(Registration).filter_by(email=email).one()


def _manage_link(message) -> str:
    return next(link for link in links_in(message) if "/events/registration/" in link)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_confirmation_email_carries_invite_and_manage_link(client, make_event, mailbox):
    """Does a registrant with a seat get an iTIP REQUEST naming them and a working private link?"""
    event = make_event(capacity=3)
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code == 303
    page = client.get(response.location)
    assert "Your seat is confirmed" in page.get_data(as_text=True)

    message = mailbox.last("participant1@example.org")
    assert "Your seat is confirmed" in message["Subject"]
    calendar, method = calendar_part(message)
    assert method == "REQUEST"
    assert calendar.method.value == "REQUEST"
    vevent = calendar.vevent
    assert vevent.summary.value == event.title
    assert vevent.uid.value == f"event-{event.id}-registration-1@events.consult"
    assert wall_clock(vevent.dtstart) == event.starts_at
    assert wall_clock(vevent.dtend) == event.ends_at
    assert vevent.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["America/New_York"]
    attendees = [a.value.lower() for a in vevent.contents["attendee"]]
    assert attendees == ["mailto:participant1@example.org"]
    attachments = [p.get_filename() for p in message.iter_attachments()]
    assert "invite.ics" in attachments

    manage = client.get(_path(_manage_link(message)))
    html = manage.get_data(as_text=True)
    assert manage.status_code == 200
    assert "Confirmed: a seat is yours." in html
    assert "participant1@example.org" in html


def test_waiting_registrant_is_told_their_place(client, make_event, mailbox):
    """Is someone past the capacity told, on the page and by e-mail, their place in the queue?"""
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    client.post(f"/events/{event.slug}/register", data=form_data(2))
    response = client.post(f"/events/{event.slug}/register", data=form_data(3))
    page = client.get(response.location).get_data(as_text=True)
    assert "number 2 on the waiting list" in page
    message = mailbox.last("participant3@example.org")
    assert "waiting list" in message["Subject"]
    assert "You are number 2 on the waiting list" in body_text(message).replace("\n", " ")
    assert not any(p.get_content_type() == "text/calendar" for p in message.walk())


def test_pending_registrant_is_told_to_wait_for_approval(client, make_event, mailbox):
    """With approval required, is the registrant told that the Secretariat decides?"""
    event = make_event(approval_required=True)
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert "awaits the Secretariat" in client.get(response.location).get_data(as_text=True)
    assert "awaits approval" in mailbox.last("participant1@example.org")["Subject"]
    assert _registration("participant1@example.org").status is Status.PENDING


def test_cancel_promotes_and_sends_invite(client, make_event, mailbox):
    """Does cancelling free the seat for the first waiting person, who gets the invite?"""
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    client.post(f"/events/{event.slug}/register", data=form_data(2))
    link = _path(_manage_link(mailbox.last("participant1@example.org")))
    response = client.post(
        link.replace("/events/registration/", "/events/registration/") + "/cancel"
    )
    assert response.status_code == 303
    assert "Cancelled." in client.get(link).get_data(as_text=True)
    assert _registration("participant1@example.org").status is Status.CANCELLED
    assert _registration("participant2@example.org").status is Status.CONFIRMED

    withdrawal = mailbox.last("participant1@example.org")
    calendar, method = calendar_part(withdrawal)
    assert method == "CANCEL"
    assert int(calendar.vevent.sequence.value) == event.sequence + 1

    promotion = mailbox.last("participant2@example.org")
    assert "A seat is now yours" in promotion["Subject"]
    calendar, method = calendar_part(promotion)
    assert method == "REQUEST"
    assert (
        calendar.vevent.contents["attendee"][0].value.lower() == "mailto:participant2@example.org"
    )


def test_manage_link_corrects_details(client, make_event, mailbox):
    """Can a registrant correct their details through the private link?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    link = _path(_manage_link(mailbox.last("participant1@example.org")))
    data = form_data(1, name="Wangari Maathai", organisation="Green Belt Movement")
    data.pop("email")
    data.pop("consent_listed")
    response = client.post(link, data=data)
    assert response.status_code == 303
    registration = _registration("participant1@example.org")
    assert registration.name == "Wangari Maathai"
    assert registration.organisation == "Green Belt Movement"
    assert registration.consent_listed is False


def test_manage_link_refuses_blank_name_and_organisation(client, make_event, mailbox):
    """Are a name and organisation of only spaces refused on the manage page, nothing saved?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    link = _path(_manage_link(mailbox.last("participant1@example.org")))
    data = form_data(1, name="   ", organisation="  ")
    data.pop("email")
    response = client.post(link, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html
    assert 'id="organisation-error"' in html
    registration = _registration("participant1@example.org")
    assert (registration.name, registration.organisation) == (
        "Participant 1",
        "Friends of the Earth",
    )


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
)
def test_tampered_manage_token_is_refused(client, make_event, mailbox, mangle):
    """Is a manage link whose token was altered refused, for viewing and for cancelling?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    link = _path(_manage_link(mailbox.last("participant1@example.org")))
    token = link.rsplit("/", 1)[1]
    bad = f"/events/registration/{mangle(token)}"
    response = client.get(bad)
    assert response.status_code == 400
    assert "This link is not valid." in response.get_data(as_text=True)
    assert client.post(bad + "/cancel").status_code == 400
    assert _registration("participant1@example.org").status is Status.CONFIRMED


def test_old_link_dies_when_registering_again(client, make_event, mailbox):
    """After cancelling and registering again, is the first link no longer valid?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    first_link = _path(_manage_link(mailbox.last("participant1@example.org")))
    client.post(first_link + "/cancel")
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert client.get(first_link).status_code == 400


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your e-mail address."),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address such as name@example.org."),
        ({"organisation": ""}, "organisation", "Enter your organisation"),
        ({"name": "   "}, "name", "Enter your name."),
        ({"organisation": " \t "}, "organisation", "Enter your organisation"),
        ({"country": ""}, "country", "Choose your country."),
        ({"country": "XX"}, "country", "Choose your country from the list."),
        ({"constituency": ""}, "constituency", "Choose the group you belong to."),
        ({"constituency": "999999"}, "constituency", "Choose the group you belong to."),
        ({"constituency": "abc"}, "constituency", "Choose the group you belong to."),
        ({"name": "x" * 121}, "name", "Use at most 120 characters."),
    ],
)
def test_each_field_is_validated(client, make_event, overrides, field, message):
    """Is each bad field sent back with a clear message next to it (422, nothing saved)?"""
    event = make_event()
    response = client.post(f"/events/{event.slug}/register", data=form_data(1, **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert db.session.query(Registration).count() == 0


def test_same_email_twice_sends_the_link_to_that_mailbox_only(client, make_event, mailbox):
    """Does registering an address already registered neither show nor override it, and send
    its private link to that mailbox alone?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    mailbox.clear()
    response = client.post(
        f"/events/{event.slug}/register",
        data=form_data(2, email="PARTICIPANT1@example.org", name="Impostor"),
    )
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert "/events/registration/" not in page
    assert "Confirmed" not in page
    assert "We have sent an e-mail to p•••@example.org." in page
    [letter] = mailbox.messages
    assert letter["To"] == "participant1@example.org"
    assert "Someone, probably you, tried to register this address again" in body_text(letter)
    assert _registration("participant1@example.org").name == "Participant 1"


def test_page_after_submitting_says_where_one_stands_without_the_link(client, make_event, mailbox):
    """Does the page after submitting give the status and the mailbox to look in, but no link?"""
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    response = client.post(f"/events/{event.slug}/register", data=form_data(2))
    assert response.location.endswith(f"/events/{event.slug}/registered")
    page = client.get(response.location).get_data(as_text=True)
    assert "you are number 1 on the waiting list" in page
    assert "We have sent an e-mail to p•••@example.org" in page
    assert "junk or spam folder" in page
    assert "/events/registration/" not in page
    assert _manage_link(mailbox.last("participant2@example.org"))
    # another browser, or none: nothing about anyone's registration
    fresh = client.application.test_client()
    other = fresh.get(response.location).get_data(as_text=True)
    assert "waiting list" not in other
    assert "p•••@example.org" not in other


def test_confirm_address_first_holds_no_place_until_the_link_is_used(client, make_event, mailbox):
    """With "confirm address first", does a registration wait unconfirmed, without a seat, until
    its owner presses the button behind the e-mailed link, and then take the seat?"""
    event = make_event(capacity=1, confirm_address=True)
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    page = client.get(response.location).get_data(as_text=True)
    assert "follow its link: it confirms your address" in page
    registration = _registration("participant1@example.org")
    assert registration.status is Status.UNCONFIRMED
    letter = mailbox.last("participant1@example.org")
    assert "Confirm your address" in letter["Subject"]
    assert not any(p.get_content_type() == "text/calendar" for p in letter.walk())
    # someone else confirms first and takes the only seat
    client.post(f"/events/{event.slug}/register", data=form_data(2))
    other = _path(_manage_link(mailbox.last("participant2@example.org")))
    assert client.get(other).status_code == 200
    assert _registration("participant2@example.org").status is Status.UNCONFIRMED, (
        "GET confirms nothing"
    )
    client.post(other + "/confirm")
    assert _registration("participant2@example.org").status is Status.CONFIRMED
    link = _path(_manage_link(letter))
    html = client.get(link).get_data(as_text=True)
    assert "Confirm my address and register" in html
    client.post(link + "/confirm")
    db.session.expire_all()
    registration = _registration("participant1@example.org")
    assert registration.status is Status.WAITING
    assert registration.address_confirmed_at is not None
    assert "You are number 1 on the waiting list" in body_text(
        mailbox.last("participant1@example.org")
    ).replace("\n", " ")
    client.post(link + "/confirm")
    assert _registration("participant1@example.org").arrival == 4, (
        "confirming twice changes nothing"
    )


def test_closed_event_refuses_with_message(client, make_event):
    """Does a closed event show why and refuse a registration posted anyway?"""
    event = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
    page = client.get(f"/events/{event.slug}/register")
    assert "Registration for this event is closed." in page.get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code == 403
    assert "Registration for this event is closed." in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0


def test_unpublished_event_is_not_found(client, make_event):
    """Is an unpublished event invisible to the public, and its registration refused?"""
    event = make_event(published=False)
    assert client.get(f"/events/{event.slug}").status_code == 404
    response = client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code == 404
    assert "registration is not possible" in response.get_data(as_text=True)
    assert event.title not in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0


def test_secretariat_preview_cannot_register_unpublished(secretariat_client, make_event):
    """Does the Secretariat, who can see an unpublished event, get a clear refusal to register?"""
    event = make_event(published=False)
    response = secretariat_client.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code == 403
    assert "This event is not published" in response.get_data(as_text=True)


def test_country_sets_the_group(client, make_event):
    """Is the country group derived from the ISO country chosen?"""
    event = make_event(holds=[(DEVELOPING, 1, utcnow() + timedelta(days=3))])
    client.post(f"/events/{event.slug}/register", data=form_data(1, country="HU"))
    client.post(
        f"/events/{event.slug}/register",
        data=form_data(2, country="BR", constituency=str(constituency_id("gov-developing"))),
    )
    assert _registration("participant1@example.org").country_group == "transition"
    assert _registration("participant2@example.org").country_group == "developing"


def test_form_needs_csrf_token(client, make_event, csrf):
    """Is a registration without the form's CSRF token refused, and accepted with it?"""
    event = make_event()
    path = f"/events/{event.slug}/register"
    assert client.post(path, data=form_data(1)).status_code == 400
    token = csrf(client, path)
    assert client.post(path, data={**form_data(1), "csrf_token": token}).status_code == 303


def test_registration_rate_limit_is_its_own_setting(client, make_event, app, monkeypatch):
    """Does REGISTRATION_RATE_LIMIT bound how often one address may post the form?"""
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per minute")
    event = make_event(capacity=10)
    path = f"/events/{event.slug}/register"
    assert client.post(path, data=form_data(1)).status_code == 303
    assert client.post(path, data=form_data(2)).status_code == 303
    assert client.post(path, data=form_data(3)).status_code == 429


def test_newcomer_after_release_queues_behind_those_waiting(client, make_event, mailbox):
    """After a release date, does a newcomer wait while the first person waiting gets the seat?"""
    release = utcnow() - timedelta(hours=1)
    before = release - timedelta(days=1)
    event = make_event(
        capacity=2,
        holds=[(DEVELOPING, 1, release)],
        registration_opens_at=before - timedelta(days=1),
    )
    first = allocation.register(event.id, _form("a@example.org", "FR"), now=before)
    second = allocation.register(event.id, _form("b@example.org", "FR"), now=before)
    assert first.registration.status is Status.CONFIRMED
    assert second.registration.status is Status.WAITING

    response = client.post(
        f"/events/{event.slug}/register",
        data=form_data(3, email="c@example.org", country="FR"),
    )
    assert response.status_code == 303
    assert _registration("b@example.org").status is Status.CONFIRMED
    assert _registration("c@example.org").status is Status.WAITING
    assert "A seat is now yours" in mailbox.last("b@example.org")["Subject"]
    assert "waiting list" in mailbox.last("c@example.org")["Subject"]


def _form(email: str, country: str) -> allocation.RegistrationForm:
    return allocation.RegistrationForm(
        name=email,
        email=email,
        organisation="Test organisation",
        constituency_id=constituency_id("ngos"),
        country=country,
    )


def test_registering_again_after_cancelling_sends_a_new_calendar_entry(client, make_event, mailbox):
    """Is the invitation after a cancellation a new entry (new UID), not the cancelled one?"""
    event = make_event(capacity=3)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    first, _ = calendar_part(mailbox.last("participant1@example.org"))
    client.post(_path(_manage_link(mailbox.last("participant1@example.org"))) + "/cancel")
    withdrawal, method = calendar_part(mailbox.last("participant1@example.org"))
    assert method == "CANCEL"
    assert withdrawal.vevent.uid.value == first.vevent.uid.value

    client.post(f"/events/{event.slug}/register", data=form_data(1))
    proof = mailbox.last("participant1@example.org")
    assert "Confirm your address" in proof["Subject"], "an address seen before proves itself"
    client.post(_path(_manage_link(proof)) + "/confirm")
    again, method = calendar_part(mailbox.last("participant1@example.org"))
    assert method == "REQUEST"
    assert again.vevent.uid.value != withdrawal.vevent.uid.value
    agenda = read_ics(client.get(f"/events/{event.slug}/agenda.ics").data)
    assert agenda.vevent.uid.value == f"event-{event.id}@events.consult"


def test_with_proof_of_address_the_answer_page_reveals_nothing(client, make_event, mailbox):
    """When the event asks for proof of address, does the page after submitting read the same
    for a new address and for one already registered?"""
    event = make_event(confirm_address=True)
    first = client.post(f"/events/{event.slug}/register", data=form_data(1))
    new_page = client.get(first.location).get_data(as_text=True)
    link = _path(_manage_link(mailbox.last("participant1@example.org")))
    client.get(client.post(link + "/confirm").location)  # its page shows the flash
    second = client.post(
        f"/events/{event.slug}/register", data=form_data(2, email="participant1@example.org")
    )
    known_page = client.get(second.location).get_data(as_text=True)
    assert "if this address was registered already" in new_page

    def main(page: str) -> str:
        return page[page.index("<main") : page.index("</main>")]

    assert main(new_page) == main(known_page)
    assert _registration("participant1@example.org").name == "Participant 1"
