"""Demo work programme: the lines of work of the CSD-8 paper (FACTS.md ¶4) and the action
items agreed on the two demo calls of early 2000."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from consult.accounts.models import User
from consult.calls.demo import PAST_CALLS, SERIES_NAME
from consult.calls.models import Call, CallSeries
from consult.demo import SECRETARIAT_EMAIL
from consult.extensions import db
from consult.programme.models import WorkItem, WorkStatus

TOOLKIT = "Develop the VIA toolkit"
#: The two held demo calls (February and March 2000).
FEBRUARY, MARCH = (start for start, *_ in PAST_CALLS)

#: (title, description, status) — the paper names no owners or dates for these.
LINES_OF_WORK = (
    (
        TOOLKIT,
        "All partners agree a toolkit is very useful, but its scope and content are not yet "
        "agreed. The aim is to finish it before CSD-10, as an input to the 2002 ten-year review.",
        WorkStatus.IN_PROGRESS,
    ),
    (
        "Identify further information needs",
        "Which information on VIAs, and on their use and impact in developing countries, is "
        "still needed (CSD decision 7/6).",
        WorkStatus.IN_PROGRESS,
    ),
    (
        "Identify related processes",
        "Processes run by stakeholder groups alone or jointly that bear on VIAs.",
        WorkStatus.PLANNED,
    ),
    (
        "Explore methods to test the key elements",
        "Ways to test the key elements identified at Toronto (March 1999) against existing "
        "initiatives; the assessment matrix of the public site is one.",
        WorkStatus.PLANNED,
    ),
    (
        "Judge whether further consultations are needed and feasible",
        "Whether more consultations with governments and stakeholders are needed, and whether "
        "they can be held.",
        WorkStatus.PLANNED,
    ),
)

#: Action items in the minutes of the demo calls: (call start, title, owner e-mail, due date,
#: status, line of work or None).
CALL_ACTIONS = (
    (
        FEBRUARY,
        "Circulate the draft work programme to all partners",
        SECRETARIAT_EMAIL,
        date(2000, 2, 15),
        WorkStatus.DONE,
        None,
    ),
    (
        FEBRUARY,
        "List the developing- and developed-country governments from Toronto "
        "to invite to the forum",
        "dsd.officer@example.org",
        date(2000, 3, 1),
        WorkStatus.DONE,
        None,
    ),
    (
        MARCH,
        "Send the background paper to forum participants",
        SECRETARIAT_EMAIL,
        date(2000, 4, 14),
        WorkStatus.PLANNED,
        None,
    ),
    (
        MARCH,
        "Prepare the analytical study of the three codes for the 28 April workshop",
        "ngo.nairobi@example.org",
        date(2000, 4, 21),
        WorkStatus.PLANNED,
        None,
    ),
    (
        MARCH,
        "Propose options for the toolkit's scope before CSD-10",
        "business.geneva@example.org",
        date(2000, 4, 28),
        WorkStatus.PLANNED,
        TOOLKIT,
    ),
)


def _lines() -> dict[str, WorkItem]:
    """The five lines of work, created once (looked up by title)."""
    lines = {
        item.title: item
        for item in db.session.scalars(select(WorkItem).where(WorkItem.parent_id.is_(None)))
    }
    for title, description, status in LINES_OF_WORK:
        if title not in lines:
            lines[title] = WorkItem(
                title=title,
                description=description,
                status=status,
                agreed_at="Work programme as reported to CSD-8 (2000)",
            )
            db.session.add(lines[title])
    return lines


def _calls() -> dict[datetime, Call]:
    """The demo series' calls by start (seeded by calls before this runs)."""
    calls = db.session.scalars(select(Call).join(CallSeries).where(CallSeries.name == SERIES_NAME))
    return {call.starts_at: call for call in calls}


def seed_programme(users: dict[str, User]) -> None:
    """The lines of work, and the action items of each demo call once (by call and title)."""
    lines = _lines()
    calls = _calls()
    known = {
        (call_id, title)
        for call_id, title in db.session.execute(select(WorkItem.call_id, WorkItem.title))
    }
    for start, title, owner, due, status, line in CALL_ACTIONS:
        call = calls.get(start)
        if call is None or (call.id, title) in known:
            continue
        db.session.add(
            WorkItem(
                call=call,
                title=title,
                owner=users[owner],
                due_date=due,
                status=status,
                parent=lines[line] if line else None,
            )
        )
    db.session.flush()
