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
