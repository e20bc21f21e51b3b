"""One comment as HTML: written for one reader on the page, or once for every member in a live event.

A live event carries the rendered ``<article>`` of the comment that changed, the same for
every member, so that posting a comment costs one rendering however many browsers are open.
What differs from reader to reader (the language of the interface words, the time in their
zone, which actions they have, their CSRF token) the page fills in from its own data; see
``templates/toolkit/_comment.html``. The text of a hidden comment is never in it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from consult.toolkit.models import Comment, Stance
from consult.toolkit.threads import MAX_DISPLAY_DEPTH, state_of


def interface_strings() -> dict[str, str]:
    """The words around comments, in the reader's language (the page's and its script's)."""
    return {
        "deleted": _("Deleted comment"),
        "deleted_text": _("This comment was deleted by its author."),
        "edited": _("edited"),
        "by_email": _("by e-mail"),
        "in_reply": _("in reply to an earlier comment"),
        "resolved": _("Thread resolved"),
        "reply": _("Reply"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "show": _("Show again"),
        "hide": _("Hide"),
        "reopen": _("Reopen thread"),
        "resolve": _("Mark thread resolved"),
        "hidden_member": _("Hidden by the Secretariat: %(reason)s"),
        **{f"stance_{stance.value}": str(stance.label) for stance in Stance},
    }


def placeholders() -> dict[str, Markup]:
    """Each interface word as an empty ``<span data-t>`` that the page fills in its language."""
    return {key: Markup('<span data-t="{}"></span>').format(key) for key in interface_strings()}


def action_base() -> str:
    """``/toolkit/comments``: the prefix of every comment action, under the site's root.

    In a request, the request's root (behind a proxy, its prefix); elsewhere (a reply by
    e-mail, the workers), the path of ``PUBLIC_URL``.
    """
    if has_request_context():
        path = url_for("toolkit.reply", comment_id=0)
    else:
        root = urlsplit(current_app.config["PUBLIC_URL"]).path or "/"
        adapter = current_app.url_map.bind("localhost", script_name=root)
        path = adapter.build("toolkit.reply", {"comment_id": 0})
    return path[: -len("/0/reply")]


def live_html(comment: Comment) -> str:
    """The comment's ``<article>`` as a live event carries it to every member.

    Called before the commit, with the comment's author and constituency already loaded:
    nothing is read again, and no request is needed (a reply by e-mail comes from the mail
    server).
    """
    template = current_app.jinja_env.get_template("toolkit/_live_node.html")
    return template.render(
        comment=comment,
        state=state_of(comment),
        placeholders=_placeholders(),
        base=action_base(),
        max_depth=MAX_DISPLAY_DEPTH,
    ).strip()


def _placeholders() -> dict[str, Markup]:
    cached = current_app.extensions.get("toolkit_placeholders")
    if cached is None:
        cached = current_app.extensions["toolkit_placeholders"] = placeholders()
    return cached


def node_context(comment: Comment, viewer: Any) -> dict[str, Any]:
    """What ``toolkit/_node.html`` needs to write one comment for ``viewer``."""
    return {
        "comment": comment,
        "state_of": state_of,
        "depth": 0,
        "path": str(comment.id),
        "interface_strings": interface_strings(),
        "viewer": {"id": viewer.id, "secretariat": viewer.is_secretariat},
        "base": action_base(),
        "max_depth": MAX_DISPLAY_DEPTH,
    }
