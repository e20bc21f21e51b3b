"""Edge cases of input on the public site and the work programme."""

from consult.extensions import db
from consult.programme.models import WorkItem, WorkStatus
from tests.conftest import body_text
from tests.public.test_profiles import PROPOSAL


def test_line_breaks_in_a_proposed_name_cannot_inject_mail_headers(
    member_client, make_secretariat, mailbox
):
    """Is a profile name with a line break proposed without a crash or an injected header?"""
    officer = make_secretariat()
    response = member_client.post(
        "/profiles/propose", data={**PROPOSAL, "name": "Evil\r\nBcc: victim@example.org"}
    )
    assert response.status_code < 500
    message = mailbox.last(officer.email)
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
    assert "Evil" in body_text(message)


def test_huge_page_number_is_not_an_error(client):
    """Does an absurd page number give a page, not a server error?"""
    assert client.get("/profiles?page=99999999999999999999999").status_code == 200


def test_editing_an_item_keeps_a_deactivated_owner(secretariat_client, make_member):
    """Is a work item's owner kept when the Secretariat edits it after they left?"""
    owner = make_member(name="Former member", active=False)
    item = WorkItem(title="Compile VIA profiles", owner=owner, status=WorkStatus.PLANNED)
    db.session.add(item)
    db.session.commit()
    page = secretariat_client.get(f"/programme/{item.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{owner.id}">Former member' in page


def test_uploads_are_members_only_unless_chosen_otherwise(secretariat_client):
    """Does the upload form start with members-only, so nothing goes public by default?"""
    page = secretariat_client.get("/manage/documents/new").get_data(as_text=True)
    assert '<option selected value="members">' in page
