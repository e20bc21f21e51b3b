"""The audit log: every change to an event, its seats, holds, form and registrations, with who."""

import pytest

from consult.events.audit import EventAudit
from consult.events.models import Registration, Status
from consult.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import form_data


@pytest.fixture
def event(make_event):
    return make_event(title="NGO workshop", capacity=2, approval_required=True)


def _entries(event, entity):
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(EventAudit)
            .where(EventAudit.event_id == event.id, EventAudit.entity == entity)
            .order_by(EventAudit.id)
        )
    )


def test_a_capacity_change_is_recorded_and_shown(secretariat_client, event):
    """Does a new capacity appear with its value before and after and the officer's name?"""
    response = secretariat_client.post(f"/events/admin/{event.id}/capacity", data={"capacity": 7})
    assert response.status_code in (302, 303)
    found = _entries(event, "event")
    [entry] = [e for e in found if e.action == "changed"]
    assert entry.changes["capacity"] == [2, 7]
    assert entry.action == "changed"
    assert entry.actor == secretariat_client.user.display_name
    assert entry.actor_id == secretariat_client.user.id
    page = secretariat_client.get(f"/events/admin/{event.id}/changes").get_data(as_text=True)
    assert "<code>capacity</code>: <bdi>2</bdi> → <bdi>7</bdi>" in page


def test_a_hold_change_is_recorded(secretariat_client, event):
    """Are held seats added and removed recorded with their values and who?"""
    response = secretariat_client.post(
        f"/events/admin/{event.id}/rules",
        data={"beneficiary": "group:developing", "seats": "1", "release_at": "2031-05-01T00:00"},
    )
    assert response.status_code in (302, 303)
    [added] = _entries(event, "hold")
    assert added.action == "created"
    assert added.changes["seats"] == [None, 1]
    assert added.changes["country_group"] == [None, "developing"]
    assert added.actor == secretariat_client.user.display_name
    response = secretariat_client.post(f"/events/admin/{event.id}/rules/{added.entity_id}/delete")
    assert response.status_code in (302, 303)
    removed = _entries(event, "hold")[-1]
    assert removed.action == "deleted"
    assert removed.changes["seats"] == [1, None]


def test_a_registration_status_change_is_recorded_with_who(
    client, secretariat_client, make_member, event, app
):
    """Is a registration recorded as made by the registrant, and its approval by a manager?"""
    public = app.test_client()
    response = public.post(f"/events/{event.slug}/register", data=form_data(1))
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)
    registration = db.session.scalar(
        db.select(Registration).where(Registration.event_id == event.id)
    )
    assert registration.status is Status.PENDING
    [created] = _entries(event, "registration")
    assert created.action == "created"
    assert created.actor == "registrant"
    assert created.actor_id is None
    assert created.changes["status"] == [None, "pending"]
    assert "manage_key" not in created.changes

    member = make_member(name="Amina Diallo")
    secretariat_client.post(f"/events/admin/{event.id}/managers", data={"email": member.email})
    manager = app.test_client()
    sign_in(manager, member)
    response = manager.post(f"/events/admin/{event.id}/registrations/{registration.id}/approve")
    assert response.status_code in (302, 303)
    # approval passes the registration through the waiting list to its seat, one flush each
    changed = [e for e in _entries(event, "registration") if e.action == "changed"]
    assert [e.changes["status"] for e in changed] == [
        ["pending", "waiting"],
        ["waiting", "confirmed"],
    ]
    assert {e.actor for e in changed} == {"Amina Diallo"}
    page = manager.get(f"/events/admin/{event.id}/changes").get_data(as_text=True)
    assert "the registrant" in page
    assert "<bdi>waiting</bdi> → <bdi>confirmed</bdi>" in page


def test_a_change_rolled_back_leaves_no_entry(app, event):
    """Is the audit row written in the change's own transaction (gone with a rollback)?"""
    before = len(_entries(event, "event"))
    event.capacity = 40
    db.session.flush()
    db.session.rollback()
    assert len(_entries(event, "event")) == before
