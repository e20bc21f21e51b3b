"""Places left and the waiting list, said on the event and form pages before submitting."""

from __future__ import annotations

import re
from datetime import timedelta

from consult.database import utcnow
from consult.events.countries import DEVELOPING
from tests.conftest import body_text
from tests.events.conftest import form_data


def _text(client, path: str) -> str:
    """The page's words, without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", client.get(path).get_data(as_text=True)).split())


def test_places_left_in_words_and_numbers(client, make_event, register):
    """Do the event and form pages say how many places are left, and when the list is full?"""
    event = make_event(capacity=3)
    for path in (f"/events/{event.slug}", f"/events/{event.slug}/register"):
        assert "3 places left" in _text(client, path)
    register(event)
    register(event)
    assert "1 place left" in _text(client, f"/events/{event.slug}/register")
    register(event)
    register(event)
    for path in (f"/events/{event.slug}", f"/events/{event.slug}/register"):
        page = _text(client, path)
        assert "Full — the waiting list is open." in page
        assert "1 person is waiting." in page
        assert "places left" not in page
    assert "Join the waiting list" in _text(client, f"/events/{event.slug}")


def test_held_places_shown_per_group(client, make_event, register):
    """Where seats are held, does the page say how many are open to all and how many each group
    still has, until when?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=5, holds=[(DEVELOPING, 2, release), ("business", 1, release)])
    register(event, country="BR")
    page = _text(client, f"/events/{event.slug}/register")
    assert "2 places left (open to everyone)" in page
    assert "Developing countries: 1 place left of 2, until" in page
    assert "Business and industry: 1 place left of 1, until" in page
    register(event, country="CH")
    register(event, country="CH")
    page = _text(client, f"/events/{event.slug}")
    assert "No place is open to everyone now: the waiting list is open." in page
    assert "Developing countries: 1 place left of 2" in page


def test_waiting_letter_explains_the_held_seats(client, make_event, register, mailbox):
    """Is someone who waits while held seats are free told why, for whom and until when?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=2, holds=[(DEVELOPING, 1, release)])
    register(event, country="CH")
    client.post(f"/events/{event.slug}/register", data=form_data(1, country="CH"))
    letter = " ".join(body_text(mailbox.last("participant1@example.org")).split())
    assert "is full for now" not in letter
    assert "No seat you may take is free" in letter
    assert "Developing countries: 1 place until" in letter
    assert "open to everyone and go to those waiting, in order" in letter
    # without holds the plain wording stays
    plain = make_event(capacity=0)
    client.post(f"/events/{plain.slug}/register", data=form_data(2))
    assert "is full for now" in body_text(mailbox.last("participant2@example.org"))
