"""The ``init`` and ``demo`` commands."""

from sqlalchemy import func, select

from consult.accounts.models import Constituency, Role, User
from consult.demo import DEMO_MEMBERS, DEMO_PASSWORD, SECRETARIAT_EMAIL
from consult.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_twice_leaves_one_copy_of_everything(app):
    """Does running the demo twice leave exactly one copy of each row?"""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert f"Sign in as {SECRETARIAT_EMAIL} with password {DEMO_PASSWORD}" in first.output
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    again = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    assert again == counts
    assert counts["users"] >= len(DEMO_MEMBERS)


def test_demo_has_every_constituency_in_real_time_zones(app):
    """Does the demo group hold members of each stakeholder group across the world's zones?"""
    app.test_cli_runner().invoke(args=["demo"])
    demo = db.session.scalars(
        select(User).where(User.email.in_([m.email for m in DEMO_MEMBERS]))
    ).all()
    slugs = {user.constituency.slug for user in demo}
    assert {"business", "trade-unions", "ngos", "unep", "desa-dsd", "oecd"} <= slugs
    zones = {user.timezone for user in demo}
    assert {
        "Europe/Zurich",
        "Africa/Nairobi",
        "America/New_York",
        "America/Toronto",
        "Europe/Paris",
        "Europe/Brussels",
        "America/Sao_Paulo",
        "Asia/Kolkata",
        "Asia/Shanghai",
    } <= zones
    officer = db.session.scalar(select(User).where(User.email == SECRETARIAT_EMAIL))
    assert officer.role is Role.SECRETARIAT


def test_demo_sign_in_works(client, app):
    """Can a visitor sign in with the printed demo credentials?"""
    app.test_cli_runner().invoke(args=["demo"])
    response = client.post("/sign-in", data={"email": SECRETARIAT_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_init_creates_the_first_secretariat_account(app):
    """Does ``init`` create a Secretariat account from flags and the standard constituencies?"""
    result = app.test_cli_runner().invoke(
        args=[
            "init",
            "--email",
            "Head@UN.example.org",
            "--name",
            "Head of Unit",
            "--password",
            "a long passphrase",
            "--timezone",
            "America/New_York",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "head@un.example.org"))
    assert user.role is Role.SECRETARIAT and user.has_password
    assert _count(Constituency) == 10


def test_init_refuses_a_short_password_and_a_duplicate(app, make_member):
    """Are a short password and an existing address refused with a message?"""
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["init", "--email", "a@example.org", "--name", "A", "--password", "short"]
    )
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    make_member("dup@example.org")
    dup = runner.invoke(
        args=["init", "--email", "dup@example.org", "--name", "D", "--password", "long enough pass"]
    )
    assert dup.exit_code != 0 and "already exists" in dup.output


def test_init_prompts_when_flags_are_missing(app):
    """Does ``init`` ask for what was not given?"""
    result = app.test_cli_runner().invoke(
        args=["init"],
        input="prompted@example.org\nPrompted Officer\nsecret passphrase\nsecret passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "prompted@example.org")) is not None
