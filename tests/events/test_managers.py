"""Delegated managers: named by the Secretariat, they run one event's registrations and nothing else."""

import pytest

from consult.events.models import Registration, Status
from consult.extensions import db
from tests.conftest import sign_in

#: Pages a manager of the event may open.
MANAGED_PATHS = (
    "/events/admin",
    "/events/admin/{id}",
    "/events/admin/{id}/registrations.csv",
    "/events/admin/{id}/registrations.xlsx",
    "/events/admin/{id}/participants",
    "/events/admin/{id}/message",
    "/events/admin/{id}/form",
    "/events/admin/{id}/invitations",
    "/events/admin/{id}/changes",
    "/events/admin/{id}/checkin",
    "/events/admin/{id}/checkin/participants",
)


def test_the_check_in_service_worker_is_for_those_who_check_in(client, manager, make_member):
    """Does a manager get the check-in page's service worker, and a member who manages
    nothing a 403?"""
    assert client.get("/events/admin/checkin-worker.js").status_code == 200
    sign_in(client, make_member("reader@ngo.example.org"))
    assert client.get("/events/admin/checkin-worker.js").status_code == 403


#: Pages that stay with the Secretariat, even for a manager of the event.
SECRETARIAT_PATHS = (
    "/events/admin/new",
    "/events/admin/{id}/edit",
    "/events/admin/{id}/managers",
    "/members",
)


@pytest.fixture
def workshop(make_event):
    return make_event(title="NGO workshop", capacity=2, approval_required=True)


@pytest.fixture
def manager(client, secretariat_client, make_member, workshop):
    """A member the Secretariat named manager of the workshop through the managers page."""
    member = make_member("organiser@ngo.example.org", name="Amina Diallo")
    response = secretariat_client.post(
        f"/events/admin/{workshop.id}/managers", data={"email": "Organiser@NGO.example.org"}
    )
    assert response.status_code == 302
    page = secretariat_client.get(f"/events/admin/{workshop.id}/managers").get_data(as_text=True)
    assert "Amina Diallo" in page
    sign_in(client, member)
    return member


@pytest.mark.parametrize("path", MANAGED_PATHS)
def test_a_manager_opens_the_pages_of_their_event(client, manager, workshop, path):
    """Does a named manager get each registrations, form, invitations and message page?"""
    assert client.get(path.format(id=workshop.id)).status_code == 200


def test_a_manager_prints_the_badges_of_their_event_only(client, manager, workshop, make_event):
    """With nobody confirmed yet, is a manager sent back to the list (not refused), and is
    another event's badge sheet refused?"""
    response = client.get(f"/events/admin/{workshop.id}/badges.pdf")
    assert response.status_code == 303
    assert response.location.endswith(f"/events/admin/{workshop.id}")
    other = make_event(title="Consultative forum")
    assert client.get(f"/events/admin/{other.id}/badges.pdf").status_code == 403


@pytest.mark.parametrize("path", MANAGED_PATHS[1:])
def test_a_manager_is_refused_other_events(client, manager, make_event, path):
    """Is a manager of one event refused (403) on every admin page of another?"""
    other = make_event(title="Consultative forum")
    assert client.get(path.format(id=other.id)).status_code == 403


@pytest.mark.parametrize("path", SECRETARIAT_PATHS)
def test_a_manager_is_refused_the_secretariat_pages(client, manager, workshop, path):
    """Are the event editor, the managers page and other capabilities' admin pages still 403?"""
    assert client.get(path.format(id=workshop.id)).status_code == 403


def test_the_index_lists_only_managed_events(client, manager, workshop, make_event):
    """Does the registrations index show a manager their event and no other?"""
    make_event(title="Consultative forum")
    page = client.get("/events/admin").get_data(as_text=True)
    assert "NGO workshop" in page
    assert "Consultative forum" not in page
    assert "New event" not in page


def test_a_member_who_manages_nothing_is_refused(client, make_member, workshop):
    """Is a plain member still refused the index and the event's pages?"""
    sign_in(client, make_member())
    assert client.get("/events/admin").status_code == 403
    assert client.get(f"/events/admin/{workshop.id}").status_code == 403


def test_a_manager_decides_registrations_but_not_capacity(client, manager, workshop, register):
    """May a manager approve a registration, and is a capacity change refused?"""
    registration = register(workshop)
    assert registration.status is Status.PENDING
    response = client.post(f"/events/admin/{workshop.id}/registrations/{registration.id}/approve")
    assert response.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status is Status.CONFIRMED
    assert (
        client.post(f"/events/admin/{workshop.id}/capacity", data={"capacity": 9}).status_code
        == 403
    )
    db.session.expire_all()
    assert workshop.capacity == 2
    assert "Edit the event" not in client.get(f"/events/admin/{workshop.id}").get_data(as_text=True)


def test_a_manager_adds_a_question(client, manager, workshop):
    """Can a manager add a question to the event's registration form?"""
    response = client.post(
        f"/events/admin/{workshop.id}/form",
        data={"kind": "text", "label": "Dietary needs", "help": "", "options": "", "shown_if": ""},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert [field.label for field in workshop.form_fields] == ["Dietary needs"]


def test_removing_a_manager_ends_their_access(client, manager, workshop, make_secretariat, app):
    """Once the Secretariat removes a manager, are the event's pages refused again?"""
    officer = app.test_client()
    sign_in(officer, make_secretariat())
    page = officer.get(f"/events/admin/{workshop.id}/managers").get_data(as_text=True)
    assert "Remove Amina Diallo" in page
    from consult.events.managers import EventManager

    row = db.session.scalar(db.select(EventManager).where(EventManager.user_id == manager.id))
    response = officer.post(f"/events/admin/{workshop.id}/managers/{row.id}/remove")
    assert response.status_code == 302
    assert client.get(f"/events/admin/{workshop.id}").status_code == 403


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "No active member has this address."),
        ("not an address", "Invalid email address."),
    ],
)
def test_naming_a_manager_explains_a_refusal(secretariat_client, workshop, email, message):
    """Does an unknown or malformed address give a clear message and 400?"""
    response = secretariat_client.post(
        f"/events/admin/{workshop.id}/managers", data={"email": email}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
