"""The Secretariat's view: who may see it, counts, search, CSV, decisions, messages, lists."""

import codecs
import csv
import io
import re
from datetime import datetime, timedelta

import openpyxl
import pytest

from consult.database import utcnow
from consult.events.countries import DEVELOPING
from consult.events.models import Event, Registration, Status
from consult.extensions import db
from tests.conftest import body_text, sign_in
from tests.events.conftest import form_data

ADMIN_PATHS = (
    "/events/admin",
    "/events/admin/{id}",
    "/events/admin/{id}/registrations.csv",
    "/events/admin/{id}/registrations.xlsx",
    "/events/admin/{id}/participants",
    "/events/admin/{id}/message",
)


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_only_the_secretariat_gets_in(client, make_event, make_member, path):
    """Are visitors sent to sign in and members refused (403) on every Secretariat page?"""
    event = make_event()
    url = path.format(id=event.id)
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.location
    sign_in(client, make_member())
    assert client.get(url).status_code == 403


def test_member_cannot_decide(client, make_event, register, make_member):
    """Is a member refused when posting a decision?"""
    event = make_event(approval_required=True)
    with client.application.test_request_context():
        registration = register(event)
    sign_in(client, make_member())
    url = f"/events/admin/{event.id}/registrations/{registration.id}/approve"
    assert client.post(url).status_code == 403
    assert db.session.get(Registration, registration.id).status is Status.PENDING


def _fill(client, event, people):
    for number, overrides in people:
        client.post(f"/events/{event.slug}/register", data=form_data(number, **overrides))


def test_counts_chart_and_search(client, make_event, secretariat_client):
    """Does the page count by status, constituency and country group, and search the list?"""
    event = make_event(capacity=2)
    _fill(
        client,
        event,
        [
            (1, {"name": "Amina Mohamed", "country": "KE"}),
            (2, {"name": "Jean Dupont", "country": "FR", "organisation": "CGT"}),
            (3, {"name": "Olga Petrova", "country": "RU"}),
        ],
    )
    html = secretariat_client.get(f"/events/admin/{event.id}").get_data(as_text=True)
    assert "By status" in html and "By constituency" in html and "By country group" in html
    assert "Developing countries" in html and "Economies in transition" in html
    assert 'class="bar bar-100"' in html
    assert "3 of 3 registrations shown" in html
    found = secretariat_client.get(f"/events/admin/{event.id}?q=cgt").get_data(as_text=True)
    assert "Jean Dupont" in found and "Amina Mohamed" not in found
    waiting = secretariat_client.get(f"/events/admin/{event.id}?status=waiting")
    assert "Olga Petrova" in waiting.get_data(as_text=True)
    assert "Jean Dupont" not in waiting.get_data(as_text=True)


def _csv_rows(response) -> list[dict[str, str]]:
    raw = response.get_data()
    assert raw.startswith(codecs.BOM_UTF8), "Excel on Windows needs the byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx_rows(response) -> tuple[list[dict[str, object]], object]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    headings = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    return [{key: cell.value for key, cell in row.items()} for row in rows], rows


def test_csv_export(client, make_event, secretariat_client):
    """Does the CSV carry a byte-order mark, accents intact, names instead of codes, and
    formula-like text made harmless?"""
    event = make_event()
    _fill(
        client,
        event,
        [(1, {"name": "=HYPERLINK(1)"}), (2, {"name": "José Ramírez Núñez", "country": "CI"})],
    )
    response = secretariat_client.get(f"/events/admin/{event.id}/registrations.csv")
    assert response.mimetype == "text/csv"
    rows = _csv_rows(response)
    assert [row["E-mail"] for row in rows] == [
        "participant1@example.org",
        "participant2@example.org",
    ]
    assert rows[0]["Full name"] == "'=HYPERLINK(1)"
    assert rows[0]["Status"] == "Confirmed"
    assert rows[0]["Country group"] == "Developing countries"
    assert rows[0]["Constituency"] == "NGOs"
    assert rows[0]["Country"] == "Kenya"
    assert rows[1]["Full name"] == "José Ramírez Núñez"
    assert rows[1]["Country"] == "Côte d’Ivoire"


def test_xlsx_export(client, make_event, secretariat_client):
    """Does the workbook open with the same names, dates as dates, and formulas as plain text?"""
    event = make_event()
    _fill(client, event, [(1, {"name": "=HYPERLINK(1)"}), (2, {"name": "José Ramírez Núñez"})])
    response = secretariat_client.get(f"/events/admin/{event.id}/registrations.xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response.mimetype
    assert 'filename="event-1-registrations.xlsx"' in response.headers["Content-Disposition"]
    rows, cells = _xlsx_rows(response)
    assert [row["Full name"] for row in rows] == ["=HYPERLINK(1)", "José Ramírez Núñez"]
    assert cells[0]["Full name"].data_type == "s", "text, never a formula"
    assert rows[0]["Constituency"] == "NGOs"
    assert rows[0]["Country"] == "Kenya"
    assert rows[0]["Arrival"] == 1
    assert isinstance(rows[0]["Registered (UTC)"], datetime)


def test_exports_are_filtered_like_the_dashboard(client, make_event, secretariat_client):
    """Do both exports hold the registrations the dashboard shows for its search and status?"""
    event = make_event(capacity=1)
    _fill(client, event, [(1, {"name": "Amina Mohamed"}), (2, {"name": "Jean Dupont"})])
    base = f"/events/admin/{event.id}"
    page = secretariat_client.get(f"{base}?status=waiting").get_data(as_text=True)
    assert "registrations.xlsx?status=waiting" in page
    waiting = _csv_rows(secretariat_client.get(f"{base}/registrations.csv?status=waiting"))
    assert [row["Full name"] for row in waiting] == ["Jean Dupont"]
    rows, _ = _xlsx_rows(secretariat_client.get(f"{base}/registrations.xlsx?q=amina"))
    assert [row["Full name"] for row in rows] == ["Amina Mohamed"]


def test_approve_and_decline(client, make_event, secretariat_client, mailbox):
    """Do approval and decline change the status and tell the registrant?"""
    event = make_event(capacity=1, approval_required=True)
    _fill(client, event, [(1, {}), (2, {}), (3, {})])
    regs = db.session.query(Registration).order_by(Registration.arrival).all()
    base = f"/events/admin/{event.id}/registrations"
    assert secretariat_client.post(f"{base}/{regs[0].id}/approve").status_code == 303
    assert secretariat_client.post(f"{base}/{regs[1].id}/approve").status_code == 303
    assert secretariat_client.post(f"{base}/{regs[2].id}/decline").status_code == 303
    statuses = [db.session.get(Registration, r.id).status for r in regs]
    assert statuses == [Status.CONFIRMED, Status.WAITING, Status.DECLINED]
    assert "Your seat is confirmed" in mailbox.last("participant1@example.org")["Subject"]
    assert "waiting list" in mailbox.last("participant2@example.org")["Subject"]
    assert "declined" in mailbox.last("participant3@example.org")["Subject"]


def test_promote_by_hand(client, make_event, secretariat_client, mailbox):
    """Can the Secretariat seat a waiting person by hand only when a seat is free?"""
    event = make_event(capacity=1)
    _fill(client, event, [(1, {}), (2, {})])
    waiting = db.session.query(Registration).filter_by(email="participant2@example.org").one()
    url = f"/events/admin/{event.id}/registrations/{waiting.id}/promote"
    page = secretariat_client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "No seat is free" in page
    secretariat_client.post(f"/events/admin/{event.id}/capacity", data={"capacity": "2"})
    assert db.session.get(Registration, waiting.id).status is Status.CONFIRMED
    assert "A seat is now yours" in mailbox.last("participant2@example.org")["Subject"]


def test_message_all_confirmed(client, make_event, secretariat_client, mailbox):
    """Does a message reach every confirmed participant and nobody else, with the refusal
    counted in the event's log of messages instead of flashed?"""
    event = make_event(capacity=2)
    _fill(client, event, [(1, {}), (2, {}), (3, {})])
    mailbox.clear()
    mailbox.refuse.add("participant2@example.org")
    response = secretariat_client.post(
        f"/events/admin/{event.id}/message",
        data={"subject": "Room change", "body": "We meet in Conference Room 4."},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "on its way to 2 people" in html and "could not reach" not in html
    assert [m["To"] for m in mailbox.messages] == ["participant1@example.org"]
    assert "Conference Room 4" in body_text(mailbox.messages[0])
    log = html[html.index('id="messages"') :].split("</section>")[0]
    cells = [cell.strip() for cell in log.split('<td class="num">')[1:]]
    assert "Room change" in log and "Confirmed" in log
    assert [cell.split("<")[0] for cell in cells] == ["1", "1", "0"]
    empty = secretariat_client.post(f"/events/admin/{event.id}/message", data={"subject": ""})
    assert empty.status_code == 422


def test_message_to_a_filtered_group(client, make_event, secretariat_client, mailbox):
    """Can the Secretariat write to those waiting from one country group only, each copy with
    one greeting, one signature and Reply-To the Secretariat?"""
    event = make_event(capacity=1)
    _fill(
        client,
        event,
        [
            (1, {"name": "Seated Person"}),
            (2, {"name": "Waiting Kenyan", "country": "KE"}),
            (3, {"name": "Waiting French", "country": "FR"}),
            (4, {"name": "Waiting Brazilian", "country": "BR"}),
        ],
    )
    mailbox.clear()
    url = f"/events/admin/{event.id}/message?status=waiting&group={DEVELOPING}"
    page = secretariat_client.get(url).get_data(as_text=True)
    assert "2 people, each written to separately" in page
    assert "Waiting Kenyan" in page and "Waiting French" not in page
    response = secretariat_client.post(
        url, data={"subject": "A seat may free up", "body": "First paragraph.\n\nSecond one."}
    )
    assert response.status_code == 302
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "participant2@example.org",
        "participant4@example.org",
    ]
    letter = mailbox.last("participant2@example.org")
    text = body_text(letter)
    assert text.count("Dear ") == 1 and text.startswith("Dear Waiting Kenyan,")
    assert text.count("for the Secretariat") == 1
    assert letter["Reply-To"] == secretariat_client.user.email
    assert "<p>First paragraph.</p>" in letter.get_body(("html",)).get_content()
    log = secretariat_client.get(f"/events/admin/{event.id}").get_data(as_text=True)
    assert "Waiting list · Developing countries" in log


def test_message_replies_go_to_the_configured_secretariat_address(
    app, client, make_event, secretariat_client, mailbox, monkeypatch
):
    """With SECRETARIAT_EMAIL set, do replies go there rather than to the writer?"""
    monkeypatch.setitem(app.config, "SECRETARIAT_EMAIL", "secretariat@un.example")
    event = make_event(capacity=5)
    _fill(client, event, [(1, {})])
    secretariat_client.post(
        f"/events/admin/{event.id}/message", data={"subject": "Hello", "body": "Text."}
    )
    assert mailbox.last("participant1@example.org")["Reply-To"] == "secretariat@un.example"


def test_message_to_nobody_is_refused(client, make_event, secretariat_client, mailbox):
    """Is a message to an empty group sent back, saying so, with nothing queued?"""
    event = make_event(capacity=5)
    _fill(client, event, [(1, {})])
    mailbox.clear()
    response = secretariat_client.post(
        f"/events/admin/{event.id}/message?status=pending",
        data={"subject": "Hello", "body": "Text."},
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "Nobody is in this group" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_printable_list_only_consenting_confirmed(client, make_event, secretariat_client):
    """Does the participant list show only confirmed people who agreed to be listed?"""
    event = make_event(capacity=2)
    _fill(
        client,
        event,
        [
            (1, {"name": "Listed Person"}),
            (2, {"name": "Private Person", "consent_listed": None}),
            (3, {"name": "Waiting Person"}),
        ],
    )
    html = secretariat_client.get(f"/events/admin/{event.id}/participants").get_data(as_text=True)
    assert "Listed Person" in html
    assert "Private Person" not in html
    assert "Waiting Person" not in html
    assert "Kenya" in html


def test_printable_list_shows_only_what_consent_covers(client, make_event, secretariat_client):
    """Does the participant list show name, organisation and country, but not the position?"""
    event = make_event(capacity=2)
    _fill(client, event, [(1, {"name": "Listed Person", "position": "Chief negotiator"})])
    html = secretariat_client.get(f"/events/admin/{event.id}/participants").get_data(as_text=True)
    assert "Listed Person" in html
    assert "Friends of the Earth" in html
    assert "Kenya" in html
    assert "Chief negotiator" not in html
    assert "Position" not in html
    exported = secretariat_client.get(f"/events/admin/{event.id}/registrations.csv")
    assert "Chief negotiator" in exported.get_data(as_text=True)


def test_dashboard_panel_shows_open_events(member_client, make_event):
    """Does the dashboard list events open for registration with the seats taken?"""
    make_event(title="Forum with open registration", capacity=40)
    make_event(title="Unpublished draft", published=False)
    html = member_client.get("/dashboard").get_data(as_text=True)
    assert "Open events" in html
    assert "Forum with open registration" in html
    assert "0 of 40 seats taken" in html
    assert "Unpublished draft" not in html


def test_admin_index_lists_every_event(secretariat_client, make_event):
    """Does the Secretariat's list include unpublished events?"""
    make_event(title="Unpublished draft", published=False)
    html = secretariat_client.get("/events/admin").get_data(as_text=True)
    assert "Unpublished draft" in html


def test_capacity_never_below_seats_still_held(make_event, secretariat_client):
    """Is a capacity below the seats still held for groups refused, released holds not counted?"""
    future = utcnow() + timedelta(days=10)
    past = utcnow() - timedelta(days=1)
    event = make_event(capacity=5, holds=[(DEVELOPING, 2, future), ("business", 2, past)])
    page = secretariat_client.post(
        f"/events/admin/{event.id}/capacity", data={"capacity": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "cannot be below the 2 seats held" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 5
    secretariat_client.post(f"/events/admin/{event.id}/capacity", data={"capacity": "2"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 2


def test_dashboard_shows_seats_used_and_registrations_over_time(
    client, make_event, register, secretariat_client
):
    """Does the Secretariat's page show the seats used against capacity and holds, those waiting,
    and how many registered each day, with running totals?"""
    release = utcnow() + timedelta(days=10)
    event = make_event(capacity=4, holds=[(DEVELOPING, 2, release)])
    register(event, country="BR")
    register(event, country="CH")
    register(event, country="CH")
    register(event, country="CH")
    html = secretariat_client.get(f"/events/admin/{event.id}").get_data(as_text=True)
    text = " ".join(html.split())
    assert '<meter id="seats-meter" min="0" max="4" value="3"' in html
    assert "3 of 4 seats taken" in text
    assert "0 seats open to everyone" in text
    assert "Developing countries: 1 of 2 held seats used, held until" in text
    assert "1 person waiting" in text
    timeline = text.split("Registrations over time", 1)[1].split("</table>", 1)[0]
    assert re.search(
        r"<td class=\"num\">4</td><td class=\"num\">4</td>", timeline.replace(" <td", "<td")
    )
    assert 'data-label="Organisation"' in html, "the list reads as cards on a phone"
