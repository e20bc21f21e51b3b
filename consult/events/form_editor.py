"""The Secretariat builds an event's registration form: questions, their order, conditions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.events import bp
from consult.events.editor_forms import QuestionForm
from consult.events.managers import event_manager_required
from consult.events.models import Event, FieldKind, FormAnswer, FormField
from consult.events.questions import NO, YES
from consult.extensions import db
from consult.forms import INVALID, ButtonForm
from consult.ordering import DIRECTIONS, move

#: Questions whose answer another question may wait for.
CONDITION_KINDS = (FieldKind.YESNO, FieldKind.CHOICE, FieldKind.MULTIPLE)


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def _question(event: Event, question_id: int) -> FormField:
    question = db.session.get(FormField, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


def conditions_for(event: Event, question: FormField | None) -> list[tuple[str, str]]:
    """The questions before ``question`` (all, for a new one) that a condition may name."""
    found = []
    for each in event.form_fields:
        if each is question:
            break
        if each.kind in CONDITION_KINDS:
            found.append((str(each.id), each.label))
    return found


def condition_problem(event: Event, form: QuestionForm) -> str | None:
    """Why the condition cannot hold, if it cannot: the answer must be one the question has."""
    if not form.shown_if.data:
        return None
    source = db.session.get(FormField, int(form.shown_if.data))
    if source is None or source.event_id != event.id:
        return _("Choose a question of this form.")
    wanted = (form.shown_if_value.data or "").strip()
    if source.kind is FieldKind.YESNO and wanted not in (YES, NO):
        return _("For a yes-or-no question, enter “yes” or “no”.")
    if source.kind in (FieldKind.CHOICE, FieldKind.MULTIPLE) and wanted not in source.option_list:
        return _(
            "Enter one of that question's choices exactly: %(choices)s.",
            choices="; ".join(source.option_list),
        )
    return None


def _apply(form: QuestionForm, question: FormField) -> None:
    question.kind = FieldKind(form.kind.data)
    question.label = form.label.data.strip()
    question.help = (form.help.data or "").strip()
    question.required = form.required.data and question.kind is not FieldKind.SECTION
    question.options = "\n".join(
        line.strip() for line in (form.options.data or "").splitlines() if line.strip()
    )
    question.shown_if_id = int(form.shown_if.data) if form.shown_if.data else None
    question.shown_if_value = (form.shown_if_value.data or "").strip() if form.shown_if.data else ""
    question.max_kb = form.max_kb.data
    question.file_types = (form.file_types.data or "").strip()
    question.translations = form.translations.form.collected()


def _page(event: Event, form: QuestionForm, question: FormField | None, status: int = 200):
    answered = dict(
        db.session.execute(
            select(FormAnswer.field_id, func.count())
            .join(FormField)
            .where(FormField.event_id == event.id)
            .group_by(FormAnswer.field_id)
        ).all()
    )
    return render_template(
        "events/admin_form.html",
        event=event,
        form=form,
        question=question,
        answered=answered,
        action_form=ButtonForm(),
    ), status


@bp.route("/events/admin/<int:event_id>/form", methods=["GET", "POST"])
@event_manager_required
def admin_form(event_id: int):
    """The event's questions in order, and a new one added at the end."""
    event = _event(event_id)
    form = QuestionForm()
    form.fill_choices(conditions_for(event, None))
    if request.method == "GET":
        form.kind.data = FieldKind.TEXT.value
    if form.validate_on_submit():
        problem = condition_problem(event, form)
        if problem:
            form.shown_if_value.errors.append(problem)
        else:
            question = FormField(event_id=event.id, position=len(event.form_fields) + 1)
            _apply(form, question)
            db.session.add(question)
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for("events.admin_form", event_id=event.id), 303)
    return _page(event, form, None, INVALID if form.is_submitted() else 200)


@bp.route("/events/admin/<int:event_id>/form/<int:question_id>", methods=["GET", "POST"])
@event_manager_required
def admin_question(event_id: int, question_id: int):
    """Change one question."""
    event = _event(event_id)
    question = _question(event, question_id)
    form = QuestionForm(obj=question)
    form.fill_choices(conditions_for(event, question))
    if request.method == "GET":
        form.kind.data = question.kind.value
        form.shown_if.data = str(question.shown_if_id or "")
    if form.validate_on_submit():
        problem = condition_problem(event, form)
        if problem:
            form.shown_if_value.errors.append(problem)
        else:
            _apply(form, question)
            db.session.commit()
            flash(_("Question saved."), "success")
            return redirect(url_for("events.admin_form", event_id=event.id), 303)
    return _page(event, form, question, INVALID if form.is_submitted() else 200)


@bp.post("/events/admin/<int:event_id>/form/<int:question_id>/move")
@event_manager_required
def admin_move_question(event_id: int, question_id: int):
    """Move a question up or down the form."""
    event = _event(event_id)
    question = _question(event, question_id)
    direction = request.form.get("direction", "")
    if not ButtonForm().validate_on_submit() or direction not in DIRECTIONS:
        abort(400)
    move(event.form_fields, question, direction)
    db.session.commit()
    return redirect(url_for("events.admin_form", event_id=event.id, _anchor=f"q{question.id}"), 303)


@bp.post("/events/admin/<int:event_id>/form/<int:question_id>/delete")
@event_manager_required
def admin_delete_question(event_id: int, question_id: int):
    """Remove a question and its answers (the export keeps only questions still asked)."""
    event = _event(event_id)
    question = _question(event, question_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    db.session.delete(question)
    db.session.commit()
    flash(_("Question removed."), "success")
    return redirect(url_for("events.admin_form", event_id=event.id), 303)
