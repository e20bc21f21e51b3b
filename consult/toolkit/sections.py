"""Rules for sections: who reads them, saving versions, ordering, and redlines between versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from consult.database import utcnow
from consult.extensions import db
from consult.ordering import move
from consult.redline import Run, changed, redline
from consult.toolkit.models import Section, SectionStatus, SectionVersion


def can_read(user: Any, section: Section) -> bool:
    """Published sections are public; the others are for signed-in members only."""
    return section.published or bool(getattr(user, "is_authenticated", False))


def can_discuss(user: Any, section: Section) -> bool:
    """Comments, positions and live updates are for signed-in members of the Steering Group."""
    return bool(getattr(user, "is_authenticated", False))


def ordered_sections(include_drafts: bool) -> list[Section]:
    """The toolkit in order; without drafts, only the published sections."""
    query = select(Section).order_by(Section.position, Section.id)
    if not include_drafts:
        query = query.where(Section.published.is_(True))
    return list(db.session.scalars(query))


def create_section(
    *,
    title: str,
    body: str,
    status: SectionStatus,
    author: Any,
    responsible_id: int | None = None,
    published: bool = False,
    translations: dict[str, dict[str, str]] | None = None,
) -> Section:
    """Add a section at the end of the toolkit, with its first version."""
    last = db.session.scalar(select(func.max(Section.position))) or 0
    section = Section(
        title=title,
        body=body,
        status=status,
        responsible_id=responsible_id,
        published=published,
        translations=translations or {},
        position=last + 1,
    )
    db.session.add(section)
    db.session.flush()
    _save_version(section, author, note="")
    return section


def update_section(section: Section, *, author: Any, note: str = "", **changes: Any) -> bool:
    """Apply ``changes``; a new version is saved when the title, text or status changed."""
    versioned = False
    for name, value in changes.items():
        if getattr(section, name) != value:
            versioned |= name in {"title", "body", "status"}
            setattr(section, name, value)
    section.updated_at = utcnow()
    if versioned:
        _save_version(section, author, note)
    return versioned


def _save_version(section: Section, author: Any, note: str) -> SectionVersion:
    section.version += 1
    version = SectionVersion(
        section_id=section.id,
        number=section.version,
        title=section.title,
        body=section.body,
        status=section.status,
        author_id=getattr(author, "id", None),
        note=note,
    )
    db.session.add(version)
    return version


def move_section(section: Section, direction: str) -> None:
    """Move a section one place ``up`` or ``down`` the toolkit."""
    move(ordered_sections(include_drafts=True), section, direction)


def versions_of(section: Section) -> list[SectionVersion]:
    """Every version of a section, newest first."""
    return list(
        db.session.scalars(
            select(SectionVersion)
            .where(SectionVersion.section_id == section.id)
            .order_by(SectionVersion.number.desc())
        )
    )


def version(section: Section, number: int) -> SectionVersion | None:
    """One version of a section by its number."""
    return db.session.scalar(
        select(SectionVersion).where(
            SectionVersion.section_id == section.id, SectionVersion.number == number
        )
    )


@dataclass(frozen=True)
class Comparison:
    """Two versions side by side: the title and the text as redlines, and the status change."""

    title: list[Run]
    body: list[Run]
    old_status: SectionStatus
    new_status: SectionStatus

    @property
    def unchanged(self) -> bool:
        """Nothing of the title, text or status differs."""
        return (
            not changed(self.title)
            and not changed(self.body)
            and self.old_status == self.new_status
        )


def compare_versions(old: SectionVersion, new: SectionVersion) -> Comparison:
    """What changed from ``old`` to ``new``, word by word."""
    return Comparison(
        title=redline(old.title, new.title),
        body=redline(old.body, new.body),
        old_status=old.status,
        new_status=new.status,
    )
