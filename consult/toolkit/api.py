"""JSON API: a section's discussion as a nested thread."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from consult.extensions import db
from consult.toolkit import bp, sections, threads
from consult.toolkit.models import Section


@bp.get("/api/sections/<int:section_id>/comments")
def section_comments(section_id: int):
    """The thread of a section, nested, for the members who may read it (fixed query count)."""
    section = db.session.get(Section, section_id)
    if section is None:
        return jsonify(error="not found"), 404
    if not current_user.is_authenticated:
        return jsonify(error="sign in to read the discussion"), 401
    if not sections.can_discuss(current_user, section):
        return jsonify(error="forbidden"), 403
    roots = threads.build_tree(threads.load_comments(section.id))
    return jsonify(
        section={
            "id": section.id,
            "title": section.title,
            "status": section.status.value,
            "version": section.version,
            "published": section.published,
            "last_event": section.event_seq,
        },
        unresolved=threads.unresolved_count(roots),
        comments=threads.nested_data(roots, secretariat=current_user.is_secretariat),
    )
