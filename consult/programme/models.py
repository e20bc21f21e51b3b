"""Work programme items of the Steering Group."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Constituency, User
from consult.calls.models import Call
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db


class ItemStatus(LabelledEnum):
    """Progress of a work programme item."""

    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in-progress", _l("In progress")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")


class ProgrammeItem(db.Model):
    """One piece of work the Steering Group agreed to do."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The member who carries the item, if one was named.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The constituency that carries the item, if one was named.
    constituency_id: Mapped[int | None] = mapped_column(
        ForeignKey("constituencies.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus),
        default=ItemStatus.PLANNED,
    )
    #: The teleconference where the item was agreed, if it was a call.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    #: Where it was agreed, in words (a meeting, or details of the call).
    agreed_at: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    constituency: Mapped[Constituency | None] = relationship()
    call: Mapped[Call | None] = relationship()
