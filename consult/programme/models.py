"""The work programme's one kind of record: a work item.

A line of work the Steering Group reported to CSD-8 and an action item agreed on a call are
the same thing at two sizes, so they share one table: an item may name the call where it was
agreed and the line of work (another item) it serves.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_timedelta, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Constituency, User
from consult.calls.models import Call
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db


class WorkStatus(LabelledEnum):
    """Where a work item stands: planned or in progress count as open."""

    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in-progress", _l("In progress")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")

    @property
    def is_open(self) -> bool:
        """Still to be done (planned or in progress)."""
        return self in OPEN_STATUSES


#: The statuses of work still to be done.
OPEN_STATUSES = (WorkStatus.PLANNED, WorkStatus.IN_PROGRESS)


class WorkItem(db.Model):
    """Something the Steering Group agreed to do: a line of work or an action item."""

    __tablename__ = "work_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The line of work this item serves (an item with no line above it), if any.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_items.id", ondelete="SET NULL"), index=True
    )
    #: The member who carries the item, if one was named.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The constituency that carries the item, if one was named.
    constituency_id: Mapped[int | None] = mapped_column(
        ForeignKey("constituencies.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[WorkStatus] = mapped_column(str_enum(WorkStatus), default=WorkStatus.PLANNED)
    #: The teleconference where the item was agreed, if it was a call.
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    #: Where it was agreed, in words (a meeting, or details of the call).
    agreed_at: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[WorkItem | None] = relationship(remote_side=[id])
    owner: Mapped[User | None] = relationship()
    constituency: Mapped[Constituency | None] = relationship()
    call: Mapped[Call | None] = relationship()

    def __repr__(self) -> str:
        return f"<WorkItem {self.id} {self.status} {self.title[:40]!r}>"

    @property
    def is_open(self) -> bool:
        """Still to be done (planned or in progress)."""
        return self.status.is_open

    def days_overdue(self, today: date) -> int:
        """How many days an open item is past its due date on ``today`` (0 when it is not)."""
        if not self.is_open or self.due_date is None or self.due_date >= today:
            return 0
        return (today - self.due_date).days

    def overdue_on(self, today: date) -> bool:
        """An open item whose due date has passed by ``today``."""
        return self.days_overdue(today) > 0

    @property
    def overdue(self) -> bool:
        """Open and past its due date today (UTC)."""
        return self.overdue_on(utcnow().date())

    @property
    def overdue_words(self) -> str:
        """How late the item is, in the reader's language ("3 days overdue", "2 months overdue");
        empty when it is not overdue. The words go with the red colour, never the colour alone.
        """
        days = self.days_overdue(utcnow().date())
        if not days:
            return ""
        return gettext("%(time)s overdue", time=format_timedelta(timedelta(days=days)))
