"""Invitation-only events: the list the Secretariat uploads, personal links, and their letters.

An invitation is for one address. Its link is signed and carries a secret of the
invitation's own, works until the invitation's expiry date, and once: the
registration it allows is taken, and the invitation marked used, in the same
locked seat transaction, so two clicks at once cannot both register. Seats held
per constituency are enforced as for anyone: an invitation that names a
constituency registers its holder in it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult import mail
from consult.accounts.models import Constituency
from consult.database import utcnow
from consult.events.allocation import RegistrationRefused
from consult.events.models import Event, Invitation, Registration
from consult.extensions import db
from consult.i18n.locales import normalise
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.tokens import InvalidToken, make_token, read_token
from consult.urls import external_url

PURPOSE = "events.invitation"
LETTER = "events.invitation"
#: The most rows one upload may hold.
MAX_ROWS = 5000
#: Column headings understood, and what each means (lower-case, several spellings).
HEADINGS = {
    "email": "email",
    "e-mail": "email",
    "courriel": "email",
    "name": "name",
    "nom": "name",
    "constituency": "constituency",
    "language": "language",
}


def token_of(invitation: Invitation) -> str:
    """The signed token of an invitation's personal link."""
    return make_token(PURPOSE, {"i": invitation.id, "k": invitation.key})


def link_of(invitation: Invitation) -> str:
    """The absolute personal link to the event's registration form."""
    return external_url(
        "events.register", slug=invitation.event.slug, invitation=token_of(invitation)
    )


def invitation_for(token: str, event: Event, now: datetime | None = None) -> Invitation:
    """The unused, unexpired invitation to ``event`` that ``token`` names, or :class:`InvalidToken`."""
    payload = read_token(PURPOSE, token)
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InvalidToken(_("This invitation link is not valid."))
    invitation = db.session.get(Invitation, payload["i"])
    if invitation is None or invitation.key != payload.get("k") or invitation.event_id != event.id:
        raise InvalidToken(_("This invitation link is not valid."))
    problem = problem_with(invitation, now)
    if problem:
        raise InvalidToken(problem)
    return invitation


def problem_with(invitation: Invitation, now: datetime | None = None) -> str | None:
    """Why the invitation cannot be used now, or None."""
    if invitation.used_at is not None:
        return _(
            "This invitation has been used already. The private link to the registration "
            "is in the e-mail sent when it was made."
        )
    if (now or utcnow()) >= invitation.expires_at:
        return _(
            "This invitation has expired. Write to the Secretariat if you still wish to attend."
        )
    return None


def use(invitation_id: int, registration: Registration, now: datetime | None = None) -> None:
    """Inside the registration's locked transaction: the invitation is spent, or it refuses."""
    invitation = db.session.execute(
        select(Invitation)
        .where(Invitation.id == invitation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    problem = problem_with(invitation, now)
    if problem:
        raise RegistrationRefused(problem)
    invitation.used_at = now or utcnow()
    invitation.registration_id = registration.id


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """One good row of an uploaded list."""

    email: str
    name: str
    constituency_id: int | None
    language: str | None


@dataclass
class Upload:
    """What an uploaded list holds: the good rows, and what is wrong with the others."""

    invitees: list[Invitee]
    errors: list[str]


def _constituencies() -> dict[str, int]:
    found = {}
    for constituency in db.session.scalars(select(Constituency)):
        found[constituency.slug.casefold()] = constituency.id
        found[constituency.name.casefold()] = constituency.id
    return found


def _text_of(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_list(data: bytes) -> Upload:
    """Read an invitation list (CSV: e-mail, and optionally name, constituency, language).

    Commas or semicolons (as Excel writes in many languages) both work; each bad row
    is named by its line number with what is wrong, and nothing is kept from a list
    with errors.
    """
    text = _text_of(data)
    if text is None:
        return Upload([], [_("The file is not UTF-8 text: in Excel, save it as “CSV UTF-8”.")])
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return Upload([], [_("The file is empty: its first line names the columns.")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headings = [HEADINGS.get(h.strip().casefold()) for h in next(reader)]
    if "email" not in headings:
        return Upload([], [_("The first line must name the columns, one of them “email”.")])
    constituencies = _constituencies()
    invitees: list[Invitee] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_ROWS + 1:
            errors.append(_("The list holds more than %(count)d rows.", count=MAX_ROWS))
            break
        values = {
            heading: cell.strip() for heading, cell in zip(headings, row, strict=False) if heading
        }
        problem, invitee = _row(values, constituencies, seen)
        if problem:
            errors.append(_("Line %(line)d: %(problem)s", line=number, problem=problem))
        else:
            seen.add(invitee.email)
            invitees.append(invitee)
    if not invitees and not errors:
        errors.append(_("The list has no one in it."))
    return Upload(invitees, errors)


def _row(
    values: dict[str, str], constituencies: dict[str, int], seen: set[str]
) -> tuple[str | None, Any]:
    raw = values.get("email", "")
    if not raw:
        return _("the e-mail address is missing."), None
    try:
        email = validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return _("“%(value)s” is not an e-mail address.", value=raw), None
    if email in seen:
        return _("%(email)s is already on an earlier line.", email=email), None
    name = values.get("name", "")
    if len(name) > 120:
        return _("the name is longer than 120 characters."), None
    constituency_id = None
    if values.get("constituency"):
        constituency_id = constituencies.get(values["constituency"].casefold())
        if constituency_id is None:
            return _(
                "“%(value)s” is not a constituency; use one of the names on the "
                "Constituencies page, or leave it empty.",
                value=values["constituency"],
            ), None
    written = values.get("language", "").strip()
    language = normalise(written) if written else None
    if written and language is None:
        return _(
            "“%(value)s” is not a language code; use one of %(codes)s.",
            value=written,
            codes="ar, zh, en, fr, ru, es",
        ), None
    return None, Invitee(email, name, constituency_id, language)


def keep(event: Event, invitees: list[Invitee], expires_at: datetime) -> tuple[int, int]:
    """Add the invitees not yet invited; (added, already invited). The caller commits."""
    known = set(db.session.scalars(select(Invitation.email).where(Invitation.event_id == event.id)))
    added = 0
    for invitee in invitees:
        if invitee.email in known:
            continue
        db.session.add(
            Invitation(
                event_id=event.id,
                email=invitee.email,
                name=invitee.name,
                constituency_id=invitee.constituency_id,
                language=invitee.language,
                expires_at=expires_at,
            )
        )
        added += 1
    return added, len(invitees) - added


def queue_unsent(event: Event) -> int:
    """Queue the letter of every invitation not sent yet and still usable; how many."""
    now = utcnow()
    unsent = db.session.scalars(
        select(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.sent_at.is_(None),
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
    ).all()
    for invitation in unsent:
        enqueue(invitation.email, LETTER, {"invitation": invitation.id})
        invitation.sent_at = now
    return len(unsent)


@letter(LETTER, label=_l("Event invitation"))
def invitation_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The personal invitation with its link, unless it was used or withdrawn meanwhile."""
    invitation = db.session.get(Invitation, params["invitation"])
    if invitation is None:
        raise NothingToSend("the invitation is gone")
    if invitation.used_at is not None:
        raise NothingToSend("the invitation has been used")
    event = invitation.event
    with mail.in_language_of(invitation):
        subject = _("Invitation: %(title)s", title=event.localized("title"))
    return mail.compose(
        invitation,
        "events/invitation",
        subject,
        invitation=invitation,
        event=event,
        link=link_of(invitation),
        event_url=external_url("events.show", slug=event.slug),
    )
