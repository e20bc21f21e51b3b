"""Replies by e-mail: a member answers a comment notification and the answer is posted.

The notification's Reply-To is ``reply+<token>@domain``; the token names the member, the
comment and the day, signed; the reply must come From the member's address. Quoted text and the signature are cut off before posting.
"""

from __future__ import annotations

import re
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr

import nh3
from flask import current_app

from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.mailin import Outcome
from consult.tokens import InvalidToken, address_ids, address_token_valid, read_token
from consult.toolkit import discussion, live, notifications
from consult.toolkit.models import Comment, Section

#: Replies are accepted for half a year after the notification.
REPLY_MAX_AGE = 180 * 24 * 3600
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")

_QUOTE_HEADER = re.compile(
    r"^(On\s.+wrote:|Le\s.+a écrit\s?:|El\s.+escribió:|Am\s.+schrieb\s.+:"
    r"|-{2,}\s*Original Message\s*-{2,}|_{10,}|From:\s.+|Sent from my .+)\s*$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^(--|-- |—|__)\s*$")


def strip_reply(text: str) -> str:
    """The new text of a reply: cut at the first quote header, quoted line or signature marker."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _SIGNATURE.match(line) or _QUOTE_HEADER.match(stripped):
            break
        # "On Mon, 1 May 2000 at 10:00, Someone <a@b>" wrapped onto the next line before "wrote:"
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if stripped.startswith("On ") and following.endswith("wrote:"):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = nh3.clean(re.sub(r"<br\s*/?>|</p>", "\n", content), tags=set())
    return content


def find_token(message: EmailMessage) -> str | None:
    """The token of the first ``local+token@`` address of ours among the recipients."""
    local, domain = notifications.reply_base()
    pattern = re.compile(
        rf"{re.escape(local)}\+([A-Za-z0-9_.\-]+)@{re.escape(domain)}", re.IGNORECASE
    )
    for header in ADDRESS_HEADERS:
        for value in message.get_all(header, []):
            match = pattern.search(str(value))
            if match:
                return match.group(1)
    return None


def read_reply_token(token: str, today: date | None = None) -> tuple[int, int] | None:
    """(member, comment) of a valid reply token, None if forged, altered or too old.

    Tokens are ``<member>-<comment>-<day>-<signature>``; those of notifications sent before
    (``itsdangerous``, with dots) are still read until they are half a year old.
    """
    if "." in token:
        try:
            payload = read_token(notifications.REPLY_PURPOSE, token, max_age=REPLY_MAX_AGE)
            user_id, comment_id = (int(part) for part in payload.split("."))
        except (InvalidToken, ValueError, AttributeError):
            return None
        return user_id, comment_id
    ids = address_ids(token, 3)
    if ids is None or not address_token_valid(notifications.REPLY_PURPOSE, token, ids):
        return None
    user_id, comment_id, day = ids
    age = (today or utcnow().date()).toordinal() - day
    if not 0 <= age <= REPLY_MAX_AGE // (24 * 3600):
        return None
    return user_id, comment_id


def handle_reply(message: EmailMessage) -> Outcome:
    """Post an e-mailed reply under the comment its address names; refuse and log otherwise."""
    token = find_token(message)
    if token is None:
        return Outcome.NOT_MINE
    log = current_app.logger
    sender = message.get("From", "")
    ids = read_reply_token(token)
    if ids is None:
        log.warning("Toolkit reply from %s refused: the reply token is not valid", sender)
        return Outcome.REJECTED
    user_id, comment_id = ids
    user = db.session.get(User, user_id)
    parent = db.session.get(Comment, comment_id)
    if user is None or not user.active:
        log.warning("Toolkit reply from %s refused: member %s is not active", sender, user_id)
        return Outcome.REJECTED
    if parseaddr(str(sender))[1].lower() != user.email:
        log.warning("Toolkit reply from %s refused: the token belongs to %s", sender, user.email)
        return Outcome.REJECTED
    if parent is None:
        log.warning("Toolkit reply from %s refused: comment %s is gone", sender, comment_id)
        return Outcome.REJECTED
    body = strip_reply(_plain_body(message))
    if not body:
        log.warning("Toolkit reply from %s refused: nothing left after removing quotes", sender)
        return Outcome.REJECTED
    section = db.session.get(Section, parent.section_id)
    comment = discussion.post_comment(section, user, body, parent=parent, via_email=True)
    comment_id = comment.id
    live.commit_and_broadcast()
    notifications.notify_later(comment_id)
    log.info("Toolkit reply by e-mail from %s posted as comment %s", user.email, comment_id)
    return Outcome.ACCEPTED
