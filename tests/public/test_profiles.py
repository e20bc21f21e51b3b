"""Who sees and who edits VIA profiles: proposals, approval, archive, key elements."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.public.models import KeyElement, ProfileStatus, ViaProfile
from tests.conftest import body_text, links_in, sign_in

PROPOSAL = {
    "name": "Tourism charter",
    "organisation": "A tour operators' association",
    "type": "voluntary-agreement",
    "sector": "tourism",
    "countries": ["MX", "ID"],
    "year_started": "1998",
    "description": "Operators agree to limit their impact.",
    "links": "https://example.org/charter The charter",
}


def test_a_members_proposal_stays_hidden_until_the_secretariat_approves(
    client, make_member, make_secretariat
):
    """Is a proposed profile invisible to the public and other members until approved?"""
    proposer = make_member()
    sign_in(client, proposer)
    response = client.post("/profiles/propose", data=PROPOSAL)
    assert response.status_code == 302
    profile = db.session.scalar(select(ViaProfile).where(ViaProfile.name == "Tourism charter"))
    assert profile.status is ProfileStatus.PROPOSED
    assert profile.proposed_by_id == proposer.id
    assert sorted(profile.countries) == ["ID", "MX"]
    assert client.get(f"/profiles/{profile.id}").status_code == 200  # the proposer sees it

    sign_in(client, make_member())
    assert client.get(f"/profiles/{profile.id}").status_code == 404
    client.post("/sign-out")
    for path in (f"/profiles/{profile.id}", "/profiles?q=tourism", "/key-elements/matrix", "/"):
        response = client.get(path)
        assert "Tourism charter" not in response.get_data(as_text=True), path
    assert client.get(f"/profiles/{profile.id}").status_code == 404

    sign_in(client, make_secretariat())
    assert "Tourism charter" in client.get("/manage/profiles").get_data(as_text=True)
    page = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Approve and publish" in page and "Decline" in page
    client.post(f"/manage/profiles/{profile.id}/status/published")
    assert profile.status is ProfileStatus.PUBLISHED
    assert profile.published_at is not None
    client.post("/sign-out")
    page = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Tourism charter" in page
    assert 'href="https://example.org/charter"' in page
    assert "Tourism charter" in client.get("/profiles?country=MX").get_data(as_text=True)


def test_a_proposal_cannot_publish_itself(member_client):
    """Can a member slip a status into the proposal form? (No: it is always 'proposed'.)"""
    member_client.post("/profiles/propose", data={**PROPOSAL, "status": "published"})
    profile = db.session.scalar(select(ViaProfile).where(ViaProfile.name == "Tourism charter"))
    assert profile.status is ProfileStatus.PROPOSED


def test_invalid_proposal_is_sent_back_with_messages(member_client):
    """Does a proposal without a name, with a bad link, come back as 422 with the reasons?"""
    response = member_client.post(
        "/profiles/propose", data={**PROPOSAL, "name": "", "links": "ftp://x", "year_started": "99"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 1 does not start with http:// or https://." in html
    assert 'aria-invalid="true"' in html


def test_anonymous_visitors_cannot_propose(client):
    """Is the proposal form for signed-in members only?"""
    response = client.get("/profiles/propose")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_only_the_secretariat_manages_profiles(member_client, make_profile):
    """Do members get 403 on every editing page and action?"""
    profile = make_profile("Code")
    for path in ("/manage/profiles", "/manage/profiles/new", f"/manage/profiles/{profile.id}/edit"):
        assert member_client.get(path).status_code == 403, path
    response = member_client.post(f"/manage/profiles/{profile.id}/status/archived")
    assert response.status_code == 403
    assert profile.status is ProfileStatus.PUBLISHED


def test_secretariat_creates_edits_and_archives(secretariat_client, client, make_member):
    """Can the Secretariat write a draft, publish it by editing, then archive it away from the public?"""
    response = secretariat_client.post(
        "/manage/profiles/new", data={**PROPOSAL, "name": "Draft charter", "status": "draft"}
    )
    assert response.status_code == 302
    profile = db.session.scalar(select(ViaProfile).where(ViaProfile.name == "Draft charter"))
    assert profile.status is ProfileStatus.DRAFT
    secretariat_client.post(
        f"/manage/profiles/{profile.id}/edit",
        data={**PROPOSAL, "name": "Final charter", "countries": ["BR"], "status": "published"},
    )
    assert (profile.name, profile.countries, profile.status) == (
        "Final charter",
        ["BR"],
        ProfileStatus.PUBLISHED,
    )
    secretariat_client.post(f"/manage/profiles/{profile.id}/status/archived")
    assert profile.status is ProfileStatus.ARCHIVED
    client.post("/sign-out")
    assert client.get(f"/profiles/{profile.id}").status_code == 404
    assert "Final charter" not in client.get("/profiles").get_data(as_text=True)
    sign_in(client, make_member())
    page = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Archived" in page


def test_key_elements_are_edited_and_reordered_by_the_secretariat(secretariat_client):
    """Can the Secretariat add key elements and move one up, the public page following the order?"""
    for title in ("First", "Second", "Third"):
        secretariat_client.post("/manage/key-elements/new", data={"title": title})
    elements = list(db.session.scalars(select(KeyElement).order_by(KeyElement.position)))
    assert [e.title for e in elements] == ["First", "Second", "Third"]
    third = elements[2]
    secretariat_client.post(f"/manage/key-elements/{third.id}/move/up")
    secretariat_client.post(
        f"/manage/key-elements/{third.id}/edit",
        data={"title": "Third, edited", "explanation": "Why it matters.\n\nMore."},
    )
    html = secretariat_client.get("/key-elements").get_data(as_text=True)
    assert html.index("First") < html.index("Third, edited") < html.index("Second")
    assert "<p>Why it matters.</p>" in html
    secretariat_client.post(f"/manage/key-elements/{elements[0].id}/move/up")
    titles = [e.title for e in db.session.scalars(select(KeyElement).order_by(KeyElement.position))]
    assert titles == ["First", "Third, edited", "Second"]


def test_members_cannot_edit_key_elements(member_client, make_key_element):
    """Do members get 403 when they try to edit or move a key element?"""
    element = make_key_element("One")
    assert member_client.get("/manage/key-elements").status_code == 403
    assert member_client.post(f"/manage/key-elements/{element.id}/move/down").status_code == 403
    response = member_client.post(f"/manage/key-elements/{element.id}/edit", data={"title": "X"})
    assert response.status_code == 403
    assert element.title == "One"


def test_the_secretariat_hears_of_a_proposal_by_email(
    client, make_member, make_secretariat, mailbox
):
    """Does each active officer get an e-mail with a link to the proposal to review?"""
    officer = make_secretariat("officer@example.org")
    make_secretariat("former@example.org", active=False)
    sign_in(client, make_member(name="Proposing Member"))
    client.post("/profiles/propose", data=PROPOSAL)
    profile = db.session.scalar(select(ViaProfile).where(ViaProfile.name == "Tourism charter"))
    message = mailbox.last(officer.email)
    assert "Tourism charter" in message["Subject"]
    assert "Proposing Member" in body_text(message)
    assert f"http://consult.test/profiles/{profile.id}" in links_in(message)
    assert mailbox.to("former@example.org") == []
