"""A section's record, for printing: its adopted text, versions, amendments, proposals and outcomes.

The adopted text is that of the newest version whose status is "agreed"; until a version is
agreed, the record says so and gives the current draft. The page is written for paper
(``@media print`` in decisions.css): no forms, no scripts, every change a redline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_login import current_user

from consult.accounts.roles import member_required
from consult.decisions import amendments, bp, positions, proposals
from consult.decisions.views import discussable_section
from consult.redline import Run, redline
from consult.toolkit.models import SectionStatus, SectionVersion
from consult.toolkit.sections import versions_of


@dataclass(frozen=True)
class AmendmentRecord:
    """An amendment with its change as a redline."""

    amendment: Any
    runs: list[Run]


def adopted_version(versions: list[SectionVersion]) -> SectionVersion | None:
    """The newest agreed version (``versions`` newest first), if any."""
    return next((v for v in versions if v.status == SectionStatus.AGREED), None)


@bp.get("/toolkit/sections/<int:section_id>/record")
@member_required
def section_record(section_id: int):
    """The printable record of a section."""
    section = discussable_section(section_id)
    versions = versions_of(section)
    adopted = adopted_version(versions)
    members = positions.active_members()
    items = proposals.proposals_of([section.id])[section.id]
    return render_template(
        "decisions/record.html",
        section=section,
        versions=versions,
        adopted=adopted,
        current=versions[0] if versions else None,
        amendments=[
            AmendmentRecord(a, redline(a.passage, a.replacement))
            for a in reversed(amendments.amendments_of([section.id])[section.id])
        ],
        proposals=[(p, proposals.answers(p, members)) for p in reversed(items)],
        constituencies=positions.constituencies(),
        now=proposals.now(),
        reader=current_user,
    )
