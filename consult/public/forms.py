"""Forms of the public site's editors: profiles, key elements, assessments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from consult.forms import select_choices
from consult.i18n import country_choices
from consult.i18n.content import translations_field
from consult.public.models import SECTORS, ProfileStatus, ProfileType, Rating


def validate_links(form: FlaskForm, field: TextAreaField) -> None:
    """Each line must start with an http:// or https:// address."""
    for number, line in enumerate((field.data or "").splitlines(), start=1):
        if line.strip() and not line.strip().startswith(("http://", "https://")):
            raise ValidationError(
                _l("Line %(num)d does not start with http:// or https://.", num=number)
            )


class ProfileForm(FlaskForm):
    """What a member proposes, or the Secretariat writes, about a VIA."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=300)])
    organisation = StringField(
        _l("Sponsoring organisation"), validators=[InputRequired(), Length(max=300)]
    )
    type = SelectField(
        _l("Type"), choices=select_choices(ProfileType.choices()), validators=[InputRequired()]
    )
    sector = SelectField(
        _l("Sector"), choices=select_choices(SECTORS.items()), validators=[InputRequired()]
    )
    countries = SelectMultipleField(_l("Countries"), validators=[Optional()])
    year_started = IntegerField(
        _l("Year started"), validators=[Optional(), NumberRange(min=1800, max=2100)]
    )
    description = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=20000)])
    links = TextAreaField(_l("Links"), validators=[Optional(), Length(max=5000), validate_links])

    def fill_choices(self, locale: str) -> None:
        """Load the country list in the viewer's language."""
        self.countries.choices = select_choices(country_choices(locale))


class SecretariatProfileForm(ProfileForm):
    """The Secretariat also sets the status."""

    status = SelectField(
        _l("Status"), choices=select_choices(ProfileStatus.choices()), validators=[InputRequired()]
    )


class KeyElementForm(FlaskForm):
    """A key element's title and explanation."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    explanation = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=20000)])
    translations = translations_field(
        title=(_l("Title"), 200), explanation=(_l("Explanation"), None)
    )


class AssessmentForm(FlaskForm):
    """One profile judged against one key element."""

    rating = SelectField(
        _l("Judgement"), choices=select_choices(Rating.choices()), validators=[InputRequired()]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=500)])
