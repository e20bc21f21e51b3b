"""Every .ics of the demo: libical's iTIP restrictions, CRLF, and one instant in every reader.

libical (Evolution's library) is driven by a small C program, ``tests/libical_check.c``,
compiled by a fixture with gcc; without gcc or libical-dev the tests skip (and fail
in CI, which installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from consult.calls.feed import token_for
from consult.calls.models import Call, CallSeries, CallStatus
from consult.demo import SECRETARIAT_EMAIL, load_demo
from consult.events.models import Event
from consult.extensions import db
from tests.calendars import disguised, instant, wrong_readings
from tests.calls.conftest import series_form
from tests.conftest import links_in, post_acknowledging, sign_in
from tests.events.conftest import form_data
from tests.services import require

SOURCE = Path(__file__).parent.parent / "libical_check.c"


@dataclass
class LibicalReading:
    """What libical made of one file."""

    valid: bool = False
    errors: list[str] = field(default_factory=list)
    starts: dict[str, datetime] = field(default_factory=dict)


@pytest.fixture(scope="session")
def libical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled checker, or a skip (a failure in CI) without gcc and libical-dev."""
    gcc, pkg_config = shutil.which("gcc"), shutil.which("pkg-config")
    found = bool(gcc and pkg_config) and (
        subprocess.run([pkg_config or "", "--exists", "libical"], check=False).returncode == 0
    )
    require(found, "libical's check needs gcc, pkg-config and libical-dev (apt-get install)")
    flags = subprocess.run(
        [pkg_config or "", "--cflags", "--libs", "libical"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    binary = tmp_path_factory.mktemp("libical") / "libical_check"
    subprocess.run([gcc or "", "-O1", "-o", str(binary), str(SOURCE), *flags], check=True)
    return binary


def read_with_libical(binary: Path, files: dict[str, bytes], folder: Path) -> dict:
    """libical's reading of each named .ics (TZIDs renamed: it must use the VTIMEZONEs)."""
    paths = []
    for number, data in enumerate(files.values()):
        path = folder / f"{number}.ics"
        path.write_text(disguised(data), newline="")
        paths.append(str(path))
    output = subprocess.run(
        [str(binary), *paths], capture_output=True, text=True, check=True
    ).stdout
    readings: list[LibicalReading] = []
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "file":
            readings.append(LibicalReading())
        elif kind == "valid":
            readings[-1].valid = rest == "1"
        elif kind == "error":
            readings[-1].errors.append(rest)
        elif kind == "event":
            uid, start, _end = rest.rsplit(" ", 2)
            readings[-1].starts[uid] = datetime.fromtimestamp(int(start), UTC)
    return dict(zip(files, readings, strict=True))


def calendar_files(messages) -> dict[str, bytes]:
    """Each different text/calendar part and .ics attachment of ``messages``, with a label."""
    found: dict[bytes, str] = {}
    for number, message in enumerate(messages):
        for part in message.walk():
            name = part.get_filename() or ""
            if part.get_content_type() == "text/calendar" or name.endswith(".ics"):
                label = (
                    f"{part.get_content_type()} #{number} to {message['To']}: {message['Subject']}"
                )
                found.setdefault(part.get_payload(decode=True), label)
    return {label: data for data, label in found.items()}


def demo_calendars(client, mailbox) -> dict[str, bytes]:
    """Invitations, updates and cancellations of calls and of an event registration, the
    feeds of a member and the Secretariat, and the agendas of the demo events."""
    users = load_demo()
    db.session.commit()
    secretariat = users[SECRETARIAT_EMAIL]
    series = db.session.scalars(select(CallSeries)).one()
    upcoming = db.session.scalars(select(Call).where(Call.status == CallStatus.CONFIRMED)).one()
    sign_in(client, secretariat)
    mailbox.clear()
    start = upcoming.starts_at + timedelta(days=35)  # inside the cadence window
    response = post_acknowledging(
        client, f"/calls/series/{series.id}/confirm", data={"start": start.isoformat()}
    )
    assert response.status_code == 302
    call = db.session.scalars(select(Call).where(Call.starts_at == start)).one()
    moved = start.astimezone(ZoneInfo(secretariat.timezone)) + timedelta(days=1)
    post_acknowledging(
        client,
        f"/calls/{call.id}/reschedule",
        data={
            "day": moved.date().isoformat(),
            "time": moved.strftime("%H:%M"),
        },
    )
    assert db.session.get(Call, call.id).sequence == 1
    bridge = {**series_form(series), "bridge": "Webex 2000 555 0199, access code 4321"}
    assert client.post(f"/calls/series/{series.id}/edit", data=bridge).status_code == 302
    assert db.session.get(Call, call.id).sequence == 2
    client.post(f"/calls/{call.id}/cancel")

    practice = next(e for e in db.session.scalars(select(Event)) if e.practice)
    zone = ZoneInfo(practice.timezone)
    for hours, title in ((0, "Opening"), (2, "Closing")):
        start = (practice.starts_at + timedelta(hours=hours)).astimezone(zone)
        session = {  # the session form's fields are prefixed (consult/events/editor.py)
            "session-title": title,
            "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "session-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        }
        client.post(f"/events/admin/{practice.id}/sessions", data=session)
    assert len(db.session.get(Event, practice.id).sessions) == 2
    client.post(f"/events/{practice.slug}/register", data=form_data(1))
    member = users["ngo.nairobi@example.org"]
    client.post(
        f"/events/{practice.slug}/register",
        data=form_data(2, email=member.email, name=member.display_name),
    )
    manage = re.sub(
        r"^https?://[^/]+",
        "",
        next(
            link
            for link in links_in(mailbox.last("participant1@example.org"))
            if "/events/registration/" in link and not link.endswith(".ics")
        ),
    )
    edited = {**_event_form(practice), "venue": "Conference Room 4, UN Headquarters"}
    assert client.post(f"/events/admin/{practice.id}/edit", data=edited).status_code == 303
    assert db.session.get(Event, practice.id).sequence == 2  # the first session, then this
    own_agenda = client.get(manage + "/agenda.ics")
    assert own_agenda.status_code == 200
    client.post(manage + "/cancel")

    files = calendar_files(mailbox.messages)
    for user in (secretariat, users["ngo.nairobi@example.org"]):
        feed = client.get(f"/calls/feed/{token_for(user).token}.ics")
        assert feed.status_code == 200
        files[f"feed of {user.email}"] = feed.get_data()
    for event in db.session.scalars(select(Event)):
        agenda = client.get(f"/events/{event.slug}/agenda.ics")
        assert agenda.status_code == 200
        files[f"agenda of {event.slug}"] = agenda.get_data()
    files[f"own agenda of participant1 for {practice.slug}"] = own_agenda.get_data()
    methods = {str(Calendar.from_ical(data).get("METHOD", "")) for data in files.values()}
    assert methods == {"REQUEST", "CANCEL", ""}
    sent = {
        (str(calendar["METHOD"]), int(event["SEQUENCE"]))
        for calendar in map(Calendar.from_ical, files.values())
        for event in calendar.walk("VEVENT")
        if "METHOD" in calendar and str(event["UID"]) == call.uid
    }
    assert sent == {("REQUEST", 0), ("REQUEST", 1), ("REQUEST", 2), ("CANCEL", 3)}, (
        "invitation, move, new bridge, cancel"
    )
    registrant = {
        (str(calendar.get("METHOD", "")), int(event["SEQUENCE"]))
        for calendar in map(Calendar.from_ical, files.values())
        for event in calendar.walk("VEVENT")
        if "registration" in str(event["UID"]) and "participant1" in str(event.get("ATTENDEE"))
    }
    assert registrant == {("REQUEST", 1), ("REQUEST", 2), ("CANCEL", 3), ("", 2)}, (
        "invitation, event moved, own agenda, cancellation"
    )
    feed = Calendar.from_ical(files[f"feed of {member.email}"])
    assert any("registration" in str(event["UID"]) for event in feed.walk("VEVENT"))
    return files


def _event_form(event: Event) -> dict[str, str]:
    """What the event editor posts to keep ``event`` as it is."""
    zone = ZoneInfo(event.timezone)

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")

    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind.value,
        "description": event.description,
        "venue": event.venue,
        "timezone": event.timezone,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "registration_opens_at": local(event.registration_opens_at),
        "registration_closes_at": local(event.registration_closes_at),
        "capacity": str(event.capacity),
    }
    for flag in ("published", "approval_required", "practice"):
        if getattr(event, flag):
            data[flag] = "y"
    return data


def _libical_start(value: date | datetime) -> datetime:
    """libical gives a whole-day start as the date's midnight, in seconds since 1970 UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def test_every_demo_calendar_passes_libicals_itip_restrictions(client, mailbox, libical, tmp_path):
    """Does libical find 0 errors in each invitation, update, cancellation, feed and agenda
    .ics of the demo, and read every event at the instant zoneinfo gives?"""
    files = demo_calendars(client, mailbox)
    readings = read_with_libical(libical, files, tmp_path)
    for label, data in files.items():
        reading = readings[label]
        assert reading.valid and not reading.errors, f"{label}: {reading.errors}"
        expected = {
            str(e["UID"]): _libical_start(e["DTSTART"].dt)
            for e in Calendar.from_ical(data).walk("VEVENT")
        }
        assert reading.starts == expected, label


def test_every_demo_calendar_reads_the_same_in_all_readers_and_uses_crlf(client, mailbox):
    """Does each .ics of the demo give zoneinfo's instants in icalendar, vobject,
    recurring_ical_events and Outlook's reduction, with CRLF line endings throughout?"""
    files = demo_calendars(client, mailbox)
    for label, data in files.items():
        assert data.count(b"\n") == data.count(b"\r\n"), f"bare LF in {label}"
        expected = {
            str(e["UID"]): instant(e["DTSTART"].dt) for e in Calendar.from_ical(data).walk("VEVENT")
        }
        assert wrong_readings(data, expected) == [], label
