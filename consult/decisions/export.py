"""A section's record, to print or as a PDF: adopted text, versions, amendments, proposals, outcomes.

The adopted text is that of the newest version whose status is "agreed"; until a version is
agreed, the record says so and gives the current draft. The page is written for paper
(``@media print`` in decisions.css): no forms, no scripts, every change a redline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from consult.accounts.roles import member_required
from consult.decisions import amendments, bp, pdf, positions, proposals
from consult.decisions.views import discussable_section
from consult.i18n.content import localized
from consult.i18n.formats import format_datetime
from consult.pdf import pdf_response
from consult.redline import Run
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


def record_context(section: Any) -> dict[str, Any]:
    """Everything the record holds, oldest amendment and proposal first."""
    versions = versions_of(section)
    texts = {v.number: v.body for v in versions}
    members = positions.active_members()
    items = proposals.proposals_of([section.id])[section.id]
    return {
        "section": section,
        "versions": versions,
        "adopted": adopted_version(versions),
        "amendments": [
            AmendmentRecord(a, amendments.in_context(a, texts.get(a.version)))
            for a in reversed(amendments.amendments_of([section.id])[section.id])
        ],
        "proposals": [(p, proposals.answers(p, members)) for p in reversed(items)],
        "constituencies": positions.constituencies(),
        "now": proposals.now(),
    }


@bp.get("/toolkit/sections/<int:section_id>/record")
@member_required
def section_record(section_id: int):
    """The printable record of a section."""
    return render_template(
        "decisions/record.html", **record_context(discussable_section(section_id))
    )


@bp.get("/toolkit/sections/<int:section_id>/record.pdf")
@member_required
def section_record_pdf(section_id: int):
    """The record as a PDF file, to keep or send."""
    section = discussable_section(section_id)
    context = record_context(section)
    return pdf_response(lambda: record_pdf(context), f"toolkit-section-{section.id}-record.pdf")


def record_pdf(context: dict[str, Any]) -> bytes:
    """The record laid out as a PDF, with the page's words (the same translations)."""
    section, adopted = context["section"], context["adopted"]
    title = str(localized(section, "title"))
    doc = pdf.Document(title=title)
    doc.text(_("CSD Steering Group on voluntary initiatives and agreements — toolkit"), size=9)
    doc.heading(title, size=16)
    doc.text(
        _(
            "Record as of %(when)s; status: %(status)s; current version: %(n)d.",
            when=format_datetime(context["now"], "medium", zone=True),
            status=section.status.label,
            n=section.version,
        )
    )
    if adopted:
        doc.heading(
            _(
                "Adopted text (version %(n)d, agreed %(when)s)",
                n=adopted.number,
                when=format_datetime(adopted.created_at, "medium"),
            )
        )
        if adopted.number != section.version:
            doc.text(
                _(
                    "The section has changed since it was agreed: the current draft is version %(n)d.",
                    n=section.version,
                )
            )
            doc.space()
        doc.text(pdf.markdown_text(adopted.body))
    else:
        doc.heading(_("Text (version %(n)d, not yet adopted)", n=section.version))
        doc.text(_("No version of this section has been agreed yet; this is the current draft."))
        doc.space()
        doc.text(pdf.markdown_text(section.body))
    doc.heading(_("Versions"))
    for v in reversed(context["versions"]):
        who = v.author.display_name if v.author else ""
        line = f"{v.number}. {format_datetime(v.created_at, 'short')} - {who} - {v.status.label}"
        doc.text(f"{line} - {v.note}" if v.note else line, size=9)
    doc.heading(_("Amendments"))
    if context["amendments"]:
        doc.text(_("Deleted words are struck through.") + " [- -]", size=9)
        doc.text(_("Inserted words are underlined.") + " {+ +}", size=9)
    else:
        doc.text(_("No amendment."))
    for item in context["amendments"]:
        a = item.amendment
        name = _("Amendment %(n)d by %(author)s", n=a.id, author=a.author.display_name)
        doc.heading(f"{name} ({a.constituency.name})" if a.constituency else name, size=11)
        doc.text(
            _(
                "On version %(n)d, %(when)s. Status: %(status)s.",
                n=a.version,
                when=format_datetime(a.created_at, "medium"),
                status=a.status.label,
            ),
            size=9,
        )
        doc.space(4)
        doc.runs(item.runs)
        if a.reason:
            doc.space(4)
            doc.text(f"{_('Why')}: {pdf.markdown_text(a.reason)}", size=9)
        if a.decision_reason:
            doc.text(_("Reason: %(reason)s", reason=a.decision_reason), size=9)
    doc.heading(_("Proposals and outcomes"))
    if not context["proposals"]:
        doc.text(_("No proposal."))
    for p, answers in context["proposals"]:
        doc.heading(p.question, size=11)
        doc.text(
            _(
                "On version %(n)d; opened by %(who)s, %(opened)s; closes or closed %(closes)s.",
                n=p.version,
                who=p.opened_by.display_name,
                opened=format_datetime(p.opened_at, "medium"),
                closes=format_datetime(p.closed_at or p.closes_at, "medium", zone=True),
            ),
            size=9,
        )
        for c in context["constituencies"]:
            group = answers.of(c.id)
            if not group.members:
                continue
            given = "; ".join(
                f"{m.display_name}: {v.choice.label}" + (f" ({v.reason})" if v.reason else "")
                for m, v in group.votes
            )
            silent = ", ".join(m.display_name for m in group.not_answered)
            line = f"{c.name}: {group.position_label}"
            line += f" - {given}" if given else ""
            line += f" - {_('Not yet answered')}: {silent}" if silent else ""
            doc.text(line, size=9, indent=12)
        if p.outcome:
            doc.space(4)
            doc.text(_("Outcome: %(outcome)s", outcome=p.outcome.label), bold=True)
            doc.text(pdf.markdown_text(p.outcome_statement))
        elif p.is_open(context["now"]):
            doc.text(_("Open: answers are still taken."))
        else:
            doc.text(_("Closed; outcome not yet recorded."))
    return doc.render()
