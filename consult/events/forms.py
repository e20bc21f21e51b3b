"""Event forms; each field says clearly what is wrong with it."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from consult.forms import CompactSelect, optional_id, select_choices
from consult.i18n import country_choices


@lru_cache(maxsize=64)
def country_options(locale: str) -> tuple[SelectChoice, ...]:
    """The country select's options in ``locale``, built once (269 of them, on every form).

    The first option's label is translated when the form is shown.
    """
    return tuple(select_choices([("", _l("— Choose —")), *country_choices(locale)]))


def strip(value: object) -> object:
    """The text without surrounding spaces (other values as they are)."""
    return value.strip() if isinstance(value, str) else value


class RegistrationFields(FlaskForm):
    """Who is registering, without an account."""

    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter your name.")),
            DataRequired(message=_l("Enter your name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
        ],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter your organisation, or “none”.")),
            DataRequired(message=_l("Enter your organisation, or “none”.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
    )
    constituency = SelectField(
        _l("Constituency"),
        coerce=optional_id,
        validators=[InputRequired(message=_l("Choose the group you belong to."))],
        validate_choice=True,
        invalid_choice_message=_l("Choose the group you belong to."),
        invalid_value_message=_l("Choose the group you belong to."),
    )
    country = SelectField(
        _l("Country"),
        widget=CompactSelect(),
        validators=[InputRequired(message=_l("Choose your country."))],
        validate_choice=True,
        invalid_choice_message=_l("Choose your country from the list."),
    )
    position = StringField(
        _l("Position"),
        filters=[strip],
        validators=[Optional(), Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        validators=[Optional(), Length(max=2000, message=_l("Use at most %(max)d characters."))],
    )
    consent_listed = BooleanField(
        _l("Show my name, organisation and country on the participant list")
    )

    def fill_choices(self, locale: str, constituencies: list[tuple[int, str]]) -> None:
        """Load the constituency list and the ISO 3166 country list in ``locale``."""
        self.constituency.choices = select_choices([("", _l("— Choose —")), *constituencies])
        self.country.choices = country_options(locale)


class RegisterForm(RegistrationFields):
    """The public registration form."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter an e-mail address such as name@example.org.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )


class MessageForm(FlaskForm):
    """The Secretariat writes to a group of registrants (the group is in the page's address)."""

    subject = StringField(
        _l("Subject"),
        validators=[
            InputRequired(message=_l("Enter a subject.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Message"),
        validators=[
            InputRequired(message=_l("Write the message.")),
            Length(max=20000, message=_l("Use at most %(max)d characters.")),
        ],
    )


class CapacityForm(FlaskForm):
    """The Secretariat changes the number of seats."""

    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(message=_l("Enter the number of seats.")),
            NumberRange(min=0, max=100000, message=_l("Enter a number from 0 to 100000.")),
        ],
    )
