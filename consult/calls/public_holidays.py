"""Public holidays: each member's country's, and the UN's at Headquarters for the Secretariat.

The dates come from the ``holidays`` package (its calendars are kept by many
hands, with sources for each country). The United Nations is not a country
there, so :class:`UnitedNationsNewYork` assembles the official holidays observed
at UN Headquarters from the package's own building blocks; the Islamic holidays
are the package's estimates until the Secretariat announces the observed date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

import holidays
from holidays.groups import ChristianHolidays, InternationalHolidays, IslamicHolidays
from holidays.observed_holiday_base import (
    SAT_TO_PREV_FRI,
    SUN_TO_NEXT_MON,
    ObservedHolidayBase,
)

#: The ``country`` given to the planner for members of the Secretariat.
UN_HEADQUARTERS = "UN"


class UnitedNationsNewYork(
    ObservedHolidayBase, ChristianHolidays, InternationalHolidays, IslamicHolidays
):
    """Official holidays at United Nations Headquarters, New York.

    Source: the annual information circulars on official holidays at UN
    Headquarters (ST/IC series): New Year's Day, Good Friday, Eid al-Fitr,
    Memorial Day, Eid al-Adha, Independence Day, Labour Day, Thanksgiving Day
    and Christmas Day. A holiday on a Saturday is observed on the Friday before,
    on a Sunday on the Monday after.
    """

    country = "UN"
    #: How the package labels a date it estimated from the lunar calendar.
    estimated_label = "%s (estimated)"
    observed_label = "%s (observed)"
    observed_estimated_label = "%s (observed, estimated)"

    def __init__(self, *args: object, **kwargs: object) -> None:
        ChristianHolidays.__init__(self)
        InternationalHolidays.__init__(self)
        IslamicHolidays.__init__(self)
        kwargs.setdefault("observed_rule", SAT_TO_PREV_FRI + SUN_TO_NEXT_MON)
        super().__init__(*args, **kwargs)

    def _populate_public_holidays(self) -> None:
        self._add_observed(self._add_new_years_day("New Year's Day"))
        self._add_good_friday("Good Friday")
        for day in self._add_eid_al_fitr_day("Eid al-Fitr"):
            self._add_observed(day)
        self._add_holiday_last_mon_of_may("Memorial Day")
        for day in self._add_eid_al_adha_day("Eid al-Adha"):
            self._add_observed(day)
        self._add_observed(self._add_holiday_jul_4("Independence Day"))
        self._add_holiday_1st_mon_of_sep("Labour Day")
        self._add_holiday_4th_thu_of_nov("Thanksgiving Day")
        self._add_observed(self._add_christmas_day("Christmas Day"))


@cache
def _calendar(country: str, years: tuple[int, ...]) -> dict[date, str]:
    if country == UN_HEADQUARTERS:
        found = UnitedNationsNewYork(years=years)
    else:
        try:
            found = holidays.country_holidays(country, years=years)
        except NotImplementedError:
            return {}
    return {day: str(name) for day, name in sorted(found.items())}


def holidays_in(country: str | None, first: date, last: date) -> tuple[tuple[date, str], ...]:
    """The public holidays of ``country`` (ISO 3166 code, or ``UN``) between two dates."""
    if not country:
        return ()
    years = tuple(range(first.year, last.year + 1))
    return tuple(
        (day, name)
        for day, name in _calendar(country.upper(), years).items()
        if first <= day <= last
    )


def supported(countries: Iterable[str]) -> dict[str, bool]:
    """Whether the package knows each country's holidays."""
    known = holidays.list_supported_countries()
    return {code: code.upper() in known or code.upper() == UN_HEADQUARTERS for code in countries}
