"""Amendments: replacement text for a passage, comments on it, accepted into a new version
naming it and its author, or declined with a reason."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from consult.decisions.live import NAMESPACE
from consult.decisions.models import Amendment, AmendmentComment, AmendmentStatus
from consult.extensions import db, socketio
from consult.toolkit.models import SectionVersion
from tests.conftest import sign_in

TEXT = (
    "Voluntary initiatives should be transparent.\n\n"
    "Each initiative reports every year to the Commission."
)


def _propose(client, section, passage="reports every year", replacement="reports every two years"):
    return client.post(
        f"/toolkit/sections/{section.id}/amendments/new",
        data={
            "passage": passage,
            "replacement": replacement,
            "reason": "Less paperwork for *SMEs*.",
        },
    )


def _amendment() -> Amendment:
    return db.session.scalars(select(Amendment).order_by(Amendment.id.desc())).first()


def test_a_member_proposes_an_amendment_shown_as_a_redline(client, make_member, make_section):
    """Is the amendment saved on the current version and shown as words deleted and inserted?"""
    section = make_section(title="Reporting", body=TEXT)
    author = make_member(name="Business Delegate", constituency="business")
    sign_in(client, author)
    form = client.get(
        f"/toolkit/sections/{section.id}/amendments/new?passage=reports+every+year"
    ).get_data(as_text=True)
    assert re.search(r">\s*reports every year</textarea>", form)
    assert _propose(client, section).status_code == 302
    amendment = _amendment()
    assert (amendment.version, amendment.author_id) == (1, author.id)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert f"Amendment {amendment.id} by <bdi>Business Delegate</bdi>" in page
    assert re.search(r"<del><span[^>]*>\[deleted: </span>year<", page)
    assert re.search(r"<ins><span[^>]*>\[inserted: </span>two years<", page)
    # the change in its paragraph, the other paragraph left out
    assert "Each initiative reports every <del>" in page and " to the Commission.</div>" in page
    assert "should be transparent" not in page
    assert "<em>SMEs</em>" in page
    section_page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert f"/amendments/{amendment.id}" in section_page


def test_a_passage_must_stand_once_in_the_current_text(member_client, make_section):
    """Is a passage not in the text, or found twice, refused with a message and 422?"""
    section = make_section(body="one two one two")
    missing = _propose(member_client, section, passage="three")
    assert missing.status_code == 422
    assert "not in the current text" in missing.get_data(as_text=True)
    twice = _propose(member_client, section, passage="one", replacement="1")
    assert twice.status_code == 422 and "stands 2 times" in twice.get_data(as_text=True)
    same = _propose(member_client, section, passage="one two one", replacement="one two one")
    assert same.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Amendment)) == 0


def test_members_comment_and_the_secretariat_accepts_into_a_new_version(
    client, make_member, make_secretariat, make_section
):
    """Do comments show, and does accepting make a version with the passage replaced, its note
    naming the amendment and its author, kept on the history; is a second decision refused?"""
    section = make_section(title="Reporting", body=TEXT)
    author = make_member(name="Business Delegate", constituency="business")
    sign_in(client, author)
    _propose(client, section)
    amendment = _amendment()
    sign_in(client, make_member(name="Union Delegate", constituency="trade-unions"))
    response = client.post(
        f"/amendments/{amendment.id}/comments", data={"body": "We can live with **two**."}
    )
    assert response.status_code == 302
    assert client.post(f"/amendments/{amendment.id}/accept", data={}).status_code == 403
    assert (
        client.post(f"/amendments/{amendment.id}/comments", data={"body": " "}).status_code == 422
    )
    sign_in(client, make_secretariat())
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Union Delegate" in page and "We can live with <strong>two</strong>." in page
    accepted = client.post(
        f"/amendments/{amendment.id}/accept", data={"note": "As agreed on the call"}
    )
    assert accepted.status_code == 302
    db.session.refresh(section)
    assert section.version == 2
    assert "Each initiative reports every two years to the Commission." in section.body
    version = db.session.scalar(
        select(SectionVersion).where(
            SectionVersion.section_id == section.id, SectionVersion.number == 2
        )
    )
    assert (
        version.note
        == f"Amendment {amendment.id} by Business Delegate accepted. As agreed on the call"
    )
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.ACCEPTED and amendment.accepted_version == 2
    history = client.get(f"/toolkit/sections/{section.id}/history").get_data(as_text=True)
    assert f"Amendment {amendment.id} by Business Delegate accepted" in history
    assert "Accepted" in history[history.index("Amendments</h3>") :]
    again = client.post(f"/amendments/{amendment.id}/decline", data={"reason": "Too late"})
    assert again.status_code == 409 and "no longer open" in again.get_data(as_text=True)


def test_declining_needs_a_reason_and_shows_it(client, make_member, make_secretariat, make_section):
    """Is a decline without a reason refused (422), and a reason shown on the amendment and history?"""
    section = make_section(body=TEXT)
    sign_in(client, make_member())
    _propose(client, section)
    amendment = _amendment()
    sign_in(client, make_secretariat())
    assert (
        client.post(f"/amendments/{amendment.id}/decline", data={"reason": ""}).status_code == 422
    )
    assert (
        client.post(
            f"/amendments/{amendment.id}/decline",
            data={"reason": "The Commission asked for yearly reports."},
        ).status_code
        == 302
    )
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Reason: The Commission asked for yearly reports." in page
    db.session.refresh(section)
    assert section.version == 1
    history = client.get(f"/toolkit/sections/{section.id}/history").get_data(as_text=True)
    assert "The Commission asked for yearly reports." in history


def test_an_amendment_overtaken_by_an_edit_cannot_be_accepted(
    client, make_member, make_secretariat, make_section
):
    """Is accepting refused (409) once the passage has left the text, the section unchanged?"""
    section = make_section(title="Reporting", body=TEXT)
    sign_in(client, make_member())
    _propose(client, section)
    amendment = _amendment()
    sign_in(client, make_secretariat())
    client.post(
        f"/toolkit/sections/{section.id}/edit",
        data={
            "title": "Reporting",
            "body": "Reports are yearly.",
            "status": "proposed",
            "responsible_id": "",
        },
    )
    refused = client.post(f"/amendments/{amendment.id}/accept", data={})
    assert refused.status_code == 409 and "has changed since the amendment" in refused.get_data(
        as_text=True
    )
    db.session.refresh(section)
    assert section.version == 2 and section.body == "Reports are yearly."


def test_only_the_author_withdraws(client, make_member, make_section):
    """Can the author withdraw an open amendment, and nobody else?"""
    section = make_section(body=TEXT)
    author, other = make_member(), make_member()
    sign_in(client, author)
    _propose(client, section)
    amendment = _amendment()
    sign_in(client, other)
    assert client.post(f"/amendments/{amendment.id}/withdraw").status_code == 409
    sign_in(client, author)
    assert client.post(f"/amendments/{amendment.id}/withdraw").status_code == 302
    db.session.refresh(amendment)
    assert amendment.status == AmendmentStatus.WITHDRAWN


def test_amendment_events_reach_the_sections_room(
    app, client, make_member, make_secretariat, make_section
):
    """Do a new amendment, a comment and the decision reach a socket in the section's room?"""
    section = make_section(body=TEXT)
    listener = app.test_client()
    sign_in(listener, make_member())
    socket = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=listener)
    socket.emit("join", {"section": section.id}, namespace=NAMESPACE, callback=True)
    sign_in(client, make_member())
    _propose(client, section)
    amendment = _amendment()
    client.post(f"/amendments/{amendment.id}/comments", data={"body": "Fine."})
    sign_in(client, make_secretariat())
    client.post(f"/amendments/{amendment.id}/decline", data={"reason": "No."})
    kinds = [
        m["args"][0]["kind"] for m in socket.get_received(NAMESPACE) if m["name"] == "decision"
    ]
    assert kinds == ["amendment-proposed", "amendment-comment", "amendment-declined"]
    fragment = listener.get(f"/amendments/{amendment.id}/comments").get_data(as_text=True)
    assert "Fine." in fragment and "Reason: No." in fragment
    socket.disconnect(NAMESPACE)
    assert db.session.scalar(select(func.count()).select_from(AmendmentComment)) == 1


def test_visitors_see_no_amendment(client, make_member, make_section):
    """Are visitors sent to sign in from an amendment and its form?"""
    section = make_section(body=TEXT, published=True)
    db.session.add(
        Amendment(section_id=section.id, version=1, author_id=make_member().id, passage="x")
    )
    db.session.commit()
    assert client.get(f"/amendments/{_amendment().id}").status_code == 302
    assert client.get(f"/toolkit/sections/{section.id}/amendments/new").status_code == 302
