"""Forms of the toolkit pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import optional_id, select_choices
from consult.i18n.content import translations_field
from consult.toolkit.models import Frequency, SectionStatus, Stance


class SectionForm(FlaskForm):
    """Create or edit a section."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Optional(), Length(max=100_000)])
    #: The title only: the text is negotiated in its original.
    translations = translations_field(title=(_l("Title"), 200))
    status = SelectField(
        _l("Status"),
        choices=select_choices(SectionStatus.choices()),
    )
    responsible_id = SelectField(_l("Responsible member"), coerce=optional_id)
    published = BooleanField(_l("Published on the public site"))
    note = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=300)])


class CommentForm(FlaskForm):
    """A new comment or reply."""

    body = TextAreaField(_l("Comment (Markdown)"), validators=[DataRequired(), Length(max=20_000)])
    stance = SelectField(
        _l("Your position on this section (optional)"),
        choices=select_choices([("", _l("No position")), *Stance.choices()]),
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
        choices=select_choices(Frequency.choices()),
    )
    section_id = HiddenField()


class DirectMailForm(FlaskForm):
    """E-mail at once for replies and mentions (on the member's profile page)."""

    at_once = BooleanField(
        _l("E-mail me at once when someone replies to my comment or mentions me")
    )


class FollowForm(FlaskForm):
    """Follow a section (``follow`` = 1) or stop following it (0)."""

    follow = HiddenField(validators=[DataRequired()])
