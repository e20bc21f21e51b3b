"""Public event pages: description, day-by-day agenda in the event's zone, the .ics, navigation."""

import re
from datetime import UTC, datetime, timedelta

from consult.events.models import EventSession, SessionDocument
from consult.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import read_ics, wall_clock
from tests.queries import counting_queries

NY_MORNING = datetime(2030, 5, 1, 13, 30, tzinfo=UTC)  # 9:30 in New York, 16:30 in Nairobi


def test_agenda_by_day_in_the_event_zone(client, make_event, add_session):
    """Does a visitor see the agenda grouped by day, with times in the event's own zone?"""
    event = make_event(
        starts_at=datetime(2030, 5, 1, 13, tzinfo=UTC), ends_at=datetime(2030, 5, 2, 22, tzinfo=UTC)
    )
    add_session(event, "Opening of the forum", NY_MORNING, room="Conference Room 1")
    add_session(
        event,
        "Information needs of developing countries",
        datetime(2030, 5, 2, 2, tzinfo=UTC),  # still 1 May in New York (22:00)
        speakers="Government of India\nGovernment of Brazil",
    )
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert html.count('class="agenda-day"') == 1
    assert "Wednesday, 1 May 2030" in html
    assert "9:30\u202fam" in html
    assert "10:00\u202fpm" in html
    assert "Conference Room 1" in html
    assert "Government of India; Government of Brazil" in html
    assert "America/New_York" in html


def test_member_sees_their_own_zone(client, make_event, add_session, make_member):
    """Does a signed-in member in Nairobi see the session in Nairobi time?"""
    event = make_event(
        starts_at=datetime(2030, 5, 1, 13, tzinfo=UTC), ends_at=datetime(2030, 5, 1, 22, tzinfo=UTC)
    )
    add_session(event, "Opening of the forum", NY_MORNING)
    sign_in(client, make_member(timezone="Africa/Nairobi"))
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "4:30\u202fpm" in html


def test_description_is_sanitised_markdown(client, make_event):
    """Is the description rendered as Markdown with any HTML made harmless?"""
    event = make_event(description="**Bold aim**\n\n<script>alert(1)</script>")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<strong>Bold aim</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_whole_event_ics(client, make_event, add_session):
    """Is the agenda, every session, one .ics that an independent reader understands (the whole
    event is the registrants' own entry, not repeated here)?"""
    event = make_event(
        starts_at=datetime(2030, 5, 1, 13, tzinfo=UTC), ends_at=datetime(2030, 5, 1, 22, tzinfo=UTC)
    )
    add_session(event, "Opening of the forum", NY_MORNING)
    add_session(event, "Closing", datetime(2030, 5, 1, 20, tzinfo=UTC))
    response = client.get(f"/events/{event.slug}/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = read_ics(response.data)
    events = calendar.contents["vevent"]
    assert [e.summary.value for e in events] == ["Opening of the forum", "Closing"]
    opening = events[0]
    assert wall_clock(opening.dtstart) == NY_MORNING
    assert opening.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["America/New_York"]
    assert "vtimezone" in calendar.contents
    assert not hasattr(calendar, "method")


def test_agenda_prints_well(client, make_event):
    """Does the event page link a stylesheet with print rules that hide the page furniture?"""
    event = make_event()
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/events\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "no link to events.css (under its hashed name)"
    with client.get(stylesheet.group(1)) as response:
        css = response.get_data(as_text=True)
    assert "@media print" in css
    assert "break-inside: avoid" in css
    assert "left" not in css.replace("inset-inline", "")  # logical properties only


def test_index_lists_published_events_and_labels_practice(client, make_event):
    """Does the events page list published events only, with the practice one clearly labelled?"""
    make_event(title="Consultative forum")
    make_event(title="Practice run", practice=True)
    make_event(title="Draft meeting", published=False)
    html = client.get("/events").get_data(as_text=True)
    assert "Consultative forum" in html
    assert "Practice event: not a real meeting" in html
    assert "Draft meeting" not in html


def test_navigation_entries(client, member_client, make_secretariat):
    """Is "Events" public, and "Registrations" only in the Secretariat's navigation?"""
    html = member_client.get("/events").get_data(as_text=True)
    assert 'href="/events"' in html
    assert 'href="/events/admin"' not in html
    sign_in(member_client, make_secretariat())
    assert 'href="/events/admin"' in member_client.get("/events").get_data(as_text=True)


def test_secretariat_previews_unpublished_event(secretariat_client, make_event):
    """May the Secretariat see an unpublished event's page, marked as such?"""
    event = make_event(published=False)
    html = secretariat_client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Not published" in html


def _event_with_sessions(make_event, count: int):
    event = make_event(starts_at=datetime(2030, 5, 1, 12, tzinfo=UTC))
    for number in range(count):
        session = EventSession(
            event=event,
            title=f"Session {number}",
            starts_at=datetime(2030, 5, 1, 12, tzinfo=UTC) + timedelta(minutes=10 * number),
            ends_at=datetime(2030, 5, 1, 12, tzinfo=UTC) + timedelta(minutes=10 * number + 5),
        )
        session.documents.append(SessionDocument(title=f"Document {number}"))
        db.session.add(session)
    db.session.commit()
    return event


def _queries(client, path: str) -> int:
    db.session.expire_all()
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_event_page_and_agenda_queries_do_not_grow_with_sessions(client, make_event):
    """Do the event page and its .ics send as many queries for 30 sessions as for 3?"""
    small = _event_with_sessions(make_event, 3)
    large = _event_with_sessions(make_event, 30)
    for suffix in ("", "/agenda.ics"):
        assert _queries(client, f"/events/{small.slug}{suffix}") == _queries(
            client, f"/events/{large.slug}{suffix}"
        )


def test_admin_index_queries_do_not_grow_with_registrations(
    secretariat_client, make_event, register
):
    """Does the Secretariat's list of events count registrations without loading each one?"""
    with secretariat_client.application.test_request_context():
        register(make_event())
    few = _queries(secretariat_client, "/events/admin")
    with secretariat_client.application.test_request_context():
        for _ in range(3):
            event = make_event(capacity=2)
            for _ in range(4):
                register(event)
    many = _queries(secretariat_client, "/events/admin")
    assert few == many
    page = secretariat_client.get("/events/admin").get_data(as_text=True)
    assert "Consultative forum 4" in page
