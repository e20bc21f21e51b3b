"""Time the call planner: 50 members in 20 zones over a 35-day window (goal: under 200 ms).

Run by hand: ``.venv/bin/python bench/planner.py``. Beside the main case, the same run
times 10 members and 50 members without the fairness term, for comparison.
"""

from __future__ import annotations

import platform
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from consult.calls.planner import PlanInput, PlanMember, plan_ahead, plan_call
from consult.demo import DEMO_MEMBERS

ZONES = (
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "America/Los_Angeles",
    "Europe/Zurich",
    "Europe/Brussels",
    "Europe/Paris",
    "Europe/Budapest",
    "Europe/London",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Africa/Dakar",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Jakarta",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Dubai",
)
RUNS = 30


def members(count: int) -> list[PlanMember]:
    """``count`` members spread over the 20 zones, one in five away for a week."""
    result = []
    for i in range(count):
        away = ()
        if i % 5 == 0:
            first = date(2000, 3, 1) + timedelta(days=i % 30)
            away = ((first, first + timedelta(days=6)),)
        result.append(PlanMember(i + 1, f"Member {i + 1}", ZONES[i % len(ZONES)], away))
    return result


def case(count: int, fairness: float = 1.5) -> PlanInput:
    """A 35-day window (1 to 35 days after the last call) with six past calls."""
    last = datetime(2000, 2, 7, 14, 0, tzinfo=UTC)
    history = tuple(last - timedelta(days=30 * k) for k in range(6))
    return PlanInput(
        organiser_timezone="America/New_York",
        members=members(count),
        last_call=last,
        cadence_min_days=1,
        cadence_max_days=35,
        history=history,
        fairness=fairness,
    )


def timed(plan: PlanInput) -> tuple[float, float]:
    """Median and p95 of RUNS runs, in milliseconds."""
    plan_call(plan)  # warm the zone cache
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        plan_call(plan)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    """Print the figures for BENCHMARKS.md."""
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.processor() or 'cpu'}"
    )
    for label, plan in (
        ("50 members, 20 zones, 35 days", case(50)),
        ("10 members, 10 zones, 35 days", case(10)),
        ("50 members, no fairness term", case(50, fairness=0.0)),
    ):
        median, p95 = timed(plan)
        print(f"{label:32} median {median:6.1f} ms   p95 {p95:6.1f} ms   ({RUNS} runs)")
    year()


def year() -> None:
    """A year of twelve calls on the demo group: how often each member is early, late, at night."""
    members = [PlanMember(i + 1, m.name, m.timezone) for i, m in enumerate(DEMO_MEMBERS)]
    first = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
    plan = PlanInput(
        organiser_timezone="America/New_York",
        members=members,
        last_call=first,
        history=(first,),
        booked=(first,),
    )
    counts = {m.name: {"early": 0, "late": 0, "night": 0} for m in members}
    for call in plan_ahead(plan, 12):
        for period in ("early", "late", "night"):
            for member_time in getattr(call, period):
                counts[member_time.name][period] += 1
    print("\nTwelve calls from 11 Jan 2027, the planner's first choice each time:")
    print(f"{'member':40} early  late night total")
    for name, count in counts.items():
        total = sum(count.values())
        print(f"{name:40} {count['early']:5} {count['late']:5} {count['night']:5} {total:5}")
    totals = sorted(sum(c.values()) for c in counts.values())
    print(f"median {statistics.median(totals)}, max {totals[-1]}")


if __name__ == "__main__":
    main()
