"""Edges found in review: bounded numbers, kept choices, checked senders, leaving rooms."""

from email.message import EmailMessage

from consult.extensions import db, socketio
from consult.toolkit.models import Comment, NotificationPreference
from consult.toolkit.notifications import reply_address
from tests.conftest import sign_in


def test_huge_version_numbers_in_a_diff_are_not_an_error(member_client, make_section):
    """Does an absurd version number in a diff link give a page or a 404, never a 500?"""
    section = make_section()
    response = member_client.get(
        f"/toolkit/sections/{section.id}/diff?from=99999999999999999999999"
    )
    assert response.status_code in (200, 404)


def test_editing_keeps_a_deactivated_responsible_member(
    secretariat_client, make_section, make_member
):
    """Is a section's responsible member kept when they were deactivated since?"""
    former = make_member(name="Former responsible", active=False)
    section = make_section(responsible_id=former.id)
    page = secretariat_client.get(f"/toolkit/sections/{section.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{former.id}">Former responsible' in page


def test_a_malformed_section_in_mail_preferences_is_refused(member_client):
    """Does a non-numeric section id get a 404 instead of changing the toolkit-wide choice?"""
    response = member_client.post(
        "/toolkit/notifications", data={"section_id": "abc", "frequency": "none"}
    )
    assert response.status_code == 404
    assert db.session.scalars(db.select(NotificationPreference)).all() == []


def test_a_reply_token_works_only_from_its_members_address(
    app, make_member, make_section, make_comment
):
    """Is a reply carrying a member's token but sent from another address refused?"""
    member = make_member()
    section = make_section()
    comment = make_comment(section, make_member(), "A question")
    message = EmailMessage()
    message["From"] = "stranger@elsewhere.example"
    message["To"] = reply_address(member, comment)
    message["Subject"] = "Re: A question"
    message.set_content("An answer that is not theirs")
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert result.exit_code == 1 and "rejected" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 1


def test_a_deactivated_member_rejoining_is_refused(app, make_member, make_section):
    """When a member loses access, is their next join refused (so the page stops listening)?"""
    member = make_member()
    section = make_section()
    client = app.test_client()
    sign_in(client, member)
    socket = socketio.test_client(app, namespace="/toolkit", flask_test_client=client)
    assert socket.emit(
        "join", {"section": section.id, "last": 0}, namespace="/toolkit", callback=True
    )["ok"]
    member.active = False
    db.session.commit()
    answer = socket.emit(
        "join", {"section": section.id, "last": 0}, namespace="/toolkit", callback=True
    )
    assert answer == {"ok": False, "error": "forbidden"}
    huge = socket.emit(
        "join", {"section": 10**30, "last": 10**30}, namespace="/toolkit", callback=True
    )
    assert huge["ok"] is False
    socket.disconnect(namespace="/toolkit")
