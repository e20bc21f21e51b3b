"""The studies page: the background paper and the country case studies."""

from __future__ import annotations

from sqlalchemy import select

from consult.demo import load_demo
from consult.documents.models import CaseStatus, CaseStudy
from consult.extensions import db


def test_case_study_countries_are_listed_by_name_with_their_status(app, client):
    """Does the studies page list the seven countries by name, each with its status in words?"""
    load_demo()
    html = client.get("/studies").get_data(as_text=True)
    names = ["Brazil", "China", "Hungary", "India", "Indonesia", "Mexico", "South Africa"]
    positions = [html.index(f'<th scope="row">{name}</th>') for name in names]
    assert positions == sorted(positions)
    assert html.count(">Planned</span>") == 7
    assert "MIT Technology, Business and Environment Program" in html


def test_secretariat_updates_a_countrys_status(secretariat_client, client):
    """Can the Secretariat mark one country's study in progress, with a note, for all to see?"""
    load_demo()
    india = db.session.scalar(select(CaseStudy).where(CaseStudy.country == "IN"))
    response = secretariat_client.post(
        f"/manage/case-studies/{india.id}", data={"status": "in-progress", "note": "Funded."}
    )
    assert response.status_code == 302
    assert (india.status, india.note) == (CaseStatus.IN_PROGRESS, "Funded.")
    assert (
        secretariat_client.post(
            f"/manage/case-studies/{india.id}", data={"status": "x"}
        ).status_code
        == 422
    )


def test_members_cannot_update_case_studies(member_client):
    """Is the case-study form closed to members?"""
    load_demo()
    china = db.session.scalar(select(CaseStudy).where(CaseStudy.country == "CN"))
    response = member_client.post(f"/manage/case-studies/{china.id}", data={"status": "done"})
    assert response.status_code == 403
    assert china.status is CaseStatus.PLANNED
