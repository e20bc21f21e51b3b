"""Invitation-only events: the list the Secretariat uploads, personal links used once."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from consult.database import utcnow
from consult.events.models import Invitation, Registration, Status
from consult.extensions import db
from tests.conftest import body_text, links_in
from tests.events.conftest import constituency_id, form_data

GOOD_LIST = (
    "\ufeffemail;name;constituency;language\n"
    "amina@example.org;Amina Mohamed;NGOs;en\n"
    "jose@example.org;José Ramírez Núñez;business;fr\n"
    "gov@example.org;;gov-developing;\n"
)


def upload(client, event, text: str, send: bool = True, expires_on: str | None = None):
    data = {
        "file": (io.BytesIO(text.encode("utf-8")), "invited.csv"),
        "expires_on": expires_on or (utcnow() + timedelta(days=20)).date().isoformat(),
    }
    if send:
        data["send"] = "y"
    return client.post(
        f"/events/admin/{event.id}/invitations", data=data, content_type="multipart/form-data"
    )


def invitation_link(mailbox, address: str) -> str:
    link = next(link for link in links_in(mailbox.last(address)) if "invitation=" in link)
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_bad_list_names_each_bad_line_and_keeps_nothing(secretariat_client, make_event, mailbox):
    """Does a list with mistakes say what is wrong on which line, and invite nobody?"""
    event = make_event(invitation_only=True)
    text = (
        "email,name,constituency,language\n"
        "ok@example.org,Fine,ngos,en\n"
        "not-an-address,Bad,ngos,en\n"
        "ok@example.org,Twice,ngos,en\n"
        "other@example.org,Bad group,Martians,en\n"
        "third@example.org,Bad language,ngos,xx\n"
    )
    response = upload(secretariat_client, event, text)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Line 3: “not-an-address” is not an e-mail address." in html
    assert "Line 4: ok@example.org is already on an earlier line." in html
    assert "Line 5: “Martians” is not a constituency" in html
    assert "Line 6: “xx” is not a language code" in html
    assert "Nothing was kept" in html
    assert db.session.query(Invitation).count() == 0
    assert mailbox.messages == []
    no_email = upload(secretariat_client, event, "name\nSomeone\n")
    assert "one of them “email”" in no_email.get_data(as_text=True)


def test_invitations_are_sent_in_the_invitees_language(secretariat_client, make_event, mailbox):
    """Does a good list (semicolons, byte-order mark, accents) invite each person by e-mail, in
    their language, through the outbox, and list them with where they stand?"""
    event = make_event(invitation_only=True)
    response = upload(secretariat_client, event, GOOD_LIST)
    assert response.status_code == 303
    invited = {i.email: i for i in db.session.query(Invitation)}
    assert set(invited) == {"amina@example.org", "jose@example.org", "gov@example.org"}
    assert invited["jose@example.org"].name == "José Ramírez Núñez"
    assert invited["jose@example.org"].constituency_id == constituency_id("business")
    assert "Invitation" in mailbox.last("amina@example.org")["Subject"]
    assert "Invitation" in mailbox.last("jose@example.org")["Subject"]
    french = body_text(mailbox.last("jose@example.org"))
    assert french.startswith("Bonjour José Ramírez Núñez,")
    assert "Vous êtes invité(e) à la manifestation suivante" in french
    page = secretariat_client.get(f"/events/admin/{event.id}/invitations").get_data(as_text=True)
    assert "Sent on" in page
    again = upload(secretariat_client, event, GOOD_LIST)
    assert again.status_code == 303
    assert db.session.query(Invitation).count() == 3, "people already invited are left as they were"


def test_the_personal_link_registers_once(client, secretariat_client, make_event, mailbox):
    """Does the link open the form with the invited address fixed, register once, and refuse a
    second use, the public form without a link and a tampered link?"""
    event = make_event(invitation_only=True, capacity=5)
    upload(secretariat_client, event, GOOD_LIST)
    secretariat_client.post("/sign-out")
    link = invitation_link(mailbox, "amina@example.org")
    page = client.get(link).get_data(as_text=True)
    assert 'value="amina@example.org"' in page and "readonly" in page
    assert 'value="Amina Mohamed"' in page

    response = client.post(link, data=form_data(1, email="someone-else@example.org"))
    assert response.status_code == 303
    registration = db.session.query(Registration).one()
    assert registration.email == "amina@example.org", "the invited address, whatever is posted"
    assert registration.status is Status.CONFIRMED
    invitation = db.session.query(Invitation).filter_by(email="amina@example.org").one()
    assert invitation.used_at is not None and invitation.registration_id == registration.id

    second = client.post(link, data=form_data(2))
    assert second.status_code == 403
    assert "This invitation has been used already." in second.get_data(as_text=True)

    public = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "by invitation only" in public
    refused = client.post(f"/events/{event.slug}/register", data=form_data(3))
    assert refused.status_code == 403
    token = invitation_link(mailbox, "jose@example.org").split("invitation=")[1]
    tampered = client.post(
        f"/events/{event.slug}/register?invitation={token[:-2]}xx", data=form_data(4)
    )
    assert tampered.status_code == 403
    assert "link is not valid." in tampered.get_data(as_text=True)
    assert db.session.query(Registration).count() == 1
    assert "By invitation only" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_an_expired_invitation_is_refused(client, secretariat_client, make_event, mailbox):
    """Does a link past its last day say so, and register nobody?"""
    event = make_event(invitation_only=True)
    upload(secretariat_client, event, GOOD_LIST)
    link = invitation_link(mailbox, "amina@example.org")
    for invitation in db.session.query(Invitation):
        invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(link, data=form_data(1))
    assert response.status_code == 403
    assert "This invitation has expired." in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0


def test_quotas_hold_for_invitees(client, secretariat_client, make_event, mailbox):
    """Are the seats held for a constituency kept for its invitees, whom the list places in it?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(invitation_only=True, capacity=2, holds=[("gov-developing", 1, release)])
    upload(
        secretariat_client,
        event,
        GOOD_LIST + "second@example.org;Second NGO;ngos;en\n",
    )
    for address in ("amina@example.org", "second@example.org"):
        client.post(
            invitation_link(mailbox, address),
            data=form_data(1, constituency=str(constituency_id("gov-developing"))),
        )
    gov = invitation_link(mailbox, "gov@example.org")
    client.post(gov, data=form_data(3, constituency=str(constituency_id("ngos"))))
    statuses = {r.email: (r.status, r.constituency.slug) for r in db.session.query(Registration)}
    assert statuses == {
        "amina@example.org": (Status.CONFIRMED, "ngos"),
        "second@example.org": (Status.WAITING, "ngos"),
        "gov@example.org": (Status.CONFIRMED, "gov-developing"),
    }
