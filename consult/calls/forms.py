"""Forms of the calls capability; each field carries its own validation message."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.calls.models import Presence
from consult.calls.poll_models import Availability
from consult.calls.polls import MAX_SLOTS
from consult.forms import optional_id, select_choices


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
        _l("Bridge or dial-in details"),
        validators=[Optional(), Length(max=2000)],
        filters=[lambda text: "\n".join(text.strip().splitlines()) if text else ""],
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


# --- the availability poll -------------------------------------------------------------------


class TypedSlot(Form):
    """A slot typed by hand, in the organiser's zone (both fields, or neither)."""

    day = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Start time"), validators=[Optional()])


class PollForm(FlaskForm):
    """Three to six slots to ask the members about: the planner's, or typed."""

    candidates = SelectMultipleField(
        _l("The planner's slots"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the planner may have moved on: each start is checked anyway
    )
    typed = FieldList(FormField(TypedSlot), min_entries=3, max_entries=MAX_SLOTS)
    closes_on = DateField(
        _l("Answers until the end of (organiser's date)"), validators=[Optional()]
    )

    def starts(self, zone: str) -> tuple[list[datetime], list[str]]:
        """The chosen starts in UTC, and what is wrong with the input, in words."""
        found, problems = set(), []
        for value in self.candidates.data or []:
            try:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is None:
                    raise ValueError(value)
                found.add(moment.astimezone(UTC))
            except (ValueError, OverflowError):
                problems.append(_l("One of the planner's slots is not a valid time."))
        for entry in self.typed.entries:
            day, moment = entry.form.day.data, entry.form.time.data
            if (day is None) != (moment is None):
                problems.append(_l("Give both a date and a time for each slot you type."))
            elif day is not None:
                found.add(datetime.combine(day, moment, ZoneInfo(zone)).astimezone(UTC))
        return sorted(found), problems


def poll_answer_form(slot_ids: list[int]) -> FlaskForm:
    """A form with one yes / if need be / no choice per slot, named ``slot-<id>``."""

    class PollAnswerForm(FlaskForm):
        pass

    for slot_id in slot_ids:
        field = RadioField(
            choices=select_choices(Availability.choices()),
            validators=[InputRequired(message=_l("Answer for every slot."))],
        )
        setattr(PollAnswerForm, f"slot-{slot_id}", field)
    return PollAnswerForm()


# --- meeting records ---------------------------------------------------------------------------


class AgendaItemEditForm(AgendaItemForm):
    """The Secretariat's edit of an item: its time, who leads it."""

    duration_minutes = IntegerField(
        _l("Minutes for this item"), validators=[Optional(), NumberRange(min=1, max=480)]
    )
    lead = SelectField(_l("Lead speaker"), coerce=optional_id, validators=[Optional()])


def web_address(form: Form, field: StringField) -> None:
    """Only http and https addresses: a document link is followed by every reader."""
    if field.data and urlsplit(field.data).scheme not in ("http", "https"):
        raise ValidationError(_l("Enter a full address starting with https://"))


class AgendaDocumentForm(FlaskForm):
    """A document for an agenda item: one of the library's, or any web address with a title."""

    library = SelectField(_l("From the library"), validators=[Optional()])
    url = URLField(
        _l("Or a web address"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full address starting with https://")),
            web_address,
            Length(max=1000),
        ],
    )
    title = StringField(_l("Its title"), validators=[Optional(), Length(max=300)])

    def validate(self, extra_validators: dict | None = None) -> bool:
        """One of the two, and a typed address needs a title (a library document has its own)."""
        valid = super().validate(extra_validators)
        if not self.library.data and not self.url.data:
            self.url.errors = [
                *self.url.errors,
                _l("Choose a library document or give a web address."),
            ]
            return False
        if self.url.data and not (self.title.data or "").strip():
            self.title.errors = [*self.title.errors, _l("Give the document a title.")]
            return False
        return valid


def register_form(user_ids: list[int]) -> FlaskForm:
    """The attendance register: one choice per invitee, named ``presence-<user id>``."""

    class RegisterForm(FlaskForm):
        pass

    for user_id in user_ids:
        field = RadioField(choices=select_choices(Presence.choices()), validators=[InputRequired()])
        setattr(RegisterForm, f"presence-{user_id}", field)
    return RegisterForm()


class MinutesStepForm(FlaskForm):
    """A step in the minutes' life: approve, circulate, or reopen."""

    step = HiddenField(validators=[InputRequired()])
