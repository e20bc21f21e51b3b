"""Members edit their own profile."""

import pytest

from consult.accounts.models import User
from consult.extensions import db

VALID = {
    "display_name": "Rajiv",
    "organisation": "Centre for Science",
    "country": "IN",
    "timezone": "Asia/Kolkata",
    "language": "fr",
    "website": "https://example.org",
    "listed_in_directory": "y",
}


def test_member_edits_profile(member_client):
    """Are name, zone, language, website and directory consent saved?"""
    response = member_client.post("/profile", data=VALID)
    assert response.status_code == 302
    user = db.session.get(User, member_client.user.id)
    assert (user.display_name, user.timezone, user.language, user.country) == (
        "Rajiv",
        "Asia/Kolkata",
        "fr",
        "IN",
    )
    assert user.listed_in_directory is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus_Mons", "Choose a time zone from the list."),
        ("timezone", "EST5EDT; DROP TABLE users", "Choose a time zone from the list."),
        ("country", "XX", "Not a valid choice."),
        ("language", "tlh", "Not a valid choice."),
        ("website", "javascript:alert(1)", "Enter a full address starting with https://"),
        ("display_name", "", "This field is required."),
    ],
)
def test_bad_profile_input_is_reported_and_nothing_saved(member_client, field, value, message):
    """Is each bad value refused next to its field, with the saved profile unchanged?"""
    before = db.session.get(User, member_client.user.id).timezone
    response = member_client.post("/profile", data={**VALID, field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    db.session.expire_all()
    assert db.session.get(User, member_client.user.id).timezone == before


def test_times_follow_the_members_zone(member_client):
    """Does the page footer name the signed-in member's zone?"""
    member_client.post("/profile", data={**VALID, "timezone": "America/Sao_Paulo"})
    assert "America/Sao_Paulo" in member_client.get("/profile").get_data(as_text=True)
