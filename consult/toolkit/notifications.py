"""E-mail about comments and sections, as each member chooses.

- A reply to a member's comment, and a comment that @mentions them, reach them at once,
  unless they chose otherwise (their profile page).
- Other comments: each one, a daily digest (the default) or nothing, for the whole toolkit
  or per section. A comment already e-mailed to someone at once is not in their digest.
- A new version of a section's text reaches those who follow the section.

A comment is answered first and e-mailed after: the request only sets nothing in
``notified_at`` and asks for a job (:func:`notify_comment`), which works out who is told and
queues their letters, in one transaction; a sweep every minute picks up any comment whose
job was lost. Digests are queued by the daily job (``send_digests``), each with the move of
the member's mark. The worker writes every letter below.

Letters about one comment or one section carry fixed Message-IDs, per comment (or version)
and reader, and ``In-Reply-To`` / ``References`` to the ones before, so that mail programs
show a discussion as one conversation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, timedelta
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from consult import jobs, mail
from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.i18n.formats import format_datetime
from consult.outbox.letters import NothingToSend, enqueue, letter
from consult.tokens import address_token
from consult.toolkit.mentions import mentioned
from consult.toolkit.models import (
    Comment,
    CommentNotice,
    DigestMark,
    DirectMail,
    Frequency,
    NoticeReason,
    NotificationPreference,
    Section,
    SectionFollow,
    SectionVersion,
)
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


NOTIFY_JOB = "toolkit.notify-comment"
#: References name the thread's first comment and at most this many of the nearest before.
REFERENCES_KEPT = 10
#: The digest waits this long for a comment's own e-mails to be decided (it may not need
#: to carry it); a comment whose job has failed that long goes in the digest anyway.
NOTIFY_PATIENCE = timedelta(hours=1)


def notify_later(comment_id: int, *, mentions_only: bool = False) -> None:
    """After the commit: ask a worker to e-mail whom ``comment`` concerns (a lost ask is swept).

    ``mentions_only`` (an edit): only members newly mentioned in it.
    """
    try:
        jobs.enqueue(NOTIFY_JOB, comment_id, mentions_only)
    except Exception:  # the comment is saved with no notified_at: the sweep e-mails it
        current_app.logger.exception("Could not enqueue the e-mails of comment %s", comment_id)


def direct_mail_wanted(user_ids: list[int]) -> dict[int, bool]:
    """Whether each member wants replies and mentions e-mailed at once (yes unless they said no)."""
    rows = db.session.scalars(select(DirectMail).where(DirectMail.user_id.in_(user_ids)))
    chosen = {row.user_id: row.at_once for row in rows}
    return {user_id: chosen.get(user_id, True) for user_id in user_ids}


def set_direct_mail(user: Any, at_once: bool) -> None:
    """Save a member's choice about e-mail at once for replies and mentions."""
    row = db.session.get(DirectMail, user.id)
    if row is None:
        row = DirectMail(user_id=user.id)
        db.session.add(row)
    row.at_once = at_once


def recipients(comment: Comment, users: list[User], *, mentions_only: bool = False) -> dict:
    """``{user: reason}``: who is e-mailed about ``comment`` at once, and why.

    A reply goes to the author of the comment answered and a mention to the member named,
    unless they turned that off; then, as for everyone else, their choice for the section
    decides (every comment: e-mailed now; a digest or nothing: not now).
    """
    others = [user for user in users if user.id != comment.author_id]
    direct = direct_mail_wanted([user.id for user in others])
    reasons: dict[User, NoticeReason] = {}
    if comment.parent_id is not None and not mentions_only:
        parent_author = db.session.scalar(
            select(Comment.author_id).where(Comment.id == comment.parent_id)
        )
        for user in others:
            if user.id == parent_author and direct[user.id]:
                reasons[user] = NoticeReason.REPLY
    for user in mentioned(comment.body, others):
        if direct[user.id]:
            reasons.setdefault(user, NoticeReason.MENTION)
    if not mentions_only:
        prefs = _preferences([user.id for user in others])
        for user in others:
            if effective(prefs, user.id, comment.section_id) is Frequency.EVERY:
                reasons.setdefault(user, NoticeReason.EVERY)
    return reasons


def notify_comment(comment_id: int, mentions_only: bool = False) -> int:
    """Queue the letters about a new comment (the job); returns how many.

    The comment is claimed by setting ``notified_at`` in the transaction that queues its
    letters, so two runs (the job and the sweep) never queue them twice; each letter is
    also recorded as a :class:`CommentNotice`, under a unique constraint, so that the
    member's digest leaves the comment out.
    """
    if not mentions_only:
        claimed = db.session.execute(
            update(Comment)
            .where(Comment.id == comment_id, Comment.notified_at.is_(None))
            .values(notified_at=utcnow()),
            execution_options={"synchronize_session": False},
        ).rowcount
        if not claimed:
            db.session.rollback()
            return 0
    comment = db.session.get(Comment, comment_id)
    if (
        comment is None
        or comment.hidden_at
        or comment.deleted_at
        or (mentions_only and comment.notified_at is None)  # the first run reads the new text
    ):
        db.session.commit()
        return 0
    told = set(
        db.session.scalars(
            select(CommentNotice.user_id).where(CommentNotice.comment_id == comment.id)
        )
    )
    users = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
    queued = 0
    for user, reason in recipients(comment, users, mentions_only=mentions_only).items():
        if user.id in told:
            continue
        db.session.add(CommentNotice(comment_id=comment.id, user_id=user.id, reason=reason))
        enqueue(
            user.email,
            COMMENT,
            {"comment": comment.id, "user": user.id, "reason": reason.value},
            message_id=comment_message_id(comment.id, user.id),
        )
        queued += 1
    try:
        db.session.commit()
    except IntegrityError:  # another run told them first
        db.session.rollback()
        return 0
    return queued


@jobs.task(NOTIFY_JOB, priority=5)
def notify_comment_job(comment_id: int, mentions_only: bool = False) -> None:
    """Queue the e-mails about a comment just posted (or edited, for new mentions)."""
    notify_comment(comment_id, mentions_only)


@jobs.periodic("toolkit.notify-sweep", jobs.crontab(minute="*"))
def notify_sweep_job() -> None:
    """Every minute: e-mail about any comment whose job was lost."""
    waiting = list(
        db.session.scalars(
            select(Comment.id).where(Comment.notified_at.is_(None)).order_by(Comment.id).limit(200)
        )
    )
    for comment_id in waiting:
        notify_comment(comment_id)


def _ids_domain() -> str:
    return mail.sender_domain()


def comment_message_id(comment_id: int, user_id: int) -> str:
    """The Message-ID of the letter to ``user_id`` about ``comment_id`` (one such letter, ever)."""
    return f"<toolkit.comment.{comment_id}.{user_id}@{_ids_domain()}>"


def version_message_id(section_id: int, number: int, user_id: int) -> str:
    """The Message-ID of the letter to ``user_id`` about version ``number`` of a section."""
    return f"<toolkit.section.{section_id}.v{number}.{user_id}@{_ids_domain()}>"


def _references(ids: list[str]) -> dict[str, str]:
    """``In-Reply-To`` (the last) and ``References`` (the first and the nearest before it)."""
    if not ids:
        return {}
    kept = ids if len(ids) <= REFERENCES_KEPT else [ids[0], *ids[-(REFERENCES_KEPT - 1) :]]
    return {"In-Reply-To": ids[-1], "References": " ".join(kept)}


def ancestors(comment: Comment) -> list[int]:
    """Ids of the comments above ``comment``, from the thread's first down to its parent."""
    if comment.parent_id is None:
        return []
    parents = dict(
        db.session.execute(
            select(Comment.id, Comment.parent_id).where(Comment.root_id == comment.root_id)
        ).all()
    )
    chain: list[int] = []
    current = comment.parent_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return list(reversed(chain))


def _reader(params: dict[str, Any]) -> User:
    user = db.session.get(User, params["user"])
    if user is None or not user.active:
        raise NothingToSend("the member is gone or their account is closed")
    return user


def _comment_link(comment: Comment) -> str:
    return external_url(
        "toolkit.section", section_id=comment.section_id, _anchor=f"comment-{comment.id}"
    )


def _thread_topic(title: str) -> dict[str, str]:
    """Outlook groups a conversation by its topic, whatever each subject says."""
    return {"Thread-Topic": f"[Toolkit] {title}"}


@letter(COMMENT, label=_l("New toolkit comment"))
def comment_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """One new comment, with a Reply-To that posts the answer under it, threaded under the
    letters about the comments it answers."""
    user = _reader(params)
    comment = db.session.get(Comment, params["comment"])
    if comment is None or comment.hidden_at or comment.deleted_at:
        raise NothingToSend("the comment was deleted or hidden before this went out")
    section = db.session.get(Section, comment.section_id)
    reason = NoticeReason(params.get("reason", NoticeReason.EVERY.value))
    with mail.in_language_of(user):
        title = str(section.localized("title"))
    names = {"author": comment.author.display_name, "section": title}
    subject = {
        NoticeReason.REPLY: _l("[Toolkit] %(author)s replied to you on “%(section)s”", **names),
        NoticeReason.MENTION: _l("[Toolkit] %(author)s mentioned you on “%(section)s”", **names),
        NoticeReason.EVERY: _l("[Toolkit] %(author)s on “%(section)s”", **names),
    }[reason]
    message = mail.compose(
        user,
        "toolkit/comment",
        subject,
        reply_to=reply_address(user, comment),
        user=user,
        comment=comment,
        section=section,
        reason=reason.value,
        link=_comment_link(comment),
        settings_link=external_url("accounts.profile"),
        when=_when(comment.created_at, user),
    )
    above = [comment_message_id(ancestor, user.id) for ancestor in ancestors(comment)]
    message.headers.update(_references(above))
    message.headers.update(_thread_topic(title))
    return message


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
    """Queue for each member who chose a digest the comments since their last one
    (except those already e-mailed to them at once: replies to them, mentions of them).

    Safe to repeat and to overlap: a member's mark is moved past the comments (a
    conditional UPDATE) in the transaction that queues their digest, so two runs
    never queue the same comments twice; the outbox retries the e-mail until the
    mail server takes it.
    """
    now = now or utcnow()
    newest = db.session.scalar(select(Comment.id).order_by(Comment.id.desc()).limit(1)) or 0
    waiting = db.session.scalar(
        select(func.min(Comment.id)).where(
            Comment.notified_at.is_(None), Comment.created_at > now - NOTIFY_PATIENCE
        )
    )
    if waiting is not None:  # its e-mails at once are not decided yet: the next digest has it
        newest = min(newest, waiting - 1)
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
    told = set(
        db.session.execute(
            select(CommentNotice.user_id, CommentNotice.comment_id).where(
                CommentNotice.comment_id > oldest_mark, CommentNotice.comment_id <= newest
            )
        ).all()
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
            and (user.id, c.id) not in told
            and effective(prefs, user.id, c.section_id) is Frequency.DIGEST
        ]
        if _move_mark(user, since_id, newest, now, picked) and picked:
            queued += 1
    return {"queued": queued}


@jobs.periodic("toolkit.send-digests", jobs.crontab(minute="15", hour="6"))
def send_digests_job() -> None:
    """Every day at 06:15 UTC: the digests."""
    send_digests()


# --- sections: follow one, and hear of each new version of its text -----------------------

VERSION = "toolkit.version"


def follows(user: Any, section_id: int) -> bool:
    """Whether ``user`` follows the section."""
    return (
        db.session.scalar(
            select(SectionFollow.id).where(
                SectionFollow.user_id == user.id, SectionFollow.section_id == section_id
            )
        )
        is not None
    )


def set_follow(user: Any, section_id: int, follow: bool) -> None:
    """Follow a section, or stop (both safe to repeat)."""
    row = db.session.scalar(
        select(SectionFollow).where(
            SectionFollow.user_id == user.id, SectionFollow.section_id == section_id
        )
    )
    if follow and row is None:
        db.session.add(SectionFollow(user_id=user.id, section_id=section_id))
    elif not follow and row is not None:
        db.session.delete(row)


def queue_new_version(section: Section, author: Any) -> int:
    """Queue a letter about the section's newest version to each follower but its author.

    Call it in the transaction that saves the version; returns how many were queued.
    """
    followers = db.session.scalars(
        select(User)
        .join(SectionFollow, SectionFollow.user_id == User.id)
        .where(
            SectionFollow.section_id == section.id,
            User.active.is_(True),
            User.id != getattr(author, "id", None),
        )
        .order_by(User.id)
    )
    queued = 0
    for user in followers:
        enqueue(
            user.email,
            VERSION,
            {"section": section.id, "version": section.version, "user": user.id},
            message_id=version_message_id(section.id, section.version, user.id),
        )
        queued += 1
    return queued


@letter(VERSION, label=_l("New version of a toolkit section"))
def version_letter(recipient: str, params: dict[str, Any]) -> mail.Message:
    """A new version of a followed section: who changed it, their note, a link to the changes."""
    user = _reader(params)
    section = db.session.get(Section, params["section"])
    number = params["version"]
    version = db.session.scalar(
        select(SectionVersion).where(
            SectionVersion.section_id == params["section"], SectionVersion.number == number
        )
    )
    if section is None or version is None:
        raise NothingToSend("the section is gone")
    if not follows(user, section.id):
        raise NothingToSend("the member no longer follows the section")
    with mail.in_language_of(user):
        title = str(section.localized("title"))
    message = mail.compose(
        user,
        "toolkit/version",
        _l("[Toolkit] “%(section)s”: version %(number)d", section=title, number=number),
        user=user,
        section=section,
        version=version,
        author=version.author.display_name if version.author else None,
        diff_link=external_url(
            "toolkit.diff", section_id=section.id, **{"from": max(number - 1, 1), "to": number}
        ),
        link=external_url("toolkit.section", section_id=section.id),
        when=_when(version.created_at, user),
    )
    earlier = [version_message_id(section.id, n, user.id) for n in range(1, number)]
    message.headers.update(_references(earlier))
    message.headers.update(_thread_topic(title))
    return message
