"""E-mail about comments: each new comment, or a daily digest, as each member chooses.

Comments are queued in the transaction that saves them; digests by the daily job
(``send_digests``), each with the move of the member's mark. The worker writes
them with the letters below.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, timedelta
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from consult import jobs, mail
from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.i18n.formats import format_datetime
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.tokens import address_token
from consult.toolkit.models import Comment, DigestMark, Frequency, NotificationPreference, Section
from consult.urls import external_url

#: Without a choice, members get a daily digest.
DEFAULT_FREQUENCY = Frequency.DIGEST
REPLY_PURPOSE = "toolkit-reply"


def own_preference(user: Any, section_id: int | None) -> str:
    """The member's effective choice for a section (or for the whole toolkit)."""
    prefs = _preferences([user.id])
    return effective(prefs, user.id, section_id).value


def _preferences(user_ids: list[int]) -> dict[tuple[int, int | None], Frequency]:
    rows = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
    )
    return {(row.user_id, row.section_id): row.frequency for row in rows}


def effective(prefs: dict, user_id: int, section_id: int | None) -> Frequency:
    """A section's own choice wins over the whole-toolkit choice, which wins over the default."""
    if section_id is not None and (user_id, section_id) in prefs:
        return prefs[(user_id, section_id)]
    return prefs.get((user_id, None), DEFAULT_FREQUENCY)


def set_preference(user: Any, section_id: int | None, frequency: str) -> None:
    """Save a member's choice for one section, or for the whole toolkit when ``section_id`` is None."""
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.section_id.is_(None)
            if section_id is None
            else NotificationPreference.section_id == section_id,
        )
    )
    if row is None:
        row = NotificationPreference(user_id=user.id, section_id=section_id)
        db.session.add(row)
    row.frequency = Frequency(frequency)


def preference_page(user: Any) -> dict[str, Any]:
    """Context of the preferences page: the toolkit-wide choice and each section's."""
    from consult.toolkit.forms import PreferenceForm
    from consult.toolkit.sections import ordered_sections

    prefs = _preferences([user.id])
    items = ordered_sections(include_drafts=True)
    return {
        "toolkit_form": PreferenceForm(frequency=effective(prefs, user.id, None).value),
        "section_forms": [
            (
                item,
                PreferenceForm(
                    frequency=effective(prefs, user.id, item.id).value,
                    section_id=item.id,
                    prefix=f"s{item.id}",
                ),
                (user.id, item.id) in prefs,
            )
            for item in items
        ],
    }


def reply_base() -> tuple[str, str]:
    """(local part, domain) of the reply address: TOOLKIT_REPLY_ADDRESS, else reply@ the sender's domain."""
    configured = current_app.config.get("TOOLKIT_REPLY_ADDRESS")
    if not configured:
        sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
        configured = f"reply@{sender.rpartition('@')[2] or 'localhost'}"
    local, _sep, domain = configured.partition("@")
    return local, domain


def reply_address(user: User, comment: Comment, today: date | None = None) -> str:
    """``reply+<member>-<comment>-<day>-<signature>@domain``: a signed token naming the member,
    the comment and the day it was given (replies are taken for half a year), in the short,
    lower-case form of :func:`consult.tokens.address_token` that survives mail servers."""
    day = (today or utcnow().date()).toordinal()
    token = address_token(REPLY_PURPOSE, user.id, comment.id, day)
    local, domain = reply_base()
    return f"{local}+{token}@{domain}"


def _when(moment: Any, user: User) -> str:
    """When a comment was written, in the member's zone and language, the zone named."""
    with mail.in_language_of(user):
        local = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(
            ZoneInfo(user.timezone or "UTC")
        )
        return format_datetime(local, rebase=False, zone=True)


COMMENT = "toolkit.comment"
DIGEST = "toolkit.digest"


def queue_new_comment(comment: Comment) -> int:
    """Queue the comment for the members who want every comment of its section (not the author).

    Call it in the transaction that saves the comment; returns how many were queued.
    """
    if comment.hidden_at or comment.deleted_at:
        return 0
    users = list(
        db.session.scalars(select(User).where(User.active.is_(True), User.id != comment.author_id))
    )
    prefs = _preferences([u.id for u in users])
    queued = 0
    for user in users:
        if effective(prefs, user.id, comment.section_id) is Frequency.EVERY:
            enqueue(user.email, COMMENT, {"comment": comment.id, "user": user.id})
            queued += 1
    return queued


def _reader(params: dict[str, Any]) -> User:
    user = db.session.get(User, params["user"])
    if user is None or not user.active:
        raise NothingToSend("the member is gone or their account is closed")
    return user


def _comment_link(comment: Comment) -> str:
    return external_url(
        "toolkit.section", section_id=comment.section_id, _anchor=f"comment-{comment.id}"
    )


@letter(COMMENT, label=_l("New toolkit comment"))
def comment_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """One new comment, with a Reply-To that posts the answer under it."""
    user = _reader(params)
    comment = db.session.get(Comment, params["comment"])
    if comment is None or comment.hidden_at or comment.deleted_at:
        raise NothingToSend("the comment was deleted or hidden before this went out")
    section = db.session.get(Section, comment.section_id)
    with mail.in_language_of(user):
        title = str(section.localized("title"))
    return mail.compose(
        user,
        "toolkit/comment",
        _l(
            "[Toolkit] %(author)s on “%(section)s”",
            author=comment.author.display_name,
            section=title,
        ),
        reply_to=reply_address(user, comment),
        user=user,
        comment=comment,
        section=section,
        link=_comment_link(comment),
        when=_when(comment.created_at, user),
    )


@letter(DIGEST, label=_l("Toolkit digest"))
def digest_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """The comments since the member's last digest (those still visible), by section."""
    user = _reader(params)
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.id.in_(params["comments"]),
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
            .options(joinedload(Comment.author), joinedload(Comment.section))
            .order_by(Comment.id)
        )
    )
    if not comments:
        raise NothingToSend("every comment of this digest was deleted or hidden")
    by_section: dict[Section, list[Comment]] = defaultdict(list)
    for comment in comments:
        by_section[comment.section].append(comment)
    return mail.compose(
        user,
        "toolkit/digest",
        _l("[Toolkit] %(count)d new comments", count=len(comments)),
        user=user,
        by_section=by_section,
        when=lambda moment: _when(moment, user),
        link=_comment_link,
    )


def _ensure_marks(users: list[User]) -> dict[int, DigestMark]:
    """A digest mark for every user (a never-sent one has no ``sent_at``), by user id."""
    marks = {m.user_id: m for m in db.session.scalars(select(DigestMark))}
    missing = [DigestMark(user_id=u.id, last_comment_id=0) for u in users if u.id not in marks]
    if missing:
        db.session.add_all(missing)
        try:
            db.session.commit()
        except IntegrityError:  # another run created them first
            db.session.rollback()
        marks = {m.user_id: m for m in db.session.scalars(select(DigestMark))}
    return marks


def _move_mark(user: User, expected: int, to: int, sent_at: Any, comment_ids: list[int]) -> bool:
    """Move a mark past ``to`` and queue the digest of ``comment_ids``, in one transaction.

    The move is one conditional UPDATE: False (and nothing queued) when another run
    moved the mark first.
    """
    result = db.session.execute(
        update(DigestMark)
        .where(DigestMark.user_id == user.id, DigestMark.last_comment_id == expected)
        .values(last_comment_id=to, sent_at=sent_at)
    )
    moved = result.rowcount == 1
    if moved and comment_ids:
        enqueue(user.email, DIGEST, {"user": user.id, "comments": comment_ids})
    db.session.commit()
    return moved


def send_digests(now: Any = None) -> dict[str, int]:
    """Queue for each member who chose a digest the comments since their last one.

    Safe to repeat and to overlap: a member's mark is moved past the comments (a
    conditional UPDATE) in the transaction that queues their digest, so two runs
    never queue the same comments twice; the outbox retries the e-mail until the
    mail server takes it.
    """
    now = now or utcnow()
    newest = db.session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)) or 0
    users = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
    prefs = _preferences([u.id for u in users])
    active = {u.id for u in users}
    marks = {
        user_id: (m.last_comment_id, m.sent_at)
        for user_id, m in _ensure_marks(users).items()
        if user_id in active
    }
    oldest_mark = min((last for last, _ in marks.values()), default=0)
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.id > oldest_mark,
                Comment.id <= newest,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
            .order_by(Comment.id)
        )
    )
    queued = 0
    for user in users:
        since_id, last_sent = marks[user.id]
        if since_id >= newest:
            continue
        since_time = now - timedelta(days=1) if last_sent is None else None
        picked = [
            c.id
            for c in comments
            if c.id > since_id
            and (since_time is None or c.created_at >= since_time)
            and c.author_id != user.id
            and effective(prefs, user.id, c.section_id) is Frequency.DIGEST
        ]
        if _move_mark(user, since_id, newest, now, picked) and picked:
            queued += 1
    return {"queued": queued}


@jobs.periodic("toolkit.send-digests", jobs.crontab(minute="15", hour="6"))
def send_digests_job() -> None:
    """Every day at 06:15 UTC: the digests."""
    send_digests()
