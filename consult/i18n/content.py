"""Text people write (event titles, agendas, key elements ...) in several languages.

A model that carries translations mixes in :class:`Translatable`: its ``translations``
column holds ``{"fr": {"title": "...", "description": "..."}, ...}`` for the fields named
in ``translatable``; the columns themselves hold the original, written in the site's
default language (English). Pages read a field with ``{{ event|localized("title") }}``:
the reader's translation when there is one, else the original, which then knows it is a
fallback (``missing``) so that the page can say "not yet available in <language>" and mark
the text with its own language. Editing forms get one field per language and field from
:func:`translations_field`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import Form, StringField, TextAreaField
from wtforms.fields import FormField
from wtforms.utils import unset_value
from wtforms.validators import Length, Optional

from consult.i18n.locales import (
    LANGUAGES,
    NATIVE_NAMES,
    current_language,
    html_lang,
    text_direction,
)

#: The language originals are written in.
ORIGINAL = "en"


def original_language() -> str:
    """The language of the originals: the site's default locale."""
    return current_app.config["BABEL_DEFAULT_LOCALE"] if has_app_context() else ORIGINAL


def translation_languages() -> list[str]:
    """The languages a translation can be given in: every UN language but the original's."""
    return [code for code in LANGUAGES if code != ORIGINAL]


class LocalText(str):
    """A text in some language; ``missing`` when it is the original shown for want of a translation."""

    language: str
    wanted: str

    def __new__(cls, text: str, language: str, wanted: str) -> LocalText:
        value = super().__new__(cls, text)
        value.language = language
        value.wanted = wanted
        return value

    @property
    def missing(self) -> bool:
        """True when the reader wanted another language than the one shown."""
        return self.language != self.wanted


class Translatable:
    """Mixin for models whose text fields can be translated."""

    #: The fields that can carry translations.
    translatable: ClassVar[tuple[str, ...]] = ()

    #: ``{language: {field: text}}``; the original stays in the field's own column.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    def localized(self, field: str, language: str | None = None) -> LocalText:
        """``field`` in ``language`` (default: the reader's), else the original."""
        wanted = language or current_language()
        original = getattr(self, field) or ""
        if not original:
            return LocalText("", wanted, wanted)  # nothing to translate: nothing missing
        if wanted != original_language():
            text = ((self.translations or {}).get(wanted) or {}).get(field)
            if text:
                return LocalText(text, wanted, wanted)
        return LocalText(original, original_language(), wanted)

    def translated_languages(self) -> list[str]:
        """The languages this row has at least one translated field in."""
        return [code for code in LANGUAGES if (self.translations or {}).get(code)]


def localized(row: Translatable | None, field: str) -> LocalText | str:
    """Template filter: ``{{ event|localized("title") }}``."""
    if row is None:
        return ""
    return row.localized(field)


def lang_attributes(text: object) -> Markup:
    """`` lang="en" dir="ltr"`` on an element whose text is an untranslated original, else nothing."""
    if isinstance(text, LocalText) and text.missing:
        return Markup(' lang="{}" dir="{}"').format(
            html_lang(text.language), text_direction(text.language)
        )
    return Markup("")


# --- editing --------------------------------------------------------------------------------


class TranslationsForm(Form):
    """One field per translatable field and language; built by :func:`translations_field`."""

    field_names: ClassVar[tuple[str, ...]] = ()

    def by_language(self) -> Iterator[tuple[str, str, str, str, list[Any]]]:
        """(code, name in itself, lang, dir, fields) for each translation language."""
        for code in translation_languages():
            fields = [self[f"{name}_{code}"] for name in self.field_names]
            yield code, NATIVE_NAMES[code], html_lang(code), text_direction(code), fields

    def collected(self) -> dict[str, dict[str, str]]:
        """The translations typed in, without empty ones."""
        found: dict[str, dict[str, str]] = {}
        for code in translation_languages():
            texts = {name: (self[f"{name}_{code}"].data or "").strip() for name in self.field_names}
            texts = {name: text for name, text in texts.items() if text}
            if texts:
                found[code] = texts
        return found


class TranslationsField(FormField):
    """A subform of translations, read from and written to a model's ``translations``."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        flat: dict[str, str] = {}
        if isinstance(data, dict):
            for code, texts in data.items():
                for name, text in (texts or {}).items():
                    flat[f"{name}_{code}"] = text
        prefix = self.name + self.separator
        self.form = self.form_class(formdata=formdata, data=flat, prefix=prefix)

    def populate_obj(self, obj: Any, name: str) -> None:
        setattr(obj, name, self.form.collected())


def translations_field(**fields: tuple[object, int | None]) -> TranslationsField:
    """A form field holding a translation of each of ``fields`` in each other UN language.

    ``fields`` maps a field name to (its label, its longest length or None for long text):
    ``translations = translations_field(title=(_l("Title"), 200), description=(_l("Description"), None))``.
    """
    attributes: dict[str, Any] = {"field_names": tuple(fields)}
    for code in translation_languages():
        for name, (label, longest) in fields.items():
            validators = [Optional()] + ([Length(max=longest)] if longest else [])
            kind = StringField if longest else TextAreaField
            attributes[f"{name}_{code}"] = kind(
                _l("%(field)s in %(language)s", field=label, language=NATIVE_NAMES[code]),
                validators=validators,
                render_kw={"lang": html_lang(code), "dir": text_direction(code)}
                | ({} if longest else {"rows": 4}),
            )
    form_class = type("TranslationsForm", (TranslationsForm,), attributes)
    return TranslationsField(form_class, label=_l("Translations"))
