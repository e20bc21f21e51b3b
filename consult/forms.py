"""Form helpers shared by every capability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from markupsafe import Markup
from werkzeug.routing import IntegerConverter, Map
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

#: HTTP status for a form sent back with errors next to its fields.
INVALID = 422


def render_form(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """A page with ``form``: 200 when first shown, 422 when sent back with its errors."""
    status = INVALID if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


#: The largest row id: primary keys are 32-bit integers on PostgreSQL.
MAX_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in URLs, bounded to what a row id can be: a huge number is a 404, not a crash."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: str | None) -> int | None:
    """A row id typed or posted as text, or None when it cannot be one (so never a crash)."""
    text = (value or "").strip()
    if not text.isdecimal() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def optional_id(value: object) -> int | None:
    """A select's value as a row id, None for the empty choice: ``coerce`` for optional selects.

    Anything else that is not a row id raises ``ValueError``, so WTForms reports the
    choice as not valid instead of saving nothing.
    """
    if value in (None, "", "None"):
        return None
    ident = parse_id(str(value))
    if ident is None:
        raise ValueError("not a row id")
    return ident


class TokenField(CSRFTokenField):
    """The CSRF token's hidden input, without an ``id``.

    A page holds many small forms (a button per row), each with its token; WTForms would give
    every one ``id="csrf_token"``, and an id must be unique in a page. Nothing points at it.
    """

    def __call__(self, **kwargs: Any) -> Any:
        kwargs.setdefault("id", False)
        return super().__call__(**kwargs)


class TokenWithoutId(_FlaskFormCSRF):
    """Flask-WTF's CSRF protection, its field rendered by :class:`TokenField`."""

    field_class = TokenField


# Every form of every capability subclasses FlaskForm: set the token's field once, here.
FlaskForm.Meta.csrf_class = TokenWithoutId


class CompactSelect(Select):
    """A select whose options leave out their end tag, as HTML allows.

    For the long lists (some 250 countries): the registration form in Arabic is 2.4 KB lighter
    for a participant on a slow link.
    """

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        return super().render_option(choice, **kwargs).removesuffix("</option>")  # still Markup


class ButtonForm(FlaskForm):
    """A button that changes something: the form carries only the CSRF token."""


def select_choices(
    pairs: Iterable[tuple[Any, Any]], optgroup: str | None = None
) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices a WTForms ``SelectField`` takes.

    An optional select starts with ``("", label)`` for "none" and uses ``coerce=optional_id``.
    """
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def grouped_choices(groups: dict[str, Iterable[tuple[Any, Any]]]) -> list[SelectChoice]:
    """Choices rendered inside one ``<optgroup>`` per key of ``groups``."""
    return [choice for name, pairs in groups.items() for choice in select_choices(pairs, name)]
