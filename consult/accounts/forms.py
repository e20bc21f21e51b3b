"""Account forms; each field carries its own validation message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, URLField
from wtforms.validators import (
    URL,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from consult.accounts.services import MIN_PASSWORD_LENGTH
from consult.forms import CompactSelect, grouped_choices, select_choices
from consult.i18n import country_choices, language_choices, timezone_choices, timezone_names


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    """Choose a new password (after an invitation or a reset)."""

    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


def validate_timezone(form: FlaskForm, field: SelectField) -> None:
    """Only IANA zone names are accepted."""
    if field.data not in timezone_names():
        raise ValidationError(_l("Choose a time zone from the list."))


class ProfileFields(FlaskForm):
    """The fields a member keeps up to date about themselves."""

    display_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    country = SelectField(
        _l("Country"), widget=CompactSelect(), validators=[Optional()], validate_choice=True
    )
    timezone = SelectField(
        _l("Time zone"), validators=[InputRequired(), validate_timezone], validate_choice=False
    )

    def fill_choices(self, locale: str) -> None:
        """Load the locale-dependent choice lists."""
        self.country.choices = select_choices([("", _l("— Not given —")), *country_choices(locale)])
        self.timezone.choices = grouped_choices(timezone_choices(locale))


class ProfileForm(ProfileFields):
    """A member's own profile."""

    language = SelectField(_l("Preferred language"), validators=[InputRequired()])
    website = URLField(
        _l("Organisation website"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full address starting with https://")),
            Length(max=300),
        ],
    )
    listed_in_directory = BooleanField(_l("List me in the public members directory"))

    def fill_choices(self, locale: str) -> None:
        """Load the locale-dependent choice lists."""
        super().fill_choices(locale)
        self.language.choices = select_choices(language_choices(locale))


class MemberForm(ProfileFields):
    """What the Secretariat records about a member."""

    constituency = SelectField(_l("Constituency"), coerce=int, validators=[InputRequired()])
    role = SelectField(
        _l("Role"),
        choices=select_choices([("member", _l("Member")), ("secretariat", _l("Secretariat"))]),
        validators=[InputRequired()],
    )

    def fill_constituencies(self, constituencies: list) -> None:
        """Offer the constituency rows, in their order."""
        self.constituency.choices = select_choices((c.id, c.name) for c in constituencies)


class InviteForm(MemberForm):
    """The Secretariat invites a member."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])


class ChangePasswordForm(SetPasswordForm):
    """A signed-in member changes their password, proving they know the current one."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=200)]
    )


class ConstituencyForm(FlaskForm):
    """A constituency of the Steering Group."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
