"""Demo events from FACTS.md ¶5 and ¶7, and a clearly labelled practice event.

The forum and the workshop keep their real dates (2000), so their registration
is closed; the practice event is placed a month ahead of the day the demo is
loaded so that registration, the waiting list and the e-mails can be tried.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from consult.accounts.constituencies import ensure_standard_constituencies
from consult.database import utcnow
from consult.events.countries import DEVELOPING
from consult.events.models import (
    Event,
    EventKind,
    EventSession,
    FieldKind,
    FormField,
    SeatRule,
    SessionDocument,
)
from consult.extensions import db

NEW_YORK = "America/New_York"

FORUM_SLUG = "csd8-consultative-forum"
WORKSHOP_SLUG = "ngo-workshop-codes-of-conduct"
PRACTICE_SLUG = "practice-registration"

FORUM_DESCRIPTION = """\
A small consultative forum held during the second week of the eighth session of the
Commission on Sustainable Development (CSD-8, 1 to 5 May 2000), instead of a second
consultation the size of Toronto (March 1999).

It brings the main partners of the Steering Group on voluntary initiatives and
agreements (business, trade unions and NGOs) together with several governments of
developing and developed countries that took part in Toronto. Mainly through
discussion with developing countries, it aims to say clearly **which information
materials are needed on the use and impact of voluntary initiatives and agreements
in developing countries**.

The Secretariat's background paper, an analytical overview of existing processes and
of how intergovernmental and governmental forums have reviewed them, is the forum's
background document. The exact day and room within the week are announced by the
Secretariat.
"""

WORKSHOP_DESCRIPTION = """\
A one-day workshop held by the NGO members of the Steering Group, making an analytical
study of three voluntary codes of conduct drawn up by international organisations.
One session is given to each code.
"""

PRACTICE_DESCRIPTION = """\
**This is not a real meeting.** It lets you try the registration of the forum and the
workshop: the form, the confirmation e-mail with its calendar invitation, the waiting
list and the private link to correct or cancel a registration. Its dates move forward
each time the demo data is loaded.
"""

#: (title, citation) of the three codes (FACTS.md ¶5); reference entries, no invented links.
CODES = (
    (
        "International Code of Conduct on the Distribution and Use of Pesticides",
        "Food and Agriculture Organization of the United Nations (FAO), Rome, 1986",
    ),
    (
        "International Code of Marketing of Breast-milk Substitutes",
        "UNICEF/WHO; World Health Organization, Geneva, 1981",
    ),
    (
        "Guidelines for Multinational Enterprises",
        "Organisation for Economic Co-operation and Development (OECD)",
    ),
)


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(NEW_YORK))


def _event(slug: str, **fields: Any) -> tuple[Event, bool]:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is not None:
        return event, False
    event = Event(slug=slug, **fields)
    db.session.add(event)
    return event, True


def seed_forum() -> None:
    """The consultative forum during the second week of CSD-8."""
    constituencies = ensure_standard_constituencies()
    event, created = _event(
        FORUM_SLUG,
        title="Consultative forum on voluntary initiatives and agreements (CSD-8)",
        kind=EventKind.FORUM,
        description=FORUM_DESCRIPTION,
        venue="United Nations Headquarters, New York",
        timezone=NEW_YORK,
        starts_at=_local(2000, 5, 1, 9),
        ends_at=_local(2000, 5, 5, 18),
        registration_opens_at=_local(2000, 3, 1, 9),
        registration_closes_at=_local(2000, 4, 24, 18),
        capacity=60,
        published=True,
    )
    if not created:
        return
    db.session.add(
        SeatRule(
            event=event,
            country_group=DEVELOPING,
            seats=10,
            release_at=_local(2000, 4, 17, 0),
        )
    )
    db.session.add(
        SeatRule(
            event=event,
            constituency=constituencies["gov-developing"],
            seats=5,
            release_at=_local(2000, 4, 17, 0),
        )
    )
    forum_session = EventSession(
        event=event,
        title="Information materials needed on the use and impact of VIAs in developing countries",
        starts_at=_local(2000, 5, 1, 10),
        ends_at=_local(2000, 5, 1, 13),
        room="",
        speakers="Main partners: business, trade unions, NGOs\nGovernments of developing and developed countries",
        description="Discussion, mainly with developing countries, on the information materials needed.",
    )
    forum_session.documents.append(
        SessionDocument(
            title="Background paper: analytical overview of existing VIA processes and their review",
            citation="Commissioned by the CSD Secretariat (UN DESA/DSD), 2000",
        )
    )
    db.session.add(forum_session)


def seed_workshop() -> None:
    """The NGO members' one-day workshop on three codes of conduct, 28 April 2000."""
    event, created = _event(
        WORKSHOP_SLUG,
        title="NGO workshop: an analysis of three voluntary codes of conduct",
        kind=EventKind.WORKSHOP,
        description=WORKSHOP_DESCRIPTION,
        venue="New York (room announced by the Secretariat)",
        timezone=NEW_YORK,
        starts_at=_local(2000, 4, 28, 9),
        ends_at=_local(2000, 4, 28, 17, 30),
        registration_opens_at=_local(2000, 3, 1, 9),
        registration_closes_at=_local(2000, 4, 21, 18),
        capacity=30,
        published=True,
        approval_required=True,
    )
    if not created:
        return
    slots = ((9, 30, 11, 0), (11, 30, 13, 0), (14, 30, 16, 0))
    for position, ((title, citation), (h1, m1, h2, m2)) in enumerate(
        zip(CODES, slots, strict=True)
    ):
        session = EventSession(
            event=event,
            title=title,
            starts_at=_local(2000, 4, 28, h1, m1),
            ends_at=_local(2000, 4, 28, h2, m2),
            speakers="NGO members of the Steering Group",
            position=position,
        )
        session.documents.append(SessionDocument(title=title, citation=citation))
        db.session.add(session)
    db.session.add(
        EventSession(
            event=event,
            title="What the three codes teach about voluntary initiatives and agreements",
            starts_at=_local(2000, 4, 28, 16, 30),
            ends_at=_local(2000, 4, 28, 17, 30),
            speakers="NGO members of the Steering Group",
            position=3,
        )
    )


def seed_practice(now: datetime | None = None) -> Event:
    """The practice event, a month ahead, open for registration now."""
    now = (now or utcnow()).replace(second=0, microsecond=0)
    start = now + timedelta(days=30)
    event, created = _event(
        PRACTICE_SLUG,
        title="Practice registration (not a real meeting)",
        kind=EventKind.OTHER,
        description=PRACTICE_DESCRIPTION,
        venue="Nowhere: this is a practice event",
        timezone=NEW_YORK,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=start - timedelta(days=1),
        capacity=10,
        published=True,
        practice=True,
    )
    if created:
        db.session.add(
            SeatRule(
                event=event,
                country_group=DEVELOPING,
                seats=3,
                release_at=start - timedelta(days=14),
            )
        )
        seed_practice_questions(event)
    elif event.ends_at <= now:
        shift = start - event.starts_at
        event.starts_at += shift
        event.ends_at += shift
        event.registration_opens_at = now - timedelta(days=1)
        event.registration_closes_at = event.starts_at - timedelta(days=1)
        for rule in event.seat_rules:
            rule.release_at += shift
        event.sequence += 1
    return event


def seed_practice_questions(event: Event) -> None:
    """A form of the practice event's own, to try: interpretation, a visa section on condition.

    Only the visa section's questions are required, once "yes" asks them.
    """
    language = FormField(
        kind=FieldKind.CHOICE,
        label="Interpretation language",
        help="The language you will listen in.",
        options="English\nFrench\nSpanish",
        translations={
            "fr": {
                "label": "Langue d\u2019interprétation",
                "help": "La langue dans laquelle vous écouterez.",
                "options": "Anglais\nFrançais\nEspagnol",
            }
        },
    )
    visa = FormField(kind=FieldKind.YESNO, label="Do you need a visa support letter?")
    section = FormField(
        kind=FieldKind.SECTION,
        label="Visa support letter",
        help="The Secretariat writes the letter with these details.",
        shown_if=visa,
        shown_if_value="yes",
    )
    questions = [
        language,
        visa,
        section,
        FormField(kind=FieldKind.COUNTRY, label="Nationality", required=True),
        FormField(kind=FieldKind.TEXT, label="Passport number", required=True),
        FormField(kind=FieldKind.DATE, label="Passport expiry date", required=True),
        FormField(kind=FieldKind.SECTION, label="Meals"),
        FormField(kind=FieldKind.TEXT, label="Dietary needs"),
    ]
    for position, question in enumerate(questions, start=1):
        question.position = position
        event.form_fields.append(question)


def seed_events(users: dict[str, Any]) -> None:
    """Both events of FACTS.md ¶5 and the practice event (idempotent)."""
    seed_forum()
    seed_workshop()
    seed_practice()
    db.session.flush()
