"""The calls capability's pages, one module per resource."""

from consult.calls.views import agenda, availability, feed, lifecycle, poll, records, rsvp, series

__all__ = ["agenda", "availability", "feed", "lifecycle", "poll", "records", "rsvp", "series"]
