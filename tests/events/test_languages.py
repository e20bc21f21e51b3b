"""Events in the reader's language: translated titles and agendas, letters in the registrant's."""

from __future__ import annotations

from sqlalchemy import select

from consult.events.models import Event, EventSession, Registration
from consult.events.notifications import manage_token
from consult.extensions import db
from tests.conftest import body_html, body_text
from tests.events.conftest import calendar_part, form_data
from tests.events.test_editor import EVENT_FORM

FRENCH = {"Accept-Language": "fr"}


def registration(email: str) -> Registration:
    return db.session.scalar(select(Registration).where(Registration.email == email))


def test_a_registration_keeps_the_language_of_its_page(client, make_event, mailbox):
    """Does a registrant from the French page get a French letter and a French invitation?"""
    event = make_event(
        translations={"fr": {"title": "Forum consultatif", "description": "Débat."}},
        description="Discussion.",
    )
    client.post(f"/events/{event.slug}/register", data=form_data(1), headers=FRENCH)
    assert registration("participant1@example.org").language == "fr"
    letter = mailbox.last("participant1@example.org")
    assert str(letter["Subject"]) == "Votre place est confirmée\u00a0: Forum consultatif"
    text = body_text(letter)
    assert "Bonjour Participant 1," in text and "Gérer mon inscription" in body_html(letter)
    assert "(New York)" in text  # the zone named beside the times
    calendar, method = calendar_part(letter)
    assert method == "REQUEST"
    assert calendar.vevent.summary.value == "Forum consultatif"
    assert calendar.vevent.description.value.startswith("Débat.\n\n")


def test_later_letters_follow_the_registrant_not_the_page_that_caused_them(
    client, make_event, mailbox
):
    """When an English reader's cancellation seats a French registrant, is their letter French?"""
    event = make_event(capacity=1)
    client.post(
        f"/events/{event.slug}/register", data=form_data(1), headers={"Accept-Language": "en"}
    )
    client.post(f"/events/{event.slug}/register", data=form_data(2), headers=FRENCH)
    first = registration("participant1@example.org")
    mailbox.clear()
    client.post(
        f"/events/registration/{manage_token(first)}/cancel", headers={"Accept-Language": "en"}
    )
    seated = mailbox.last("participant2@example.org")
    assert str(seated["Subject"]).startswith("Une place vous est attribuée")
    assert str(mailbox.last("participant1@example.org")["Subject"]).startswith(
        "Your registration is cancelled"
    )


def test_the_event_page_shows_the_readers_translation(client, make_event, add_session):
    """Does a French reader see the French title, description and agenda, and no note?"""
    event = make_event(
        translations={"fr": {"title": "Forum consultatif", "description": "Un *débat*."}},
        description="A *debate*.",
    )
    add_session(
        event,
        "Opening",
        event.starts_at,
        description="Welcome.",
        translations={"fr": {"title": "Ouverture", "description": "Bienvenue."}},
    )
    html = client.get(f"/events/{event.slug}", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Forum consultatif</h1>" in html and "<em>débat</em>" in html
    assert ">Ouverture</h4>" in html and "Bienvenue." in html
    assert "Pas encore disponible" not in html
    english = client.get(f"/events/{event.slug}", headers={"Accept-Language": "en"})
    assert "<h1>Consultative forum 1</h1>" in english.get_data(as_text=True)


def test_a_missing_translation_shows_the_original_and_says_so(client, make_event, add_session):
    """Without a Spanish text, is the original shown, marked English, with the note in Spanish?"""
    event = make_event(translations={"fr": {"title": "Forum consultatif"}})
    add_session(event, "Opening", event.starts_at)
    html = client.get(f"/events/{event.slug}", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert '<h1 lang="en" dir="ltr">Consultative forum 1</h1>' in html
    assert 'class="session-title" lang="en" dir="ltr">Opening</h4>' in html
    french = client.get(f"/events/{event.slug}", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Forum consultatif</h1>" in french


def test_the_note_names_the_missing_language_in_the_readers_words(client, make_event):
    """Is "not yet available in …" written in French, naming French, on a French page?"""
    event = make_event(description="Discussion.")
    html = client.get(f"/events/{event.slug}", headers=FRENCH).get_data(as_text=True)
    assert (
        "Pas encore disponible en français\u00a0: texte présenté dans sa version originale "
        "(anglais)." in html
    )


def test_the_secretariat_gives_a_translation_per_language(secretariat_client):
    """Does the event form take a title and description per language, and drop empty ones?"""
    data = {
        **EVENT_FORM,
        "translations-title_fr": "Forum consultatif",
        "translations-description_fr": "Débat avec les pays en développement.",
        "translations-title_es": "Foro consultivo",
        "translations-title_ru": "   ",
    }
    response = secretariat_client.post("/events/admin/new", data=data)
    assert response.status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "consultative-forum"))
    assert event.translations == {
        "fr": {
            "title": "Forum consultatif",
            "description": "Débat avec les pays en développement.",
        },
        "es": {"title": "Foro consultivo"},
    }
    form = secretariat_client.get(f"/events/admin/{event.id}/edit").get_data(as_text=True)
    assert 'name="translations-title_fr"' in form and 'value="Forum consultatif"' in form
    # the Arabic fields are written right to left
    assert '<input dir="rtl" id="translations-title_ar" lang="ar"' in form


def test_a_translation_longer_than_the_title_allows_is_refused(secretariat_client):
    """Is an over-long translated title a form error (422), nothing saved?"""
    data = {**EVENT_FORM, "translations-title_fr": "x" * 201}
    response = secretariat_client.post("/events/admin/new", data=data)
    assert response.status_code == 422
    assert db.session.scalar(select(Event).where(Event.slug == "consultative-forum")) is None


def test_sessions_take_translations_too(secretariat_client, make_event):
    """Does a session added with a French title keep it?"""
    event = make_event()
    secretariat_client.post(
        f"/events/admin/{event.id}/sessions",
        data={
            "session-title": "Opening",
            "session-starts_at": "2031-05-05T09:30",
            "session-ends_at": "2031-05-05T11:00",
            "session-translations-title_fr": "Ouverture",
        },
    )
    session = db.session.scalar(select(EventSession).where(EventSession.event_id == event.id))
    assert session.localized("title", "fr") == "Ouverture"


def test_the_registration_form_offers_un_names_in_the_readers_language(client, make_event):
    """Does the registration page list the UN's names, in French on a French page?"""
    event = make_event()
    french = client.get(f"/events/{event.slug}/register", headers={"Accept-Language": "fr"})
    html = french.get_data(as_text=True)
    assert '<option value="RU">Fédération de Russie<' in html
    assert '<option value="TW">Taïwan, province de Chine<' in html
    english = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert '<option value="PS">State of Palestine<' in english
    assert ">Palestinian Territories<" not in english


def test_registrants_and_profiles_show_the_un_name(
    client, secretariat_client, make_event, make_member
):
    """Do the Secretariat's list and the members directory name countries the UN's way?"""
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data(1, country="VN"))
    admin = secretariat_client.get(f"/events/admin/{event.id}").get_data(as_text=True)
    assert "Viet Nam" in admin and "Vietnam" not in admin
    make_member(name="Listed", country="IR", listed_in_directory=True)
    directory = client.get("/steering-group").get_data(as_text=True)
    assert "(Iran (Islamic Republic of))" in directory
