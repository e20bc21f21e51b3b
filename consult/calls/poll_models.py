"""The availability poll: candidate slots for a series' next call, and the members' answers."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.calls.models import Call, CallSeries
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db


class PollStatus(LabelledEnum):
    """Whether a poll still stands: closed once a call is confirmed, or by hand."""

    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")


class Availability(LabelledEnum):
    """A member's answer for one slot (Doodle's and Loomio's three answers)."""

    YES = "yes", _l("Yes")
    IF_NEED_BE = "if-need-be", _l("If need be")
    NO = "no", _l("No")


#: At most one open poll per series (as SQL, for the partial unique index).
OPEN_SQL = "status = 'open'"


class Poll(db.Model):
    """The Secretariat asks the members of a series which of a few slots they can make."""

    __tablename__ = "call_polls"
    __table_args__ = (
        Index(
            "uq_call_polls_series_id_open",
            "series_id",
            unique=True,
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("call_series.id", ondelete="CASCADE"))
    status: Mapped[PollStatus] = mapped_column(str_enum(PollStatus), default=PollStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Answers are taken until then (and the e-mailed links stop working).
    closes_at: Mapped[datetime]
    #: Members who have not answered by then get one reminder.
    remind_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    #: The call confirmed from this poll, if one was.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))

    series: Mapped[CallSeries] = relationship()
    created_by: Mapped[User | None] = relationship()
    call: Mapped[Call | None] = relationship()
    slots: Mapped[list[PollSlot]] = relationship(
        back_populates="poll", order_by="PollSlot.starts_at", cascade="all, delete-orphan"
    )
    invitees: Mapped[list[PollInvitee]] = relationship(
        back_populates="poll", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Poll {self.id} {self.status} series={self.series_id}>"

    def taking_answers(self, now: datetime) -> bool:
        """Whether answers are still recorded: open, and before its closing time."""
        return self.status is PollStatus.OPEN and now < self.closes_at

    def invitee(self, user_id: int) -> PollInvitee | None:
        """The invitation of one member to this poll, if any."""
        return next((i for i in self.invitees if i.user_id == user_id), None)


class PollSlot(db.Model):
    """One start the members are asked about."""

    __tablename__ = "call_poll_slots"
    __table_args__ = (UniqueConstraint("poll_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("call_polls.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]

    poll: Mapped[Poll] = relationship(back_populates="slots")
    answers: Mapped[list[PollAnswer]] = relationship(
        back_populates="slot", cascade="all, delete-orphan"
    )


class PollInvitee(db.Model):
    """A member asked to answer a poll: when they answered, and whether they were reminded."""

    __tablename__ = "call_poll_invitees"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("call_polls.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    answered_at: Mapped[datetime | None]
    #: Set in the transaction that queues the one reminder, so it is never queued twice.
    reminded_at: Mapped[datetime | None]

    poll: Mapped[Poll] = relationship(back_populates="invitees")
    #: Loaded for all invitees at once: the planner lists every answer.
    user: Mapped[User] = relationship(lazy="selectin")


class PollAnswer(db.Model):
    """One member's answer for one slot."""

    __tablename__ = "call_poll_answers"

    slot_id: Mapped[int] = mapped_column(
        ForeignKey("call_poll_slots.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    choice: Mapped[Availability] = mapped_column(str_enum(Availability))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    slot: Mapped[PollSlot] = relationship(back_populates="answers")
