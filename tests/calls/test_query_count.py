"""The call page and the planner do not query once per member."""

from tests.conftest import sign_in
from tests.queries import counting_queries


def _queries(client, path: str) -> int:
    with counting_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_call_page_and_planner_cost_the_same_for_3_or_40_members(
    client, make_series, make_call, make_member, make_secretariat
):
    """Do the call page and the planner run as many queries for 40 members as for 3?"""
    officer = make_secretariat()
    small = make_call(make_series([make_member() for _ in range(3)], organiser=officer, name="A"))
    large = make_call(make_series([make_member() for _ in range(40)], organiser=officer, name="B"))
    sign_in(client, officer)
    assert _queries(client, f"/calls/{large.id}") == _queries(client, f"/calls/{small.id}")
    large_plan = _queries(client, f"/calls/series/{large.series.id}/plan")
    assert large_plan == _queries(client, f"/calls/series/{small.series.id}/plan")


def test_call_list_and_action_items_do_not_query_per_call(
    client, make_series, make_call, make_member, make_secretariat
):
    """Do the list of calls and the open action items cost the same for 2 calls or 10?"""
    from consult.extensions import db
    from consult.programme.models import WorkItem

    officer = make_secretariat()
    sign_in(client, officer)

    def add_calls(count: int, prefix: str) -> None:
        for number in range(count):
            series = make_series([make_member()], organiser=officer, name=f"{prefix} {number}")
            db.session.add(WorkItem(call=make_call(series), title="Report", owner=make_member()))
        db.session.commit()

    add_calls(2, "Few")
    few = (_queries(client, "/calls"), _queries(client, "/programme/open"))
    add_calls(8, "More")
    assert (_queries(client, "/calls"), _queries(client, "/programme/open")) == few


def test_feed_costs_the_same_for_2_or_10_calls(client, make_series, make_call, make_member):
    """Does the calendar feed run as many queries for 10 calls (each its own organiser) as for 2?"""
    from consult.calls.feed import token_for
    from consult.extensions import db

    member = make_member()
    path = f"/calls/feed/{token_for(member).token}.ics"
    db.session.commit()

    def add_calls(count: int, prefix: str) -> None:
        for number in range(count):
            make_call(make_series([member, make_member()], name=f"{prefix} {number}"))

    add_calls(2, "Few")
    db.session.expire_all()
    few = _queries(client, path)
    add_calls(8, "More")
    db.session.expire_all()
    assert _queries(client, path) == few


def test_call_page_costs_the_same_for_few_or_many_items(
    client, make_series, make_call, make_member, make_secretariat
):
    """Does the call page cost the same with 2 or 10 agenda and action items (distinct people)?"""
    from consult.calls.models import AgendaItem, AgendaStatus
    from consult.extensions import db
    from consult.programme.models import WorkItem

    officer = make_secretariat()
    calls = {}
    for count, name in ((2, "Few"), (10, "Many")):
        call = make_call(make_series([make_member()], organiser=officer, name=name))
        for number in range(count):
            db.session.add(
                AgendaItem(
                    call=call,
                    title=f"Item {number}",
                    proposed_by=make_member(),
                    status=AgendaStatus.ACCEPTED,
                    position=number,
                )
            )
            db.session.add(WorkItem(call=call, title=f"Action {number}", owner=make_member()))
        calls[name] = call.id
    db.session.commit()
    sign_in(client, officer)
    db.session.expire_all()
    few = _queries(client, f"/calls/{calls['Few']}")
    db.session.expire_all()
    assert _queries(client, f"/calls/{calls['Many']}") == few
