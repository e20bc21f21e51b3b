"""Forms of the decisions pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.decisions.models import Choice, Outcome
from consult.forms import select_choices
from consult.toolkit.models import Stance


class StanceForm(FlaskForm):
    """A member's own stance on a section, changed in place."""

    stance = RadioField(
        _l("Your position on this section"),
        choices=select_choices(Stance.choices()),
        validators=[InputRequired(message=_l("Choose support, concern or objection."))],
    )
    reason = TextAreaField(
        _l("Why (optional, seen by the members)"), validators=[Optional(), Length(max=5_000)]
    )


class RulesForm(FlaskForm):
    """What the Secretariat allows on a section."""

    members_propose = BooleanField(_l("Members may open proposals on this section"))


class ProposalForm(FlaskForm):
    """A question put to the members on the current version of a section."""

    question = StringField(
        _l("Question"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("For example: Do we agree to this version of the section?"),
    )
    details = TextAreaField(
        _l("Background and reasons (Markdown)"), validators=[Optional(), Length(max=20_000)]
    )
    closes_on = DateField(_l("Closing date"), validators=[InputRequired()])
    closes_time = TimeField(_l("Closing time"), validators=[InputRequired()])


class VoteForm(FlaskForm):
    """A member's answer to a proposal."""

    choice = RadioField(
        _l("Your answer"),
        choices=select_choices(Choice.choices()),
        validators=[InputRequired(message=_l("Choose one of the answers."))],
    )
    reason = TextAreaField(
        _l("Reason (required for a block)"), validators=[Optional(), Length(max=5_000)]
    )

    def validate(self, extra_validators=None) -> bool:
        """A block stops the proposal: the others must know why (an empty reason is refused)."""
        valid = super().validate(extra_validators)
        if self.choice.data == Choice.BLOCK.value and not (self.reason.data or "").strip():
            self.reason.errors = [
                *self.reason.errors,
                _l("Say why you block: a block needs a reason."),
            ]
            return False
        return valid


class OutcomeForm(FlaskForm):
    """The Secretariat's record of what a closed proposal decided."""

    outcome = SelectField(_l("Outcome"), choices=select_choices(Outcome.choices()))
    statement = TextAreaField(
        _l("The outcome in words (Markdown)"),
        validators=[DataRequired(), Length(max=20_000)],
    )


class AmendmentForm(FlaskForm):
    """Replacement text for a passage of a section."""

    passage = TextAreaField(
        _l("Passage to replace"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("Copy the words exactly as they stand in the section."),
    )
    replacement = TextAreaField(
        _l("Replacement text"),
        validators=[Optional(), Length(max=20_000)],
        description=_l("Leave empty to propose deleting the passage."),
    )
    reason = TextAreaField(_l("Why (Markdown)"), validators=[Optional(), Length(max=10_000)])


class AmendmentCommentForm(FlaskForm):
    """A comment on an amendment."""

    body = TextAreaField(_l("Comment (Markdown)"), validators=[DataRequired(), Length(max=20_000)])


class DeclineForm(FlaskForm):
    """The Secretariat declines an amendment, with a reason."""

    reason = TextAreaField(
        _l("Reason for declining"), validators=[DataRequired(), Length(max=5_000)]
    )


class AcceptForm(FlaskForm):
    """The Secretariat accepts an amendment (an optional note on the new version)."""

    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])
