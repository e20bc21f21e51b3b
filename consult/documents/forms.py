"""Forms of the library: uploading and describing documents, the progress of a case study."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from consult.documents.models import DOCUMENT_KINDS, CaseStatus, Visibility
from consult.documents.symbols import clean_symbol, is_symbol
from consult.forms import select_choices
from consult.i18n.content import translations_field


class DocumentFields(FlaskForm):
    """A document's description and where it belongs."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    symbol = StringField(
        _l("UN document symbol"),
        validators=[Optional(), Length(max=80)],
        filters=[clean_symbol],
    )
    kind = SelectField(
        _l("Kind"), choices=select_choices(DOCUMENT_KINDS.items()), validators=[InputRequired()]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    translations = translations_field(
        title=(_l("Title"), 300), description=(_l("Description"), None)
    )
    visibility = SelectField(
        _l("Who may read it"),
        choices=select_choices(Visibility.choices()),
        default="members",
        validators=[InputRequired()],
    )
    attach_to = SelectField(_l("Belongs to"), validators=[Optional()])

    def validate_symbol(self, field: StringField) -> None:
        """A symbol is written like E/CN.17/1999/12: a series, then parts separated by "/"."""
        if field.data and not is_symbol(field.data):
            raise ValidationError(
                _l("Write the symbol as the UN does, for example E/CN.17/1999/12.")
            )


class UploadForm(DocumentFields):
    """Upload a new document."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])


class VersionForm(FlaskForm):
    """Upload a new version of a document's file."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])


class CaseStudyForm(FlaskForm):
    """The progress of one country's case study."""

    status = SelectField(
        _l("Status"), choices=select_choices(CaseStatus.choices()), validators=[InputRequired()]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
