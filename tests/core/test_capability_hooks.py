"""Hooks between capabilities: the core's signals, their order, and apps with fewer capabilities."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import func, select

from consult import CAPABILITIES, create_app, ical, signals
from consult.accounts.models import User
from consult.demo import DEMO_MEMBERS, SECRETARIAT_EMAIL, Seeder, load_demo
from consult.events.models import Event
from consult.extensions import db
from consult.navigation import NavItem
from tests.conftest import IsolatedClient, build_test_config, sign_in
from tests.live import ROOT

WITHOUT_CALLS = tuple(
    name for name in CAPABILITIES if name not in ("consult.calls", "consult.programme")
)

HOUR = timedelta(hours=1)

#: An iTIP REPLY for a call nobody knows: calls takes (and refuses) it; without calls, nobody does.
CALENDAR_REPLY = (
    b"From: ngo.nairobi@example.org\r\nTo: secretariat@example.org\r\nSubject: Accepted\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n"
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
    b"UID:no-such-call@consult.test\r\nDTSTAMP:20000401T120000Z\r\nSEQUENCE:0\r\n"
    b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ngo.nairobi@example.org\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def _titles(html: str, kind: str) -> list[str]:
    return re.findall(rf'<h2 id="{kind}-\d+">([^<]*)</h2>', html)


def _nav(html: str) -> list[str]:
    header = html.split("<main")[0]
    return re.findall(r'<li><a href="[^"]*"(?: aria-current="page")?>([^<]*)</a></li>', header)


def test_pages_show_what_each_capability_answers_in_order(client):
    """Do the navigation, the dashboard and the home page show every capability's part in order?"""
    users = load_demo()
    home = client.get("/").get_data(as_text=True)
    assert _titles(home, "home-block") == [
        "Next events",
        "Latest toolkit sections",
        "Recently added VIA profiles",
        "Latest documents",
    ]
    assert _nav(home) == [
        "Home",
        "Key elements",
        "VIA profiles",
        "Studies and documents",
        "Steering Group",
        "Toolkit",
        "Events",
    ]
    sign_in(client, users[SECRETARIAT_EMAIL])
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert _titles(dashboard, "panel") == [
        "Teleconferences",
        "Recent comments",
        "Proposals awaiting your answer",
        "Open events",
        "Your work programme items",
    ]
    assert _nav(dashboard)[7:] == [
        "Dashboard",
        "Calls",
        "Consensus",
        "Work programme",
        "Registrations",
        "Members",
        "Outbox",
        "Profile",
    ]


def test_a_receiver_order_places_it_among_the_others(app, client):
    """Does a panel answered with order 15 come between calls (10) and the toolkit (20)?"""
    users = load_demo()

    def extra_panel(sender, user):
        return signals.Panel(f"Note for {user.display_name}", "events/_panel.html", order=15)

    sign_in(client, users[SECRETARIAT_EMAIL])
    with signals.dashboard_panels.connected_to(extra_panel, app):
        titles = _titles(client.get("/dashboard").get_data(as_text=True), "panel")
    assert titles == [
        "Teleconferences",
        "Note for CSD Secretariat",
        "Recent comments",
        "Proposals awaiting your answer",
        "Open events",
        "Your work programme items",
    ]
    assert "Note for" not in client.get("/dashboard").get_data(as_text=True)


def test_provided_answers_of_equal_order_keep_the_order_they_were_given_in(app, client):
    """Do two entries provided with Home's order 0 follow it, in the order they were provided?"""
    first = signals.provide(
        signals.nav_items, app, NavItem("documents.studies", "Tie one", order=0)
    )
    second = signals.provide(signals.nav_items, app, NavItem("public.profiles", "Tie two", order=0))
    try:
        nav = _nav(client.get("/").get_data(as_text=True))
    finally:
        signals.nav_items.disconnect(first, app)
        signals.nav_items.disconnect(second, app)
    assert nav[:4] == ["Home", "Tie one", "Tie two", "Key elements"]
    assert "Tie one" not in client.get("/").get_data(as_text=True)


def test_demo_seeders_run_in_order_with_the_members_first(app):
    """Does each seeder run by its order, after accounts has created the demo members?"""
    from consult.calls.models import CallSeries

    seen = []

    def probe(name):
        def seed(users):
            series = db.session.scalar(select(func.count()).select_from(CallSeries))
            seen.append((name, len(users), series))

        return seed

    def seeders(sender):
        return [Seeder(probe("last"), order=1000), Seeder(probe("first"), order=1)]

    with signals.demo_seeders.connected_to(seeders, app):
        load_demo()
    assert seen == [("first", len(DEMO_MEMBERS), 0), ("last", len(DEMO_MEMBERS), 1)]


def test_calendar_feed_merges_every_receiver_by_start(app, client):
    """Does the private feed put another receiver's meeting between the calls, by start time?"""
    users = load_demo()
    member = users["ngo.nairobi@example.org"]
    start = datetime(2000, 4, 24, 15, 0, tzinfo=UTC)  # CSD-8 opened on 24 April 2000

    def forum(sender, user):
        return [ical.Meeting(f"forum-{user.id}@consult.test", "Forum", start, start + HOUR)]

    sign_in(client, member)
    page = client.get("/calls/feed").get_data(as_text=True)
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page).group(1)
    with signals.calendar_feed.connected_to(forum, app):
        feed = Calendar.from_ical(client.get(re.sub(r"^https?://[^/]+", "", url)).data)
    entries = [(str(e["SUMMARY"]), e["DTSTART"].dt) for e in feed.walk("VEVENT")]
    assert [summary for summary, _ in entries] == [
        "Steering Group teleconference",
        "Steering Group teleconference",
        "Forum",
        "Steering Group teleconference",
    ]
    assert [moment for _, moment in entries] == sorted(moment for _, moment in entries)


def test_calls_takes_calendar_replies_in_the_full_app(app):
    """Is an iTIP reply to an unknown call taken (and refused) by calls when calls is installed?"""
    result = app.test_cli_runner().invoke(args=["mail-in"], input=CALENDAR_REPLY)
    assert "rejected" in result.output


#: What each capability may import from the others: users, constituencies and roles from accounts,
#: calls' models for the work programme (a work item names the call where it was agreed; the
#: programme adds the action items to a call's page through ``signals.call_sections``), and
#: profiles for the library (a document may belong to one, and stays hidden with it), and the
#: toolkit's sections for decisions (stances, proposals and amendments are on a section).
#: Hooks are never a reason: they go through ``consult.signals``.
DEPENDS_ON = {
    "accounts": set(),
    "calls": {"accounts"},
    "dashboard": {"accounts"},
    "decisions": {"accounts", "toolkit"},
    "documents": {"accounts", "public"},
    "events": {"accounts"},
    "programme": {"accounts", "calls"},
    "public": {"accounts"},
    "toolkit": {"accounts"},
}


def _imported_capabilities(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
            if node.module == "consult":
                modules = [f"consult.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        names |= {m.split(".")[1] for m in modules if m.startswith("consult.") and m.count(".")}
    return names & set(DEPENDS_ON)


def test_capabilities_import_only_what_they_depend_on():
    """Does the core import no capability, and each capability only those it really builds on?"""
    package = ROOT / "consult"
    assert {name.removeprefix("consult.") for name in CAPABILITIES} == set(DEPENDS_ON)
    wrong = []
    for path in sorted(package.rglob("*.py")):
        top = path.relative_to(package).parts[0]
        if top == "migrations":
            continue
        allowed = DEPENDS_ON[top] | {top} if top in DEPENDS_ON else set()
        wrong += [
            f"{path.relative_to(ROOT)} imports {name}"
            for name in _imported_capabilities(path) - allowed
        ]
    assert wrong == []


# --- an application without calls (nor the work programme, which links to calls) ------------


@contextmanager
def _own_app(tmp_path: Path, smtp_server, capabilities: tuple[str, ...]) -> Iterator[Flask]:
    """An application with only ``capabilities``, migrated, on its own SQLite file."""
    from flask_migrate import upgrade

    config = build_test_config(
        f"sqlite:///{tmp_path / 'reduced.sqlite3'}", tmp_path, smtp_server[0].port
    )
    application = create_app(config, capabilities=capabilities)
    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade()
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def reduced_app(tmp_path: Path, smtp_server) -> Iterator[Flask]:
    """An application with every capability but calls and programme, on its own SQLite file."""
    with _own_app(tmp_path, smtp_server, WITHOUT_CALLS) as application:
        yield application


def test_events_load_without_calls_installed(tmp_path):
    """Can an application without calls be built without importing the calls package at all?"""
    script = (
        "import sys\n"
        "from consult import create_app\n"
        f"create_app({{'INSTANCE_PATH': {str(tmp_path)!r}, "
        "'SQLALCHEMY_DATABASE_URI': 'sqlite://'}, "
        f"capabilities={WITHOUT_CALLS!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('consult.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "consult.events" in result.stdout
    assert "consult.calls" not in result.stdout and "consult.programme" not in result.stdout


def test_app_without_calls_serves_events_demo_and_hooks(reduced_app):
    """Without calls, do the demo, events pages, home, dashboard and mail-in work, calls absent?"""
    result = reduced_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    events = db.session.scalars(select(Event).order_by(Event.starts_at)).all()
    assert events
    client = reduced_app.test_client()
    index = client.get("/events")
    assert index.status_code == 200 and events[0].title in index.get_data(as_text=True)
    assert client.get(f"/events/{events[0].slug}").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert _titles(home, "home-block")[0] == "Next events"

    officer = db.session.scalar(select(User).where(User.email == SECRETARIAT_EMAIL))
    sign_in(client, officer)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert _titles(dashboard, "panel") == [
        "Recent comments",
        "Proposals awaiting your answer",
        "Open events",
    ]
    nav = _nav(dashboard)
    assert "Events" in nav and "Toolkit" in nav
    assert "Calls" not in nav and "Work programme" not in nav
    assert client.get("/calls/feed").status_code == 404

    reply = reduced_app.test_cli_runner().invoke(args=["mail-in"], input=CALENDAR_REPLY)
    assert reply.exit_code == 1 and "rejected" in reply.output  # a calendar nobody takes


def test_app_without_calls_schedules_no_job_of_calls(reduced_app, tmp_path):
    """Does an application built without calls leave the calls' reminder job off its queue,
    though another application of the same process declared it?"""
    create_app(build_test_config("sqlite://", tmp_path, 25))  # declares every capability's jobs
    from consult import jobs

    registered = {task.__name__ for task in jobs.queue(reduced_app)._registry._registry.values()}
    assert "calls.send-reminders" not in registered
    assert {"outbox.sweep", "outbox.deliver", "events.fill"} <= registered


def test_calls_serve_their_pages_without_the_work_programme(tmp_path, smtp_server):
    """Without the programme, do call pages and the dashboard work, with no action items at all?"""
    from consult.calls.models import Call, CallStatus

    without_programme = tuple(name for name in CAPABILITIES if name != "consult.programme")
    with _own_app(tmp_path, smtp_server, without_programme) as application:
        result = application.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        client = application.test_client()
        sign_in(client, db.session.scalar(select(User).where(User.email == SECRETARIAT_EMAIL)))
        held = db.session.scalar(
            select(Call).where(Call.status == CallStatus.HELD).order_by(Call.starts_at)
        )
        page = client.get(f"/calls/{held.id}")
        assert page.status_code == 200
        assert "Preparing the consultative forum" in page.get_data(as_text=True)
        assert "Action items" not in page.get_data(as_text=True)
        dashboard = client.get("/dashboard").get_data(as_text=True)
        assert _titles(dashboard, "panel") == [
            "Teleconferences",
            "Recent comments",
            "Proposals awaiting your answer",
            "Open events",
        ]
        assert client.get("/actions").status_code == 404


def test_the_toolkit_serves_its_pages_without_decisions(tmp_path, smtp_server):
    """Without decisions, do section pages, history and comments with a stance work, with no
    positions, proposals or consensus anywhere?"""
    without_decisions = tuple(name for name in CAPABILITIES if name != "consult.decisions")
    with _own_app(tmp_path, smtp_server, without_decisions) as application:
        result = application.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        client = application.test_client()
        sign_in(client, db.session.scalar(select(User).where(User.email == SECRETARIAT_EMAIL)))
        from consult.toolkit.models import Section

        section = db.session.scalar(select(Section).order_by(Section.position))
        page = client.get(f"/toolkit/sections/{section.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "decisions.js" not in html and "Positions" not in html and "Proposals" not in html
        response = client.post(
            f"/toolkit/sections/{section.id}/comments", data={"body": "Yes", "stance": "support"}
        )
        assert response.status_code == 303
        assert client.get(f"/toolkit/sections/{section.id}/history").status_code == 200
        assert client.get("/toolkit/consensus").status_code == 404
        assert "Consensus" not in _nav(client.get("/dashboard").get_data(as_text=True))
