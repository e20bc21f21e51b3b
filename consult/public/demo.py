"""Demo content of the public site, from FACTS.md only (the CSD-8 paper on VIAs).

The text of the key elements is not in that paper: the placeholders say so
instead of inventing it. Profiles give only what the paper says of each code.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from consult.accounts.models import User
from consult.database import utcnow
from consult.extensions import db
from consult.public.models import (
    CaseStatus,
    CaseStudy,
    Document,
    KeyElement,
    ProfileStatus,
    ProfileType,
    Study,
    ViaProfile,
    Visibility,
)
from consult.public.uploads import upload_folder

PLACEHOLDER_ELEMENTS = 3
WORKSHOP = (
    "One of the three voluntary codes of conduct drawn up by international organisations that "
    "the NGO members of the Steering Group may study at a one-day workshop on 28 April 2000."
)

#: (name, organisation, type, sector, year, description)
PROFILES = (
    (
        "International Code of Conduct on the Distribution and Use of Pesticides",
        "Food and Agriculture Organization of the United Nations (FAO)",
        ProfileType.CODE_OF_CONDUCT,
        "agriculture",
        1986,
        f"Code of conduct adopted by FAO (Rome, 1986).\n\n{WORKSHOP}",
    ),
    (
        "International Code of Marketing of Breast-milk Substitutes",
        "UNICEF and the World Health Organization (WHO)",
        ProfileType.CODE_OF_CONDUCT,
        "health",
        1981,
        f"Code of conduct of UNICEF and WHO (WHO, Geneva, 1981).\n\n{WORKSHOP}",
    ),
    (
        "Guidelines for Multinational Enterprises",
        "Organisation for Economic Co-operation and Development (OECD)",
        ProfileType.CODE_OF_CONDUCT,
        "multi-sector",
        None,
        f"The OECD's guidelines for multinational enterprises.\n\n{WORKSHOP}",
    ),
    (
        "Responsible Care",
        "Chemical Manufacturers Association",
        ProfileType.OTHER,
        "chemicals",
        None,
        "The chemical industry programme of the Chemical Manufacturers Association. MIT's "
        "Technology, Business and Environment Program analysed it; the method of the country "
        "case-study project builds on such earlier analyses.",
    ),
)

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


def _seed_key_elements() -> None:
    if db.session.scalar(select(KeyElement.id).limit(1)) is not None:
        return
    for number in range(1, PLACEHOLDER_ELEMENTS + 1):
        db.session.add(
            KeyElement(
                position=number,
                title=f"Key element {number} (text from E/CN.17/1999/12 to be entered)",
                explanation=(
                    "Placeholder. The key elements identified at Toronto in March 1999 are "
                    "reported in E/CN.17/1999/12; their number and text are to be entered from "
                    "that document by the Secretariat."
                ),
            )
        )


def _seed_profiles() -> None:
    existing = set(db.session.scalars(select(ViaProfile.name)))
    for name, organisation, type_, sector, year, description in PROFILES:
        if name in existing:
            continue
        db.session.add(
            ViaProfile(
                name=name,
                organisation=organisation,
                type=type_,
                sector=sector,
                year_started=year,
                description=description,
                status=ProfileStatus.PUBLISHED,
                published_at=utcnow(),
            )
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


def seed_public(users: dict[str, User]) -> None:
    """Key element placeholders, the four profiles, the two studies and the seven countries."""
    _seed_key_elements()
    _seed_profiles()
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
