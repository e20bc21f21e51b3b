"""Password reset and invitations, through a real SMTP server."""

import re
from datetime import timedelta

from freezegun import freeze_time

from consult.accounts.models import User
from consult.extensions import db
from tests.conftest import body_html, body_text, links_in


def _link(mailbox, address: str, path: str) -> str:
    message = mailbox.last(address)
    link = next(link for link in links_in(message) if path in link)
    return link.replace("http://consult.test", "")


def test_reset_link_sets_a_new_password_once(client, mailbox, make_member):
    """Does the e-mailed link change the password, and refuse a second use?"""
    make_member("wanjiru@example.org", name="Wanjiru")
    response = client.post("/password/forgot", data={"email": "Wanjiru@Example.org"})
    assert response.status_code == 302
    message = mailbox.last("wanjiru@example.org")
    assert message["Subject"] == "Reset your Consult password"
    assert "Hello Wanjiru" in body_text(message)
    assert "/password/reset/" in body_html(message)

    path = _link(mailbox, "wanjiru@example.org", "/password/reset/")
    assert client.get(path).status_code == 200
    new = "a brand new passphrase"
    response = client.post(path, data={"password": new, "confirm": new})
    assert response.status_code == 302
    client.post("/sign-out")

    reused = client.post(
        path, data={"password": "another one entirely", "confirm": "another one entirely"}
    )
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)

    response = client.post("/sign-in", data={"email": "wanjiru@example.org", "password": new})
    assert response.status_code == 302


def test_reset_link_expires(client, mailbox, make_member):
    """Is a reset link refused once its two hours are over?"""
    make_member("late@example.org")
    with freeze_time() as frozen:
        client.post("/password/forgot", data={"email": "late@example.org"})
        path = _link(mailbox, "late@example.org", "/password/reset/")
        frozen.tick(timedelta(hours=2, minutes=1))
        response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_tampered_reset_link_is_refused(client, mailbox, make_member):
    """Is a link with a changed token refused?"""
    make_member("tamper@example.org")
    client.post("/password/forgot", data={"email": "tamper@example.org"})
    path = _link(mailbox, "tamper@example.org", "/password/reset/")
    response = client.get(path[:-3] + ("abc" if not path.endswith("abc") else "xyz"))
    assert response.status_code == 400


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(client, mailbox):
    """Does an unknown address get the same answer and no e-mail?"""
    response = client.post(
        "/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert "If this address belongs to an account" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_reset_requests_are_rate_limited(client, mailbox, make_member):
    """Are password reset requests limited per address of origin?"""
    make_member("spam@example.org")
    codes = [
        client.post("/password/forgot", data={"email": "spam@example.org"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [302] * 5
    assert codes[5] == 429


def test_reset_link_mismatched_passwords(client, mailbox, make_member):
    """Are two different passwords reported next to the field, with nothing changed?"""
    member = make_member("typo@example.org")
    before = member.password_hash
    client.post("/password/forgot", data={"email": "typo@example.org"})
    path = _link(mailbox, "typo@example.org", "/password/reset/")
    response = client.post(path, data={"password": "long enough one", "confirm": "long enough two"})
    assert response.status_code == 422
    assert "The two passwords differ." in response.get_data(as_text=True)
    assert db.session.get(User, member.id).password_hash == before


def test_secretariat_invites_a_member_who_sets_a_password(secretariat_client, client, mailbox, app):
    """Can the Secretariat invite a member who then sets a password and signs in?"""
    response = secretariat_client.post(
        "/members/invite",
        data={
            "email": "Ana.Souza@Example.org",
            "display_name": "Ana Souza",
            "organisation": "NGO network",
            "constituency": db.session.scalar(
                db.select(db.text("id"))
                .select_from(db.text("constituencies"))
                .where(db.text("slug = 'ngos'"))
            ),
            "country": "BR",
            "timezone": "America/Sao_Paulo",
            "role": "member",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "ana.souza@example.org"))
    assert user is not None and not user.has_password
    message = mailbox.last("ana.souza@example.org")
    assert "invites you to Consult" in body_text(message)

    secretariat_client.post("/sign-out")
    path = _link(mailbox, "ana.souza@example.org", "/invitation/")
    page = secretariat_client.get(path)
    assert "Welcome, <bdi>Ana Souza</bdi>" in page.get_data(as_text=True)
    response = secretariat_client.post(
        path, data={"password": "samba and sunshine", "confirm": "samba and sunshine"}
    )
    assert response.status_code == 302
    assert secretariat_client.get("/dashboard").status_code == 200
    assert (
        secretariat_client.post(path, data={"password": "x" * 12, "confirm": "x" * 12}).status_code
        == 400
    )


def test_invitation_link_expires_after_seven_days(secretariat_client, mailbox, make_member):
    """Is an invitation link refused after seven days?"""
    ngos = db.session.scalar(
        db.select(db.text("id"))
        .select_from(db.text("constituencies"))
        .where(db.text("slug = 'ngos'"))
    )
    with freeze_time() as frozen:
        secretariat_client.post(
            "/members/invite",
            data={
                "email": "slow@example.org",
                "display_name": "Slow",
                "constituency": ngos,
                "timezone": "Asia/Kolkata",
                "role": "member",
                "country": "IN",
            },
        )
        path = _link(mailbox, "slow@example.org", "/invitation/")
        frozen.tick(timedelta(days=7, minutes=1))
        assert secretariat_client.get(path).status_code == 400


def test_invite_duplicate_email_is_refused(secretariat_client, mailbox, make_member):
    """Is inviting an existing address refused next to the e-mail field?"""
    make_member("taken@example.org")
    ngos = db.session.scalar(
        db.select(db.text("id"))
        .select_from(db.text("constituencies"))
        .where(db.text("slug = 'ngos'"))
    )
    response = secretariat_client.post(
        "/members/invite",
        data={
            "email": "TAKEN@example.org",
            "display_name": "Dup",
            "constituency": ngos,
            "timezone": "UTC",
            "role": "member",
            "country": "",
        },
    )
    assert response.status_code == 422
    assert re.search(
        r'id="email-error"[^>]*>An account with this e-mail already exists',
        response.get_data(as_text=True),
    )
    assert mailbox.messages == []


def test_the_request_host_never_reaches_an_e_mail(app, client, mailbox, make_member, monkeypatch):
    """With ``Host: evil.example`` (and no SERVER_NAME), does the reset link still use PUBLIC_URL?"""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://consult.example.org")
    make_member("target@example.org")
    response = client.post(
        "/password/forgot",
        data={"email": "target@example.org"},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 302
    message = mailbox.last("target@example.org")
    links = links_in(message)
    assert links and all(link.startswith("https://consult.example.org/") for link in links)
    assert "evil.example" not in message.as_string()


def test_reset_does_the_same_work_for_known_and_unknown_addresses(
    app, client, make_member, monkeypatch
):
    """Do a known, an unknown and a closed account's address cost the request the same
    statements, one outbox row and one delivery job each (so timing tells nothing)?"""
    from consult import jobs
    from consult.outbox.models import OutboxMessage
    from tests.queries import counting_queries

    make_member("known@example.org")
    make_member("closed@example.org", active=False)
    kept: list = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args, **kwargs: kept.append(name))
    work = {}
    for address in ("known@example.org", "unknown@example.org", "closed@example.org"):
        before = db.session.query(OutboxMessage).count()
        with counting_queries() as statements:
            response = client.post("/password/forgot", data={"email": address})
        assert response.status_code == 302
        rows = db.session.query(OutboxMessage).count() - before
        work[address] = ([re.sub(r"sa_savepoint_\d+", "sp", s) for s in statements], rows)
    shapes = {tuple(s) for s, _ in work.values()}
    assert len(shapes) == 1, "the same SQL for every address"
    assert [rows for _, rows in work.values()] == [1, 1, 1]
    assert kept == ["outbox.deliver"] * 3
