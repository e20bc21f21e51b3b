"""Action items agreed on teleconferences: recorded on the call page, work items of the programme."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from consult.calls import lifecycle, services
from consult.calls.models import CallSeries, CallStatus
from consult.database import utcnow
from consult.extensions import db
from consult.programme.models import WorkItem, WorkStatus
from tests.conftest import sign_in


def _call(officer, members, held: bool = True):
    """A call of a new series that started three days ago, held or still only confirmed."""
    series = CallSeries(name="Steering Group teleconference", organiser=officer, bridge="Bridge")
    db.session.add(series)
    services.set_members(series, [officer, *members])
    start = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    call = lifecycle.confirm_call(series.id, start, notify=False)
    if held:
        call.status = CallStatus.HELD
    db.session.commit()
    return call


def _call_with_actions(make_member, make_secretariat):
    owner = make_member(name="NGO member (Nairobi)")
    call = _call(make_secretariat(), [owner])
    db.session.add_all(
        [
            WorkItem(
                call=call,
                title="Circulate the workshop programme",
                owner=owner,
                due_date=date(2000, 4, 14),
            ),
            WorkItem(
                call=call, title="Draft the toolkit outline", owner=owner, status=WorkStatus.DONE
            ),
        ]
    )
    db.session.commit()
    return call


def test_programme_lists_call_action_items(member_client, make_member, make_secretariat):
    """Does the work programme show each action item with owner, status and its call, open first?"""
    call = _call_with_actions(make_member, make_secretariat)
    html = member_client.get("/programme/").get_data(as_text=True)
    assert "Circulate the workshop programme" in html and "Draft the toolkit outline" in html
    assert html.index("Circulate the workshop programme") < html.index("Draft the toolkit outline")
    assert f'href="/calls/{call.id}"' in html
    assert "NGO member (Nairobi)" in html and ">Done<" in html


def test_action_items_are_not_public(client, make_member, make_secretariat):
    """Are the work programme and its open items closed to visitors?"""
    _call_with_actions(make_member, make_secretariat)
    for path in ("/programme/", "/programme/open", "/actions"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.location, path


def test_secretariat_records_an_action_item_on_a_held_call(client, make_member, make_secretariat):
    """Can the Secretariat add an action item from the held call's page, and see it listed there?"""
    officer = make_secretariat()
    owner = make_member(name="Business member (Geneva)")
    call = _call(officer, [owner], held=False)
    sign_in(client, officer)
    assert "Add an action item" not in client.get(f"/calls/{call.id}").get_data(as_text=True)
    refused = client.post(
        f"/programme/calls/{call.id}/items", data={"title": "Too early", "owner": owner.id}
    )
    assert refused.status_code == 302
    assert db.session.scalar(select(WorkItem.id)) is None

    client.post(f"/calls/{call.id}/held")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    action = re.search(
        r'<form method="post" action="([^"]+)" class="form">(?:(?!</form>).)*?'
        r"<h3>Add an action item</h3>",
        page,
        re.DOTALL,
    )
    assert action and action.group(1) == f"/programme/calls/{call.id}/items"
    response = client.post(
        action.group(1),
        data={
            "title": "Propose options for the toolkit",
            "owner": owner.id,
            "due_on": "2030-01-15",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/calls/{call.id}#work-items")
    (item,) = db.session.scalars(select(WorkItem)).all()
    assert (item.call_id, item.owner_id, item.due_date, item.status) == (
        call.id,
        owner.id,
        date(2030, 1, 15),
        WorkStatus.PLANNED,
    )
    assert "Propose options for the toolkit" in client.get(f"/calls/{call.id}").get_data(
        as_text=True
    )

    sign_in(client, owner)
    member_page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Propose options for the toolkit" in member_page
    assert "Add an action item" not in member_page
    assert (
        client.post(
            f"/programme/calls/{call.id}/items", data={"title": "Mine", "owner": owner.id}
        ).status_code
        == 403
    )


def test_an_action_item_needs_a_title_and_an_owner(secretariat_client, make_member):
    """Is an action item without owner, or with an owner who is no member, refused and not saved?"""
    call = _call(secretariat_client.user, [make_member()])
    for data in ({"title": "No owner"}, {"title": "Stranger", "owner": "999999"}, {"owner": "1"}):
        response = secretariat_client.post(f"/programme/calls/{call.id}/items", data=data)
        assert response.status_code == 302
    assert db.session.scalar(select(WorkItem.id)) is None


def test_the_owner_or_the_secretariat_changes_the_status(client, make_member, make_secretariat):
    """Does the owner see an open item on the dashboard and close it there, and nobody else may?"""
    officer = make_secretariat()
    owner = make_member()
    call = _call(officer, [owner])
    item = WorkItem(title="Send the background paper", owner=owner, call=call)
    db.session.add(item)
    db.session.commit()
    sign_in(client, owner)
    assert "Send the background paper" in client.get("/dashboard").get_data(as_text=True)

    sign_in(client, make_member())
    assert client.post(f"/programme/{item.id}/status", data={"status": "done"}).status_code == 403
    assert item.status is WorkStatus.PLANNED

    sign_in(client, owner)
    assert client.post(f"/programme/{item.id}/status", data={"status": "closed"}).status_code == 400
    response = client.post(
        f"/programme/{item.id}/status", data={"status": "done", "back": "dashboard"}
    )
    assert response.location.endswith("/dashboard")
    assert item.status is WorkStatus.DONE
    assert "Send the background paper" not in client.get("/dashboard").get_data(as_text=True)

    sign_in(client, officer)
    response = client.post(
        f"/programme/{item.id}/status", data={"status": "in-progress", "back": "call"}
    )
    assert response.location.endswith(f"/calls/{call.id}#item-{item.id}")
    assert item.status is WorkStatus.IN_PROGRESS
    elsewhere = client.post(
        f"/programme/{item.id}/status", data={"status": "done", "back": "https://evil.example"}
    )
    assert elsewhere.status_code == 400


def test_an_action_item_serves_a_line_of_work(secretariat_client, make_member):
    """Can an action item name the line of work it serves, but not an item that serves one?"""
    owner = make_member()
    call = _call(secretariat_client.user, [owner])
    line = WorkItem(title="Develop the VIA toolkit", status=WorkStatus.IN_PROGRESS)
    db.session.add(line)
    db.session.commit()
    page = secretariat_client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'<option value="{line.id}">Develop the VIA toolkit</option>' in page
    secretariat_client.post(
        f"/programme/calls/{call.id}/items",
        data={"title": "Propose options for the scope", "owner": owner.id, "line": line.id},
    )
    item = db.session.scalar(select(WorkItem).where(WorkItem.parent_id == line.id))
    assert item.title == "Propose options for the scope"
    programme = secretariat_client.get("/programme/").get_data(as_text=True)
    assert (
        f'Serves: <a href="/programme/#item-{line.id}"><bdi>Develop the VIA toolkit</bdi></a>'
        in programme
    )

    secretariat_client.post(
        f"/programme/calls/{call.id}/items",
        data={"title": "Too deep", "owner": owner.id, "line": item.id},
    )
    assert db.session.scalar(select(WorkItem.id).where(WorkItem.title == "Too deep")) is None


def test_overdue_items_say_so_in_words(member_client, make_member):
    """Is an open item past its due date marked overdue in words, and a finished one not?"""
    yesterday = utcnow().date() - timedelta(days=1)
    db.session.add_all(
        [
            WorkItem(title="Late report", due_date=yesterday - timedelta(days=2)),
            WorkItem(title="Finished report", due_date=yesterday, status=WorkStatus.DONE),
        ]
    )
    db.session.commit()
    html = member_client.get("/programme/").get_data(as_text=True)
    assert '<strong class="overdue">3 days overdue</strong>' in html
    assert html.count('class="overdue"') == 1


def test_the_old_action_items_page_leads_to_the_open_items(member_client, make_member):
    """Does /actions send members on to the open items, which leave out finished ones?"""
    db.session.add_all(
        [
            WorkItem(title="Still to do", owner=make_member()),
            WorkItem(title="All done", status=WorkStatus.DONE),
        ]
    )
    db.session.commit()
    response = member_client.get("/actions")
    assert response.status_code == 301 and response.location.endswith("/programme/open")
    html = member_client.get("/programme/open").get_data(as_text=True)
    assert "Still to do" in html and "All done" not in html


def test_programme_page_does_not_query_per_item(member_client, make_member):
    """Does the page run as many queries for twelve owned items as for two?"""
    from tests.queries import counting_queries

    def queries() -> int:
        with counting_queries() as statements:
            assert member_client.get("/programme/").status_code == 200
        return len(statements)

    def add_items(count: int) -> None:
        line = WorkItem(title=f"Line for {count}")
        db.session.add(line)
        for number in range(count):
            owner = make_member(constituency="business")
            db.session.add(
                WorkItem(
                    title=f"Item {number}",
                    owner=owner,
                    constituency=owner.constituency,
                    parent=line,
                )
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
    item = db.session.scalar(
        select(WorkItem).where(WorkItem.title == "Explore methods to test the key elements")
    )
    assert item.call_id == call.id
    page = secretariat_client.get("/programme/").get_data(as_text=True)
    assert f'<a href="/calls/{call.id}"><bdi>Steering Group teleconference</bdi>,' in page


def test_an_unknown_call_is_refused(secretariat_client):
    """Is an item naming a call that does not exist refused next to the field?"""
    response = secretariat_client.post(
        "/programme/new", data={"title": "Something", "status": "planned", "call_id": "999999"}
    )
    assert response.status_code == 422
    assert 'id="call_id-error"' in response.get_data(as_text=True)


def test_the_status_form_carries_its_csrf_token(client, csrf, make_member):
    """With CSRF on, is a status change refused without the page's token and taken with it?"""
    owner = make_member()
    item = WorkItem(title="Collect case material", owner=owner)
    db.session.add(item)
    db.session.commit()
    sign_in(client, owner)
    assert client.post(f"/programme/{item.id}/status", data={"status": "done"}).status_code == 400
    token = csrf(client, "/programme/open")
    response = client.post(
        f"/programme/{item.id}/status", data={"status": "done", "back": "open", "csrf_token": token}
    )
    assert response.status_code == 302 and response.location.endswith(
        f"/programme/open#item-{item.id}"
    )
    assert item.status is WorkStatus.DONE
