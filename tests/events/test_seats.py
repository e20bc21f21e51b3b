"""The seat rules as plain functions, without a database."""

from datetime import UTC, datetime, timedelta

from consult.events.countries import DEVELOPED, DEVELOPING, TRANSITION, country_group
from consult.events.models import Status
from consult.events.seats import Applicant, Hold, Tally, decide, open_seats, promotions, replay

NOW = datetime(2000, 4, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
NGO = Applicant("ngos", DEVELOPED)
SOUTH_GOV = Applicant("gov-developing", DEVELOPING)
SOUTH_NGO = Applicant("ngos", DEVELOPING)


def test_country_groups_come_from_iso_codes():
    """Are countries grouped as the UN grouped them in 2000 (Hungary in transition)?"""
    assert country_group("US") == DEVELOPED
    assert country_group("ca") == DEVELOPED
    assert country_group("HU") == TRANSITION
    assert country_group("RU") == TRANSITION
    for code in ("BR", "CN", "IN", "ID", "MX", "ZA", "KE"):
        assert country_group(code) == DEVELOPING


def test_capacity_is_never_exceeded():
    """Do the first ``capacity`` people get seats and the others wait?"""
    statuses = replay([NGO] * 7, capacity=5, holds=[], now=NOW)
    assert statuses == [Status.CONFIRMED] * 5 + [Status.WAITING] * 2


def test_zero_capacity_puts_everyone_on_the_waiting_list():
    """Does an event with no seats put everyone on the waiting list?"""
    assert replay([NGO, SOUTH_GOV], capacity=0, holds=[], now=NOW) == [Status.WAITING] * 2


def test_held_seats_are_kept_for_their_group_before_release():
    """Before the release date, are held seats kept for the group while others wait?"""
    holds = [Hold("group", DEVELOPING, 2, LATER)]
    statuses = replay([NGO, NGO, NGO, NGO, SOUTH_NGO, SOUTH_NGO, SOUTH_NGO], 5, holds, NOW)
    assert statuses == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,  # the last two seats are held for developing countries
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,  # full
    ]


def test_held_seats_open_to_all_after_release():
    """After the release date, may anyone take the seats that were held?"""
    holds = [Hold("group", DEVELOPING, 2, NOW - timedelta(seconds=1))]
    assert replay([NGO] * 5, 5, holds, NOW) == [Status.CONFIRMED] * 5


def test_group_members_in_open_seats_count_against_the_hold():
    """Does a group member who took an open seat use up one of the group's held seats?"""
    holds = [Hold("group", DEVELOPING, 2, LATER)]
    tally = Tally.of([SOUTH_NGO, SOUTH_NGO])
    assert open_seats(5, tally, holds, NOW) == 3
    assert decide(NGO, 5, tally, holds, NOW) is Status.CONFIRMED


def test_constituency_hold():
    """Are seats held for a constituency kept for it, and for nobody else?"""
    holds = [Hold("constituency", "gov-developing", 1, LATER)]
    tally = Tally.of([NGO, NGO])
    assert decide(SOUTH_NGO, 3, tally, holds, NOW) is Status.WAITING
    assert decide(SOUTH_GOV, 3, tally, holds, NOW) is Status.CONFIRMED


def test_approval_required_means_pending():
    """Does an event that needs approval leave every new registration pending?"""
    assert decide(NGO, 5, Tally(), [], NOW, approval_required=True) is Status.PENDING


def test_promotions_take_the_first_eligible_in_order():
    """Does a freed seat go to the first waiting person who may take it, skipping the others?"""
    holds = [Hold("group", DEVELOPING, 1, LATER)]
    tally = Tally.of([NGO, NGO, NGO])  # 4 seats, one still held for developing countries
    waiting = [NGO, NGO, SOUTH_NGO, SOUTH_GOV]
    assert promotions(waiting, 4, tally, holds, NOW) == [2]
    assert tally.confirmed == 4


def test_promotions_after_release_follow_arrival_order():
    """Once held seats are released, do they go to those waiting in arrival order?"""
    holds = [Hold("group", DEVELOPING, 2, NOW)]
    tally = Tally.of([NGO, NGO, NGO])
    assert promotions([NGO, NGO, NGO], 5, tally, holds, NOW) == [0, 1]
