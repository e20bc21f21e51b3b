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
from datetime import UTC, datetime, timedelta
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
from tests.calendars import disguised, wrong_readings
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
    client.post(f"/calls/{call.id}/cancel")

    practice = next(e for e in db.session.scalars(select(Event)) if e.practice)
    client.post(f"/events/{practice.slug}/register", data=form_data(1))
    manage = next(
        link
        for link in links_in(mailbox.last("participant1@example.org"))
        if "/events/registration/" in link
    )
    client.post(re.sub(r"^https?://[^/]+", "", manage) + "/cancel")

    files = calendar_files(mailbox.messages)
    for user in (secretariat, users["ngo.nairobi@example.org"]):
        feed = client.get(f"/calls/feed/{token_for(user).token}.ics")
        assert feed.status_code == 200
        files[f"feed of {user.email}"] = feed.get_data()
    for event in db.session.scalars(select(Event)):
        agenda = client.get(f"/events/{event.slug}/agenda.ics")
        assert agenda.status_code == 200
        files[f"agenda of {event.slug}"] = agenda.get_data()
    methods = {str(Calendar.from_ical(data).get("METHOD", "")) for data in files.values()}
    assert methods == {"REQUEST", "CANCEL", ""}
    sent = {
        (str(calendar["METHOD"]), int(event["SEQUENCE"]))
        for calendar in map(Calendar.from_ical, files.values())
        for event in calendar.walk("VEVENT")
        if "METHOD" in calendar and str(event["UID"]) == call.uid
    }
    assert sent == {("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)}, "invitation, update, cancel"
    return files


def test_every_demo_calendar_passes_libicals_itip_restrictions(client, mailbox, libical, tmp_path):
    """Does libical find 0 errors in each invitation, update, cancellation, feed and agenda
    .ics of the demo, and read every event at the instant zoneinfo gives?"""
    files = demo_calendars(client, mailbox)
    readings = read_with_libical(libical, files, tmp_path)
    for label, data in files.items():
        reading = readings[label]
        assert reading.valid and not reading.errors, f"{label}: {reading.errors}"
        expected = {
            str(e["UID"]): e["DTSTART"].dt.astimezone(UTC)
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
            str(e["UID"]): e["DTSTART"].dt.astimezone(UTC)
            for e in Calendar.from_ical(data).walk("VEVENT")
        }
        assert wrong_readings(data, expected) == [], label
