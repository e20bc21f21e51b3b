"""Proposals on a section: opened on a version, answered and changed until the close, each
constituency's position and who has not answered, a reminder before the close, the outcome."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from consult.database import utcnow
from consult.decisions.live import NAMESPACE
from consult.decisions.models import Choice, Outcome, Proposal, Vote
from consult.extensions import db, socketio
from consult.outbox.models import OutboxMessage
from consult.toolkit.models import SectionStatus, SectionVersion
from tests.conftest import body_text, sign_in

NEW_YORK = ZoneInfo("America/New_York")


def _open(client, section, question="Do we agree to this version?", days=7, hour="17:00"):
    when = (utcnow().astimezone(NEW_YORK) + timedelta(days=days)).date()
    return client.post(
        f"/toolkit/sections/{section.id}/proposals/new",
        data={
            "question": question,
            "details": "Agreed at the **Toronto** meeting.",
            "closes_on": when.isoformat(),
            "closes_time": hour,
        },
    )


def _vote(client, proposal, choice, reason=""):
    return client.post(f"/proposals/{proposal.id}/vote", data={"choice": choice, "reason": reason})


def section_author(section):
    """The officer who wrote the section's first version (an active member too)."""
    first = db.session.scalar(select(SectionVersion).where(SectionVersion.section_id == section.id))
    return first.author


def _proposal() -> Proposal:
    return db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()


def test_secretariat_opens_a_proposal_closing_in_its_zone_shown_in_each_members(
    client, make_secretariat, make_member, make_section
):
    """Is 17:00 in New York stored as that moment, and shown to a Nairobi member at 01:00 there?"""
    section = make_section(title="Purpose and scope")
    sign_in(client, make_secretariat())
    response = _open(client, section)
    assert response.status_code == 302
    proposal = _proposal()
    local = proposal.closes_at.astimezone(NEW_YORK)
    assert (local.hour, local.minute) == (17, 0) and proposal.version == 1
    sign_in(client, make_member(timezone="Africa/Nairobi"))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Proposal: Do we agree to this version?" in page
    assert "<strong>Toronto</strong>" in page
    assert re.search(r"1:00\s*am \(Nairobi\)", page)
    section_page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Do we agree to this version?" in section_page
    assert "Your answer is awaited." in section_page


def test_members_answer_change_their_answer_and_each_constituency_shows(
    client, make_secretariat, make_member, make_section
):
    """Do answers count once per member, as last changed, with each constituency's position and
    the members of each constituency who have not answered?"""
    section = make_section()
    officer = make_secretariat(name="Officer")
    sign_in(client, officer)
    _open(client, section)
    proposal = _proposal()
    union = make_member(name="Union One", constituency="trade-unions")
    make_member(name="Union Silent", constituency="trade-unions")
    business = make_member(name="Business One", constituency="business")
    ngo = make_member(name="NGO One", constituency="ngos")
    sign_in(client, union)
    assert _vote(client, proposal, "disagree", "Too vague").status_code == 302
    assert _vote(client, proposal, "agree", "Fine after the call").status_code == 302
    sign_in(client, business)
    _vote(client, proposal, "abstain")
    sign_in(client, ngo)
    _vote(client, proposal, "block", "Reporting is missing")
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 3
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', html, re.S))
    unions = rows["Trade unions"]
    assert "Agrees" in unions and "<bdi>Union One</bdi>: <bdi>Fine after the call</bdi>" in unions
    assert "(changed)" in unions and "Union Silent" in unions
    assert "Abstains" in rows["Business and industry"]
    assert "Blocks" in rows["NGOs"]
    assert "Reporting is missing" in rows["NGOs"]
    assert "Officer" in rows["DESA/DSD (Secretariat)"]  # not answered yet
    assert (
        "Agree: 1" in html and "Block: 1" in html and "Not yet answered: 3 of 6"
    )  # the section's author too in html
    assert "You answered: Block." in html


def test_a_block_needs_a_reason_and_nonsense_is_refused(
    member_client, make_secretariat, make_section
):
    """Is a block without a reason, or an answer that is not one of the four, refused with a message?"""
    section = make_section()
    db.session.add(
        Proposal(
            section_id=section.id,
            version=1,
            question="Agree?",
            opened_by_id=make_secretariat().id,
            closes_at=utcnow() + timedelta(days=2),
        )
    )
    db.session.commit()
    proposal = _proposal()
    response = _vote(member_client, proposal, "block", "   ")
    assert response.status_code == 422
    assert "a block needs a reason" in response.get_data(as_text=True)
    assert _vote(member_client, proposal, "veto").status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_answers_stop_at_the_close_and_the_outcome_is_kept_on_the_history(
    client, make_secretariat, make_member, make_section
):
    """After the close, is an answer refused (409); can only the Secretariat record the outcome,
    which stays on the section's history and, agreed, marks the section agreed in a new version?"""
    section = make_section(title="Scope")
    officer = make_secretariat()
    member = make_member()
    sign_in(client, officer)
    _open(client, section)
    proposal = _proposal()
    outcome = {"outcome": "agreed", "statement": "Agreed by consensus on the call of 5 May."}
    assert client.post(f"/proposals/{proposal.id}/outcome", data=outcome).status_code == 409
    sign_in(client, member)
    _vote(client, proposal, "agree")
    assert client.post(f"/proposals/{proposal.id}/close").status_code == 403
    sign_in(client, officer)
    assert client.post(f"/proposals/{proposal.id}/close").status_code == 302
    sign_in(client, member)
    refused = _vote(client, proposal, "disagree")
    assert refused.status_code == 409
    assert "answers can no longer be changed" in refused.get_data(as_text=True)
    assert client.post(f"/proposals/{proposal.id}/outcome", data=outcome).status_code == 403
    sign_in(client, officer)
    assert client.post(f"/proposals/{proposal.id}/outcome", data=outcome).status_code == 302
    db.session.refresh(proposal)
    db.session.refresh(section)
    assert proposal.outcome == Outcome.AGREED and section.status == SectionStatus.AGREED
    latest = db.session.scalar(
        select(SectionVersion).where(
            SectionVersion.section_id == section.id, SectionVersion.number == 2
        )
    )
    assert latest.note == f"Agreed: proposal {proposal.id}"
    history = client.get(f"/toolkit/sections/{section.id}/history").get_data(as_text=True)
    assert "Agreed by consensus on the call of 5 May." in history
    assert f"/proposals/{proposal.id}" in history


def test_members_open_proposals_only_where_the_secretariat_allows(
    client, make_secretariat, make_member, make_section
):
    """Is a member refused (403) until the Secretariat allows proposals on the section?"""
    section = make_section()
    member = make_member()
    sign_in(client, member)
    assert _open(client, section).status_code == 403
    sign_in(client, make_secretariat())
    client.post(f"/toolkit/sections/{section.id}/rules", data={"members_propose": "y"})
    sign_in(client, member)
    assert _open(client, section, question="Shall we add a part on reporting?").status_code == 302
    assert _proposal().opened_by_id == member.id


def test_a_closing_time_in_the_past_or_too_far_is_refused(secretariat_client, make_section):
    """Is a closing time in the past, or 200 days away, refused with a message and 422?"""
    section = make_section()
    past = _open(secretariat_client, section, days=-1)
    assert past.status_code == 422
    assert "at least an hour from now" in past.get_data(as_text=True)
    far = _open(secretariat_client, section, days=200)
    assert far.status_code == 422 and "within 90 days" in far.get_data(as_text=True)
    bad = secretariat_client.post(
        f"/toolkit/sections/{section.id}/proposals/new",
        data={"question": "Q", "closes_on": "2026-02-31", "closes_time": "25:00"},
    )
    assert bad.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_those_who_have_not_answered_are_reminded_once_before_the_close(
    app, client, make_secretariat, make_member, make_section, mailbox
):
    """Does the hourly job remind each active member without an answer once, in their own zone,
    and nobody who answered, was deactivated, or on a proposal not yet due?"""
    section = make_section(title="Purpose and scope")
    officer = make_secretariat()
    answered = make_member(name="Answered")
    waiting = make_member(name="Waiting", timezone="Asia/Kolkata")
    gone = make_member(name="Gone")
    sign_in(client, officer)
    _open(client, section, question="Closing soon?", days=3)
    soon = _proposal()
    soon.opened_at, soon.closes_at = utcnow() - timedelta(days=3), utcnow() + timedelta(hours=5)
    _open(client, section, question="Closing later?", days=10)
    db.session.commit()
    sign_in(client, answered)
    _vote(client, soon, "agree")
    gone.active = False
    db.session.commit()
    mailbox.clear()
    runner = app.test_cli_runner()
    author = section_author(section)
    assert "Proposal reminders queued: 3." in runner.invoke(args=["send-proposal-reminders"]).output
    assert "Proposal reminders queued: 0." in runner.invoke(args=["send-proposal-reminders"]).output
    recipients = sorted(str(m["To"]) for m in mailbox.messages)
    assert recipients == sorted([officer.email, waiting.email, author.email])
    letter = next(m for m in mailbox.messages if str(m["To"]) == waiting.email)
    assert "Purpose and scope" in letter["Subject"]
    text = body_text(letter)
    assert "Closing soon?" in text and f"/proposals/{soon.id}#answer" in text
    local = soon.closes_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{local.strftime('%-I:%M')}" in text and "(Kolkata)" in text
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("decisions.proposal-reminder") == 3


def test_votes_and_proposals_reach_the_sections_room(
    app, client, make_secretariat, make_member, make_section
):
    """Do a new proposal and an answer reach a socket joined to the section's room, and not another's?"""
    section, other = make_section(), make_section()
    listener = app.test_client()
    sign_in(listener, make_member())
    socket = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=listener)
    assert socket.emit("join", {"section": section.id}, namespace=NAMESPACE, callback=True) == {
        "ok": True
    }
    assert (
        socket.emit("join", {"section": 999999}, namespace=NAMESPACE, callback=True)["ok"] is False
    )
    sign_in(client, make_secretariat())
    _open(client, section)
    proposal = _proposal()
    _open(client, other)
    sign_in(client, make_member())
    _vote(client, proposal, "agree")
    events = [m["args"][0] for m in socket.get_received(NAMESPACE) if m["name"] == "decision"]
    assert events == [
        {"kind": "proposal-opened", "section_id": section.id, "proposal_id": proposal.id},
        {"kind": "vote", "section_id": section.id, "proposal_id": proposal.id},
    ]
    fragment = listener.get(f"/proposals/{proposal.id}/answers").get_data(as_text=True)
    assert "Agree: 1" in fragment
    socket.disconnect(NAMESPACE)


def test_anonymous_sockets_are_refused(app, client):
    """Is a socket without a signed-in session refused at connect?"""
    anonymous = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)
    assert not anonymous.is_connected(NAMESPACE)


def test_visitors_see_no_proposal(client, make_secretariat, make_section):
    """Are visitors sent to sign in from a proposal, even on a published section?"""
    section = make_section(published=True)
    db.session.add(
        Proposal(
            section_id=section.id,
            version=1,
            question="Agree?",
            opened_by_id=make_secretariat().id,
            closes_at=utcnow() + timedelta(days=2),
        )
    )
    db.session.commit()
    assert client.get(f"/proposals/{_proposal().id}").status_code == 302
    assert client.get("/proposals/99999").status_code == 302
    assert Choice.BLOCK.label == "Block"


def test_opening_a_proposal_writes_to_every_other_active_member(
    client, make_secretariat, make_member, make_section, mailbox
):
    """Does each active member but the opener get the question, its background and the closing
    time in their own zone, through the outbox?"""
    section = make_section(title="Purpose and scope")
    officer = make_secretariat()
    delhi = make_member(name="NGO Delhi", timezone="Asia/Kolkata")
    gone = make_member(name="Gone")
    gone.active = False
    db.session.commit()
    mailbox.clear()
    sign_in(client, officer)
    _open(client, section, question="Shall we agree the scope?")
    proposal = _proposal()
    recipients = sorted(str(m["To"]) for m in mailbox.messages)
    assert recipients == sorted([delhi.email, section_author(section).email])
    letter = next(m for m in mailbox.messages if str(m["To"]) == delhi.email)
    assert letter["Subject"] == "Proposal on Purpose and scope: Shall we agree the scope?"
    text = body_text(letter)
    assert "asks the Steering Group a question" in text
    assert "Agreed at the **Toronto** meeting." in text
    local = proposal.closes_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{local.strftime('%-I:%M')}" in text and "(Kolkata)" in text


def test_the_dashboard_lists_proposals_awaiting_the_members_answer(
    client, make_secretariat, make_member, make_section
):
    """Is an open proposal on the member's dashboard until they answer it?"""
    section = make_section()
    sign_in(client, make_secretariat())
    _open(client, section, question="Agree to the outline?")
    proposal = _proposal()
    sign_in(client, make_member())
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Proposals awaiting your answer" in dashboard and "Agree to the outline?" in dashboard
    _vote(client, proposal, "abstain")
    assert "Agree to the outline?" not in client.get("/dashboard").get_data(as_text=True)


def test_an_agreed_outcome_on_an_older_version_leaves_the_section_as_it_is(
    client, make_secretariat, make_section
):
    """When the section was edited after the proposal opened, is the outcome recorded but the
    newer text not marked agreed?"""
    section = make_section(title="Scope", body="First text")
    sign_in(client, make_secretariat())
    _open(client, section)
    proposal = _proposal()
    client.post(
        f"/toolkit/sections/{section.id}/edit",
        data={
            "title": "Scope",
            "body": "Second text",
            "status": "in-discussion",
            "responsible_id": "",
        },
    )
    client.post(f"/proposals/{proposal.id}/close")
    client.post(
        f"/proposals/{proposal.id}/outcome", data={"outcome": "agreed", "statement": "Yes."}
    )
    db.session.refresh(section)
    db.session.refresh(proposal)
    assert proposal.outcome == Outcome.AGREED
    assert section.version == 2 and section.status == SectionStatus.IN_DISCUSSION
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "the section is now at version 2" in page
