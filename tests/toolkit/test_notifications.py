"""E-mail that fits the work: replies and mentions at once, the digest for the rest, threads in
mail programs, and new versions of followed sections; all through the outbox to a real SMTP server."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.toolkit import notifications
from consult.toolkit.models import Comment
from tests.conftest import body_text, sign_in


def _post(client, user, section, body: str, parent: Comment | int | None = None) -> int:
    sign_in(client, user)
    data = {"body": body}
    if parent is not None:
        data["parent_id"] = str(getattr(parent, "id", parent))
    answer = client.post(
        f"/toolkit/sections/{section.id}/comments",
        data=data,
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["comment"]


def _ids(comment_id: int, user) -> str:
    return f"<toolkit.comment.{comment_id}.{user.id}@example.org>"


def test_a_reply_reaches_the_author_at_once_threaded_under_their_comment(
    app, client, mailbox, make_member, make_section
):
    """Is a reply e-mailed at once to the author answered, with In-Reply-To and References?"""
    section = make_section(title="Monitoring and reporting")
    ama, jun, eva = make_member(name="Ama Mensah"), make_member(name="Jun Li"), make_member()
    top = _post(client, ama, section, "Who reports, and to whom?")
    assert not mailbox.messages  # everyone is on the daily digest by default
    reply = _post(client, jun, section, "The partners, to the CSD.", parent=top)
    (letter,) = mailbox.messages
    assert str(letter["To"]) == ama.email
    assert str(letter["Subject"]) == "[Toolkit] Jun Li replied to you on “Monitoring and reporting”"
    assert str(letter["Message-ID"]) == _ids(reply, ama)
    assert str(letter["In-Reply-To"]) == _ids(top, ama)
    assert str(letter["References"]) == _ids(top, ama)
    assert str(letter["Thread-Topic"]) == "[Toolkit] Monitoring and reporting"
    text = body_text(letter)
    assert "The partners, to the CSD." in text and "because it answers your comment" in text
    assert "http://consult.test/profile" in text or "/profile" in text

    mailbox.clear()
    deeper = _post(client, eva, section, "And how often?", parent=reply)
    (letter,) = mailbox.messages  # Jun, whose reply it answers; not Ama
    assert str(letter["To"]) == jun.email
    assert str(letter["In-Reply-To"]) == _ids(reply, jun)
    assert str(letter["References"]).split() == [_ids(top, jun), _ids(reply, jun)]
    assert str(letter["Message-ID"]) == _ids(deeper, jun)
    mailbox.clear()
    _post(client, ama, section, "I answer myself.", parent=top)
    assert not mailbox.messages  # nobody is e-mailed about their own comment


def test_a_mention_reaches_the_member_at_once(app, client, mailbox, make_member, make_section):
    """Does ``@Name`` or ``@address`` e-mail that member at once, and an address written out nobody?"""
    section = make_section(title="Information needs")
    author = make_member(name="Jun Li")
    ama = make_member(name="Ama Mensah")
    eva = make_member(name="Eva", email="eva.stone@example.org")
    bystander = make_member(name="Ama")
    comment = _post(
        client,
        author,
        section,
        "@ama mensah, could you check this with @eva.stone@example.org? Write to info@example.org.",
    )
    assert sorted(str(m["To"]) for m in mailbox.messages) == sorted([ama.email, eva.email])
    letter = mailbox.last(ama.email)
    assert str(letter["Subject"]) == "[Toolkit] Jun Li mentioned you on “Information needs”"
    assert str(letter["Message-ID"]) == _ids(comment, ama)
    assert letter["In-Reply-To"] is None  # a new thread
    assert "because it mentions you" in body_text(letter)
    assert not mailbox.to(bystander.email)  # "@ama mensah" is the longer name


def test_an_edit_that_adds_a_mention_mails_only_the_newly_mentioned(
    app, client, mailbox, make_member, make_section
):
    """Is a member mentioned in an edit e-mailed once, and those told before not again?"""
    section = make_section()
    author, ama, eva = make_member(name="Jun Li"), make_member(name="Ama"), make_member(name="Eva")
    comment = _post(client, author, section, "Over to @Ama.")
    assert [str(m["To"]) for m in mailbox.messages] == [ama.email]
    mailbox.clear()
    sign_in(client, author)
    client.post(f"/toolkit/comments/{comment}/edit", data={"body": "Over to @Ama and @Eva."})
    assert [str(m["To"]) for m in mailbox.messages] == [eva.email]
    mailbox.clear()
    client.post(f"/toolkit/comments/{comment}/edit", data={"body": "Over to @Eva and @Ama!"})
    assert mailbox.messages == []


def test_what_came_at_once_is_not_in_the_digest(app, client, mailbox, make_member, make_section):
    """Is a reply e-mailed at once left out of its reader's digest, and kept in everyone else's?"""
    section = make_section()
    ama, jun, eva = make_member(name="Ama"), make_member(name="Jun"), make_member(name="Eva")
    top = _post(client, ama, section, "A question")
    _post(client, jun, section, "An answer", parent=top)
    assert [str(m["To"]) for m in mailbox.messages] == [ama.email]
    mailbox.clear()
    app.test_cli_runner().invoke(args=["send-digests"])
    assert not mailbox.to(ama.email)  # the only comment she did not write came at once
    digest = body_text(mailbox.last(eva.email))
    assert "A question" in digest and "An answer" in digest
    assert "A question" in body_text(mailbox.last(jun.email))
    assert "An answer" not in body_text(mailbox.last(jun.email))


def test_a_member_who_wants_every_comment_gets_a_reply_once(
    app, client, mailbox, make_member, make_section
):
    """Does a member on "every comment" get one letter for a reply to them, not two?"""
    section = make_section()
    ama, jun = make_member(), make_member(name="Jun")
    sign_in(client, ama)
    client.post("/toolkit/notifications", data={"frequency": "every", "section_id": ""})
    top = _post(client, ama, section, "A question")
    _post(client, jun, section, "An answer, @" + ama.display_name, parent=top)
    (letter,) = mailbox.to(ama.email)
    assert "replied to you" in str(letter["Subject"])


def test_the_profile_page_turns_e_mail_at_once_off(app, client, mailbox, make_member, make_section):
    """Can a member say no to e-mail at once on their profile, and find the reply in the digest?"""
    section = make_section()
    ama, jun = make_member(), make_member(name="Jun")
    sign_in(client, ama)
    page = client.get("/profile").get_data(as_text=True)
    assert "E-mail me at once when someone replies to my comment or mentions me" in page
    assert " checked " in re.search(r'<input [^>]*name="at_once"[^>]*>', page).group(0)
    answer = client.post("/toolkit/notifications/direct", data={})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/profile")
    page = client.get("/profile").get_data(as_text=True)
    assert " checked " not in re.search(r'<input [^>]*name="at_once"[^>]*>', page).group(0)
    top = _post(client, ama, section, "A question")
    _post(client, jun, section, "An answer to @" + ama.display_name, parent=top)
    assert not mailbox.to(ama.email)
    app.test_cli_runner().invoke(args=["send-digests"])
    assert "An answer" in body_text(mailbox.last(ama.email))
    sign_in(client, ama)
    client.post("/toolkit/notifications/direct", data={"at_once": "y"})
    assert notifications.direct_mail_wanted([ama.id]) == {ama.id: True}


def test_the_direct_mail_choice_needs_a_member(client):
    """Is the choice refused to a visitor?"""
    answer = client.post("/toolkit/notifications/direct", data={})
    assert answer.status_code in (302, 401)


def test_the_direct_mail_choice_needs_its_token(app, client, make_member, csrf):
    """Is the choice refused without its CSRF token?"""
    sign_in(client, make_member())
    csrf(client, "/profile")
    assert client.post("/toolkit/notifications/direct", data={"at_once": "y"}).status_code == 400


def test_a_lost_job_is_made_good_by_the_sweep(
    app, client, mailbox, make_member, make_section, monkeypatch
):
    """When the queue cannot be reached, is the comment saved and e-mailed by the sweep later?"""
    section = make_section()
    ama, jun = make_member(), make_member(name="Jun")
    top = _post(client, ama, section, "A question")

    def down(*args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(notifications.jobs, "enqueue", down)
    reply = _post(client, jun, section, "An answer", parent=top)
    assert not mailbox.messages
    assert db.session.get(Comment, reply).notified_at is None
    monkeypatch.undo()
    with app.app_context():
        notifications.notify_sweep_job()
        notifications.notify_sweep_job()  # twice: still once
    assert [str(m["Message-ID"]) for m in mailbox.messages] == [_ids(reply, ama)]
    assert db.session.scalar(select(Comment.notified_at).where(Comment.id == reply)) is not None


def test_followers_hear_of_each_new_version_threaded(
    app, client, mailbox, make_member, make_secretariat, make_section
):
    """Does a follower get each new version of a section's text, threaded, and nothing once unfollowed?"""
    section = make_section(title="Key elements")
    follower, other, officer = make_member(), make_member(), make_secretariat()
    sign_in(client, follower)
    page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Follow this section" in page
    answer = client.post(f"/toolkit/sections/{section.id}/follow", data={"follow": "1"})
    assert answer.status_code == 303
    page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Stop following" in page
    sign_in(client, officer)
    client.post(f"/toolkit/sections/{section.id}/follow", data={"follow": "1"})

    def edit(body: str, **extra) -> None:
        data = {"title": "Key elements", "body": body, "status": "proposed", "note": "", **extra}
        assert client.post(f"/toolkit/sections/{section.id}/edit", data=data).status_code == 302

    edit("Second text", note="Paragraph 2 reworded")
    (letter,) = mailbox.messages  # the follower; not the officer who made the change
    assert str(letter["To"]) == follower.email
    assert str(letter["Subject"]) == "[Toolkit] “Key elements”: version 2"
    assert (
        str(letter["Message-ID"]) == f"<toolkit.section.{section.id}.v2.{follower.id}@example.org>"
    )
    text = body_text(letter)
    assert "Paragraph 2 reworded" in text
    assert f"/toolkit/sections/{section.id}/diff?from=1&to=2" in text
    mailbox.clear()
    edit("Second text", published="y")  # no new version: nothing
    assert mailbox.messages == []
    edit("Third text")
    (letter,) = mailbox.messages
    assert (
        str(letter["In-Reply-To"]) == f"<toolkit.section.{section.id}.v2.{follower.id}@example.org>"
    )
    assert str(letter["References"]).split() == [
        f"<toolkit.section.{section.id}.v1.{follower.id}@example.org>",
        f"<toolkit.section.{section.id}.v2.{follower.id}@example.org>",
    ]
    assert not mailbox.to(other.email)
    mailbox.clear()
    sign_in(client, follower)
    client.post(f"/toolkit/sections/{section.id}/follow", data={"follow": "0"})
    sign_in(client, officer)
    edit("Fourth text")
    assert mailbox.messages == []


def test_following_refuses_bad_input(client, make_member, make_section):
    """Are a malformed choice, an unknown section and a visitor refused with 4xx?"""
    section = make_section()
    assert client.post(
        f"/toolkit/sections/{section.id}/follow", data={"follow": "1"}
    ).status_code in (302, 401)
    sign_in(client, make_member())
    assert (
        client.post(f"/toolkit/sections/{section.id}/follow", data={"follow": "2"}).status_code
        == 400
    )
    assert client.post(f"/toolkit/sections/{section.id}/follow", data={}).status_code == 400
    assert client.post("/toolkit/sections/999999/follow", data={"follow": "1"}).status_code == 404


def test_the_digest_waits_for_a_comment_whose_e_mails_are_not_decided(
    app, client, mailbox, make_member, make_section, monkeypatch
):
    """Is a reply whose job has not run kept for the next digest, so it never arrives twice?"""
    section = make_section()
    ama, jun, eva = make_member(name="Ama"), make_member(name="Jun"), make_member(name="Eva")
    top = _post(client, ama, section, "A question")
    monkeypatch.setattr(notifications.jobs, "enqueue", lambda *args: None)  # the job is late
    _post(client, jun, section, "An answer", parent=top)
    monkeypatch.undo()
    app.test_cli_runner().invoke(args=["send-digests"])
    first = body_text(mailbox.last(eva.email))
    assert "A question" in first and "An answer" not in first
    assert not mailbox.to(ama.email)
    mailbox.clear()
    with app.app_context():
        notifications.notify_sweep_job()
    assert [str(m["To"]) for m in mailbox.messages] == [ama.email]  # the reply, at once
    mailbox.clear()
    app.test_cli_runner().invoke(args=["send-digests"])
    assert "An answer" in body_text(mailbox.last(eva.email))
    assert not mailbox.to(ama.email)  # not twice
