"""The form the Secretariat uses for work programme items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from consult.accounts.models import Constituency, User
from consult.calls.models import Call, CallStatus
from consult.extensions import db
from consult.forms import optional_id, select_choices
from consult.i18n.formats import format_date
from consult.programme.models import ItemStatus


class ItemForm(FlaskForm):
    """Create or edit a work programme item."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
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
        choices=select_choices(ItemStatus.choices()),
        validators=[InputRequired()],
    )
    call_id = SelectField(_l("Agreed on the call of"), coerce=optional_id, validators=[Optional()])
    agreed_at = StringField(_l("Agreed at (in words)"), validators=[Optional(), Length(max=300)])

    def fill_choices(self, current_owner_id: int | None = None) -> None:
        """Load the members (and the current owner, even if deactivated) and constituencies."""
        users = db.session.scalars(
            select(User)
            .where(or_(User.active.is_(True), User.id == current_owner_id))
            .order_by(User.display_name)
        )
        constituencies = db.session.scalars(select(Constituency).order_by(Constituency.position))
        none = ("", _l("— None —"))
        self.owner_id.choices = select_choices([none, *((u.id, u.display_name) for u in users)])
        self.constituency_id.choices = select_choices(
            [none, *((c.id, c.name) for c in constituencies)]
        )
        calls = db.session.scalars(
            select(Call)
            .options(joinedload(Call.series))
            .where(Call.status.in_((CallStatus.CONFIRMED, CallStatus.HELD)))
            .order_by(Call.starts_at.desc())
        )
        self.call_id.choices = select_choices(
            [none, *((c.id, f"{c.series.name}, {format_date(c.starts_at)}") for c in calls)]
        )
