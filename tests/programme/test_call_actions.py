"""Action items agreed on teleconferences appear in the work programme."""

from datetime import date, timedelta

from consult.calls import services
from consult.calls.models import ActionItem, ActionStatus, CallSeries
from consult.database import utcnow
from consult.extensions import db


def _call_with_actions(make_member, make_secretariat):
    officer = make_secretariat()
    owner = make_member(name="NGO member (Nairobi)")
    series = CallSeries(name="Steering Group teleconference", organiser=officer, bridge="Bridge")
    db.session.add(series)
    services.set_members(series, [officer, owner])
    call = services.confirm_call(series.id, (utcnow() - timedelta(days=3)).replace(microsecond=0))
    db.session.add_all(
        [
            ActionItem(
                call=call,
                title="Circulate the workshop programme",
                owner=owner,
                due_on=date(2000, 4, 14),
            ),
            ActionItem(
                call=call, title="Draft the toolkit outline", owner=owner, status=ActionStatus.DONE
            ),
        ]
    )
    db.session.commit()
    return call


def test_programme_lists_call_action_items(member_client, make_member, make_secretariat):
    """Does the work programme show each action item with owner, status and its call?"""
    call = _call_with_actions(make_member, make_secretariat)
    html = member_client.get("/programme/").get_data(as_text=True)
    assert "Action items from teleconferences" in html
    assert "Circulate the workshop programme" in html and "Draft the toolkit outline" in html
    assert html.index("Circulate the workshop programme") < html.index("Draft the toolkit outline")
    assert f'href="/calls/{call.id}"' in html
    assert "NGO member (Nairobi)" in html and ">Done<" in html


def test_action_items_are_not_public(client, make_member, make_secretariat):
    """Is the work programme, with its action items, closed to visitors?"""
    _call_with_actions(make_member, make_secretariat)
    assert client.get("/programme/").status_code == 302


def test_programme_page_does_not_query_per_item(member_client, make_member):
    """Does the page run as many queries for twelve owned items as for two?"""
    from consult.programme.models import ProgrammeItem
    from tests.queries import counting_queries

    def queries() -> int:
        with counting_queries() as statements:
            assert member_client.get("/programme/").status_code == 200
        return len(statements)

    def add_items(count: int) -> None:
        for number in range(count):
            owner = make_member(constituency="business")
            db.session.add(
                ProgrammeItem(title=f"Item {number}", owner=owner, constituency=owner.constituency)
            )
        db.session.commit()

    add_items(2)
    few = queries()
    add_items(10)
    assert queries() == few


def test_an_item_names_the_call_where_it_was_agreed(
    secretariat_client, make_member, make_secretariat
):
    """Can the Secretariat link an item to the call where it was agreed, shown as a link?"""
    call = _call_with_actions(make_member, make_secretariat)
    form = secretariat_client.get("/programme/new").get_data(as_text=True)
    assert f'<option value="{call.id}">Steering Group teleconference,' in form
    response = secretariat_client.post(
        "/programme/new",
        data={
            "title": "Explore methods to test the key elements",
            "status": "planned",
            "call_id": str(call.id),
            "agreed_at": "",
            "owner_id": "",
            "constituency_id": "",
        },
    )
    assert response.status_code == 302
    from consult.programme.models import ProgrammeItem

    item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.call_id == call.id))
    assert item is not None
    page = secretariat_client.get("/programme/").get_data(as_text=True)
    assert f'<a href="/calls/{call.id}">Steering Group teleconference,' in page


def test_an_unknown_call_is_refused(secretariat_client):
    """Is an item naming a call that does not exist refused next to the field?"""
    response = secretariat_client.post(
        "/programme/new", data={"title": "Something", "status": "planned", "call_id": "999999"}
    )
    assert response.status_code == 422
    assert 'id="call_id-error"' in response.get_data(as_text=True)
