"""Demo library, from FACTS.md only: the background paper and the country case-study project."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from consult.accounts.models import User
from consult.documents.models import CaseStatus, CaseStudy, Document, Study, Visibility
from consult.documents.uploads import upload_folder
from consult.extensions import db

BACKGROUND_PAPER = (
    "background-paper",
    "Background paper: existing VIA processes and how they were reviewed",
    "The Secretariat commissioned a background paper giving an analytical overview of existing "
    "processes on voluntary initiatives and agreements, and of how intergovernmental and "
    "governmental forums reviewed them.\n\nThe consultative forum held during the second week of "
    "CSD-8 (1 to 5 May 2000, New York) uses it as its background document.",
    "",
    "",
)
CASE_STUDIES = (
    "country-case-studies",
    "Country case studies: the potential of VIAs in developing countries",
    "A joint project of the CSD Secretariat and MIT reviews the potential of voluntary "
    "initiatives and agreements in selected developing countries and one economy in transition "
    "(Hungary). The list of countries is tentative. Its method builds on MIT's earlier analyses, "
    "such as that of the Chemical Manufacturers Association's Responsible Care programme.",
    "MIT Technology, Business and Environment Program (Center for Technology, Policy and "
    "Industrial Development)",
    "Expected to start in May 2000, once funded",
)
CASE_COUNTRIES = ("BR", "CN", "HU", "IN", "ID", "MX", "ZA")
NOTE_TITLE = "Note on the country case-study project"
NOTE_TEXT = (
    "Country case studies on voluntary initiatives and agreements (VIAs)\n\n"
    "A joint project of the CSD Secretariat and the Technology, Business and Environment Program "
    "of the Massachusetts Institute of Technology (Center for Technology, Policy and Industrial "
    "Development). It is expected to start in May 2000, once funded.\n\n"
    "Tentative list of countries: Brazil, China, Hungary (the economy in transition), India, "
    "Indonesia, Mexico, South Africa.\n"
)


def _study(position: int, values: tuple[str, str, str, str, str]) -> Study:
    slug, title, summary, partner, timing = values
    study = db.session.scalar(select(Study).where(Study.slug == slug))
    if study is None:
        study = Study(
            slug=slug,
            title=title,
            summary=summary,
            partner=partner,
            timing=timing,
            position=position,
        )
        db.session.add(study)
    return study


def _seed_note(study: Study, uploader: User | None) -> None:
    if db.session.scalar(select(Document.id).where(Document.title == NOTE_TITLE)):
        return
    data = NOTE_TEXT.encode()
    stored_name = hashlib.sha256(b"demo-case-study-note").hexdigest()[:32]
    (upload_folder() / stored_name).write_bytes(data)
    db.session.add(
        Document(
            title=NOTE_TITLE,
            kind="report",
            description="What the CSD-8 paper says of the project.",
            stored_name=stored_name,
            display_name="case-study-project.txt",
            content_type="text/plain; charset=utf-8",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            visibility=Visibility.PUBLIC,
            study=study,
            uploaded_by=uploader,
        )
    )


def seed_documents(users: dict[str, User]) -> None:
    """The two studies, the seven countries and the note on the case-study project."""
    _study(1, BACKGROUND_PAPER)
    project = _study(2, CASE_STUDIES)
    db.session.flush()
    have = {case.country for case in project.case_studies}
    for country in CASE_COUNTRIES:
        if country not in have:
            note = "The economy in transition of the list." if country == "HU" else ""
            project.case_studies.append(
                CaseStudy(country=country, status=CaseStatus.PLANNED, note=note)
            )
    _seed_note(project, users.get("secretariat@example.org"))
    db.session.flush()
