"""Forms for work items: the Secretariat's full form, the call page's short one, a status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from consult.accounts.models import Constituency, User
from consult.calls.models import Call, CallStatus
from consult.extensions import db
from consult.forms import optional_id, select_choices
from consult.i18n.formats import format_date
from consult.programme.items import lines_of_work
from consult.programme.models import WorkItem, WorkStatus

NONE = ("", _l("— None —"))

#: Where a status form sends the reader back to (see ``views.status``).
BACK_TO = ("programme", "open", "call", "dashboard")


def _members(current_id: int | None = None) -> list[tuple[int, str]]:
    """Active members by name, and the current owner even if deactivated."""
    users = db.session.scalars(
        select(User)
        .where(or_(User.active.is_(True), User.id == current_id))
        .order_by(User.display_name)
    )
    return [(u.id, u.display_name) for u in users]


def _lines(item: WorkItem | None) -> list[tuple[int, str]]:
    return [(line.id, line.title) for line in lines_of_work(item)]


class ItemForm(FlaskForm):
    """Create or edit a work item (the Secretariat)."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    parent_id = SelectField(_l("Line of work"), coerce=optional_id, validators=[Optional()])
    owner_id = SelectField(_l("Owner"), coerce=optional_id, validators=[Optional()])
    constituency_id = SelectField(_l("Constituency"), coerce=optional_id, validators=[Optional()])
    due_date = DateField(
        _l("Due date"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    status = SelectField(
        _l("Status"),
        choices=select_choices(WorkStatus.choices()),
        validators=[InputRequired()],
    )
    call_id = SelectField(_l("Agreed on the call of"), coerce=optional_id, validators=[Optional()])
    agreed_at = StringField(_l("Agreed at (in words)"), validators=[Optional(), Length(max=300)])

    def fill_choices(self, item: WorkItem | None = None) -> None:
        """Load members, constituencies, lines of work and the calls an item can be agreed on."""
        constituencies = db.session.scalars(select(Constituency).order_by(Constituency.position))
        self.owner_id.choices = select_choices([NONE, *_members(item and item.owner_id)])
        self.constituency_id.choices = select_choices(
            [NONE, *((c.id, c.name) for c in constituencies)]
        )
        self.parent_id.choices = select_choices([NONE, *_lines(item)])
        calls = db.session.scalars(
            select(Call)
            .options(joinedload(Call.series))
            .where(Call.status.in_((CallStatus.CONFIRMED, CallStatus.HELD)))
            .order_by(Call.starts_at.desc())
        )
        self.call_id.choices = select_choices(
            [NONE, *((c.id, f"{c.series.name}, {format_date(c.starts_at)}") for c in calls)]
        )


class CallItemForm(FlaskForm):
    """An action item agreed on a held call: what, who, by when, for which line of work."""

    title = StringField(_l("Action"), validators=[InputRequired(), Length(max=300)])
    owner = SelectField(_l("Owner"), coerce=optional_id, validators=[InputRequired()])
    due_on = DateField(_l("Due date"), validators=[Optional()], render_kw={"type": "date"})
    line = SelectField(_l("Line of work"), coerce=optional_id, validators=[Optional()])

    def fill_choices(self) -> None:
        """Load the active members and the lines of work."""
        self.owner.choices = select_choices(_members())
        self.line.choices = select_choices([NONE, *_lines(None)])


class StatusForm(FlaskForm):
    """Change a work item's status (its owner or the Secretariat)."""

    status = SelectField(
        _l("Status"),
        choices=select_choices(WorkStatus.choices()),
        validators=[InputRequired()],
    )
    back = HiddenField(validators=[Optional(), AnyOf(BACK_TO)])
