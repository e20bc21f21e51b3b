"""Demo teleconferences of the Steering Group (FACTS.md ¶3-8): two held calls, one to come.

The action items in their minutes are seeded by the work programme (``consult.programme.demo``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from consult.accounts.models import User
from consult.calls import services
from consult.calls.models import (
    AgendaItem,
    AgendaStatus,
    Attendance,
    Call,
    CallSeries,
    CallStatus,
    Partstat,
)
from consult.database import utcnow
from consult.demo import SECRETARIAT_EMAIL
from consult.extensions import db

SERIES_NAME = "Steering Group teleconference"

#: Held calls: start (UTC), agenda, minutes.
PAST_CALLS = (
    (
        datetime(2000, 2, 1, 14, 0, tzinfo=UTC),
        (
            "Work programme of the Steering Group",
            "VIA toolkit: scope and content",
            "Preparing the consultative forum during the second week of CSD-8",
        ),
        "The Secretariat presented a draft work programme following CSD-7 decision 7/6: "
        "developing the toolkit, identifying further information needs and related "
        "processes, exploring methods to test the key elements identified at Toronto.\n\n"
        "All partners agree that a toolkit is very useful and should be made; there is "
        "no agreement yet on its scope and content. Discussion goes on, with the aim of "
        "finishing the toolkit before CSD-10.\n\n"
        "Instead of a second Toronto-sized consultation, a small consultative forum will "
        "meet during the second week of CSD-8 (1-5 May 2000, New York).",
    ),
    (
        datetime(2000, 3, 7, 14, 0, tzinfo=UTC),
        (
            "Consultative forum at CSD-8: aims and participants",
            "NGO workshop on three voluntary codes of conduct (28 April 2000)",
            "Country case studies with MIT",
        ),
        "The forum's aim: mainly through discussion with developing countries, to say "
        "clearly which information materials are needed on the use and impact of VIAs "
        "in developing countries. The background paper commissioned by the Secretariat "
        "will be its background document.\n\n"
        "The NGO members may hold a one-day workshop on 28 April 2000 on the FAO code on "
        "pesticides, the UNICEF/WHO code on breast-milk substitutes and the OECD "
        "Guidelines for Multinational Enterprises.\n\n"
        "Country case studies with MIT (tentative list: Brazil, China, Hungary, India, "
        "Indonesia, Mexico, South Africa) are expected to start in May 2000 once funded.",
    ),
)

UPCOMING_AGENDA = (
    "VIA toolkit: scope and content (continued)",
    "Work programme towards CSD-10 and the 2002 ten-year review",
)


def _series(users: dict[str, User]) -> CallSeries:
    series = db.session.scalar(select(CallSeries).where(CallSeries.name == SERIES_NAME))
    if series is None:
        series = CallSeries(
            name=SERIES_NAME,
            organiser=users[SECRETARIAT_EMAIL],
            duration_minutes=60,
            bridge="Dial-in numbers and the access code are sent by the Secretariat.",
        )
        db.session.add(series)
        services.set_members(series, list(users.values()))
        db.session.flush()
    return series


def _call(series: CallSeries, start: datetime, status: CallStatus) -> Call:
    call = db.session.scalar(
        select(Call).where(Call.series_id == series.id, Call.starts_at == start)
    )
    if call is None:
        partstat = Partstat.ACCEPTED if status is CallStatus.HELD else Partstat.NEEDS_ACTION
        invited = [Attendance(user=user, partstat=partstat) for user in series.members]
        call = Call(
            series=series,
            starts_at=start,
            duration_minutes=60,
            status=status,
            attendances=invited,
        )
        db.session.add(call)
        db.session.flush()
    return call


def _agenda(call: Call, titles: tuple[str, ...], secretariat: User) -> None:
    existing = {item.title for item in call.agenda_items}
    for position, title in enumerate(titles, start=1):
        if title not in existing:
            call.agenda_items.append(
                AgendaItem(
                    title=title,
                    position=position,
                    status=AgendaStatus.ACCEPTED,
                    proposed_by=secretariat,
                )
            )
    call.agenda_published_at = call.agenda_published_at or call.starts_at - timedelta(days=3)


def _upcoming_start(now: datetime) -> datetime:
    """A weekday about two weeks ahead, 14:00 UTC (morning in New York, afternoon in Europe)."""
    day = (now + timedelta(days=14)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(14, 0), UTC)


def seed_calls(users: dict[str, User]) -> None:
    """The Steering Group's call series with two held calls and one confirmed call to come."""
    series = _series(users)
    secretariat = users[SECRETARIAT_EMAIL]
    for start, agenda, minutes in PAST_CALLS:
        call = _call(series, start, CallStatus.HELD)
        _agenda(call, agenda, secretariat)
        call.minutes = call.minutes or minutes
        call.minutes_published_at = call.minutes_published_at or start + timedelta(days=2)
    if services.next_call(series, utcnow()) is None:
        upcoming = _call(series, _upcoming_start(utcnow()), CallStatus.CONFIRMED)
        _agenda(upcoming, UPCOMING_AGENDA, secretariat)
        upcoming.agenda_published_at = None
    db.session.flush()
