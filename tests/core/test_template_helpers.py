"""One convention for template helpers: the core's for every page, a blueprint's for its own."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from flask import render_template_string
from flask_babel import refresh
from flask_babel.speaklater import LazyString
from flask_login import login_user

from consult import CAPABILITIES
from consult.enums import LabelledEnum


def _defined_in(helper: object) -> str:
    return getattr(inspect.unwrap(helper), "__module__", "") or ""  # type: ignore[arg-type]


def test_no_capability_adds_app_wide_template_helpers(app):
    """Does every filter and global all templates see come from the core, none from a capability?"""
    helpers = {
        **app.jinja_env.filters,
        **app.jinja_env.globals,
        **{repr(p): p for p in app.template_context_processors[None]},
    }
    from_capabilities = {
        name: _defined_in(helper)
        for name, helper in helpers.items()
        if any(_defined_in(helper).startswith(f"{cap}.") for cap in CAPABILITIES)
    }
    assert from_capabilities == {}


def test_every_vocabulary_value_has_its_own_translatable_label(app):
    """Does each status, stance, type ... carry a label marked for translation, one per value?"""
    vocabularies = LabelledEnum.__subclasses__()
    assert len(vocabularies) >= 10
    for vocabulary in vocabularies:
        labels = [member.label for member in vocabulary]
        assert all(isinstance(label, LazyString) for label in labels), vocabulary
        assert len({str(label) for label in labels}) == len(labels), vocabulary


def test_one_clock_filter_shows_a_time_in_a_zone_or_the_viewers(app, make_member):
    """Does ``clock`` show a moment in the zone it is given, and otherwise in the viewer's zone?"""
    moment = datetime(2000, 4, 28, 13, 0, tzinfo=UTC)
    template = "{{ m|clock('Asia/Kolkata') }} / {{ m|clock }}"
    with app.test_request_context():
        assert render_template_string(template, m=moment) == "6:30\u202fpm / 9:00\u202fam"
        login_user(make_member(timezone="Europe/Paris"))
        refresh()  # Flask-Babel keeps the zone it found until told to look again
        assert render_template_string(template, m=moment) == "6:30\u202fpm / 3:00\u202fpm"
