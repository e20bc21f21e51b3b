"""Badges for an event's confirmed participants: A6 or A4 sheets, names in any script, a QR code
with a signed token the check-in page reads."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from consult.events.badges import badge_token, read_badge_token
from consult.events.models import Status
from consult.extensions import db
from tests.conftest import sign_in


def _badges(client, event, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return client.get(f"/events/admin/{event.id}/badges.pdf?{query}")


def test_badges_print_every_script_one_a_page_or_four_a_sheet(
    make_event, register, secretariat_client
):
    """Are the confirmed participants' names (Arabic, Chinese, Russian), organisation,
    constituency and UN country name on the badges, one per A6 page or four per A4 sheet,
    and are those waiting left out?"""
    event = make_event(capacity=5)
    names = ["فاطمة الزهراء", "王秀英", "Мария Иванова", "José Ramírez Núñez", "Amina Diallo"]
    people = [register(event) for _ in names]
    for person, name in zip(people, names, strict=True):
        person.name = name
    people[0].country = "EG"
    waiting = register(event)
    assert waiting.status is Status.WAITING
    waiting.name = "Left Waiting"
    db.session.commit()

    response = _badges(secretariat_client, event, layout="a6")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"{event.slug}-badges-A6.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data), strict=True)
    assert len(reader.pages) == 5
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 105
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "الزهراء" in text and "فاطمة" in text
    assert "王秀英" in text and "Мария Иванова" in text and "José Ramírez Núñez" in text
    assert "Test organisation" in text and "NGOs" in text
    assert "Egypt" in text and "Kenya" in text
    assert "Left Waiting" not in text

    sheets = PdfReader(io.BytesIO(_badges(secretariat_client, event, layout="a4").data))
    assert len(sheets.pages) == 2
    assert round(float(sheets.pages[0].mediabox.width) / 72 * 25.4) == 210


def test_badges_follow_the_dashboard_search(make_event, register, secretariat_client):
    """Does a search on the dashboard choose whose badges print, and nobody shown mean a
    message rather than an empty file?"""
    event = make_event(capacity=5)
    first, second = register(event), register(event)
    first.name, second.name = "Chen Jing", "Olga Petrova"
    db.session.commit()
    reader = PdfReader(io.BytesIO(_badges(secretariat_client, event, q="olga").data))
    assert len(reader.pages) == 1 and "Olga Petrova" in reader.pages[0].extract_text()
    empty = _badges(secretariat_client, event, q="nobody", layout="a4")
    assert empty.status_code == 303 and "q=nobody" in empty.headers["Location"]
    page = secretariat_client.get(empty.headers["Location"]).get_data(as_text=True)
    assert "no badge to print" in page
    assert _badges(secretariat_client, event, layout="letter").status_code == 400


def test_only_the_secretariat_prints_badges(client, make_event, make_member):
    """Are visitors sent to sign in and members refused?"""
    event = make_event()
    assert _badges(client, event).status_code == 302
    sign_in(client, make_member())
    assert _badges(client, event).status_code == 403


@pytest.mark.parametrize("tamper", ["forged", "other-secret", "not-a-token", ""])
def test_a_badge_token_is_signed(app, make_event, register, tamper):
    """Does the token name its registration, and a changed or foreign one name nobody?"""
    event = make_event()
    person = register(event)
    token = badge_token(person)
    assert read_badge_token(token) == (event.id, person.id)
    assert badge_token(person) == token  # the same badge whenever printed
    if tamper == "forged":
        head, _dot, mac = token.partition(".")
        bad = f"{head}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"
    elif tamper == "other-secret":
        app.config["SECRET_KEY"], saved = "another", app.config["SECRET_KEY"]
        bad = badge_token(person)
        app.config["SECRET_KEY"] = saved
    else:
        bad = tamper
    assert read_badge_token(bad) is None


def test_the_dashboard_links_badges_and_check_in_with_its_filters(
    make_event, register, secretariat_client
):
    """Does the list offer badges for those it shows (its search kept) and the check-in page?"""
    event = make_event()
    register(event)
    html = secretariat_client.get(f"/events/admin/{event.id}?q=olga").get_data(as_text=True)
    assert f"/events/admin/{event.id}/badges.pdf?layout=a4&amp;q=olga" in html
    assert f"/events/admin/{event.id}/checkin" in html
