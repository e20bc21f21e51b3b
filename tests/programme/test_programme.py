"""The work programme: members read it, the Secretariat edits it, the timeline leads to CSD-10."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from consult.extensions import db
from consult.programme.models import WorkItem, WorkStatus
from consult.programme.timeline import MILESTONES, build_timeline


def make_item(title: str, due: date | None = None, status=WorkStatus.PLANNED) -> WorkItem:
    """Store a work item."""
    item = WorkItem(title=title, due_date=due, status=status)
    db.session.add(item)
    db.session.commit()
    return item


def test_visitors_are_sent_to_sign_in(client):
    """Is the work programme for members only?"""
    response = client.get("/programme/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_members_read_items_and_the_timeline_without_edit_links(member_client):
    """Does a member see items, their status in words and the CSD-10 milestone, but no editing?"""
    make_item("Develop the VIA toolkit", date(2001, 12, 31), WorkStatus.IN_PROGRESS)
    make_item("Identify related processes")
    html = member_client.get("/programme/").get_data(as_text=True)
    assert "Develop the VIA toolkit" in html and "In progress" in html
    assert "CSD-10 and the ten-year review" in html
    assert "Not yet dated" in html
    assert "/programme/new" not in html and "/edit" not in html


def test_members_cannot_add_or_change_items(member_client):
    """Do members get 403 when they try to add or edit an item?"""
    item = make_item("Existing")
    assert member_client.get("/programme/new").status_code == 403
    assert (
        member_client.post(
            "/programme/new", data={"title": "Mine", "status": "planned"}
        ).status_code
        == 403
    )
    response = member_client.post(
        f"/programme/{item.id}/edit", data={"title": "Changed", "status": "done"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(WorkItem.title).where(WorkItem.id == item.id)) == "Existing"


def test_secretariat_adds_and_edits_an_item(secretariat_client, make_member):
    """Can the Secretariat record owner, constituency, due date, status and where it was agreed?"""
    owner = make_member(name="Toolkit lead", constituency="business")
    business_id = owner.constituency_id
    response = secretariat_client.post(
        "/programme/new",
        data={
            "title": "Draft the toolkit outline",
            "description": "First outline for discussion.",
            "owner_id": str(owner.id),
            "constituency_id": str(business_id),
            "due_date": "2000-09-30",
            "status": "planned",
            "agreed_at": "Teleconference of March 2000",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(WorkItem).where(WorkItem.title == "Draft the toolkit outline"))
    assert (item.owner_id, item.constituency_id, item.due_date) == (
        owner.id,
        business_id,
        date(2000, 9, 30),
    )
    assert item.agreed_at == "Teleconference of March 2000"
    form = secretariat_client.get(f"/programme/{item.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{owner.id}">' in form
    secretariat_client.post(
        f"/programme/{item.id}/edit",
        data={
            "title": "Draft the toolkit outline",
            "owner_id": "",
            "constituency_id": "",
            "due_date": "",
            "status": "done",
        },
    )
    assert (item.owner_id, item.due_date, item.status) == (None, None, WorkStatus.DONE)
    page = secretariat_client.get("/programme/").get_data(as_text=True)
    assert "Done" in page


def test_bad_input_comes_back_as_422(secretariat_client):
    """Are a missing title, an impossible date and an unknown status refused with messages?"""
    response = secretariat_client.post(
        "/programme/new",
        data={"title": "", "due_date": "2000-02-31", "status": "finished", "owner_id": "abc"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(WorkItem.id)) is None


def test_timeline_rule_without_http():
    """Are items placed by date among the milestones, undated apart, dropped ones left out?"""
    early = WorkItem(title="Early", due_date=date(2000, 4, 1), status=WorkStatus.DONE)
    late = WorkItem(title="Late", due_date=date(2001, 6, 1), status=WorkStatus.PLANNED)
    undated = WorkItem(title="Someday", status=WorkStatus.PLANNED)
    dropped = WorkItem(title="Dropped", due_date=date(2000, 6, 1), status=WorkStatus.DROPPED)
    years, loose = build_timeline([late, undated, dropped, early])
    assert [y.year for y in years] == [1999, 2000, 2001, 2002]
    year_2000 = [e.item.title if e.item else "milestone" for e in years[1].entries]
    assert year_2000[0] == "Early"
    assert "Dropped" not in year_2000
    assert years[-1].entries[-1].milestone is MILESTONES[-1]
    assert loose == [undated]
    assert late.overdue_on(date(2001, 7, 1)) and late.days_overdue(date(2001, 7, 1)) == 30
    assert not late.overdue_on(date(2001, 6, 1))
    assert not early.overdue_on(date(2001, 7, 1))
    assert not undated.overdue_on(date(2001, 7, 1))


def test_demo_data_is_loaded_once(app):
    """Does running the demo twice leave the five lines of work, the five action items of the
    two held calls, the four profiles and seven countries once?"""
    from consult.demo import load_demo
    from consult.documents.models import CaseStudy
    from consult.public.models import KeyElement, ViaProfile

    load_demo()
    load_demo()
    lines = list(db.session.scalars(select(WorkItem.title).where(WorkItem.call_id.is_(None))))
    assert len(lines) == 5 and "Explore methods to test the key elements" in lines
    actions = db.session.scalars(select(WorkItem).where(WorkItem.call_id.is_not(None))).all()
    assert len(actions) == 5
    assert sum(item.is_open for item in actions) == 3
    (toolkit,) = [item for item in actions if item.parent is not None]
    assert toolkit.parent.title == "Develop the VIA toolkit"
    names = sorted(db.session.scalars(select(ViaProfile.name)))
    assert names == [
        "Guidelines for Multinational Enterprises",
        "International Code of Conduct on the Distribution and Use of Pesticides",
        "International Code of Marketing of Breast-milk Substitutes",
        "Responsible Care",
    ]
    countries = sorted(db.session.scalars(select(CaseStudy.country)))
    assert countries == ["BR", "CN", "HU", "ID", "IN", "MX", "ZA"]
    elements = list(db.session.scalars(select(KeyElement.title)))
    assert all("to be entered" in title for title in elements)


def test_an_owner_sees_open_items_on_the_dashboard(client, make_member):
    """Does the dashboard list the member's own open items, not done or others' ones?"""
    from tests.conftest import sign_in

    owner = make_member()
    mine = WorkItem(title="Collect case material", owner_id=owner.id, due_date=date(2000, 6, 1))
    done = WorkItem(title="Old task", owner_id=owner.id, status=WorkStatus.DONE)
    other = WorkItem(title="Someone else's task")
    db.session.add_all([mine, done, other])
    db.session.commit()
    html = sign_in(client, owner).get("/dashboard").get_data(as_text=True)
    assert "Your work programme items" in html
    assert "Collect case material" in html
    assert "Old task" not in html and "Someone else" not in html


def test_the_programme_is_two_levels_deep(secretariat_client):
    """Can the Secretariat put an item under a line, but not a line that has items under it?"""
    toolkit = make_item("Develop the VIA toolkit")
    needs = make_item("Identify further information needs")
    outline = make_item("Draft the toolkit outline")
    base = {"status": "planned", "owner_id": "", "constituency_id": "", "call_id": ""}
    response = secretariat_client.post(
        f"/programme/{outline.id}/edit",
        data={**base, "title": outline.title, "parent_id": str(toolkit.id)},
    )
    assert response.status_code == 302
    assert outline.parent_id == toolkit.id
    form = secretariat_client.get(f"/programme/{toolkit.id}/edit").get_data(as_text=True)
    assert f'<option value="{toolkit.id}">Develop the VIA toolkit' not in form  # not itself
    refused = secretariat_client.post(
        f"/programme/{toolkit.id}/edit",
        data={**base, "title": toolkit.title, "parent_id": str(needs.id)},
    )
    assert refused.status_code == 422
    assert "Other items serve this one" in refused.get_data(as_text=True)
    assert toolkit.parent_id is None
