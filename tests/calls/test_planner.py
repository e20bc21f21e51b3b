"""The planner on the demo Steering Group's real time zones (no database, no HTTP)."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from consult.calls.grid import day_grid
from consult.calls.planner import (
    Hours,
    Period,
    PlanInput,
    PlanMember,
    best_on_day,
    classify,
    local_day_bounds,
    plan_ahead,
    plan_call,
    window,
)
from consult.demo import DEMO_MEMBERS

NEW_YORK = "America/New_York"
BEIJING = "Government of China (Beijing)"


@pytest.fixture
def members() -> list[PlanMember]:
    """The demo members, each in their real zone."""
    return [PlanMember(i + 1, m.name, m.timezone) for i, m in enumerate(DEMO_MEMBERS)]


def _plan(members, **overrides) -> PlanInput:
    values = {
        "organiser_timezone": NEW_YORK,
        "members": members,
        "last_call": datetime(2000, 1, 10, 14, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return PlanInput(**values)


def _new_york_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(NEW_YORK)).date()


def test_candidates_fall_inside_the_cadence_window(members):
    """Are all candidates between 28 and 35 days after the last call, in the organiser's dates?"""
    plan = _plan(members)
    assert window(plan) == (date(2000, 2, 7), date(2000, 2, 14))
    result = plan_call(plan, limit=10)
    assert result.candidates
    for candidate in result.candidates:
        assert date(2000, 2, 7) <= _new_york_day(candidate.start) <= date(2000, 2, 14)
        assert candidate.end - candidate.start == timedelta(minutes=60)


def test_a_tighter_window_is_respected(members):
    """With a 30-to-31-day cadence, do candidates only fall on those two days?"""
    result = plan_call(_plan(members, cadence_min_days=30, cadence_max_days=31), limit=10)
    assert {_new_york_day(c.start) for c in result.candidates} == {
        date(2000, 2, 9),
        date(2000, 2, 10),
    }


def test_nothing_is_proposed_in_the_past(members):
    """Is a slot before ``not_before`` never proposed?"""
    not_before = datetime(2000, 2, 10, 12, 0, tzinfo=UTC)
    result = plan_call(_plan(members, not_before=not_before), limit=10)
    assert result.candidates
    assert all(c.start >= not_before for c in result.candidates)


def test_weekends_in_the_organisers_zone_are_skipped(members):
    """Is no call proposed on a Saturday or Sunday in New York, and is the skip explained?"""
    result = plan_call(_plan(members), limit=10)
    assert all(_new_york_day(c.start).weekday() < 5 for c in result.candidates)
    assert (date(2000, 2, 12), "weekend") in result.skipped
    assert (date(2000, 2, 13), "weekend") in result.skipped
    # 8 days in the window, 2 of them a weekend: every weekday is offered.
    assert len({_new_york_day(c.start) for c in result.candidates}) == 6


def test_holidays_are_skipped(members):
    """Is a holiday of the Secretariat closed for everyone?"""
    holidays = frozenset({date(2000, 2, 7), date(2000, 2, 8)})
    result = plan_call(_plan(members, holidays=holidays), limit=10)
    days = {_new_york_day(c.start) for c in result.candidates}
    assert days.isdisjoint(holidays)
    assert (date(2000, 2, 7), "holiday") in result.skipped
    assert len(days) == 4


def test_an_away_member_counts_as_absent_not_as_a_veto(members):
    """Is a day when a member is away still proposed, with that member listed as away?"""
    delhi = next(m for m in members if m.timezone == "Asia/Kolkata")
    away = PlanMember(delhi.id, delhi.name, delhi.timezone, ((date(2000, 2, 1), date(2000, 2, 9)),))
    others = [m for m in members if m.id != delhi.id]
    plan = _plan([*others, away], cadence_min_days=30, cadence_max_days=30)
    candidate = plan_call(plan).candidates[0]
    assert _new_york_day(candidate.start) == date(2000, 2, 9)
    assert [(a.name, a.reason) for a in candidate.away] == [(delhi.name, "away")]
    named = {m.name for m in (*candidate.good, *candidate.early, *candidate.late, *candidate.night)}
    assert delhi.name not in named
    assert len(named) == len(members) - 1


def test_the_explanation_gives_each_members_local_time(members):
    """Does each candidate say who is in good hours, early, late or at night, at what local time?"""
    candidate = plan_call(_plan(members)).candidates[0]
    listed = (*candidate.good, *candidate.early, *candidate.late, *candidate.night)
    assert len(listed) == len(members)
    for member_time in listed:
        expected = candidate.start.astimezone(ZoneInfo(member_time.timezone))
        assert member_time.local_start == expected
        minute = expected.hour * 60 + expected.minute
        assert classify(minute, 60, Hours()) is member_time.period
    assert [m.period for m in candidate.good] == [Period.GOOD] * len(candidate.good)


def test_hour_boundaries():
    """Is a call ending exactly at the end of good hours good, and one starting at 07:00 early?"""
    hours = Hours()
    assert classify(16 * 60 + 30, 90, hours) is Period.GOOD
    assert classify(16 * 60 + 45, 90, hours) is Period.LATE
    assert classify(7 * 60, 90, hours) is Period.EARLY
    assert classify(6 * 60 + 45, 90, hours) is Period.NIGHT
    assert classify(19 * 60 + 30, 90, hours) is Period.LATE
    assert classify(19 * 60 + 45, 90, hours) is Period.NIGHT
    assert classify(23 * 60, 90, hours) is Period.NIGHT


def _pair(day_last_call: date) -> PlanInput:
    new_york = PlanMember(1, "Secretariat (New York)", NEW_YORK)
    paris = PlanMember(2, "OECD member (Paris)", "Europe/Paris")
    return PlanInput(
        organiser_timezone=NEW_YORK,
        members=[new_york, paris],
        last_call=datetime.combine(day_last_call, datetime.min.time(), UTC) + timedelta(hours=15),
        duration_minutes=120,
        cadence_max_days=45,
        hours=Hours(good_from=9, good_to=17),
    )


def test_daylight_saving_changes_inside_the_window():
    """In spring 2000 Europe changed clocks on 26 March and New York on 2 April: does the plan follow?

    A two-hour call fits both good days (New York 09:00, Paris 15:00) before and after, but
    not in the week between, when the two cities are seven hours apart.
    """
    plan = _pair(date(2000, 2, 21))
    assert window(plan) == (date(2000, 3, 20), date(2000, 4, 6))
    before = best_on_day(plan, date(2000, 3, 22))
    between = best_on_day(plan, date(2000, 3, 28))
    after = best_on_day(plan, date(2000, 4, 4))
    assert before.start == datetime(2000, 3, 22, 14, 0, tzinfo=UTC)
    assert len(before.good) == 2
    assert len(between.good) == 1
    assert after.start == datetime(2000, 4, 4, 13, 0, tzinfo=UTC)
    assert len(after.good) == 2
    assert after.start.astimezone(ZoneInfo(NEW_YORK)).hour == 9
    assert sorted(m.local_start.hour for m in after.good) == [9, 15]

    result = plan_call(plan, limit=20)
    days = {_new_york_day(c.start) for c in result.candidates}
    assert date(2000, 4, 3) in days and date(2000, 3, 31) in days
    for candidate in result.candidates:
        local = candidate.start.astimezone(ZoneInfo(NEW_YORK))
        assert local.minute % 15 == 0
    best_days = {_new_york_day(c.start) for c in result.candidates if len(c.good) == 2}
    assert best_days.isdisjoint({date(2000, 3, d) for d in range(27, 32)})


def test_a_day_with_a_clock_change_has_23_hours():
    """Does the grid of 2 April 2000 in New York (clocks forward) have 23 hourly starts?"""
    start, end = local_day_bounds(date(2000, 4, 2), NEW_YORK)
    assert end - start == timedelta(hours=23)
    grid = day_grid(_pair(date(2000, 3, 1)), date(2000, 4, 2))
    assert len(grid.hours) == 23
    assert [h.astimezone(ZoneInfo(NEW_YORK)).hour for h in grid.hours][:4] == [0, 1, 3, 4]


def _six_calls(members, fairness=None) -> list:
    last = datetime(2000, 1, 10, 14, 0, tzinfo=UTC)
    history: list[datetime] = []
    chosen = []
    for _ in range(6):
        extra = {} if fairness is None else {"fairness": fairness}
        candidate = plan_call(_plan(members, last_call=last, history=tuple(history), **extra))
        best = candidate.candidates[0]
        chosen.append(best)
        history.append(best.start)
        last = best.start
    return chosen


def test_the_bad_hour_rotates_over_six_successive_calls(members):
    """Over six calls, does the night or early hour move around instead of hitting one member?"""
    calls = _six_calls(members)
    worst = [{m.name for m in (*c.night, *c.early)} for c in calls]
    assert all(worst)  # nobody can have every call in good hours with these zones
    everyone_bad_each_time = set.intersection(*worst)
    assert not everyone_bad_each_time
    assert sum(BEIJING in names for names in worst) < 6
    assert len({frozenset(names) for names in worst}) >= 2
    assert len({c.start.time() for c in calls}) >= 2


def test_without_the_fairness_term_the_same_members_always_lose(members):
    """Is it the fairness term that rotates: without it, is every call bad for the same members?"""
    calls = _six_calls(members, fairness=0.0)
    burdened = [{m.name for m in (*c.night, *c.early, *c.late)} for c in calls]
    assert {BEIJING, "CSD Secretariat"} <= set.intersection(*burdened)
    rotating = [{m.name for m in (*c.night, *c.early, *c.late)} for c in _six_calls(members)]
    assert "CSD Secretariat" not in set.intersection(*rotating)


def simulate_year(members, calls: int = 12) -> dict[str, int]:
    """How many of ``calls`` successive calls each member has early, late or at night."""
    start = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
    plan = _plan(members, last_call=start, history=(start,), booked=(start,))
    burden = dict.fromkeys((m.name for m in members), 0)
    for best in plan_ahead(plan, calls):
        for member_time in (*best.early, *best.late, *best.night):
            burden[member_time.name] += 1
    return burden


@pytest.mark.parametrize(
    "zones",
    [
        # New York and Karachi ten hours apart: early in one or late in the other.
        ("America/New_York", "America/New_York", "Asia/Karachi", "Asia/Karachi", "Europe/London"),
        # The Americas, Europe and Africa, with Delhi a shared late hour away.
        (
            "America/Mexico_City",
            "America/New_York",
            "Europe/Zurich",
            "Africa/Nairobi",
            "Asia/Dubai",
        ),
    ],
)
def test_over_a_year_nobody_carries_twice_the_median(zones):
    """Where the zones allow it, does no member carry more than twice the median burden?"""
    members = [PlanMember(i + 1, f"{zone} {i + 1}", zone) for i, zone in enumerate(zones)]
    burden = simulate_year(members)
    median = statistics.median(burden.values())
    assert median > 0
    assert max(burden.values()) <= 2 * median, burden


def test_over_a_year_the_demo_groups_early_hour_rotates(members):
    """On the demo group, does the bad hour move between the Americas and Asia over a year?"""
    burden = simulate_year(members)
    americans = [burden[m.name] for m in members if m.timezone.startswith("America/")]
    assert 0 < max(americans) < 12
    assert burden[BEIJING] <= 12


def test_same_input_same_output(members):
    """Does the planner give the same answer twice, whatever the order of the members?"""
    plan = _plan(members, history=(datetime(2000, 1, 10, 14, 0, tzinfo=UTC),))
    first = plan_call(plan, limit=5)
    shuffled = list(members)
    random.Random(7).shuffle(shuffled)
    second = plan_call(_plan(shuffled, history=plan.history), limit=5)
    assert first == plan_call(plan, limit=5)
    assert [(c.start, c.score) for c in first.candidates] == [
        (c.start, c.score) for c in second.candidates
    ]
    assert first.candidates == second.candidates


def test_an_absence_ranks_a_day_below_the_same_hours_with_everyone(members):
    """With Beijing away on Thursday and Friday, does Thursday score below the Wednesday before?"""
    china = next(m for m in members if m.timezone == "Asia/Shanghai")
    thursday, wednesday = date(2000, 2, 10), date(2000, 2, 9)
    away = PlanMember(
        china.id, china.name, china.timezone, ((thursday, thursday + timedelta(days=1)),)
    )
    plan = _plan([*(m for m in members if m.id != china.id), away])
    missed = best_on_day(plan, thursday)
    full = best_on_day(plan, wednesday)
    assert [a.name for a in missed.away] == [china.name]
    assert missed.score < full.score
    assert plan_call(plan).candidates[0].away == ()


def test_a_public_holiday_is_an_absence_with_its_name(members):
    """Is a member away on their country's holiday, named in the explanation?"""
    delhi = next(m for m in members if m.timezone == "Asia/Kolkata")
    holiday = PlanMember(
        delhi.id, delhi.name, delhi.timezone, holidays=((date(2000, 2, 9), "Test holiday"),)
    )
    plan = _plan([*(m for m in members if m.id != delhi.id), holiday])
    candidate = best_on_day(plan, date(2000, 2, 9))
    assert [(a.name, a.reason) for a in candidate.away] == [(delhi.name, "Test holiday")]


def test_no_day_is_offered_within_the_gap_of_a_booked_call(members):
    """With a call booked ten days into the window's future, are days near it skipped?"""
    booked = datetime(2000, 2, 20, 14, 0, tzinfo=UTC)
    result = plan_call(_plan(members, booked=(datetime(2000, 1, 10, 14, 0, tzinfo=UTC), booked)))
    assert result.candidates == ()
    assert {reason for _, reason in result.skipped} >= {"cadence"}
