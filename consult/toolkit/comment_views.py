"""Comment actions: plain HTML form posts that work without JavaScript (the script only enhances)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consult.accounts.roles import member_required, secretariat_required
from consult.extensions import db
from consult.forms import INVALID, ButtonForm, parse_id
from consult.toolkit import bp, discussion, live, nodes, notifications
from consult.toolkit.forms import (
    CommentForm,
    DirectMailForm,
    EditCommentForm,
    FollowForm,
    HideForm,
    PreferenceForm,
    ReplyForm,
)
from consult.toolkit.models import Comment, Stance
from consult.toolkit.views import readable_section, section_page


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def _comment_or_404(comment_id: int) -> Comment:
    """The comment with its author and constituency (its live event is rendered from them)."""
    comment = db.session.get(
        Comment,
        comment_id,
        options=[joinedload(Comment.author), joinedload(Comment.constituency)],
    )
    if comment is None:
        abort(404)
    readable_section(comment.section_id)
    return comment


def _save(comment: Comment, *, notify: str | None = None):
    """Commit and push the live events; then ask for the e-mails (``new`` or ``edited``), answer.

    Nothing is read back after the commit: the ids are taken before it.
    """
    comment_id, section_id = comment.id, comment.section_id
    sent = live.commit_and_broadcast()
    if notify:
        notifications.notify_later(comment_id, mentions_only=notify == "edited")
    if _wants_json():
        return jsonify(ok=True, comment=comment_id, seq=max((e["seq"] for e in sent), default=0))
    url = url_for("toolkit.section", section_id=section_id)
    return redirect(f"{url}#comment-{comment_id}", code=303)


@bp.post("/toolkit/sections/<int:section_id>/comments")
@member_required
def post_comment(section_id: int):
    """Post a comment, or a reply when ``parent_id`` is given."""
    section = readable_section(section_id)
    form = CommentForm()
    parent = None
    if form.parent_id.data:
        parent_id = parse_id(form.parent_id.data)
        parent = db.session.get(Comment, parent_id) if parent_id else None
        if parent is None or parent.section_id != section.id:
            abort(404)
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(ok=False, errors=form.errors), INVALID
        if parent is None:
            return section_page(section, form), INVALID
        return render_template(
            "toolkit/reply.html", section=section, parent=parent, form=form
        ), INVALID
    stance = Stance(form.stance.data) if form.stance.data and parent is None else None
    comment = discussion.post_comment(
        section,
        current_user,
        form.body.data,
        parent=parent,
        stance=stance,
        quote=form.quote.data or "",
    )
    return _save(comment, notify="new")


@bp.get("/toolkit/comments/<int:comment_id>/reply")
@member_required
def reply(comment_id: int):
    """A page with the reply form, for browsers without JavaScript."""
    parent = _comment_or_404(comment_id)
    form = ReplyForm()
    return render_template("toolkit/reply.html", section=parent.section, parent=parent, form=form)


@bp.get("/toolkit/comments/<int:comment_id>/node")
@member_required
def node(comment_id: int):
    """One comment as the thread shows it to this reader (for the page's script).

    Live events carry one node for every member; the Secretariat's page asks here for a
    comment hidden from members, whose text the event does not carry.
    """
    comment = _comment_or_404(comment_id)
    return render_template("toolkit/_node.html", **nodes.node_context(comment, current_user))


@bp.route("/toolkit/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@member_required
def edit_comment(comment_id: int):
    """The author changes a comment; the earlier text is kept."""
    comment = _comment_or_404(comment_id)
    if not discussion.can_edit(current_user, comment):
        abort(403)
    form = EditCommentForm(body=comment.body) if request.method == "GET" else EditCommentForm()
    if form.validate_on_submit():
        discussion.edit_comment(comment, current_user, form.body.data)
        return _save(comment, notify="edited")
    status = INVALID if form.errors else 200
    return render_template("toolkit/edit_comment.html", comment=comment, form=form), status


@bp.get("/toolkit/comments/<int:comment_id>/history")
@member_required
def comment_history(comment_id: int):
    """Earlier texts of an edited comment (not of a hidden one, except for the Secretariat)."""
    comment = _comment_or_404(comment_id)
    if comment.deleted_at or (comment.hidden_at and not current_user.is_secretariat):
        abort(404)
    return render_template(
        "toolkit/comment_history.html",
        comment=comment,
        revisions=discussion.revisions(comment),
    )


@bp.post("/toolkit/comments/<int:comment_id>/delete")
@member_required
def delete_comment(comment_id: int):
    """The author deletes a comment; its replies stay."""
    comment = _comment_or_404(comment_id)
    if not discussion.can_edit(current_user, comment):
        abort(403)
    if ButtonForm().validate_on_submit():
        discussion.delete_comment(comment, current_user)
        flash(_("Comment deleted."), "success")
        return _save(comment)
    abort(400)


@bp.route("/toolkit/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@secretariat_required
def hide_comment(comment_id: int):
    """The Secretariat hides a comment and says why."""
    comment = _comment_or_404(comment_id)
    form = HideForm()
    if form.validate_on_submit():
        discussion.hide_comment(comment, current_user, form.reason.data)
        return _save(comment)
    status = INVALID if form.errors else 200
    return render_template("toolkit/hide.html", comment=comment, form=form), status


@bp.post("/toolkit/comments/<int:comment_id>/<any(unhide, resolve, reopen):action>")
@secretariat_required
def moderate(comment_id: int, action: str):
    """The Secretariat shows a hidden comment again, resolves a thread or reopens it."""
    comment = _comment_or_404(comment_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        if action == "unhide":
            discussion.unhide_comment(comment, current_user)
        else:
            discussion.set_resolved(comment, current_user, action == "resolve")
    except discussion.NotAllowed:
        abort(400)
    return _save(comment)


@bp.route("/toolkit/notifications", methods=["GET", "POST"])
@member_required
def preferences():
    """Choose e-mail about comments for the whole toolkit and for each section."""
    form = PreferenceForm()
    if form.validate_on_submit():
        section_id = parse_id(form.section_id.data)
        if form.section_id.data and section_id is None:
            abort(404)
        if section_id is not None:
            readable_section(section_id)
        notifications.set_preference(current_user, section_id, form.frequency.data)
        db.session.commit()
        flash(_("Your e-mail choice is saved."), "success")
        if section_id and request.form.get("back") == "section":
            return redirect(url_for("toolkit.section", section_id=section_id), code=303)
        return redirect(url_for("toolkit.preferences"), code=303)
    status = INVALID if form.errors else 200
    page = notifications.preference_page(current_user)
    return render_template("toolkit/preferences.html", **page), status


@bp.post("/toolkit/notifications/direct")
@member_required
def direct_mail():
    """Choose whether replies and mentions are e-mailed at once (from the profile page)."""
    form = DirectMailForm()
    if not form.validate_on_submit():
        abort(400)
    notifications.set_direct_mail(current_user, bool(form.at_once.data))
    db.session.commit()
    flash(_("Your e-mail choice is saved."), "success")
    return redirect(url_for("accounts.profile"), code=303)


@bp.post("/toolkit/sections/<int:section_id>/follow")
@member_required
def follow(section_id: int):
    """Follow a section (each new version of its text is e-mailed), or stop."""
    section = readable_section(section_id)
    form = FollowForm()
    if not form.validate_on_submit() or form.follow.data not in ("0", "1"):
        abort(400)
    following = form.follow.data == "1"
    notifications.set_follow(current_user, section.id, following)
    db.session.commit()
    if following:
        flash(
            _("You follow this section: each new version of its text is e-mailed to you."),
            "success",
        )
    else:
        flash(_("You no longer follow this section."), "success")
    return redirect(url_for("toolkit.section", section_id=section.id), code=303)
