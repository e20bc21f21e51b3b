"""Events elsewhere on the site: the public home page and members' calendar feeds."""

import re
from datetime import timedelta

from icalendar import Calendar

from consult.database import utcnow
from tests.conftest import sign_in


def test_home_shows_the_next_published_events(client, make_event):
    """Does the home page list coming published events, not past or unpublished ones?"""
    make_event(title="Consultative forum during CSD-8")
    make_event(title="Unpublished planning meeting", published=False)
    past = utcnow() - timedelta(days=40)
    make_event(
        title="Toronto consultation",
        starts_at=past,
        registration_opens_at=past - timedelta(days=9),
        registration_closes_at=past - timedelta(days=1),
    )
    html = client.get("/").get_data(as_text=True)
    assert "Next events" in html
    assert "Consultative forum during CSD-8" in html
    assert "Unpublished planning meeting" not in html and "Toronto consultation" not in html


def test_member_feed_holds_events_they_hold_a_seat_at(client, make_member, make_event, register):
    """Does a member's private feed carry the events their e-mail holds a confirmed seat at?"""
    member = make_member("ngo.nairobi@example.org")
    seated = make_event(title="NGO workshop on three codes of conduct")
    other = make_event(title="An event I did not register for")
    register(seated, email="NGO.Nairobi@example.org")
    sign_in(client, member)
    html = client.get("/calls/feed").get_data(as_text=True)
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)
    calendar = Calendar.from_ical(client.get(re.sub(r"^https?://[^/]+", "", url)).data)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert seated.title in summaries and other.title not in summaries
