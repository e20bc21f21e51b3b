"""Forms of the toolkit pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import select_choices
from consult.toolkit.models import Frequency, SectionStatus, Stance

STATUS_LABELS = {
    SectionStatus.PROPOSED: _l("Proposed"),
    SectionStatus.IN_DISCUSSION: _l("In discussion"),
    SectionStatus.AGREED: _l("Agreed"),
}
STANCE_LABELS = {
    Stance.SUPPORT: _l("Support"),
    Stance.CONCERN: _l("Concern"),
    Stance.OBJECTION: _l("Objection"),
}
FREQUENCY_LABELS = {
    Frequency.EVERY: _l("Every comment"),
    Frequency.DIGEST: _l("A daily digest"),
    Frequency.NONE: _l("Nothing"),
}


class SectionForm(FlaskForm):
    """Create or edit a section."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Optional(), Length(max=100_000)])
    status = SelectField(
        _l("Status"),
        choices=select_choices((s.value, label) for s, label in STATUS_LABELS.items()),
    )
    responsible_id = SelectField(_l("Responsible member"), coerce=str)
    published = BooleanField(_l("Published on the public site"))
    note = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=300)])


class CommentForm(FlaskForm):
    """A new comment or reply."""

    body = TextAreaField(_l("Comment (Markdown)"), validators=[DataRequired(), Length(max=20_000)])
    stance = SelectField(
        _l("Your position on this section (optional)"),
        choices=select_choices(
            [("", _l("No position")), *((s.value, lbl) for s, lbl in STANCE_LABELS.items())]
        ),
        validators=[Optional()],
    )
    quote = TextAreaField(
        _l("Passage you comment on (optional)"), validators=[Optional(), Length(max=2_000)]
    )
    parent_id = HiddenField()


class ReplyForm(FlaskForm):
    """A reply under a comment."""

    body = TextAreaField(_l("Reply (Markdown)"), validators=[DataRequired(), Length(max=20_000)])


class EditCommentForm(FlaskForm):
    """Change one's own comment."""

    body = TextAreaField(_l("Comment (Markdown)"), validators=[DataRequired(), Length(max=20_000)])


class HideForm(FlaskForm):
    """The Secretariat hides a comment."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])


class PreferenceForm(FlaskForm):
    """E-mail about comments, for the whole toolkit or one section."""

    frequency = SelectField(
        _l("E-mail me"),
        choices=select_choices((f.value, label) for f, label in FREQUENCY_LABELS.items()),
    )
    section_id = HiddenField()
