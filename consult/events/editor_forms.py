"""Forms the Secretariat uses to create and edit events, their agenda and their held seats."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from consult.events.countries import GROUP_LABELS
from consult.events.models import EventKind, FieldKind
from consult.forms import grouped_choices, select_choices
from consult.i18n import timezone_choices, timezone_names
from consult.i18n.content import translations_field

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time in ``zone`` (as a form gives it) as an aware moment."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone))


def to_local(moment: datetime | None, zone: str) -> datetime | None:
    """A stored moment as a naive wall-clock time in ``zone`` (as a form shows it)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _required(message: str) -> list:
    return [InputRequired(message=message)]


class EventForm(FlaskForm):
    """An event's particulars; times are the event's local times."""

    title = StringField(
        _l("Title"),
        validators=[
            *_required(_l("Enter a title.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
    )
    slug = StringField(
        _l("Address"),
        validators=[
            *_required(_l("Enter the address, such as csd8-forum.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
        ],
    )
    kind = SelectField(
        _l("Kind"),
        choices=select_choices(
            [
                (EventKind.FORUM.value, _l("Forum")),
                (EventKind.WORKSHOP.value, _l("Workshop")),
                (EventKind.OTHER.value, _l("Other")),
            ]
        ),
    )
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional()])
    translations = translations_field(
        title=(_l("Title"), 200), description=(_l("Description (Markdown)"), None)
    )
    venue = StringField(
        _l("Venue"), validators=[Optional(), Length(max=300, message=_l("Too long."))]
    )
    timezone = SelectField(_l("Time zone of the event"), validate_choice=False)
    starts_at = DateTimeLocalField(
        _l("Starts"), format=LOCAL_FORMAT, validators=_required(_l("Enter when it starts."))
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=LOCAL_FORMAT, validators=_required(_l("Enter when it ends."))
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"), format=LOCAL_FORMAT, validators=[Optional()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), format=LOCAL_FORMAT, validators=[Optional()]
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            *_required(_l("Enter the number of seats.")),
            NumberRange(min=0, max=100000, message=_l("Enter a number from 0 to 100000.")),
        ],
    )
    published = BooleanField(_l("Published (visible to everyone)"))
    approval_required = BooleanField(_l("Each registration needs the Secretariat's approval"))
    confirm_address = BooleanField(
        _l("A registration counts only once its address is confirmed by the e-mailed link")
    )
    invitation_only = BooleanField(_l("By invitation only (personal links)"))
    remind_days_before = IntegerField(
        _l("Remind registrants this many days before"),
        validators=[
            Optional(),
            NumberRange(min=1, max=60, message=_l("Enter a number from 1 to 60.")),
        ],
    )
    practice = BooleanField(_l("Practice event (labelled as not a real meeting)"))

    def fill_choices(self, locale: str) -> None:
        """Load the time zone list."""
        self.timezone.choices = grouped_choices(timezone_choices(locale))

    def validate_slug(self, field: StringField) -> None:
        """Lower-case letters, digits and single hyphens."""
        if field.data and not SLUG.match(field.data):
            raise ValidationError(_l("Use lower-case letters, digits and hyphens only."))

    def validate_timezone(self, field: SelectField) -> None:
        """Only IANA zone names."""
        if field.data not in timezone_names():
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        """The end comes after the start."""
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must come after the start."))

    def validate_registration_closes_at(self, field: DateTimeLocalField) -> None:
        """Registration closes after it opens and no later than the end."""
        opens = self.registration_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))
        if field.data and self.ends_at.data and field.data > self.ends_at.data:
            raise ValidationError(_l("Registration must close before the event ends."))


class SessionForm(FlaskForm):
    """One agenda session; documents one per line as ``title | citation | https://link``."""

    title = StringField(
        _l("Session title"),
        validators=[*_required(_l("Enter a title.")), Length(max=300, message=_l("Too long."))],
    )
    starts_at = DateTimeLocalField(
        _l("Starts"), format=LOCAL_FORMAT, validators=_required(_l("Enter when it starts."))
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format=LOCAL_FORMAT, validators=_required(_l("Enter when it ends."))
    )
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    speakers = TextAreaField(_l("Speakers, one per line"), validators=[Optional()])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional()])
    translations = translations_field(
        title=(_l("Session title"), 300), description=(_l("Description (Markdown)"), None)
    )
    documents = TextAreaField(
        _l("Documents, one per line: title | citation | link"), validators=[Optional()]
    )

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        """The end comes after the start."""
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must come after the start."))

    def validate_documents(self, field: TextAreaField) -> None:
        """Each document has a title; a link, when given, is a web address."""
        for line in (field.data or "").splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not line.strip():
                continue
            if not parts[0]:
                raise ValidationError(_l("Each document line starts with its title."))
            if len(parts) > 2 and parts[2] and not re.match(r"^https?://\S+$", parts[2]):
                raise ValidationError(_l("A link must start with https:// or http://."))

    def parsed_documents(self) -> list[tuple[str, str, str]]:
        """(title, citation, url) of each document line."""
        documents = []
        for line in (self.documents.data or "").splitlines():
            if line.strip():
                parts = [part.strip() for part in line.split("|")] + ["", ""]
                documents.append((parts[0], parts[1], parts[2]))
        return documents


class SeatRuleForm(FlaskForm):
    """Seats held for a constituency or a country group until a date."""

    beneficiary = SelectField(
        _l("Held for"), validators=_required(_l("Choose who the seats are held for."))
    )
    seats = IntegerField(
        _l("Seats held"),
        validators=[
            *_required(_l("Enter the number of seats.")),
            NumberRange(min=1, max=100000, message=_l("Enter a number from 1 to 100000.")),
        ],
    )
    release_at = DateTimeLocalField(
        _l("Released to everyone on"),
        format=LOCAL_FORMAT,
        validators=_required(_l("Enter the release date.")),
    )

    def fill_choices(self, constituencies: list[tuple[int, str]]) -> None:
        """Country groups first, then constituencies."""
        groups = [(f"group:{key}", label) for key, label in GROUP_LABELS.items()]
        people = [(f"constituency:{cid}", name) for cid, name in constituencies]
        self.beneficiary.choices = select_choices([*groups, *people])


class QuestionForm(FlaskForm):
    """A question of the event's registration form, or a section heading."""

    kind = SelectField(_l("Kind"))
    label = StringField(
        _l("Question, or the section's title"),
        validators=[
            *_required(_l("Enter the question.")),
            Length(max=300, message=_l("Use at most %(max)d characters.")),
        ],
    )
    help = TextAreaField(_l("Help text"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("An answer is required"))
    options = TextAreaField(_l("Choices, one per line"), validators=[Optional(), Length(max=4000)])
    shown_if = SelectField(_l("Ask only when"), validate_choice=True)
    shown_if_value = StringField(_l("has the answer"), validators=[Optional(), Length(max=200)])
    max_kb = IntegerField(
        _l("Largest file, in kB"),
        validators=[
            Optional(),
            NumberRange(min=1, max=20480, message=_l("Enter a number from 1 to 20480.")),
        ],
    )
    file_types = StringField(_l("File types accepted"), validators=[Optional(), Length(max=200)])
    translations = translations_field(
        label=(_l("Question, or the section's title"), 300),
        help=(_l("Help text"), None),
        options=(_l("Choices, one per line"), None),
    )

    def fill_choices(self, conditions: list[tuple[str, str]]) -> None:
        """The kinds, and the earlier yes/no and choice questions a condition may name."""
        self.kind.choices = select_choices([(kind.value, kind.label) for kind in FieldKind])
        self.shown_if.choices = select_choices([("", _l("— Always —")), *conditions])

    def validate_options(self, field: TextAreaField) -> None:
        """Choice questions need at least two choices."""
        kinds = (FieldKind.CHOICE.value, FieldKind.MULTIPLE.value)
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        if self.kind.data in kinds and len(lines) < 2:
            raise ValidationError(_l("Give at least two choices, one per line."))

    def validate_file_types(self, field: StringField) -> None:
        """Only the types whose content the server can check."""
        from consult.events.questions import FILE_SIGNATURES

        named = [t.strip().lstrip(".").lower() for t in re.split(r"[,\s]+", field.data or "")]
        unknown = [t for t in named if t and t not in FILE_SIGNATURES]
        if unknown:
            raise ValidationError(
                _l(
                    "Use only these types: %(types)s.",
                    types=", ".join(sorted(FILE_SIGNATURES)),
                )
            )

    def validate_shown_if_value(self, field: StringField) -> None:
        """A condition names the answer it waits for."""
        if self.shown_if.data and not (field.data or "").strip():
            raise ValidationError(_l("Enter the answer that makes this question asked."))
