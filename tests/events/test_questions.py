"""An event's own registration form: questions the Secretariat adds, orders and conditions."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from consult.events.models import FieldKind, FormField, Registration
from consult.extensions import db
from tests.events.conftest import form_data

PDF = b"%PDF-1.4\n% a passport copy\n"


def add_question(client, event, **fields) -> FormField:
    """Add a question through the Secretariat's page; the question as stored."""
    data = {"kind": "text", "label": "A question", "help": "", "options": "", "shown_if": ""}
    data.update({key: str(value) for key, value in fields.items()})
    response = client.post(f"/events/admin/{event.id}/form", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalars(
        db.select(FormField).where(FormField.event_id == event.id).order_by(FormField.id.desc())
    ).first()


@pytest.fixture
def visa_event(secretariat_client, make_event):
    """A forum asking for interpretation, sessions, nationality, and a visa section on condition."""
    event = make_event(capacity=5)
    c = secretariat_client
    questions = {
        "language": add_question(
            c,
            event,
            kind="choice",
            label="Interpretation language",
            required="y",
            options="English\nFrench\nSpanish",
            help="The language you will listen in.",
            **{"translations-help_fr": "La langue dans laquelle vous écouterez."},
        ),
        "sessions": add_question(
            c,
            event,
            kind="multiple",
            label="Sessions you will attend",
            options="Opening\nDialogue\nClosing",
        ),
        "nationality": add_question(c, event, kind="country", label="Nationality"),
        "visa": add_question(c, event, kind="yesno", label="Do you need a visa?", required="y"),
    }
    visa = questions["visa"]
    questions["section"] = add_question(
        c,
        event,
        kind="section",
        label="Visa support letter",
        shown_if=visa.id,
        shown_if_value="yes",
    )
    questions["passport"] = add_question(
        c, event, kind="text", label="Passport number", required="y"
    )
    questions["expiry"] = add_question(c, event, kind="date", label="Passport expiry date")
    questions["copy"] = add_question(
        c, event, kind="file", label="Passport copy", required="y", max_kb=1, file_types="pdf"
    )
    questions["diet"] = add_question(c, event, kind="section", label="Meals")
    questions["dietary"] = add_question(c, event, kind="text", label="Dietary needs")
    return event, questions


def answers_of(email: str) -> dict[str, object]:
    registration = db.session.scalars(db.select(Registration).filter_by(email=email)).one()
    return {answer.field.label: answer.value for answer in registration.answers}


def q(question: FormField) -> str:
    return f"q{question.id}"


def test_a_visa_section_is_asked_only_when_a_visa_is_needed(client, visa_event):
    """Are the visa questions skipped (and their answers ignored) for someone without a visa
    need, and required, checked and stored for someone who needs one?"""
    event, qs = visa_event
    no_visa = form_data(
        1,
        **{
            q(qs["language"]): "French",
            q(qs["visa"]): "no",
            q(qs["passport"]): "ignored",
            q(qs["sessions"]): ["Opening", "Closing"],
            q(qs["nationality"]): "sn",
        },
    )
    assert client.post(f"/events/{event.slug}/register", data=no_visa).status_code == 303
    assert answers_of("participant1@example.org") == {
        "Interpretation language": "French",
        "Sessions you will attend": ["Opening", "Closing"],
        "Nationality": "SN",
        "Do you need a visa?": False,
    }

    needs_visa = form_data(2, **{q(qs["language"]): "English", q(qs["visa"]): "yes"})
    response = client.post(f"/events/{event.slug}/register", data=needs_visa)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{q(qs["passport"])}-error">Answer this question.' in html
    assert f'id="{q(qs["copy"])}-error">Choose a file to send.' in html
    assert (
        db.session.scalars(
            db.select(Registration).filter_by(email="participant2@example.org")
        ).first()
        is None
    )

    needs_visa |= {
        q(qs["passport"]): "A1234567",
        q(qs["expiry"]): "2030-01-31",
        q(qs["copy"]): (io.BytesIO(PDF), "passeport scanné.pdf"),
    }
    response = client.post(
        f"/events/{event.slug}/register", data=needs_visa, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    answers = answers_of("participant2@example.org")
    assert answers["Passport number"] == "A1234567"
    assert answers["Passport expiry date"] == "2030-01-31"
    assert answers["Passport copy"] == "passeport scanné.pdf"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"language": "Klingon"}, "Choose from the list."),
        ({"sessions": ["Opening", "Party"]}, "Choose from the list."),
        ({"nationality": "XX"}, "Choose your country from the list."),
        ({"visa": "maybe"}, "Answer yes or no."),
        ({"language": ""}, "Answer this question."),
        ({"expiry": "31/01/2030"}, "Enter a date such as 2027-04-28."),
        ({"copy": (PDF, "copy.exe")}, "Send a file of one of these types: pdf."),
        ({"copy": (b"MZ not a pdf", "copy.pdf")}, "The file&#39;s content is not a PDF file"),
        ({"copy": (PDF + b"x" * 2048, "copy.pdf")}, "The file is larger than 1 kB"),
        ({"passport": "x" * 2001}, "Use at most 2000 characters."),
    ],
)
def test_each_answer_is_checked(client, visa_event, answer, message):
    """Is each wrong answer refused next to its question, with nothing registered?"""
    event, qs = visa_event
    values = {"language": "English", "visa": "yes", "passport": "A1", "copy": (PDF, "p.pdf")}
    values.update(answer)
    data = form_data(1)
    for key, value in values.items():
        if key == "copy":
            value = (io.BytesIO(value[0]), value[1])
        data[q(qs[key])] = value
    response = client.post(
        f"/events/{event.slug}/register", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 0


def test_the_form_works_without_javascript_and_says_when_parts_apply(client, visa_event):
    """Does the page show every part, each conditional one marked for the script and saying
    when it applies, with help in the reader's language?"""
    event, qs = visa_event
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    section = re.search(r'<fieldset class="question-section" id="block-q(\d+)"([^>]*)>', html)
    assert section.group(1) == str(qs["section"].id)
    assert f'data-shown-if="q{qs["visa"].id}" data-shown-value="yes"' in section.group(2)
    assert "Only if your answer to “Do you need a visa?” is “Yes”." in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf"' in html
    assert re.search(r"/static/js/events\.[0-9a-f]{12}\.js", html)  # under its hashed name
    visitor = client.application.test_client()  # signed out: the browser's language counts
    french = visitor.get(
        f"/events/{event.slug}/register", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "La langue dans laquelle vous écouterez." in french


def test_answers_are_exported_and_shown_to_the_secretariat(client, secretariat_client, visa_event):
    """Do the CSV, the workbook and the dashboard carry the answers, names for countries, and
    the passport copy for the Secretariat alone?"""
    event, qs = visa_event
    data = form_data(
        1,
        **{
            q(qs["language"]): "Spanish",
            q(qs["visa"]): "yes",
            q(qs["passport"]): "=1+1",
            q(qs["sessions"]): ["Dialogue", "Closing"],
            q(qs["nationality"]): "CI",
            q(qs["copy"]): (io.BytesIO(PDF), "copy.pdf"),
        },
    )
    client.post(f"/events/{event.slug}/register", data=data, content_type="multipart/form-data")
    raw = secretariat_client.get(f"/events/admin/{event.id}/registrations.csv").get_data()
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["Interpretation language"] == "Spanish"
    assert row["Sessions you will attend"] == "Dialogue; Closing"
    assert row["Nationality"] == "Côte d’Ivoire"
    assert row["Do you need a visa?"] == "yes"
    assert row["Passport number"] == "'=1+1"
    assert "Visa support letter" not in row, "a heading is no column"
    book = secretariat_client.get(f"/events/admin/{event.id}/registrations.xlsx").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    headings = [cell.value for cell in sheet[1]]
    values = dict(zip(headings, [cell.value for cell in sheet[2]], strict=True))
    assert values["Nationality"] == "Côte d’Ivoire"
    assert values["Passport number"] == "=1+1"

    html = secretariat_client.get(f"/events/admin/{event.id}").get_data(as_text=True)
    assert "Interpretation language" in html and "Spanish" in html
    link = re.search(r'href="(/events/admin/\d+/answers/\d+/file)"', html).group(1)
    download = secretariat_client.get(link)
    assert download.status_code == 200
    assert download.data == PDF
    download.close()
    secretariat_client.post("/sign-out")
    assert client.get(link).status_code in (302, 303, 401, 403)


def test_the_secretariat_orders_and_edits_questions(secretariat_client, make_event):
    """Can the Secretariat move a question up, change it, refuse a condition no answer can meet,
    and remove it?"""
    event = make_event()
    first = add_question(secretariat_client, event, kind="yesno", label="Need a visa?")
    second = add_question(secretariat_client, event, kind="text", label="Dietary needs")
    base = f"/events/admin/{event.id}/form"
    secretariat_client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [f.label for f in event.form_fields] == ["Dietary needs", "Need a visa?"]
    secretariat_client.post(f"{base}/{first.id}/move", data={"direction": "up"})
    db.session.expire_all()
    bad = secretariat_client.post(
        f"{base}/{second.id}",
        data={
            "kind": "text",
            "label": "Dietary needs",
            "shown_if": first.id,
            "shown_if_value": "perhaps",
        },
    )
    assert bad.status_code == 422
    assert "For a yes-or-no question, enter “yes” or “no”." in bad.get_data(as_text=True)
    choice = secretariat_client.post(
        base, data={"kind": "choice", "label": "One", "options": "Only"}
    )
    assert choice.status_code == 422
    assert "Give at least two choices" in choice.get_data(as_text=True)
    types = secretariat_client.post(base, data={"kind": "file", "label": "F", "file_types": "exe"})
    assert "Use only these types" in types.get_data(as_text=True)
    good = secretariat_client.post(
        f"{base}/{second.id}",
        data={
            "kind": "text",
            "label": "Dietary needs",
            "shown_if": first.id,
            "shown_if_value": "yes",
        },
    )
    assert good.status_code == 303
    db.session.expire_all()
    assert db.session.get(FormField, second.id).shown_if_id == first.id
    secretariat_client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    page = secretariat_client.get(base).get_data(as_text=True)
    assert "names a question further down the form, so it never holds" in page
    secretariat_client.post(f"{base}/{first.id}/delete")
    db.session.expire_all()
    assert [f.label for f in event.form_fields] == ["Dietary needs"]
    assert [f.kind for f in event.form_fields] == [FieldKind.TEXT]


def test_only_the_secretariat_edits_forms(client, member_client, make_event):
    """Are the form pages closed to members?"""
    event = make_event()
    assert member_client.get(f"/events/admin/{event.id}/form").status_code == 403
    assert (
        member_client.post(f"/events/admin/{event.id}/form", data={"label": "x"}).status_code == 403
    )


def test_the_registrant_corrects_answers_through_the_private_link(client, visa_event, mailbox):
    """Can a registrant change their answers on their private page, keeping the file sent
    unless they send another, with the same checks as on registering?"""
    event, qs = visa_event
    data = form_data(
        1,
        **{
            q(qs["language"]): "English",
            q(qs["visa"]): "yes",
            q(qs["passport"]): "A1",
            q(qs["copy"]): (io.BytesIO(PDF), "first.pdf"),
        },
    )
    client.post(f"/events/{event.slug}/register", data=data, content_type="multipart/form-data")
    link = next(
        link
        for link in re.findall(
            r"https?://\S+",
            mailbox.last("participant1@example.org").get_body(("plain",)).get_content(),
        )
        if "/events/registration/" in link
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path).get_data(as_text=True)
    assert 'value="A1"' in page
    assert "Sent: first.pdf." in page
    correction = form_data(
        1, **{q(qs["language"]): "French", q(qs["visa"]): "yes", q(qs["passport"]): ""}
    )
    correction.pop("email")
    refused = client.post(path, data=correction)
    assert refused.status_code == 422
    assert f'id="{q(qs["passport"])}-error">Answer this question.' in refused.get_data(as_text=True)
    correction[q(qs["passport"])] = "B2"
    assert client.post(path, data=correction).status_code == 303
    db.session.expire_all()
    answers = answers_of("participant1@example.org")
    assert answers["Interpretation language"] == "French"
    assert answers["Passport number"] == "B2"
    assert answers["Passport copy"] == "first.pdf", "the file sent stays"
    no_visa = correction | {q(qs["visa"]): "no"}
    assert client.post(path, data=no_visa).status_code == 303
    db.session.expire_all()
    assert "Passport copy" not in answers_of("participant1@example.org")
