"""The Secretariat creates and edits events, their agenda and their held seats."""

from datetime import UTC, datetime

import pytest

from consult.events.models import Event, Registration, SeatRule, Status
from consult.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import calendar_part, constituency_id, form_data

EVENT_FORM = {
    "title": "Consultative forum",
    "slug": "consultative-forum",
    "kind": "forum",
    "description": "Discussion with developing countries.",
    "venue": "United Nations Headquarters, New York",
    "timezone": "America/New_York",
    "starts_at": "2031-05-05T10:00",
    "ends_at": "2031-05-05T18:00",
    "registration_opens_at": "2031-01-01T09:00",
    "registration_closes_at": "2031-05-01T18:00",
    "capacity": "40",
    "published": "y",
}


def test_create_event_in_its_zone(secretariat_client):
    """Does a new event store its local times in its own zone as UTC moments?"""
    response = secretariat_client.post("/events/admin/new", data=EVENT_FORM)
    assert response.status_code == 303
    event = db.session.query(Event).filter_by(slug="consultative-forum").one()
    assert event.starts_at == datetime(2031, 5, 5, 14, tzinfo=UTC)  # EDT is UTC-4
    assert event.capacity == 40
    assert event.published is True
    page = secretariat_client.get(response.location)
    assert "Consultative forum" in page.get_data(as_text=True)
    assert 'value="2031-05-05T10:00"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"slug": "Forum 2000!"}, "slug", "lower-case letters"),
        ({"ends_at": "2031-05-05T09:00"}, "ends_at", "The end must come after the start."),
        ({"starts_at": "tomorrow"}, "starts_at", "Not a valid datetime value."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list."),
        ({"capacity": "-3"}, "capacity", "Enter a number from 0 to 100000."),
        (
            {"registration_closes_at": "2030-12-01T09:00"},
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
    ],
)
def test_event_form_validation(secretariat_client, overrides, field, message):
    """Is each bad field of the event form reported next to itself?"""
    response = secretariat_client.post("/events/admin/new", data={**EVENT_FORM, **overrides})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html


def test_slug_must_be_unique(secretariat_client, make_event):
    """Is an address already used by another event refused?"""
    make_event(slug="consultative-forum")
    response = secretariat_client.post("/events/admin/new", data=EVENT_FORM)
    assert response.status_code == 422
    assert "Another event already has this address." in response.get_data(as_text=True)


def test_members_cannot_edit(client, make_member, make_event):
    """Are members refused on the editing pages?"""
    event = make_event()
    sign_in(client, make_member())
    assert client.get("/events/admin/new").status_code == 403
    assert client.post(f"/events/admin/{event.id}/edit", data=EVENT_FORM).status_code == 403


def test_moving_the_event_sends_updated_invitations(
    client, secretariat_client, make_event, mailbox
):
    """When the time changes, does SEQUENCE rise and do confirmed participants get the update?"""
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    client.post(f"/events/{event.slug}/register", data=form_data(2))
    sign_in(client, secretariat_client.user)
    page = client.get(f"/events/admin/{event.id}/edit").get_data(as_text=True)
    assert f'value="{event.slug}"' in page
    data = {**EVENT_FORM, "slug": event.slug, "capacity": "1"}
    response = client.post(f"/events/admin/{event.id}/edit", data=data)
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.sequence == 1
    update = mailbox.last("participant1@example.org")
    assert update["Subject"].startswith("Changed:")
    calendar, method = calendar_part(update)
    assert method == "REQUEST"
    assert int(calendar.vevent.sequence.value) == 1
    assert not [m for m in mailbox.to("participant2@example.org") if "Changed" in m["Subject"]]


def test_raising_capacity_in_the_form_promotes(client, secretariat_client, make_event, mailbox):
    """Does a higher capacity in the event form give the seat to the first person waiting?"""
    event = make_event(capacity=1)
    client.post(f"/events/{event.slug}/register", data=form_data(1))
    client.post(f"/events/{event.slug}/register", data=form_data(2))
    sign_in(client, secretariat_client.user)
    data = {**EVENT_FORM, "slug": event.slug, "capacity": "2"}
    client.post(f"/events/admin/{event.id}/edit", data=data)
    second = db.session.query(Registration).filter_by(email="participant2@example.org").one()
    assert second.status is Status.CONFIRMED
    assert "A seat is now yours" in mailbox.last("participant2@example.org")["Subject"]


def test_add_and_remove_sessions(secretariat_client, make_event, client):
    """Can the Secretariat add a session with documents and remove it?"""
    event = make_event(starts_at=datetime(2031, 5, 5, 13, tzinfo=UTC))
    response = secretariat_client.post(
        f"/events/admin/{event.id}/sessions",
        data={
            "session-title": "International Code of Marketing of Breast-milk Substitutes",
            "session-starts_at": "2031-05-05T09:30",
            "session-ends_at": "2031-05-05T11:00",
            "session-speakers": "NGO members of the Steering Group",
            "session-documents": "International Code of Marketing of Breast-milk Substitutes | UNICEF/WHO, Geneva, 1981",
        },
    )
    assert response.status_code == 303
    db.session.refresh(event)
    [session] = event.sessions
    assert session.starts_at == datetime(2031, 5, 5, 13, 30, tzinfo=UTC)
    assert session.documents[0].citation == "UNICEF/WHO, Geneva, 1981"
    assert session.documents[0].url == ""
    bad = secretariat_client.post(
        f"/events/admin/{event.id}/sessions",
        data={"session-title": "x", "session-starts_at": "2031-05-05T09:30",
              "session-ends_at": "2031-05-05T11:00", "session-documents": "Code | FAO | ftp://example.org"},
        follow_redirects=True,
    )  # fmt: skip
    assert "A link must start with https://" in bad.get_data(as_text=True)
    secretariat_client.post(f"/events/admin/{event.id}/sessions/{session.id}/delete")
    db.session.refresh(event)
    assert event.sessions == []


def test_hold_and_release_seats(client, secretariat_client, make_event, mailbox):
    """Can seats be held for a group (never more than the capacity) and released to those waiting?"""
    event = make_event(capacity=2)
    base = f"/events/admin/{event.id}/rules"
    too_many = secretariat_client.post(
        base,
        data={"beneficiary": "group:developing", "seats": "3", "release_at": "2031-05-01T00:00"},
        follow_redirects=True,
    )
    assert "cannot exceed the capacity" in too_many.get_data(as_text=True)
    secretariat_client.post(
        base,
        data={
            "beneficiary": f"constituency:{constituency_id('gov-developing')}",
            "seats": "1",
            "release_at": "2099-05-01T00:00",
        },
    )
    [rule] = db.session.query(SeatRule).filter_by(event_id=event.id).all()
    assert rule.constituency.slug == "gov-developing"
    client.post(f"/events/{event.slug}/register", data=form_data(1, country="FR"))
    client.post(f"/events/{event.slug}/register", data=form_data(2, country="FR"))
    second = db.session.query(Registration).filter_by(email="participant2@example.org").one()
    assert second.status is Status.WAITING
    secretariat_client.post(f"{base}/{rule.id}/delete")
    db.session.refresh(second)
    assert second.status is Status.CONFIRMED
    assert "A seat is now yours" in mailbox.last("participant2@example.org")["Subject"]


def test_event_form_refuses_capacity_below_held_seats(secretariat_client, make_event):
    """Does the event form refuse a capacity below the seats still held, saying why?"""
    future = datetime(2031, 4, 1, tzinfo=UTC)
    event = make_event(capacity=10, holds=[("gov-developing", 3, future)])
    data = {**EVENT_FORM, "slug": event.slug, "capacity": "2"}
    response = secretariat_client.post(f"/events/admin/{event.id}/edit", data=data)
    assert response.status_code == 422
    assert "cannot be below the 3 seats held" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 10
