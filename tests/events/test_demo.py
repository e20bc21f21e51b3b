"""The demo events from FACTS.md ¶5 and the practice event."""

from datetime import UTC, datetime

from sqlalchemy import select

from consult.demo import load_demo
from consult.events.allocation import registration_state
from consult.events.demo import FORUM_SLUG, PRACTICE_SLUG, WORKSHOP_SLUG, seed_events
from consult.events.models import Event, EventKind
from consult.extensions import db
from tests.events.conftest import form_data


def _event(slug: str) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == slug))


def test_demo_has_both_real_events_once(app):
    """Does the demo hold the forum and the workshop of FACTS.md, once however often it runs?"""
    with app.test_request_context():
        load_demo()
        load_demo()
    assert db.session.query(Event).count() == 3
    forum = _event(FORUM_SLUG)
    assert forum.kind is EventKind.FORUM
    assert forum.timezone == "America/New_York"
    assert "United Nations Headquarters, New York" in forum.venue
    assert forum.starts_at.astimezone(UTC).date() == datetime(2000, 5, 1).date()
    assert forum.ends_at.astimezone(UTC).date() == datetime(2000, 5, 5).date()
    workshop = _event(WORKSHOP_SLUG)
    assert workshop.kind is EventKind.WORKSHOP
    assert workshop.starts_at.date() == datetime(2000, 4, 28).date()
    titles = [s.title for s in workshop.sessions]
    for code in (
        "International Code of Conduct on the Distribution and Use of Pesticides",
        "International Code of Marketing of Breast-milk Substitutes",
        "Guidelines for Multinational Enterprises",
    ):
        assert code in titles
    citations = [d.citation for s in workshop.sessions for d in s.documents]
    assert any("FAO" in c and "Rome, 1986" in c for c in citations)
    assert any("WHO" in c and "Geneva, 1981" in c for c in citations)
    assert any("OECD" in c for c in citations)
    assert all(not d.url for s in workshop.sessions for d in s.documents)


def test_real_events_are_closed_and_practice_is_open(app, client):
    """Are the 2000 events closed to registration while the labelled practice event takes one?"""
    with app.test_request_context():
        load_demo()
        assert "closed" in registration_state(_event(FORUM_SLUG))
        assert "closed" in registration_state(_event(WORKSHOP_SLUG))
        assert registration_state(_event(PRACTICE_SLUG)) is None
    page = client.get(f"/events/{PRACTICE_SLUG}").get_data(as_text=True)
    assert "Practice event: not a real meeting" in page
    practice = _event(PRACTICE_SLUG)
    asked = {question.label: f"q{question.id}" for question in practice.form_fields}
    answers = {
        asked["Interpretation language"]: "French",
        asked["Do you need a visa support letter?"]: "no",
    }
    response = client.post(f"/events/{PRACTICE_SLUG}/register", data=form_data(1, **answers))
    assert response.status_code == 303
    workshop_page = client.get(f"/events/{WORKSHOP_SLUG}").get_data(as_text=True)
    assert "Friday, 28 April 2000" in workshop_page
    assert "Guidelines for Multinational Enterprises" in workshop_page


def test_the_practice_event_has_a_form_of_its_own_to_try(app, client):
    """Does the practice event ask its own questions, the visa section on condition, in French
    for a French reader?"""
    seed_events({})
    db.session.commit()
    html = client.get(f"/events/{PRACTICE_SLUG}/register").get_data(as_text=True)
    assert "Interpretation language" in html
    assert 'data-shown-value="yes"' in html
    assert "Visa support letter" in html
    french = client.get(
        f"/events/{PRACTICE_SLUG}/register", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "Langue d’interprétation" in french
    assert "Français" in french
