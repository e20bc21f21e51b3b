"""Fixed things are built once, not on every request or letter: the country list of the
registration form (once per language) and each zone's VTIMEZONE in the worker's letters."""

from __future__ import annotations

from consult import vtimezone
from consult.events import forms
from consult.i18n import countries
from tests.events.conftest import calendar_part, form_data


def _counting(monkeypatch, module, name: str) -> list[object]:
    """Count the calls of ``module.name`` from now on."""
    calls: list[object] = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_country_list_is_built_once_per_language(client, make_event, monkeypatch):
    """Do the registration forms after the first, in the same language, reuse its country list?"""
    event = make_event()
    countries.country_choices.cache_clear()
    forms.country_options.cache_clear()
    named = _counting(monkeypatch, countries, "country_name")
    page = client.get(f"/events/{event.slug}/register")
    assert page.status_code == 200
    assert "Kenya" in page.get_data(as_text=True)
    built = len(named)
    assert built > 200  # every country named once
    for number in (1, 2):
        assert client.get(f"/events/{event.slug}/register").status_code == 200
        response = client.post(f"/events/{event.slug}/register", data=form_data(number))
        assert response.status_code == 303
    assert len(named) == built
    french = client.get(f"/events/{event.slug}/register", headers={"Accept-Language": "fr"})
    assert "Kenya" in french.get_data(as_text=True)
    assert len(named) == 2 * built  # French once
    client.get(f"/events/{event.slug}/register", headers={"Accept-Language": "fr"})
    assert len(named) == 2 * built


def test_each_zone_vtimezone_is_built_once_for_every_letter(
    client, make_event, mailbox, monkeypatch
):
    """Do the confirmations of several registrants share one VTIMEZONE of the event's zone?"""
    event = make_event(capacity=5)
    vtimezone.vtimezone.cache_clear()
    built = _counting(monkeypatch, vtimezone, "Timezone")
    for number in (1, 2, 3):
        response = client.post(f"/events/{event.slug}/register", data=form_data(number))
        assert response.status_code == 303
    for number in (1, 2, 3):
        calendar, _method = calendar_part(mailbox.last(f"participant{number}@example.org"))
        assert calendar.vtimezone.tzid.value == "America/New_York"
    assert len(built) == 1
