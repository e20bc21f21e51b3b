"""E-mail: preferences, notifications with a reply address, replies by e-mail, digests."""

from __future__ import annotations

import logging
import re
from email.message import EmailMessage

from sqlalchemy import select

from consult.extensions import db
from consult.toolkit import notifications
from consult.toolkit.models import Comment, NotificationPreference
from consult.toolkit.notifications import reply_address
from consult.toolkit.replies import strip_reply
from tests.conftest import body_text, sign_in


def _choose(client, user, frequency: str, section=None) -> None:
    sign_in(client, user)
    data = {"frequency": frequency, "section_id": str(section.id) if section else ""}
    assert client.post("/toolkit/notifications", data=data).status_code == 303


def _reply(to: str, body: str, sender: str = "someone@example.org") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: [Toolkit] a comment"
    message.set_content(body)
    return message.as_bytes()


def _mail_in(app, raw: bytes):
    return app.test_cli_runner().invoke(args=["mail-in"], input=raw)


def test_preferences_per_section_override_the_whole_toolkit(client, make_member, make_section):
    """Does a section's own choice win over the toolkit-wide one, which wins over the default digest?"""
    member = make_member()
    scope, other = make_section(), make_section()
    assert notifications.own_preference(member, scope.id) == "digest"
    _choose(client, member, "none")
    _choose(client, member, "every", scope)
    assert notifications.own_preference(member, scope.id) == "every"
    assert notifications.own_preference(member, other.id) == "none"
    page = client.get("/toolkit/notifications").get_data(as_text=True)
    assert "(as for the whole toolkit)" in page


def test_new_comment_mails_those_who_want_every_comment(
    client, mailbox, make_member, make_section, make_comment
):
    """Do members who chose every comment get a mail with a signed reply address, and no one else?"""
    section = make_section(title="Use and impact in developing countries")
    author, eager, quiet, digest = make_member(), make_member(), make_member(), make_member()
    _choose(client, eager, "every")
    _choose(client, quiet, "every")
    _choose(client, quiet, "none", section)
    _choose(client, author, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Case studies first."})
    assert [str(m["To"]) for m in mailbox.messages] == [eager.email]
    message = mailbox.last(eager.email)
    assert "Use and impact in developing countries" in str(message["Subject"])
    assert "Case studies first." in body_text(message)
    assert re.fullmatch(r"reply\+[A-Za-z0-9_.\-]+@example\.org", str(message["Reply-To"]))
    assert not mailbox.to(digest.email)


def test_reply_by_email_is_posted_without_quote_and_signature(
    app, client, mailbox, make_member, make_section, make_comment
):
    """Is an e-mailed reply posted under the comment, with the quoted text and signature cut off?"""
    section = make_section()
    author, replier = make_member(), make_member(name="Nairobi NGO")
    _choose(client, replier, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "What about SMEs?"})
    reply_to = str(mailbox.last(replier.email)["Reply-To"])
    text = (
        "Small firms need a simpler checklist.\n\n"
        "Regards,\n--\nNairobi NGO\nwww.example.org\n\n"
        "On Mon, 1 May 2000 at 10:00, Consult <consult@example.org> wrote:\n> What about SMEs?\n"
    )
    result = _mail_in(app, _reply(reply_to, text, sender=replier.email))
    assert result.output.strip() == "accepted"
    posted = db.session.scalar(select(Comment).where(Comment.via_email.is_(True)))
    assert posted.body == "Small firms need a simpler checklist.\n\nRegards,"
    assert posted.author_id == replier.id and posted.parent_id is not None
    sign_in(client, author)
    page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Small firms need a simpler checklist." in page and "by e-mail" in page


def test_bad_replies_post_nothing_and_are_logged(
    app, client, mailbox, make_member, make_section, make_comment, caplog
):
    """Do a missing token, a forged token and a deactivated member post nothing, each logged?"""
    section = make_section()
    author, replier = make_member(), make_member()
    _choose(client, replier, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Original"})
    reply_to = str(mailbox.last(replier.email)["Reply-To"])
    local, domain = reply_to.split("@")
    forged = local[:-3] + ("aaa" if not local.endswith("aaa") else "bbb") + "@" + domain
    caplog.set_level(logging.INFO)

    assert _mail_in(app, _reply("reply@example.org", "No token")).output.strip() == "not mine"
    assert _mail_in(app, _reply(forged, "Forged")).output.strip() == "rejected"
    assert "reply token is not valid" in caplog.text
    replier.active = False
    db.session.commit()
    deactivated = _reply(reply_to, "Deactivated", sender=replier.email)
    assert _mail_in(app, deactivated).output.strip() == "rejected"
    assert "is not active" in caplog.text
    assert db.session.scalar(select(Comment).where(Comment.via_email.is_(True))) is None


def test_strip_reply_handles_common_mail_clients():
    """Are quotes, quote headers, signatures and phone footers removed, the new text kept?"""
    assert strip_reply("Yes.\n\n> quoted\n> more") == "Yes."
    assert strip_reply("Agreed.\n-- \nJane\nNGO") == "Agreed."
    assert strip_reply("Fine\n\n-----Original Message-----\nFrom: x") == "Fine"
    assert strip_reply("Ok\n\nSent from my phone") == "Ok"
    assert (
        strip_reply("Text\r\n\r\nOn Tue, 2 May 2000, Consult <c@example.org>\r\nwrote:\r\n> x")
        == "Text"
    )
    assert strip_reply("Le mar. 2 mai 2000, Consult a écrit :\n> x") == ""
    assert strip_reply("Line one\nLine two") == "Line one\nLine two"


def test_digests_go_once_even_when_run_twice(
    app, client, mailbox, make_member, make_section, make_comment
):
    """Does send-digests mail the digest members their new comments once, and nothing on a second run?"""
    section = make_section(title="Information needs")
    author, reader, none = make_member(), make_member(), make_member()
    _choose(client, none, "none")
    make_comment(section, author, "Needs of developing countries")
    make_comment(section, author, "And of economies in transition")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-digests"])
    assert "Digests queued: 2" in first.output  # the reader, and the section's first officer
    message = mailbox.last(reader.email)
    assert "Needs of developing countries" in body_text(message)
    assert "Information needs" in body_text(message)
    assert not mailbox.to(author.email) and not mailbox.to(none.email)
    mailbox.clear()
    second = runner.invoke(args=["send-digests"])
    assert "Digests queued: 0" in second.output and mailbox.messages == []
    make_comment(section, author, "A third one")
    runner.invoke(args=["send-digests"])
    assert "A third one" in body_text(mailbox.last(reader.email))
    assert "Needs of developing countries" not in body_text(mailbox.last(reader.email))


def test_dashboard_shows_recent_comments(member_client, make_member, make_section, make_comment):
    """Does the dashboard's panel list the latest comments with their section?"""
    section = make_section(title="Toronto key elements")
    make_comment(section, make_member(name="Union member"), "Labour standards")
    html = member_client.get("/dashboard").get_data(as_text=True)
    assert "Recent comments" in html and "Toronto key elements" in html and "Union member" in html


def test_toolkit_settings_come_from_the_environment(tmp_path):
    """Are SOCKETIO_CHANNEL and TOOLKIT_REPLY_ADDRESS read from the environment, with defaults?"""
    from consult.config import load_config

    env = {"SOCKETIO_CHANNEL": "consult-a", "TOOLKIT_REPLY_ADDRESS": "reply@consult.example.org"}
    config = load_config(tmp_path, env)
    assert config["SOCKETIO_CHANNEL"] == "consult-a"
    assert config["TOOLKIT_REPLY_ADDRESS"] == "reply@consult.example.org"
    defaults = load_config(tmp_path, {})
    assert defaults["SOCKETIO_CHANNEL"] == "flask-socketio"
    assert defaults["TOOLKIT_REPLY_ADDRESS"] is None


def test_unknown_frequency_is_refused(member_client):
    """Is a made-up e-mail choice refused with 422 rather than saved or crashing?"""
    response = member_client.post("/toolkit/notifications", data={"frequency": "hourly"})
    assert response.status_code == 422


def test_emailed_reply_reaches_open_browsers(app, client, mailbox, make_member, make_section):
    """Is a reply that came by e-mail pushed to the section's room like any other comment?"""
    from consult.extensions import socketio
    from consult.toolkit.live import NAMESPACE

    section = make_section()
    author, replier = make_member(), make_member()
    _choose(client, replier, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Question"})
    listener = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)
    listener.emit("join", {"section": section.id, "last": 1}, namespace=NAMESPACE, callback=True)
    reply_to = str(mailbox.last(replier.email)["Reply-To"])
    assert (
        _mail_in(
            app, _reply(reply_to, "Answer by mail\n\n> Question", replier.email)
        ).output.strip()
        == "accepted"
    )
    (event,) = [m["args"][0] for m in listener.get_received(NAMESPACE) if m["name"] == "comment"]
    assert event["seq"] == 2 and "<p>Answer by mail</p>" in event["html"]
    assert 'data-parent="' in event["html"] and 'action="/toolkit/comments/' in event["html"]
    listener.disconnect(NAMESPACE)


def test_overlapping_digest_runs_send_each_comment_once(
    app, mailbox, make_member, make_section, make_comment, monkeypatch
):
    """If a second send-digests starts while the first is still queuing, is nothing sent twice?"""
    from consult.toolkit import notifications

    section = make_section(title="Use and impact in developing countries")
    author = make_member()
    readers = [make_member(), make_member()]
    make_comment(section, author, "Case studies in seven countries")
    real_enqueue = notifications.enqueue
    runs: list[dict[str, int]] = []

    def enqueue_and_start_another_run(*args, **kwargs):
        if not runs:
            runs.append({})  # only the first digest starts a second run
            runs.append(notifications.send_digests())
        return real_enqueue(*args, **kwargs)

    monkeypatch.setattr(notifications, "enqueue", enqueue_and_start_another_run)
    first = notifications.send_digests()
    delivered = [m["To"] for m in mailbox.messages]
    assert sorted(delivered) == sorted(set(delivered))
    assert {r.email for r in readers} <= set(delivered)
    assert first["queued"] + runs[1]["queued"] == len(delivered)
    assert runs[1]["queued"] > 0, "the second run took the members the first had not reached yet"


def test_a_digest_refused_for_now_goes_out_on_the_outbox_retry(
    app, mailbox, make_member, make_section, make_comment
):
    """When a digest cannot be delivered yet, does the outbox send it later, once?"""
    from sqlalchemy import update

    from consult.database import utcnow
    from consult.outbox import delivery
    from consult.outbox.models import OutboxMessage
    from consult.toolkit.notifications import send_digests

    section = make_section(title="Information needs")
    reader = make_member()
    make_comment(section, make_member(), "Which materials do developing countries need?")
    mailbox.defer.add(reader.email)
    assert send_digests()["queued"] >= 1
    assert mailbox.to(reader.email) == []
    mailbox.defer.clear()
    assert send_digests()["queued"] == 0, "the mark moved with the queued digest"
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == reader.email)
        .values(next_attempt_at=utcnow())
    )
    db.session.commit()
    delivery.sweep()
    [digest] = mailbox.to(reader.email)
    assert "Which materials" in body_text(digest)


def test_a_comment_hidden_before_its_e_mail_goes_is_not_sent(
    app, mailbox, make_member, make_section, make_comment
):
    """Is a digest whose only comment was hidden in the meantime left unsent, saying why?"""
    from consult.database import utcnow
    from consult.outbox.models import OutboxMessage, OutboxStatus
    from consult.toolkit.notifications import send_digests

    section = make_section(title="Scope")
    reader = make_member()
    comment = make_comment(section, make_member(), "Soon hidden")
    mailbox.defer.add(reader.email)
    send_digests()
    comment.hidden_at = utcnow()
    db.session.commit()
    mailbox.defer.clear()
    from consult.outbox import delivery

    row = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.recipient == reader.email)
    ).one()
    row.next_attempt_at = utcnow()
    db.session.commit()  # due now: delivered right after this commit
    delivery.sweep()
    db.session.refresh(row)
    assert row.status is OutboxStatus.SKIPPED and "hidden" in row.last_error
    assert mailbox.to(reader.email) == []


def test_the_same_reply_delivered_twice_is_posted_once(
    app, client, mailbox, make_member, make_section, monkeypatch
):
    """When the mail server pipes the same reply again (same Message-ID), is it posted once,
    the second run saying "duplicate" and exiting 0 so that the server stops retrying?"""
    section = make_section()
    author, replier = make_member(), make_member()
    _choose(client, replier, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Scope?"})
    reply_to = str(mailbox.last(replier.email)["Reply-To"])
    message = EmailMessage()
    message["From"] = replier.email
    message["To"] = reply_to
    message["Subject"] = "Re: scope"
    message["Message-ID"] = "<reply-1@mail.example.org>"
    message.set_content("Only voluntary initiatives.")
    first = _mail_in(app, message.as_bytes())
    again = _mail_in(app, message.as_bytes())
    assert (first.output.strip(), first.exit_code) == ("accepted", 0)
    assert (again.output.strip(), again.exit_code) == ("duplicate", 0)
    posted = db.session.scalars(select(Comment).where(Comment.via_email.is_(True))).all()
    assert [c.body for c in posted] == ["Only voluntary initiatives."]


def test_a_copy_arriving_while_the_first_is_handled_is_a_duplicate(
    app, client, mailbox, make_member, make_section, monkeypatch
):
    """If a second copy checks before the first has committed, does the unique Message-ID stop it
    (nothing posted twice), even without a Message-ID (a digest of the bytes stands in)?"""
    from consult import mailin
    from consult.outbox.models import ReceivedMessage

    section = make_section()
    author, replier = make_member(), make_member()
    _choose(client, replier, "every")
    sign_in(client, author)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Scope?"})
    raw = _reply(str(mailbox.last(replier.email)["Reply-To"]), "Yes.", sender=replier.email)
    assert _mail_in(app, raw).output.strip() == "accepted"
    assert db.session.scalar(select(ReceivedMessage.message_id)).startswith("sha256:")
    real_scalar = db.session.scalar

    def blind_to_the_first(statement, *args, **kwargs):  # as if the first had not committed
        if "received_messages" in str(statement):
            return None
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", blind_to_the_first)
    assert mailin.receive(raw) is mailin.Outcome.DUPLICATE
    monkeypatch.undo()
    assert len(db.session.scalars(select(Comment).where(Comment.via_email.is_(True))).all()) == 1


def test_a_malformed_section_in_mail_preferences_is_refused(member_client):
    """Does a non-numeric section id get a 404 instead of changing the toolkit-wide choice?"""
    response = member_client.post(
        "/toolkit/notifications", data={"section_id": "abc", "frequency": "none"}
    )
    assert response.status_code == 404
    assert db.session.scalars(db.select(NotificationPreference)).all() == []


def test_a_reply_token_works_only_from_its_members_address(
    app, make_member, make_section, make_comment
):
    """Is a reply carrying a member's token but sent from another address refused?"""
    member = make_member()
    section = make_section()
    comment = make_comment(section, make_member(), "A question")
    message = EmailMessage()
    message["From"] = "stranger@elsewhere.example"
    message["To"] = reply_address(member, comment)
    message["Subject"] = "Re: A question"
    message.set_content("An answer that is not theirs")
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert result.exit_code == 1 and "rejected" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 1


def test_a_reply_failing_dkim_or_spf_is_refused(app, make_member, make_section, make_comment):
    """Is a reply with the member's token and From refused when the mail server says its
    DKIM or SPF failed (a forged From), and posted when it passed?"""
    member = make_member()
    comment = make_comment(make_section(), make_member(), "A question")
    for results in ("mx.example.org; dkim=fail header.d=example.org", "mx.example.org; spf=fail"):
        message = EmailMessage()
        message["From"] = member.email
        message["To"] = reply_address(member, comment)
        message["Subject"] = "Re: A question"
        message["Authentication-Results"] = results
        message.set_content("A forged answer")
        result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
        assert result.exit_code == 1 and "rejected" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 1
    message.replace_header("Authentication-Results", "mx.example.org; dkim=pass; spf=pass")
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert "accepted" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 2


def test_reply_addresses_are_short_lower_case_and_half_a_year_long(
    app, make_member, make_section, make_comment
):
    """Is a reply address's token lower case and within an address's 64 characters, read in
    any case, refused after half a year or for another comment, while a token of the older
    form (sent before) is still read?"""
    from datetime import date, timedelta

    from consult.tokens import make_token
    from consult.toolkit.notifications import REPLY_PURPOSE
    from consult.toolkit.replies import read_reply_token

    member = make_member()
    comment = make_comment(make_section(), make_member(), "A question")
    address = reply_address(member, comment)
    local = address.partition("@")[0]
    assert len(local) <= 64 and local == local.lower()
    token = local.partition("+")[2]
    assert read_reply_token(token) == (member.id, comment.id)
    assert read_reply_token(token.upper()) == (member.id, comment.id)
    other = token.replace(f"-{comment.id}-", f"-{comment.id + 1}-", 1)
    assert read_reply_token(other) is None
    old = reply_address(member, comment, date.today() - timedelta(days=181))
    assert read_reply_token(old.partition("@")[0].partition("+")[2]) is None
    legacy = make_token(REPLY_PURPOSE, f"{member.id}.{comment.id}")
    assert read_reply_token(legacy) == (member.id, comment.id)
    message = EmailMessage()
    message["From"] = member.email
    message["To"] = address.upper()
    message["Subject"] = "Re: A question"
    message.set_content("Answered from a server that writes addresses in capitals")
    result = app.test_cli_runner().invoke(args=["mail-in"], input=message.as_bytes())
    assert "accepted" in result.output
