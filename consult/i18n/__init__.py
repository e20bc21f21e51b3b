"""Locale and time zone of the reader, and what changes with them.

- :mod:`consult.i18n.locales`: the six UN languages, how a page's language is chosen
  (a member's saved choice, else the visitor's cookie, else ``Accept-Language``);
- :mod:`consult.i18n.formats`: dates, times and numbers, unambiguous in every locale;
- :mod:`consult.i18n.countries`: the UN's names of countries and territories;
- :mod:`consult.i18n.zones`: time zones named by their cities;
- :mod:`consult.i18n.content`: text people write (event titles, key elements ...) in
  several languages, with the original shown, and said so, where a translation is missing;
- :mod:`consult.i18n.views`: the language switcher in every page's header.

The template helpers every capability shares are declared here (and in ``consult.markdown``):
``datetime``, ``date`` and ``clock`` to show a moment, ``duration`` a length of time,
``number`` a number, ``in_zone`` to move a moment into a zone, ``country_name`` and
``country_names``, ``localized`` for translated content. A helper only one capability uses
is given by that capability's blueprint context processor instead.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context
from flask.wrappers import Response
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from consult.i18n import content
from consult.i18n.countries import country_choices, country_name, country_names
from consult.i18n.formats import (
    clock,
    format_date,
    format_datetime,
    format_duration,
    format_number,
    localtime,
    machine_time,
    zone_label,
)
from consult.i18n.locales import (
    LANGUAGES,
    NATIVE_NAMES,
    UN_LANGUAGES,
    html_lang,
    language_choices,
    language_name,
    select_locale,
    switcher,
    text_direction,
)
from consult.i18n.zones import timezone_choices, timezone_names

__all__ = [
    "LANGUAGES",
    "NATIVE_NAMES",
    "UN_LANGUAGES",
    "clock",
    "country_choices",
    "country_name",
    "country_names",
    "format_date",
    "format_datetime",
    "format_number",
    "html_lang",
    "language_choices",
    "language_name",
    "localtime",
    "select_locale",
    "select_timezone",
    "text_direction",
    "timezone_choices",
    "timezone_names",
]


def select_timezone() -> str:
    """The signed-in user's zone, else a zone the page set (an event's), else the default."""
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return g.get("page_timezone") or current_app.config["DEFAULT_TIMEZONE"]


def vary_by_language(response: Response) -> Response:
    """Pages differ by the reader's language: tell caches what it is chosen from."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def isolate(value: object) -> Markup:
    """Text a person wrote (a name, a title, an organisation) inside ``<bdi>``, escaped.

    The browser then lays it out in its own direction: an Arabic name in an English sentence,
    or a Latin one in an Arabic page, keeps its punctuation and its neighbours where they
    belong. Inside a translated sentence: ``_("Edit %(name)s", name=user.display_name|bdi)``.
    """
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def init_app(app: Flask) -> None:
    """Expose the formatters, the page's language and direction, and the switcher."""
    from consult.i18n.views import bp

    app.register_blueprint(bp)
    app.after_request(vary_by_language)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        text_direction=text_direction,
        html_lang=html_lang,
        get_locale=get_locale,
        get_timezone=get_timezone,
        zone_label=zone_label,
        language_switcher=switcher,
        language_name=language_name,
        country_name=country_name,
        lang_attrs=content.lang_attributes,
    )
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        clock=clock,
        duration=format_duration,
        number=format_number,
        in_zone=localtime,
        machine_time=machine_time,
        country_names=country_names,
        localized=content.localized,
        bdi=isolate,
    )
