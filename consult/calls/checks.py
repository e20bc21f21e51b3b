"""What is wrong with a proposed start: refusals, and warnings to acknowledge.

Confirming a slot and moving a call go through the same checks, on the same
:class:`~consult.calls.planner.PlanInput` the planner reads, so a start the
planner would never offer is never accepted without a word. A refusal stops the
change (a call in the past, too close to another call of the series); a warning
(a weekend, a holiday, short notice, members at night or away) is shown to the
Secretariat, who sends the invitations only after acknowledging it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from consult.calls.planner import PlanInput, explain, organiser_date, too_close

#: Less notice than this is worth a warning.
SHORT_NOTICE = timedelta(days=7)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a start: a code for the page, and its details."""

    code: str
    #: Names, local times or a date, depending on the code.
    details: tuple = ()


@dataclass(frozen=True)
class StartReview:
    """The refusals and warnings for one proposed start."""

    start: datetime
    refusals: tuple[Problem, ...] = field(default=())
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        """True when nothing refuses the start (warnings may still need acknowledging)."""
        return not self.refusals

    @property
    def digest(self) -> str:
        """A short fingerprint of the warnings, which the acknowledgement carries back.

        If the warnings change between the review and the click (a member marks
        themselves away, a holiday is added), the fingerprint no longer matches and the
        new warnings are shown first. The notice left is left out: it shrinks every second.
        """
        shown = [(p.code,) if p.code == "notice" else (p.code, p.details) for p in self.warnings]
        return hashlib.sha256(repr((self.start, shown)).encode()).hexdigest()[:16]

    def acknowledged_by(self, answer: str | None) -> bool:
        """True when there is nothing to acknowledge, or ``answer`` acknowledges these warnings."""
        return not self.warnings or answer == self.digest


def review_start(plan: PlanInput, start: datetime, now: datetime) -> StartReview:
    """Check ``start`` against the series' rules: cadence, calendar, notice and hours."""
    refusals, warnings = [], []
    if start < now:
        refusals.append(Problem("past"))
    day = organiser_date(plan, start)
    neighbour = too_close(plan, day)
    if neighbour is not None:
        refusals.append(Problem("cadence", (neighbour, plan.cadence_min_days)))
    if day.weekday() >= 5:
        warnings.append(Problem("weekend", (day,)))
    if day in plan.holidays:
        warnings.append(Problem("holiday", (day,)))
    if now <= start < now + SHORT_NOTICE:
        warnings.append(Problem("notice", (start - now,)))
    candidate = explain(plan, start)
    if candidate.night:
        warnings.append(Problem("night", candidate.night))
    if candidate.away:
        warnings.append(Problem("away", candidate.away))
    return StartReview(start, tuple(refusals), tuple(warnings))
