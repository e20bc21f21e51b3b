"""JSON API: a section's proposals (with the answers by constituency) and its amendments.

Each answer takes the same number of queries whatever the number of proposals, answers,
amendments and comments (tests/decisions/test_query_count.py).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from consult.decisions import amendments, bp, positions, proposals
from consult.decisions.models import Amendment, Choice, Proposal
from consult.extensions import db
from consult.markdown import render_markdown
from consult.toolkit.models import Section
from consult.toolkit.sections import can_discuss


def _section_or_error(section_id: int) -> tuple[Section | None, Any]:
    section = db.session.get(Section, section_id)
    if section is None:
        return None, (jsonify(error="not found"), 404)
    if not current_user.is_authenticated:
        return None, (jsonify(error="sign in to read the decisions"), 401)
    if not can_discuss(current_user, section):
        return None, (jsonify(error="forbidden"), 403)
    return section, None


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def proposal_data(proposal: Proposal, members: list, constituencies: list, now) -> dict[str, Any]:
    """A proposal as the API gives it: its answers by constituency, who has not answered."""
    answers = proposals.answers(proposal, members)
    own = proposals.own_vote(proposal, current_user)
    groups = []
    for constituency in constituencies:
        group = answers.of(constituency.id)
        if not group.members:
            continue
        groups.append(
            {
                "constituency": {"id": constituency.id, "name": constituency.name},
                "position": group.position,
                "counts": {choice.value: group.counts[choice] for choice in Choice},
                "answers": [
                    {
                        "member": {"id": member.id, "name": member.display_name},
                        "choice": vote.choice.value,
                        "reason": vote.reason,
                        "changed": vote.changes,
                        "updated_at": _moment(vote.updated_at),
                    }
                    for member, vote in group.votes
                ],
                "not_answered": [
                    {"id": member.id, "name": member.display_name} for member in group.not_answered
                ],
            }
        )
    return {
        "id": proposal.id,
        "section_id": proposal.section_id,
        "version": proposal.version,
        "question": proposal.question,
        "details": proposal.details,
        "details_html": str(render_markdown(proposal.details)),
        "opened_by": {"id": proposal.opened_by.id, "name": proposal.opened_by.display_name},
        "opened_at": _moment(proposal.opened_at),
        "closes_at": _moment(proposal.closes_at),
        "closed_at": _moment(proposal.closed_at),
        "open": proposal.is_open(now),
        "counts": {choice.value: answers.counts[choice] for choice in Choice},
        "members": answers.members,
        "not_answered": len(answers.not_answered),
        "by_constituency": groups,
        "own_answer": {"choice": own.choice.value, "reason": own.reason} if own else None,
        "outcome": (
            {
                "outcome": proposal.outcome.value,
                "statement": proposal.outcome_statement,
                "recorded_by": proposal.outcome_by.display_name if proposal.outcome_by else None,
                "recorded_at": _moment(proposal.outcome_at),
            }
            if proposal.outcome
            else None
        ),
    }


def amendment_data(amendment: Amendment) -> dict[str, Any]:
    """An amendment as the API gives it, with its comments."""
    return {
        "id": amendment.id,
        "section_id": amendment.section_id,
        "version": amendment.version,
        "author": {"id": amendment.author.id, "name": amendment.author.display_name},
        "constituency": amendment.constituency.name if amendment.constituency else None,
        "passage": amendment.passage,
        "replacement": amendment.replacement,
        "reason": amendment.reason,
        "status": amendment.status.value,
        "created_at": _moment(amendment.created_at),
        "decided_by": amendment.decided_by.display_name if amendment.decided_by else None,
        "decided_at": _moment(amendment.decided_at),
        "decision_reason": amendment.decision_reason,
        "accepted_version": amendment.accepted_version,
        "comments": [
            {
                "id": comment.id,
                "author": {"id": comment.author.id, "name": comment.author.display_name},
                "body": comment.body,
                "body_html": str(render_markdown(comment.body)),
                "created_at": _moment(comment.created_at),
            }
            for comment in amendment.comments
        ],
    }


@bp.get("/api/sections/<int:section_id>/proposals")
def api_proposals(section_id: int):
    """A section's proposals, newest first, for the members who may discuss it."""
    section, error = _section_or_error(section_id)
    if error:
        return error
    members = positions.active_members()
    constituencies = positions.constituencies()
    now = proposals.now()
    items = proposals.proposals_of([section.id])[section.id]
    return jsonify(
        section_id=section.id,
        version=section.version,
        proposals=[proposal_data(p, members, constituencies, now) for p in items],
    )


@bp.get("/api/sections/<int:section_id>/amendments")
def api_amendments(section_id: int):
    """A section's amendments, newest first, with their comments."""
    section, error = _section_or_error(section_id)
    if error:
        return error
    items = amendments.amendments_of([section.id])[section.id]
    return jsonify(
        section_id=section.id,
        version=section.version,
        amendments=[amendment_data(a) for a in items],
    )
