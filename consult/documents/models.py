"""Studies, the countries of a case-study project, and the documents of the library."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.database import str_enum, utcnow
from consult.enums import LabelledEnum
from consult.extensions import db
from consult.i18n.content import Translatable
from consult.public.models import ViaProfile


class Visibility(LabelledEnum):
    """Who may download a document."""

    PUBLIC = "public", _l("Public")
    MEMBERS = "members", _l("Members only")


class CaseStatus(LabelledEnum):
    """Progress of one country's case study."""

    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in-progress", _l("In progress")
    DONE = "done", _l("Done")


#: Kinds of document (slug -> label).
DOCUMENT_KINDS = {
    "background-paper": _l("Background paper"),
    "code": _l("Code or guidelines"),
    "study": _l("Study"),
    "report": _l("Report"),
    "official": _l("Official UN document"),
    "other": _l("Other"),
}


class Study(db.Model):
    """An analytical study: the background paper, or the country case-study project."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier for URLs and demo data.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Who carries it out with the Secretariat, if anyone.
    partner: Mapped[str] = mapped_column(String(300), default="")
    #: When it starts, in words ("May 2000, once funded").
    timing: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    case_studies: Mapped[list[CaseStudy]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="CaseStudy.country"
    )
    documents: Mapped[list[Document]] = relationship(back_populates="study")


class CaseStudy(db.Model):
    """One country of a case-study project, with its progress."""

    __tablename__ = "case_studies"
    __table_args__ = (UniqueConstraint("study_id", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.PLANNED)
    note: Mapped[str] = mapped_column(Text, default="")

    study: Mapped[Study] = relationship(back_populates="case_studies")
    documents: Mapped[list[Document]] = relationship(back_populates="case_study")


class Document(Translatable, db.Model):
    """An uploaded file, stored outside ``static/`` under a generated name."""

    __tablename__ = "documents"
    translatable = ("title", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The UN document symbol (E/CN.17/1999/12), or "" for a document without one.
    symbol: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    kind: Mapped[str] = mapped_column(String(40), default="other")
    description: Mapped[str] = mapped_column(Text, default="")
    #: Random name of the file inside ``UPLOAD_DIR/documents``; never from the user.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The uploaded name, cleaned: offered as the download's file name only.
    display_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility), default=Visibility.MEMBERS, index=True
    )
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("via_profiles.id", ondelete="SET NULL"), index=True
    )
    study_id: Mapped[int | None] = mapped_column(ForeignKey("studies.id", ondelete="SET NULL"))
    case_study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="SET NULL")
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    profile: Mapped[ViaProfile | None] = relationship()
    study: Mapped[Study | None] = relationship(back_populates="documents")
    case_study: Mapped[CaseStudy | None] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship()

    #: Earlier files of this document, newest first; the document's own fields are the current one.
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number.desc()",
        lazy="selectin",
    )

    @property
    def version_number(self) -> int:
        """The current file's number: 1 for a document never replaced."""
        return (self.versions[0].number + 1) if self.versions else 1

    @property
    def kind_label(self) -> object:
        """What kind of document it is, in words."""
        return DOCUMENT_KINDS.get(self.kind, self.kind)


class DocumentVersion(db.Model):
    """An earlier file of a document, kept listed when a new version is uploaded."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the first file, then 2, 3...
    number: Mapped[int]
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime]

    document: Mapped[Document] = relationship(back_populates="versions")
