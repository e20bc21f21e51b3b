"""Words shown for statuses and answers, and a clock filter for other people's local times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask_babel import format_timedelta, get_locale
from flask_babel import lazy_gettext as _l

STATUS = {
    "proposed": _l("Proposed"),
    "confirmed": _l("Confirmed"),
    "cancelled": _l("Cancelled"),
    "held": _l("Held"),
}
PARTSTAT = {
    "NEEDS-ACTION": _l("No answer yet"),
    "ACCEPTED": _l("Accepted"),
    "TENTATIVE": _l("Tentative"),
    "DECLINED": _l("Declined"),
}
ACTION = {
    "open": _l("Open"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
SKIPPED = {
    "weekend": _l("weekend"),
    "holiday": _l("holiday"),
    "cadence": _l("too close to another call"),
}
PERIOD = {
    "good": _l("good"),
    "early": _l("early"),
    "late": _l("late"),
    "night": _l("night"),
    "away": _l("away"),
}


def clock(moment: datetime, zone: str | None = None) -> str:
    """The local time of ``moment`` in ``zone`` (default: its own zone), in the viewer's locale."""
    tzinfo = ZoneInfo(zone) if zone else moment.tzinfo
    return format_time(moment, "short", tzinfo=tzinfo, locale=str(get_locale()))


def template_helpers() -> dict:
    """Names the calls templates use."""
    return {
        "status_label": lambda status: STATUS.get(str(status.value), status),
        "partstat_label": lambda partstat: PARTSTAT.get(str(partstat.value), partstat),
        "period_label": lambda period: PERIOD.get(str(period), period),
        "skip_label": lambda reason: SKIPPED.get(reason, reason),
        "action_labels": ACTION,
        "tz": ZoneInfo,
        "duration": format_timedelta,
    }
