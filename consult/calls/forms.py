"""Forms of the calls capability; each field carries its own validation message."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import select_choices


class SeriesForm(FlaskForm):
    """Create or edit a call series."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    cadence_min_days = IntegerField(
        _l("Earliest, in days after the previous call"),
        default=28,
        validators=[InputRequired(), NumberRange(min=1, max=365)],
    )
    cadence_max_days = IntegerField(
        _l("Latest, in days after the previous call"),
        default=35,
        validators=[InputRequired(), NumberRange(min=1, max=365)],
    )
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        default=60,
        validators=[InputRequired(), NumberRange(min=15, max=480)],
    )
    acceptable_from = IntegerField(
        _l("Acceptable from (local hour)"),
        default=7,
        validators=[InputRequired(), NumberRange(0, 23)],
    )
    acceptable_to = IntegerField(
        _l("Acceptable until (local hour)"),
        default=21,
        validators=[InputRequired(), NumberRange(1, 24)],
    )
    good_from = IntegerField(
        _l("Good hours from"), default=9, validators=[InputRequired(), NumberRange(0, 23)]
    )
    good_to = IntegerField(
        _l("Good hours until"), default=18, validators=[InputRequired(), NumberRange(1, 24)]
    )
    bridge = TextAreaField(
        _l("Bridge or dial-in details"), validators=[Optional(), Length(max=2000)]
    )
    members = SelectMultipleField(
        _l("Invited members"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_cadence_max_days(self, field: IntegerField) -> None:
        """The latest day cannot come before the earliest."""
        if self.cadence_min_days.data and field.data and field.data < self.cadence_min_days.data:
            raise ValidationError(_l("The latest day must not come before the earliest."))

    def validate_good_from(self, field: IntegerField) -> None:
        """Good hours sit inside acceptable hours and end after they start."""
        values = (self.acceptable_from.data, field.data, self.good_to.data, self.acceptable_to.data)
        if None in values:
            return
        a_from, g_from, g_to, a_to = values
        if not (a_from <= g_from < g_to <= a_to):
            raise ValidationError(
                _l("Good hours must lie inside acceptable hours, and end after they start.")
            )


class ConfirmForm(FlaskForm):
    """Confirm a planner candidate: its start in UTC."""

    start = HiddenField(validators=[InputRequired()])
    #: "1" once the Secretariat has read the warnings about this start.
    acknowledged = HiddenField()

    def start_moment(self) -> datetime | None:
        """The start as an aware UTC datetime, or None when the value is not one."""
        try:
            moment = datetime.fromisoformat(self.start.data or "")
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # a date at the very edge of the calendar
            return None


class RescheduleForm(FlaskForm):
    """A new date and time, in the organiser's zone."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    time = TimeField(_l("Start time"), validators=[InputRequired()])
    #: "1" once the Secretariat has read the warnings about this start.
    acknowledged = HiddenField()


class AnswerForm(FlaskForm):
    """A member's answer to an invitation."""

    answer = RadioField(
        _l("Your answer"),
        choices=select_choices(
            [("accept", _l("Accept")), ("tentative", _l("Tentative")), ("decline", _l("Decline"))]
        ),
        validators=[InputRequired()],
    )


class AgendaItemForm(FlaskForm):
    """Propose an agenda item."""

    title = StringField(_l("Item"), validators=[InputRequired(), Length(max=300)])
    details = TextAreaField(_l("Details (Markdown)"), validators=[Optional(), Length(max=4000)])


class MinutesForm(FlaskForm):
    """The minutes of a call, in Markdown."""

    minutes = TextAreaField(_l("Minutes (Markdown)"), validators=[Optional(), Length(max=50000)])


class AwayForm(FlaskForm):
    """Dates a member cannot take calls."""

    starts_on = DateField(_l("First day away"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day away"), validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])

    def validate_ends_on(self, field: DateField) -> None:
        """The last day cannot come before the first."""
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must not come before the first."))


class HolidayForm(FlaskForm):
    """A day closed for everyone."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
