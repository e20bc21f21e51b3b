"""A stance of one's own: one current position per member and section, changed in place,
its history kept, counted by constituency with the members not yet heard from."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from consult.decisions.models import Position, PositionChange
from consult.extensions import db
from consult.toolkit.models import Comment, Stance
from tests.conftest import sign_in


def _state(client, section, stance, reason=""):
    return client.post(
        f"/toolkit/sections/{section.id}/stance", data={"stance": stance, "reason": reason}
    )


def test_a_member_changes_their_stance_in_place_and_keeps_its_history(member_client, make_section):
    """Does a second stance replace the first (one position, no new comment), both in the history?"""
    section = make_section(title="Purpose and scope")
    assert _state(member_client, section, "objection", "Too vague on reporting").status_code == 302
    response = _state(member_client, section, "support", "The new text answers my concern")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/toolkit/sections/{section.id}#own-stance")
    positions = db.session.scalars(select(Position)).all()
    assert [(p.stance, p.reason) for p in positions] == [
        (Stance.SUPPORT, "The new text answers my concern")
    ]
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    page = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "You stated: Support (version 1" in page
    history = page[page.index("Your earlier positions") :]
    assert history.index("Support") < history.index("Objection")
    assert "Too vague on reporting" in history
    assert re.search(r'<input[^>]*checked[^>]*value="support"|value="support"[^>]*checked', page)


def test_a_stance_given_with_a_comment_becomes_the_members_own(
    member_client, make_section, make_comment
):
    """Does posting a top-level comment with a stance change the member's own stance in place?"""
    section = make_section()
    _state(member_client, section, "support")
    make_comment(section, member_client.user, "On reflection, no.", stance=Stance.OBJECTION)
    position = db.session.scalar(select(Position))
    assert position.stance == Stance.OBJECTION
    changes = db.session.scalars(select(PositionChange).order_by(PositionChange.id)).all()
    assert [c.stance for c in changes] == [Stance.SUPPORT, Stance.OBJECTION]
    assert changes[-1].comment_id is not None


def test_consensus_counts_current_stances_and_names_who_has_not_been_heard_from(
    client, make_member, make_secretariat, make_section
):
    """Does the consensus page count each member once, as now, and list the silent per constituency?"""
    scope = make_section(title="Purpose and scope")
    make_section(title="Use and impact")
    union = make_member(name="Ana Union", constituency="trade-unions")
    make_member(name="Quiet Unionist", constituency="trade-unions")
    gov = make_member(name="Gov Delegate", constituency="gov-developing")
    gone = make_member(name="Former Member", constituency="trade-unions")
    for member, stance in ((union, "objection"), (gov, "concern"), (gone, "support")):
        sign_in(client, member)
        _state(client, scope, stance)
    sign_in(client, union)
    _state(client, scope, "support")  # changed: counts once, as support
    gone.active = False
    db.session.commit()
    sign_in(client, make_secretariat(name="Officer"))
    html = client.get("/toolkit/consensus").get_data(as_text=True)
    row = html[html.index("Purpose and scope") : html.index("Use and impact")]
    assert "Support: 1" in row and "Concern: 1" in row and "Objection: 0" in row
    assert "1 object" not in row
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    union_cell = next(c for c in cells if "Quiet Unionist" in c)
    assert "1 support" in union_cell and "Former Member" not in union_cell
    assert "Ana Union" not in union_cell
    other = html[html.index("Use and impact") :]
    assert "Ana Union" in other and "Gov Delegate" in other and "Support: 0" in other


def test_a_stance_needs_one_of_the_three_choices(member_client, make_section):
    """Is a stance that is not support, concern or objection refused with a message, not a 500?"""
    section = make_section()
    response = _state(member_client, section, "maybe")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _state(member_client, section, "").status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0


def test_visitors_neither_see_nor_state_stances(client, make_section):
    """Are visitors sent to sign in, and shown no positions on a published section?"""
    section = make_section(published=True)
    assert _state(client, section, "support").status_code == 302
    assert client.get("/toolkit/consensus").status_code == 302
    page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Your position" not in page and "Not yet heard from" not in page
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0


def test_stances_are_sent_with_a_csrf_token(app, member_client, make_section, csrf):
    """Is a stance posted without the page's CSRF token refused?"""
    section = make_section()
    assert _state(member_client, section, "support").status_code == 400
    token = csrf(member_client, f"/toolkit/sections/{section.id}")
    response = member_client.post(
        f"/toolkit/sections/{section.id}/stance", data={"stance": "support", "csrf_token": token}
    )
    assert response.status_code == 302


def test_the_section_page_names_each_members_stance_and_reason(client, make_member, make_section):
    """Does the section page show, by constituency, who stated which stance and why?"""
    section = make_section()
    sign_in(client, make_member(name="Union Voice", constituency="trade-unions"))
    _state(client, section, "concern", "Reporting must cover workers")
    sign_in(client, make_member(name="Reader"))
    html = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', html, re.S))
    assert "<bdi>Union Voice</bdi>: Reporting must cover workers" in rows["Trade unions"]
    assert "Concern" in rows["Trade unions"] and "Reader" in rows["NGOs"]
