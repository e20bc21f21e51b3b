"""The Secretariat's outbox page: what is queued, sent or failed, with the server's answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db, login_manager
from consult.forms import ButtonForm, parse_id
from consult.outbox import bp, delivery
from consult.outbox.counts import status_counts
from consult.outbox.letters import label_of
from consult.outbox.models import Mailing, OutboxMessage, OutboxStatus

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class OutboxQuery:
    """The filters of the outbox page; unknown values are dropped."""

    recipient: str = ""
    status: str = ""
    mailing: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> OutboxQuery:
        """Read and clean the query string."""
        status = args.get("status", "")
        page = parse_id(args.get("page")) or 1
        return cls(
            recipient=args.get("recipient", "").strip().lower()[:254],
            status=status if status in {s.value for s in OutboxStatus} else "",
            mailing=parse_id(args.get("mailing")),
            page=min(page, MAX_PAGE),
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string values for a link to this view (with ``changes``), empty ones left out."""
        values = {
            "recipient": self.recipient,
            "status": self.status,
            "mailing": self.mailing,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}

    def statement(self):
        """The matching messages, newest first."""
        statement = select(OutboxMessage).order_by(OutboxMessage.id.desc())
        if self.recipient:
            escaped = self.recipient.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = statement.where(OutboxMessage.recipient.like(f"%{escaped}%", escape="\\"))
        if self.status:
            statement = statement.where(OutboxMessage.status == OutboxStatus(self.status))
        if self.mailing:
            statement = statement.where(OutboxMessage.mailing_id == self.mailing)
        return statement


@bp.before_request
def secretariat_only():
    """The outbox is the Secretariat's: visitors sign in first, members are refused.

    (The core checks the flag itself rather than import the accounts capability.)
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not getattr(current_user, "is_secretariat", False):
        abort(403)
    return None


@bp.get("/outbox")
def index():
    """Every outgoing message, newest first, filtered by recipient, status or mailing."""
    query = OutboxQuery.from_args(request.args)
    page = db.paginate(
        query.statement(), page=query.page, per_page=PER_PAGE, error_out=False, count=True
    )
    mailing = db.session.get(Mailing, query.mailing) if query.mailing else None
    return render_template(
        "outbox/index.html",
        query=query,
        page=page,
        mailing=mailing,
        totals=status_counts(),
        statuses=list(OutboxStatus),
        label_of=label_of,
        number=format_decimal,
        form=ButtonForm(),
        page_args=lambda number: query.args(page=number),
    )


@bp.post("/outbox/<int:message_id>/retry")
def retry(message_id: int):
    """Send a failed message again (or a waiting one now)."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if delivery.retry(message):
        db.session.commit()
        flash(
            _("The message to %(address)s is queued again.", address=message.recipient), "success"
        )
    else:
        flash(_("This message is being sent or was sent already."), "info")
    return redirect(url_for("outbox.index", **OutboxQuery.from_args(request.args).args()), 303)
