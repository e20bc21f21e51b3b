"""Toolkit sections, their versions, comments, the live event log and e-mail preferences."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Constituency, User
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db
from consult.i18n.content import Translatable


class SectionStatus(LabelledEnum):
    """How far the partners are with a section."""

    PROPOSED = "proposed", _l("Proposed")
    IN_DISCUSSION = "in-discussion", _l("In discussion")
    AGREED = "agreed", _l("Agreed")


class Stance(LabelledEnum):
    """A member's position on a section, given with a top-level comment."""

    SUPPORT = "support", _l("Support")
    CONCERN = "concern", _l("Concern")
    OBJECTION = "objection", _l("Objection")


class Frequency(LabelledEnum):
    """How often a member wants e-mail about comments."""

    EVERY = "every", _l("Every comment")
    DIGEST = "digest", _l("A daily digest")
    NONE = "none", _l("Nothing")


class Section(Translatable, db.Model):
    """One section of the toolkit; its current text is also its latest version."""

    __tablename__ = "toolkit_sections"
    #: The title only: the text is what the partners negotiate, in its original.
    translatable = ("title",)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Order in the toolkit, smallest first.
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown.
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SectionStatus] = mapped_column(
        str_enum(SectionStatus, "section_status"), default=SectionStatus.PROPOSED
    )
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Shown on the public site; members-only otherwise.
    published: Mapped[bool] = mapped_column(default=False)
    #: Number of the newest version.
    version: Mapped[int] = mapped_column(default=0)
    #: Sequence of the newest live event (raised under a row lock, so it follows commit order).
    event_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    responsible: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Section {self.id} {self.title!r}>"


class SectionVersion(db.Model):
    """A saved state of a section: every edit by the Secretariat makes one."""

    __tablename__ = "toolkit_section_versions"
    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SectionStatus] = mapped_column(str_enum(SectionStatus, "section_status"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SectionVersion {self.section_id}#{self.number}>"


class Comment(db.Model):
    """A comment on a section, or a reply to another comment."""

    __tablename__ = "toolkit_comments"
    __table_args__ = (Index("ix_toolkit_comments_section_created", "section_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("toolkit_comments.id"))
    #: The top-level comment of the thread (its own id for a top-level comment).
    root_id: Mapped[int | None] = mapped_column(ForeignKey("toolkit_comments.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The author's constituency when the comment was written.
    constituency_id: Mapped[int | None] = mapped_column(ForeignKey("constituencies.id"))
    #: Only on top-level comments.
    stance: Mapped[Stance | None] = mapped_column(str_enum(Stance, "stance"))
    #: The passage of the section the comment is about.
    quote: Mapped[str] = mapped_column(Text, default="")
    #: Markdown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set on a top-level comment when the Secretariat marks its thread resolved.
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Arrived as a reply by e-mail.
    via_email: Mapped[bool] = mapped_column(default=False)
    #: When its e-mails were queued (by a job, after the answer): none while still to do.
    notified_at: Mapped[datetime | None] = mapped_column(index=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    constituency: Mapped[Constituency | None] = relationship()
    section: Mapped[Section] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.section_id}>"


class CommentRevision(db.Model):
    """Earlier text of an edited comment."""

    __tablename__ = "toolkit_comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("toolkit_comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    #: When this text was written (the comment's creation or an earlier edit).
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CommentRevision {self.comment_id}>"


class LiveEvent(db.Model):
    """What happened in a section's discussion, numbered per section for catch-up."""

    __tablename__ = "toolkit_live_events"
    __table_args__ = (UniqueConstraint("section_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("toolkit_sections.id", ondelete="CASCADE"))
    #: 1, 2, 3 ... within the section, in commit order.
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("toolkit_comments.id"))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LiveEvent {self.section_id}#{self.seq} {self.kind}>"


class NotificationPreference(db.Model):
    """A member's choice of e-mail for one section, or (no section) the whole toolkit."""

    __tablename__ = "toolkit_notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("toolkit_sections.id", ondelete="CASCADE")
    )
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "frequency"))

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.user_id}/{self.section_id} {self.frequency}>"


class DigestMark(db.Model):
    """Up to which comment a member's digest has been sent (so running twice sends once)."""

    __tablename__ = "toolkit_digest_marks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_comment_id: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<DigestMark {self.user_id}: {self.last_comment_id}>"


class NoticeReason(LabelledEnum):
    """Why a member was e-mailed about a comment at once."""

    REPLY = "reply", _l("A reply to your comment")
    MENTION = "mention", _l("You were mentioned")
    EVERY = "every", _l("Every comment")


class CommentNotice(db.Model):
    """A member was e-mailed about this comment at once (so their digest leaves it out)."""

    __tablename__ = "toolkit_comment_notices"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("toolkit_comments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[NoticeReason] = mapped_column(str_enum(NoticeReason, "notice_reason"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CommentNotice {self.comment_id} to {self.user_id}: {self.reason}>"


class DirectMail(db.Model):
    """A member's choice about e-mail at once for replies to them and mentions of them.

    Without a row, they get it (the default): a reply is a question to them.
    """

    __tablename__ = "toolkit_direct_mail"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    at_once: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<DirectMail {self.user_id}: {self.at_once}>"


class SectionFollow(db.Model):
    """A member follows a section: each new version of its text is e-mailed to them."""

    __tablename__ = "toolkit_section_follows"
    __table_args__ = (UniqueConstraint("section_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("toolkit_sections.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SectionFollow {self.user_id} → {self.section_id}>"
