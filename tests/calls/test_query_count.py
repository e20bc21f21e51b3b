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
    from consult.calls.models import ActionItem
    from consult.extensions import db

    officer = make_secretariat()
    sign_in(client, officer)

    def add_calls(count: int, prefix: str) -> None:
        for number in range(count):
            series = make_series([make_member()], organiser=officer, name=f"{prefix} {number}")
            db.session.add(ActionItem(call=make_call(series), title="Report", owner=make_member()))
        db.session.commit()

    add_calls(2, "Few")
    few = (_queries(client, "/calls"), _queries(client, "/actions"))
    add_calls(8, "More")
    assert (_queries(client, "/calls"), _queries(client, "/actions")) == few
