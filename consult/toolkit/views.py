"""Section pages: the toolkit, one section with its discussion, editing, history, diffs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from consult import signals
from consult.accounts.models import User
from consult.accounts.roles import member_required, secretariat_required
from consult.extensions import db, login_manager
from consult.forms import INVALID, ButtonForm, parse_id, select_choices
from consult.i18n.formats import format_locale
from consult.ordering import DIRECTIONS
from consult.toolkit import bp, nodes, notifications, sections, threads
from consult.toolkit.forms import CommentForm, PreferenceForm, SectionForm
from consult.toolkit.models import Section, SectionStatus


def readable_section(section_id: int) -> Section:
    """The section, or the sign-in page / 404 when the viewer may not read it."""
    section = db.session.get(Section, section_id)
    if section is None:
        abort(404)
    if not sections.can_read(current_user, section):
        abort(login_manager.unauthorized())
    return section


def thread_context(section: Section) -> dict:
    """What the thread template needs, loaded with a fixed number of queries."""
    roots = threads.build_tree(threads.load_comments(section.id))
    return {
        "nodes": threads.flatten(roots),
        "max_depth": threads.MAX_DISPLAY_DEPTH,
        "action_form": ButtonForm(),
        "state_of": threads.state_of,
        "interface_strings": nodes.interface_strings(),
    }


@bp.get("/toolkit")
def index():
    """The toolkit's sections in order (published ones only for visitors)."""
    items = sections.ordered_sections(include_drafts=current_user.is_authenticated)
    return render_template("toolkit/index.html", sections=items, action_form=ButtonForm())


@bp.get("/toolkit/sections/<int:section_id>")
def section(section_id: int):
    """A section's text and, for members, its discussion (and what other capabilities add)."""
    return section_page(readable_section(section_id))


def section_page(item: Section, comment_form: CommentForm | None = None) -> str:
    """Render a section page (with ``comment_form`` and its errors after a failed post)."""
    context: dict = {
        "panels": signals.ordered(signals.section_panels, section=item, user=current_user)
    }
    if sections.can_discuss(current_user, item):
        context.update(thread_context(item))
        context.update(
            comment_form=comment_form or CommentForm(),
            live_settings=live_settings(),
            following=notifications.follows(current_user, item.id),
            preference_form=PreferenceForm(
                frequency=notifications.own_preference(current_user, item.id),
                section_id=item.id,
            ),
        )
    return render_template("toolkit/section.html", section=item, **context)


def live_settings() -> dict:
    """What the page's script needs to fit live nodes to this reader (see ``nodes``)."""
    return {
        "strings": nodes.interface_strings(),
        "user": current_user.id,
        "secretariat": bool(current_user.is_secretariat),
        "zone": str(get_timezone()),
        "locale": format_locale().replace("_", "-"),
        "maxDepth": threads.MAX_DISPLAY_DEPTH,
        "nodeUrl": nodes.action_base(),
    }


@bp.get("/toolkit/sections/<int:section_id>/thread")
@member_required
def thread(section_id: int):
    """The discussion alone, for the page's script to refresh it after a live event."""
    item = readable_section(section_id)
    return render_template("toolkit/_thread.html", section=item, **thread_context(item))


def _responsible_choices(current_id: int | None = None) -> list:
    """Active members, and the current responsible member even if deactivated since."""
    users = db.session.scalars(
        select(User)
        .where(or_(User.active.is_(True), User.id == current_id))
        .order_by(User.display_name)
    )
    return select_choices([("", _("Nobody yet")), *((u.id, u.display_name) for u in users)])


def _apply_form(form: SectionForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "body": (form.body.data or "").replace("\r\n", "\n"),
        "status": SectionStatus(form.status.data),
        "responsible_id": form.responsible_id.data,
        "published": bool(form.published.data),
        "translations": form.translations.form.collected(),
    }


@bp.route("/toolkit/sections/new", methods=["GET", "POST"])
@secretariat_required
def new_section():
    """The Secretariat adds a section."""
    form = SectionForm()
    form.responsible_id.choices = _responsible_choices()
    if form.validate_on_submit():
        item = sections.create_section(author=current_user, **_apply_form(form))
        db.session.commit()
        flash(_("Section added."), "success")
        return redirect(url_for("toolkit.section", section_id=item.id))
    status = INVALID if form.errors else 200
    return render_template("toolkit/edit.html", form=form, section=None), status


@bp.route("/toolkit/sections/<int:section_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_section(section_id: int):
    """The Secretariat edits a section; each saved change is a version."""
    item = readable_section(section_id)
    form = SectionForm(obj=item)
    form.responsible_id.choices = _responsible_choices(item.responsible_id)
    if request.method == "GET":
        form.status.data = item.status.value
    if form.validate_on_submit():
        versioned = sections.update_section(
            item, author=current_user, note=(form.note.data or "").strip(), **_apply_form(form)
        )
        if versioned:
            notifications.queue_new_version(item, current_user)
        db.session.commit()
        flash(_("Section saved."), "success")
        return redirect(url_for("toolkit.section", section_id=item.id))
    status = INVALID if form.errors else 200
    return render_template("toolkit/edit.html", form=form, section=item), status


@bp.post("/toolkit/sections/<int:section_id>/move")
@secretariat_required
def move_section(section_id: int):
    """Move a section up or down the toolkit."""
    item = readable_section(section_id)
    if ButtonForm().validate_on_submit() and request.form.get("direction") in DIRECTIONS:
        sections.move_section(item, request.form["direction"])
        db.session.commit()
    return redirect(url_for("toolkit.index"))


@bp.get("/toolkit/sections/<int:section_id>/history")
def history(section_id: int):
    """Every version of a section, with a form to compare any two."""
    item = readable_section(section_id)
    return render_template(
        "toolkit/history.html",
        section=item,
        versions=sections.versions_of(item),
        panels=signals.ordered(signals.section_history, section=item, user=current_user),
    )


@bp.get("/toolkit/sections/<int:section_id>/diff")
def diff(section_id: int):
    """What changed between two versions of a section, word by word."""
    item = readable_section(section_id)
    old_number = parse_id(request.args.get("from")) or max(item.version - 1, 1)
    new_number = parse_id(request.args.get("to")) or item.version
    old, new = sections.version(item, old_number), sections.version(item, new_number)
    if old is None or new is None:
        abort(404)
    return render_template(
        "toolkit/diff.html",
        section=item,
        old=old,
        new=new,
        comparison=sections.compare_versions(old, new),
        versions=sections.versions_of(item),
    )
