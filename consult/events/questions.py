"""An event's own questions: which are asked, what an answer must be, and keeping the answers.

The Secretariat adds questions to an event's form (see :mod:`consult.events.form_editor`).
A question, or a section heading and the questions after it, may be asked only
when an earlier yes/no or choice question has a given answer ("a visa letter?"
only after "Do you need a visa?" = yes). The rule is applied here, on the server:
the page hides what is not asked when JavaScript runs, and without it shows
everything, saying when each part applies; a hidden part's answers are ignored.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from consult.events.models import FieldKind, FormAnswer, FormField, Registration
from consult.extensions import db
from consult.i18n import country_choices

#: What a yes/no question posts.
YES, NO = "yes", "no"
#: File types a question may accept: extension -> the bytes such a file starts with.
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}
#: Accepted when the Secretariat names no types.
DEFAULT_FILE_TYPES = ("pdf", "jpg", "jpeg", "png")
#: Largest file when the Secretariat names no size, in kilobytes.
DEFAULT_MAX_KB = 5 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def input_name(question: FormField) -> str:
    """The name of the question's input in the posted form."""
    return f"q{question.id}"


def file_types(question: FormField) -> tuple[str, ...]:
    """The extensions a file question accepts."""
    named = [t.strip().lstrip(".").lower() for t in re.split(r"[,\s]+", question.file_types)]
    return tuple(t for t in named if t in FILE_SIGNATURES) or DEFAULT_FILE_TYPES


def max_kb(question: FormField) -> int:
    """The largest file a file question accepts, in kilobytes."""
    return question.max_kb or DEFAULT_MAX_KB


def condition_of(question: FormField, fields: Sequence[FormField]) -> list[FormField]:
    """The questions whose conditions decide whether ``question`` is asked: its section, itself."""
    holders = []
    section = None
    for each in fields:
        if each.kind is FieldKind.SECTION:
            section = each
        if each is question:
            break
    if section is not None and section is not question and section.shown_if_id:
        holders.append(section)
    if question.shown_if_id:
        holders.append(question)
    return holders


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, list):
        return wanted in value
    if isinstance(value, bool):
        return (YES if value else NO) == wanted
    return value == wanted


def asked_questions(fields: Sequence[FormField], values: Mapping[int, Any]) -> set[int]:
    """Ids of the questions (and headings) asked, given the answers read so far, in form order.

    A condition on a question that is itself not asked does not hold.
    """
    asked: set[int] = set()
    for question in fields:
        ok = all(
            holder.shown_if_id in asked
            and _matches(values.get(holder.shown_if_id), holder.shown_if_value)
            for holder in condition_of(question, fields)
        )
        if ok:
            asked.add(question.id)
    return asked


def condition_note(question: FormField) -> tuple[str, str]:
    """(the question it waits for, the answer), both in the reader's language."""
    source = question.shown_if
    if source is None:
        return "", ""
    wanted = question.shown_if_value
    if source.kind is FieldKind.YESNO:
        answer = _("Yes") if wanted == YES else _("No")
    else:
        answer = dict(source.localized_options()).get(wanted, wanted)
    return str(source.localized("label")), answer


@dataclass
class FileAnswer:
    """A file received for a question, not yet saved."""

    upload: FileStorage
    name: str
    data: bytes


@dataclass
class Answers:
    """What the questions of one form received: values by question id, and errors."""

    values: dict[int, Any] = field(default_factory=dict)
    files: dict[int, FileAnswer] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    #: What to show again in the form when it comes back with errors.
    posted: dict[int, Any] = field(default_factory=dict)
    #: File answers kept from before: question id -> stored file name.
    kept: dict[int, str] = field(default_factory=dict)

    @classmethod
    def given(cls, earlier: Sequence[FormAnswer]) -> Answers:
        """The answers given before, as the form shows them."""
        answers = cls()
        for answer in earlier:
            value = answer.value
            if isinstance(value, bool):
                value = YES if value else NO
            answers.posted[answer.field_id] = value
        return answers

    @property
    def valid(self) -> bool:
        """No question was answered wrongly or left empty when required."""
        return not self.errors


def clean_filename(name: str | None) -> str:
    """A harmless display name: no folders, no control or reserved characters; any script kept."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", _UNSAFE.sub("", base)).strip(" .")
    return base[:150] or "file"


def _read_file(
    question: FormField, upload: FileStorage | None, answers: Answers, kept: FormAnswer | None
) -> None:
    if upload is None or not upload.filename:
        if kept is not None and kept.stored_name:  # a file sent before stays unless replaced
            answers.values[question.id] = kept.value
            answers.kept[question.id] = kept.stored_name
        return
    name = clean_filename(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = file_types(question)
    if extension not in allowed:
        answers.errors[question.id] = _(
            "Send a file of one of these types: %(types)s.", types=", ".join(allowed)
        )
        return
    limit = max_kb(question) * 1024
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        answers.errors[question.id] = _(
            "The file is larger than %(size)d kB: send a smaller one.", size=max_kb(question)
        )
        return
    if not data.startswith(FILE_SIGNATURES[extension]):
        answers.errors[question.id] = _(
            "The file's content is not a %(type)s file: send it again in that format.",
            type=extension.upper(),
        )
        return
    answers.files[question.id] = FileAnswer(upload, name, data)
    answers.values[question.id] = name


def _read_one(question: FormField, form: Mapping, answers: Answers, countries: set[str]) -> None:
    name = input_name(question)
    kind = question.kind
    if kind is FieldKind.MULTIPLE:
        chosen = [value for value in form.getlist(name) if value]
        answers.posted[question.id] = chosen
        options = question.option_list
        if any(value not in options for value in chosen):
            answers.errors[question.id] = _("Choose from the list.")
        elif chosen:
            answers.values[question.id] = [o for o in options if o in chosen]
        return
    raw = (form.get(name) or "").strip()
    answers.posted[question.id] = raw
    if not raw:
        return
    if kind is FieldKind.TEXT:
        if len(raw) > 2000:
            answers.errors[question.id] = _("Use at most %(max)d characters.", max=2000)
        else:
            answers.values[question.id] = raw
    elif kind is FieldKind.CHOICE:
        if raw in question.option_list:
            answers.values[question.id] = raw
        else:
            answers.errors[question.id] = _("Choose from the list.")
    elif kind is FieldKind.YESNO:
        if raw in (YES, NO):
            answers.values[question.id] = raw == YES
        else:
            answers.errors[question.id] = _("Answer yes or no.")
    elif kind is FieldKind.COUNTRY:
        if raw.upper() in countries:
            answers.values[question.id] = raw.upper()
        else:
            answers.errors[question.id] = _("Choose your country from the list.")
    elif kind is FieldKind.DATE:
        try:
            answers.values[question.id] = date.fromisoformat(raw).isoformat()
        except ValueError:
            answers.errors[question.id] = _("Enter a date such as 2027-04-28.")


def read(
    fields: Sequence[FormField],
    form: Mapping,
    files: Mapping | None = None,
    earlier: Sequence[FormAnswer] = (),
) -> Answers:
    """Read and check the answers posted to ``fields``; questions not asked are dropped.

    ``earlier``: the answers given before (a correction), whose files stay unless replaced.
    """
    answers = Answers()
    countries = {code for code, _name in country_choices("en")}
    before = {answer.field_id: answer for answer in earlier}
    for question in fields:
        if question.kind is FieldKind.SECTION:
            continue
        if question.kind is FieldKind.FILE:
            upload = (files or {}).get(input_name(question))
            _read_file(question, upload, answers, before.get(question.id))
        else:
            _read_one(question, form, answers, countries)
    asked = asked_questions(fields, answers.values)
    for question in fields:
        if question.id not in asked:
            answers.values.pop(question.id, None)
            answers.files.pop(question.id, None)
            answers.kept.pop(question.id, None)
            answers.errors.pop(question.id, None)
        elif question.required and question.id not in {**answers.values, **answers.errors}:
            answers.errors[question.id] = (
                _("Choose a file to send.")
                if question.kind is FieldKind.FILE
                else _("Answer this question.")
            )
    return answers


def upload_folder() -> Path:
    """Where answer files are kept: outside ``static``, under random names."""
    folder = Path(current_app.config["UPLOAD_DIR"]) / "event-answers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_files(answers: Answers) -> dict[int, str]:
    """Write the received files under random names before the registration's transaction."""
    stored = {}
    for question_id, received in answers.files.items():
        stored_name = secrets.token_hex(16)
        (upload_folder() / stored_name).write_bytes(received.data)
        stored[question_id] = stored_name
    return stored


def discard(stored: Mapping[int, str] | Sequence[str]) -> None:
    """Remove stored files: saved for a registration not taken, or no longer answered."""
    names = stored.values() if isinstance(stored, Mapping) else stored
    for stored_name in names:
        (upload_folder() / stored_name).unlink(missing_ok=True)


def store(registration: Registration, answers: Answers, stored: Mapping[int, str]) -> list[str]:
    """Keep the answers with the registration, replacing any earlier ones (same transaction).

    Returns the stored names of files no answer uses any more, to remove after the commit.
    """
    files = {**answers.kept, **stored}
    dropped = [
        old.stored_name
        for old in registration.answers
        if old.stored_name and old.stored_name not in files.values()
    ]
    for old in list(registration.answers):
        registration.answers.remove(old)
    db.session.flush()
    for question_id, value in answers.values.items():
        registration.answers.append(
            FormAnswer(field_id=question_id, value=value, stored_name=files.get(question_id, ""))
        )
    return dropped


def answer_file(answer: FormAnswer) -> Path | None:
    """The stored file of a file answer, if it is there."""
    if not answer.stored_name or not re.fullmatch(r"[0-9a-f]{32}", answer.stored_name):
        return None
    path = upload_folder() / answer.stored_name
    return path if path.is_file() else None
