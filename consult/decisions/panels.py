"""What decisions adds to a toolkit section's page and to its history page."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.decisions import amendments, positions, proposals
from consult.decisions.forms import RulesForm, StanceForm
from consult.decisions.models import AmendmentStatus
from consult.signals import Panel
from consult.toolkit.sections import can_discuss


def section_panel(app: Any, section: Any, user: Any) -> Panel | None:
    """The member's own stance, where each constituency stands, proposals and amendments."""
    if not can_discuss(user, section):
        return None
    return Panel(
        _l("Positions and decisions"),
        "decisions/_section.html",
        panel_context(section, user),
        order=10,
    )


def panel_context(section: Any, user: Any) -> dict[str, Any]:
    """What the section panel shows, in a fixed number of queries."""
    own = positions.own_position(section, user)
    form = StanceForm(
        formdata=None, stance=own.stance.value if own else None, reason=own.reason if own else ""
    )
    return {
        "stylesheets": ["css/decisions.css"],
        "scripts": ["js/decisions.js"],
        **live_context(section, user),
        "own": own,
        "own_history": positions.history_of(own),
        "stance_form": form,
        "row": positions.positions([section.id])[section.id],
        "constituencies": positions.constituencies(),
    }


def live_context(section: Any, user: Any) -> dict[str, Any]:
    """The part of the panel live events refresh: proposals and amendments."""
    now = proposals.now()
    items = proposals.proposals_of([section.id])[section.id]
    changes = amendments.amendments_of([section.id])[section.id]
    members_propose = proposals.members_may_propose(section)
    return {
        "section": section,
        "open_amendments": [a for a in changes if a.status == AmendmentStatus.OPEN],
        "decided_amendments": [a for a in changes if a.status != AmendmentStatus.OPEN],
        "open_proposals": [p for p in items if p.is_open(now)],
        "closed_proposals": [p for p in items if not p.is_open(now)],
        "own_votes": {p.id: proposals.own_vote(p, user) for p in items},
        "members": len(positions.active_members()),
        "can_open": user.is_secretariat or members_propose,
        "rules_form": RulesForm(formdata=None, members_propose=members_propose),
    }


def history_panel(app: Any, section: Any, user: Any) -> Panel | None:
    """On the history page: the outcomes of proposals and the decisions on amendments."""
    if not can_discuss(user, section):
        return None
    items = proposals.proposals_of([section.id])[section.id]
    decided = [p for p in items if p.outcome is not None]
    changes = amendments.amendments_of([section.id])[section.id]
    return Panel(
        _l("Decisions"),
        "decisions/_history.html",
        {
            "section": section,
            "proposals": decided,
            "amendments": [a for a in changes if a.status != AmendmentStatus.OPEN],
            "stylesheets": ["css/decisions.css"],
        },
        order=10,
    )


def awaiting_panel(app: Any, user: Any) -> Panel | None:
    """Dashboard: the open proposals waiting for the member's answer (nothing when none)."""
    items = proposals.awaiting(user, proposals.now())
    if not items:
        return None
    return Panel(
        _l("Proposals awaiting your answer"),
        "decisions/_panel.html",
        {"proposals": items},
        order=25,
    )
